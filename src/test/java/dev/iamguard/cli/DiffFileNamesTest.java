package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README: "{@code --diff} prints a unified diff per changed file ({@code patch -p1} applies it)".
 * Files named with a space, a tab, a line break, a quote, a backslash, other control characters or
 * non-ASCII letters are applied by GNU patch to the same bytes the rewrite prints (a name with a
 * space or a tab was not applied, one with a line break split its header: probe 22b F4).
 */
class DiffFileNamesTest {
  private static final List<String> NAMES = List.of("plain.sql", "my file.sql", "tab\tx.sql", "new\nline.sql",
      "q\"uote.sql", "back\\slash.sql", "bell\u0007.sql", "caf\u00e9 \u2615.sql", "-dash.sql", "trailing .sql");

  @TempDir
  Path dir;

  @Test
  void patchAppliesTheDiffOfEveryName() throws Exception {
    Path patch = Path.of("/usr/bin/patch");
    Assumptions.assumeTrue(Files.isExecutable(patch), "skipped: GNU patch is not installed (.ci/run installs it)");
    Path n = Files.createDirectories(dir.resolve("work/n"));
    Path copy = Files.createDirectories(dir.resolve("copy/n"));
    for (String name : NAMES) {
      Files.writeString(n.resolve(name), RewriteCommandTest.SCRIPT, StandardCharsets.UTF_8);
      Files.writeString(copy.resolve(name), RewriteCommandTest.SCRIPT, StandardCharsets.UTF_8);
    }
    CliRun run = CliRun.of("rewrite", "--registry", Path.of(RewriteCommandTest.REGISTRY).toAbsolutePath().toString(),
        "--user", "user1", "--diff", n.toString());
    assertThat(run.code()).as(run.err()).isZero();
    Path diff = dir.resolve("changes.diff");
    Files.writeString(diff, run.out(), StandardCharsets.UTF_8);
    // the headers name a/<the folder's absolute path>/n/...: strip all but n/...
    int strip = 1 + n.getParent().getNameCount();
    Process applied = new ProcessBuilder(patch.toString(), "-p" + strip, "-i", diff.toString()).directory(dir.resolve("copy")
        .toFile()).redirectErrorStream(true).start();
    String said = new String(applied.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(applied.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(applied.exitValue()).as(said).isZero();
    for (String name : NAMES) {
      assertThat(Files.readString(copy.resolve(name), StandardCharsets.UTF_8)).as(name)
          .isEqualTo(RewriteCommandTest.EXPECTED);
    }
  }
}
