package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * When moving the rewritten scripts over their files fails part way ({@code rewrite --in-place} of
 * several files), the error names the files rewritten and those left as they were: the message
 * said "the files listed before it were rewritten", but --in-place lists nothing (probe 24a F3).
 * The move of file {@code failing} fails (its rewrite is gone); unchanged files are never named.
 */
class InPlaceFailureNamesFilesTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void theErrorNamesWhatWasRewrittenAndWhatWasNot(int failing) throws Exception {
    List<Path> files = new ArrayList<>();
    List<Path> written = new ArrayList<>();
    List<FileStamp> read = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Path file = Files.writeString(dir.resolve("s" + i + ".sql"), "old " + i + ";\n");
      files.add(file);
      read.add(FileStamp.of(file));
      // s2.sql needed no rewrite
      written.add(i == 2 ? null : Files.writeString(dir.resolve(".s" + i + ".new"), "new " + i + ";\n"));
    }
    if (written.get(failing) != null) {
      Files.delete(written.get(failing));
    } else {
      failing = 3; // s2 is never moved: the failure is the next file's
      Files.delete(written.get(3));
    }
    int fail = failing;

    assertThatThrownBy(() -> RewriteCommand.moveOver(files, written, read)).isInstanceOf(CliException.class)
        .satisfies(e -> {
          String message = e.getMessage();
          String rewritten = message.substring(message.indexOf("; rewritten: "), message.indexOf("; not rewritten: "));
          String notRewritten = message.substring(message.indexOf("; not rewritten: "));
          for (int i = 0; i < 4; i++) {
            String name = files.get(i).toString();
            if (i == 2) {
              assertThat(message).as("an unchanged file").doesNotContain(name);
            } else if (i < fail) {
              assertThat(rewritten).contains(name);
              assertThat(notRewritten).doesNotContain(name);
            } else {
              assertThat(notRewritten).contains(name);
              assertThat(rewritten).doesNotContain(name);
            }
          }
          assertThat(rewritten).isEqualTo(fail == 0 ? "; rewritten: none" : rewritten);
        });
    for (int i = 0; i < 4; i++) {
      String expected = i < fail && i != 2 ? "new " + i + ";\n" : "old " + i + ";\n";
      assertThat(Files.readString(files.get(i))).as("s%d.sql", i).isEqualTo(expected);
    }
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".new")).toList())
          .as("temporary files left").isEmpty();
    }
  }
}
