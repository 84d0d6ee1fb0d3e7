package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file the command line cannot write is one line that names it and says why, never the temporary
 * file beside it that the write went through ({@code .NAME.123.iamguard.tmp}: CLI probe F3 got
 * "cannot write the baseline: /nonexistdir/.x.json.1199...iamguard.tmp" and no reason).
 */
class OutputFileErrorsTest {
  @TempDir
  Path dir;

  private CliRun checkWritingBaselineTo(Path baseline) throws Exception {
    Path script = dir.resolve("s.sql");
    Files.writeString(script, "copy t from 's3://acmedata/x/' iam_role 'arn:aws:iam::123456789012:role/Nobody';\n");
    return CliRun.of("check", "--registry", Path.of("samples", "registry.yaml").toAbsolutePath().toString(),
        "--user", "user1", "--write-baseline", baseline.toString(), script.toString());
  }

  @Test
  void aBaselineInAMissingFolderNamesTheFolder() throws Exception {
    Path missing = dir.resolve("no-such-folder");
    CliRun run = checkWritingBaselineTo(missing.resolve("x.json"));
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains(missing.resolve("x.json") + ": cannot write the baseline: no such folder: " + missing)
        .doesNotContain(".iamguard.tmp").doesNotContain("Exception");
  }

  @Test
  void aBaselineWhereAFolderStandsSaysSo() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(folder.resolve("keep.txt"), "kept");
    CliRun run = checkWritingBaselineTo(folder);
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains(folder + ": cannot write the baseline: it is a folder")
        .doesNotContain(".iamguard.tmp").doesNotContain("Exception");
    assertThat(Files.readString(folder.resolve("keep.txt"))).isEqualTo("kept");
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".iamguard.tmp"));
    }
  }
}
