package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder's scripts include those behind symbolic links: a check gate over a folder whose
 * subfolder is a link must read it, not pass it unread; a link to nothing and links forming a loop
 * are errors, as when named on their own; a file reached twice is read once.
 */
class FolderLinksTest {
  private static final String DENIED = "COPY t FROM 's3://elsewhere/x/' IAM_ROLE 'arn:aws:iam::123456789012:role/Nobody';\n";

  @TempDir
  Path dir;

  @Test
  void aLinkedSubfolderIsReadAndAFileReachedTwiceOnce() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("hidden.sql"), DENIED);
    Path folder = Files.createDirectories(dir.resolve("scripts"));
    Files.writeString(folder.resolve("a.sql"), "select 1;\n");
    Files.createSymbolicLink(folder.resolve("linked"), outside);
    Files.createSymbolicLink(folder.resolve("again"), outside);
    CliRun check = CliRun.of("check", "--registry", "samples/registry.yaml", "--user", "user1", folder.toString());
    assertThat(check.code()).as(check.err()).isEqualTo(1);
    assertThat(check.out()).contains("hidden.sql").contains("ROLE_UNKNOWN");
    CliRun suggest = CliRun.of("suggest", "--registry", "samples/registry.yaml", "--user", "user1", folder.toString());
    assertThat(suggest.code()).as(suggest.err()).isZero();
    assertThat(suggest.out()).contains("arn:aws:iam::123456789012:role/Nobody").contains("s3://elsewhere/x/");
    CliRun explain = CliRun.of("explain", folder.toString());
    assertThat(explain.out().lines().filter(l -> l.contains("hidden.sql:"))).as(explain.out()).hasSize(1);
  }

  /**
   * Two links per level to the next level make 2^n paths to the deepest folder (probe 20c: 16 levels
   * took 18 s, 22 did not finish in 150 s): each real folder is read once.
   */
  @Test
  void linksToOneFolderFromEveryLevelReadItOnce() throws IOException {
    int levels = 40;
    Path[] level = new Path[levels];
    for (int i = levels - 1; i >= 0; i--) {
      level[i] = Files.createDirectories(dir.resolve("level" + i));
      if (i + 1 < levels) {
        Files.createSymbolicLink(level[i].resolve("a"), level[i + 1]);
        Files.createSymbolicLink(level[i].resolve("b"), level[i + 1]);
      }
    }
    Files.writeString(level[levels - 1].resolve("deep.sql"), DENIED);
    CliRun explain = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(120),
        () -> CliRun.of("explain", level[0].toString()), "a hang guard, not a timing goal");
    assertThat(explain.code()).as(explain.err()).isZero();
    assertThat(explain.out().lines().filter(l -> l.contains("deep.sql:"))).hasSize(1);
  }

  /** A named pipe or device named *.sql inside a folder is an error, not a script passed unread. */
  @Test
  void aPipeInAFolderIsAnError() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("piped"));
    Files.writeString(folder.resolve("a.sql"), "select 1;\n");
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", folder.resolve("p.sql").toString()).start();
    } catch (IOException e) {
      org.junit.jupiter.api.Assumptions.abort("skipped: no mkfifo on this machine");
      return;
    }
    assertThat(mkfifo.waitFor()).isZero();
    CliRun run = CliRun.of("check", "--registry", "samples/registry.yaml", "--user", "user1", folder.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("p.sql").contains("not a regular file");
  }

  /**
   * rewrite --in-place writes only inside the folders it is given (probe 20c G3): a script a link
   * leads to outside is refused before anything is written; named on its own, it is rewritten.
   */
  @Test
  void inPlaceRewritesNothingBehindALinkLeadingOut() throws IOException {
    String alias = "COPY t FROM 's3://companyb/redshift/x/' IAM_ROLE 'companyb';\n";
    Path outside = Files.createDirectories(dir.resolve("elsewhere"));
    Path theirs = Files.writeString(outside.resolve("theirs.sql"), alias);
    Path folder = Files.createDirectories(dir.resolve("mine"));
    Path mine = Files.writeString(folder.resolve("mine.sql"), alias);
    Files.createSymbolicLink(folder.resolve("linked"), outside);
    CliRun refused = CliRun.of("rewrite", "--registry", "samples/registry.yaml", "--user", "user1", "--in-place",
        folder.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("theirs.sql").contains("a symbolic link leads to out of")
        .contains("nothing was written");
    assertThat(Files.readString(theirs)).isEqualTo(alias);
    assertThat(Files.readString(mine)).isEqualTo(alias);
    CliRun named = CliRun.of("rewrite", "--registry", "samples/registry.yaml", "--user", "user1", "--in-place",
        theirs.toString());
    assertThat(named.code()).as(named.err()).isZero();
    assertThat(Files.readString(theirs)).contains("arn:aws:iam::123456789012:role/RoleA");
  }

  @Test
  void aLinkToNothingAndALoopAreErrors() throws IOException {
    Path dangling = Files.createDirectories(dir.resolve("dangling"));
    Files.writeString(dangling.resolve("a.sql"), "select 1;\n");
    Files.createSymbolicLink(dangling.resolve("gone.sql"), dir.resolve("nothing-here.sql"));
    CliRun gone = CliRun.of("check", "--registry", "samples/registry.yaml", "--user", "user1", dangling.toString());
    assertThat(gone.code()).isEqualTo(2);
    assertThat(gone.err()).contains("gone.sql").contains("target does not exist");

    Path looping = Files.createDirectories(dir.resolve("looping"));
    Files.writeString(looping.resolve("a.sql"), "select 1;\n");
    Files.createSymbolicLink(looping.resolve("up"), looping);
    CliRun loop = CliRun.of("check", "--registry", "samples/registry.yaml", "--user", "user1", looping.toString());
    assertThat(loop.code()).isEqualTo(2);
    assertThat(loop.err()).contains("up").contains("loop");
  }
}
