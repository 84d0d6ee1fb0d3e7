package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AtomicFile#replaceAll} puts a set of files in place all or none: when the move of one fails
 * (here its target is a folder holding a file, which no move replaces), for every place it fails at,
 * the files before it are as they were (old content back, new files gone) and no temporary file is left.
 */
class AtomicFileReplaceAllTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4})
  void aFailedMoveLeavesEveryFileAsItWas(int failing) throws Exception {
    List<String> names = List.of("a.trust.json", "a.permissions.json", "b.trust.json", "registry.yaml", "grants.sql");
    Map<Path, Path> staged = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      Path target = dir.resolve(names.get(i));
      // staged before the folder is put in its place: a folder target is refused from the start
      Path temporary = AtomicFile.temporaryBeside(target, "test file");
      if (i == failing) {
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep"), "x");
      } else if (i % 2 == 0) {
        Files.writeString(target, "old " + i);
      }
      Files.writeString(temporary, "new " + i);
      staged.put(temporary, target);
    }
    assertThatThrownBy(() -> AtomicFile.replaceAll(staged, t -> "test file")).isInstanceOf(CliException.class)
        .hasMessageContaining("nothing was written");
    for (int i = 0; i < names.size(); i++) {
      Path target = dir.resolve(names.get(i));
      if (i == failing) {
        assertThat(target.resolve("keep")).hasContent("x");
      } else if (i % 2 == 0) {
        assertThat(target).hasContent("old " + i);
      } else {
        assertThat(target).doesNotExist();
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".iamguard.tmp")).toList()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void whenEveryMoveSucceedsTheNewFilesAreInPlaceAndNothingElse(boolean existing) throws Exception {
    Map<Path, Path> staged = new LinkedHashMap<>();
    for (String name : List.of("a.trust.json", "registry.yaml")) {
      Path target = dir.resolve(name);
      if (existing) {
        Files.writeString(target, "old");
      }
      Path temporary = AtomicFile.temporaryBeside(target, "test file");
      Files.writeString(temporary, "new " + name);
      staged.put(temporary, target);
    }
    AtomicFile.replaceAll(staged, t -> "test file");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
          .containsExactly("a.trust.json", "registry.yaml");
    }
    assertThat(dir.resolve("registry.yaml")).hasContent("new registry.yaml");
  }
}
