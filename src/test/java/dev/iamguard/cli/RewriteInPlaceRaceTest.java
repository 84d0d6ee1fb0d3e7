package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code rewrite --in-place} moves the rewritten scripts over the files only when none of them
 * was changed, replaced or deleted by another writer since it was read: the rewrite of the old text
 * overwrote a file an editor had just saved, and a deleted file came back (probe 22b F1). Every
 * kind of interference with the second of two files: no file is written, the other writer's state
 * stays, no temporary file is left.
 */
class RewriteInPlaceRaceTest {
  @TempDir
  Path dir;

  private List<Path> files;
  private List<Path> written;
  private List<FileStamp> read;

  private void readTwoFiles() throws Exception {
    files = List.of(dir.resolve("a.sql"), dir.resolve("b.sql"));
    written = new ArrayList<>();
    read = new ArrayList<>();
    for (Path file : files) {
      Files.writeString(file, "old " + file.getFileName());
      read.add(FileStamp.of(file));
      Path temporary = AtomicFile.temporaryBeside(file, "the rewritten script");
      Files.writeString(temporary, "new " + file.getFileName());
      written.add(temporary);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"edited", "same size", "only touched", "replaced", "deleted", "appended"})
  void anotherWritersChangeStopsEveryMove(String interference) throws Exception {
    readTwoFiles();
    Path b = files.get(1);
    switch (interference) {
      case "edited" -> Files.writeString(b, "someone else's fix");
      case "same size" -> {
        Files.writeString(b, "OLD b.sql");
        Files.setLastModifiedTime(b, FileTime.fromMillis(Files.getLastModifiedTime(b).toMillis() + 2000));
      }
      case "only touched" -> Files.setLastModifiedTime(b, FileTime.fromMillis(Files.getLastModifiedTime(b).toMillis()
          + 2000));
      case "replaced" -> {
        Path saved = dir.resolve("editor.tmp");
        Files.writeString(saved, "old b.sql"); // same text, another file: an editor's save
        Files.move(saved, b, StandardCopyOption.REPLACE_EXISTING);
      }
      case "deleted" -> Files.delete(b);
      default -> Files.writeString(b, "old b.sql;\nselect 2;", java.nio.file.StandardOpenOption.APPEND);
    }
    String left = Files.exists(b) ? Files.readString(b) : null;
    assertThatThrownBy(() -> RewriteCommand.moveOver(files, written, read)).isInstanceOf(CliException.class)
        .hasMessageContaining("b.sql was changed, replaced or deleted while it was rewritten; no file was written");
    assertThat(Files.readString(files.get(0))).isEqualTo("old a.sql");
    assertThat(Files.exists(b) ? Files.readString(b) : null).isEqualTo(left);
    try (var listed = Files.list(dir)) {
      assertThat(listed.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".iamguard.tmp"));
    }
  }

  @Test
  void withoutInterferenceEveryFileIsRewritten() throws Exception {
    readTwoFiles();
    RewriteCommand.moveOver(files, written, read);
    assertThat(Files.readString(files.get(0))).isEqualTo("new a.sql");
    assertThat(Files.readString(files.get(1))).isEqualTo("new b.sql");
  }
}
