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
    applyPatch(patch, strip, diff, dir.resolve("copy"), "every name");
    for (String name : NAMES) {
      assertThat(Files.readString(copy.resolve(name), StandardCharsets.UTF_8)).as(name)
          .isEqualTo(RewriteCommandTest.EXPECTED);
    }
  }

  /**
   * A file reached more than once (named twice, named and inside a folder named too, or through a
   * symbolic link to it) is one diff (outside contract probe 12: a diff per mention made a patch
   * that {@code patch} refused at the second), and {@code --in-place} rewrites it once.
   */
  @Test
  void aFileReachedSeveralWaysIsOneDiffThatPatchApplies() throws Exception {
    Path patch = Path.of("/usr/bin/patch");
    Assumptions.assumeTrue(Files.isExecutable(patch), "skipped: GNU patch is not installed (.ci/run installs it)");
    Path n = Files.createDirectories(dir.resolve("work/n"));
    Path copy = Files.createDirectories(dir.resolve("copy/n"));
    Path file = Files.writeString(n.resolve("a.sql"), RewriteCommandTest.SCRIPT, StandardCharsets.UTF_8);
    Files.writeString(copy.resolve("a.sql"), RewriteCommandTest.SCRIPT, StandardCharsets.UTF_8);
    Path link = Files.createSymbolicLink(dir.resolve("work/link.sql"), file);
    String registry = Path.of(RewriteCommandTest.REGISTRY).toAbsolutePath().toString();
    List<List<String>> mentions = List.of(List.of(file.toString(), file.toString()),
        List.of(file.toString(), n.toString()), List.of(n.toString(), link.toString(), file.toString()));
    for (List<String> paths : mentions) {
      List<String> args = new java.util.ArrayList<>(List.of("rewrite", "--registry", registry, "--user", "user1", "--diff"));
      args.addAll(paths);
      CliRun run = CliRun.of(args.toArray(String[]::new));

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out().lines().filter(l -> l.startsWith("--- ")).count()).as(paths.toString()).isEqualTo(1);
      Path diff = Files.writeString(dir.resolve("changes.diff"), run.out(), StandardCharsets.UTF_8);
      Files.writeString(copy.resolve("a.sql"), RewriteCommandTest.SCRIPT, StandardCharsets.UTF_8);
      applyPatch(patch, 1 + n.getParent().getNameCount(), diff, dir.resolve("copy"), paths.toString());
      assertThat(Files.readString(copy.resolve("a.sql"), StandardCharsets.UTF_8)).isEqualTo(RewriteCommandTest.EXPECTED);
    }
    CliRun inPlace = CliRun.of("rewrite", "--registry", registry, "--user", "user1", "--in-place", file.toString(),
        link.toString(), n.toString());
    assertThat(inPlace.code()).as(inPlace.err()).isZero();
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(RewriteCommandTest.EXPECTED);
  }

  /** GNU patch applies {@code diff} in {@code folder}, stripping {@code strip} parts of its names. */
  private static void applyPatch(Path patch, int strip, Path diff, Path folder, String what) throws Exception {
    Process applied = new ProcessBuilder(patch.toString(), "-p" + strip, "-i", diff.toString()).directory(folder.toFile())
        .redirectErrorStream(true).start();
    String said = new String(applied.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(applied.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(applied.exitValue()).as(what + ": " + said).isZero();
  }
}
