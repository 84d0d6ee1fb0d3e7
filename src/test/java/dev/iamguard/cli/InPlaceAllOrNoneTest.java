package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code rewrite --in-place} of several files moves the rewritten scripts over them all or none:
 * when the move of file {@code failing} fails (its rewrite is gone), every file keeps its old text,
 * those moved before it included, and no temporary file is left. The moves went one by one, and a
 * failure left the files before it rewritten and the rest not (the error named both lists: probe
 * 24a F3); a set of scripts a pipeline runs together was then half rewritten. A file that is a
 * symbolic link has the file it names rewritten, and stays a link.
 */
class InPlaceAllOrNoneTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "move of s{0} fails, s{1} a link")
  @CsvSource({"0,-1", "1,-1", "3,-1", "-1,-1", "0,1", "1,1", "3,1", "-1,1", "1,0", "3,3", "-1,3"})
  void eitherEveryFileIsRewrittenOrNone(int failing, int link) throws Exception {
    List<Path> files = new ArrayList<>();
    List<Path> written = new ArrayList<>();
    List<FileStamp> read = new ArrayList<>();
    Path real = Files.createDirectory(dir.resolve("real"));
    for (int i = 0; i < 4; i++) {
      Path file = dir.resolve("s" + i + ".sql");
      if (i == link) {
        Files.createSymbolicLink(file, Files.writeString(real.resolve("s" + i + ".sql"), "old " + i + ";\n"));
      } else {
        Files.writeString(file, "old " + i + ";\n");
      }
      files.add(file);
      read.add(FileStamp.of(file));
      // s2.sql needed no rewrite
      written.add(i == 2 ? null : Files.writeString(dir.resolve(".s" + i + ".new"), "new " + i + ";\n"));
    }
    if (failing >= 0) {
      Files.delete(written.get(failing));
      assertThatThrownBy(() -> RewriteCommand.moveOver(files, written, read)).isInstanceOf(CliException.class)
          .hasMessageContaining("s" + failing + ".sql")
          .hasMessageContaining("nothing was written");
    } else {
      RewriteCommand.moveOver(files, written, read);
    }
    for (int i = 0; i < 4; i++) {
      String expected = failing < 0 && i != 2 ? "new " + i + ";\n" : "old " + i + ";\n";
      assertThat(Files.readString(files.get(i))).as("s%d.sql", i).isEqualTo(expected);
      assertThat(Files.isSymbolicLink(files.get(i))).as("s%d.sql a link", i).isEqualTo(i == link);
    }
    for (Path folder : List.of(dir, real)) {
      try (var left = Files.list(folder)) {
        assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".new") || n.endsWith(".tmp"))
            .toList()).as("temporary files left in %s", folder).isEmpty();
      }
    }
  }
}
