package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written in place through a symbolic link ({@code rewrite --in-place}, {@code check
 * --write-baseline}) write the file the link names and leave the link a link. Before the fix the
 * link was replaced by a regular file holding the new text, and the file it named kept the old one:
 * the script that runs was never rewritten, and the link was lost.
 */
class InPlaceThroughLinksTest {
  private static final String REGISTRY = "samples/registry.yaml";
  private static final String ALIASED = "copy venue from 's3://acmedata/redshift/venue' iam_role 'copy-unload';\n";
  private static final String REWRITTEN =
      "copy venue from 's3://acmedata/redshift/venue' iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload';\n";

  @TempDir
  Path dir;

  /** Links of several shapes, each to its own script: {link, the file it finally names}. */
  private List<Path[]> links() throws IOException {
    Path shared = Files.createDirectories(dir.resolve("shared sql"));
    Path jobs = Files.createDirectories(dir.resolve("jobs"));
    Path a = Files.writeString(shared.resolve("a.sql"), ALIASED);
    Path b = Files.writeString(shared.resolve("b.sql"), ALIASED);
    Path c = Files.writeString(shared.resolve("c.sql"), ALIASED);
    Files.setPosixFilePermissions(c, PosixFilePermissions.fromString("rw-r-----"));
    Path relative = Files.createSymbolicLink(jobs.resolve("1-relative.sql"), Path.of("../shared sql/a.sql"));
    Path absolute = Files.createSymbolicLink(jobs.resolve("2-absolute.sql"), b.toAbsolutePath());
    Path middle = Files.createSymbolicLink(shared.resolve("middle.link"), Path.of("c.sql"));
    Path chain = Files.createSymbolicLink(jobs.resolve("3-chain.sql"), middle.toAbsolutePath());
    return List.of(new Path[] {relative, a}, new Path[] {absolute, b}, new Path[] {chain, c});
  }

  @Test
  void rewriteInPlaceWritesTheFileALinkNames() throws IOException {
    List<Path[]> links = links();
    // each link named, then the folder of links (its *.sql entries are the links)
    for (boolean folder : List.of(false, true)) {
      for (Path[] link : links) {
        Files.writeString(link[1], ALIASED);
      }
      String[] paths = folder ? new String[] {dir.resolve("jobs").toString()}
          : links.stream().map(l -> l[0].toString()).toArray(String[]::new);
      String[] args = Stream.concat(Stream.of("rewrite", "--in-place", "--registry", REGISTRY, "--user", "user1"),
          Stream.of(paths)).toArray(String[]::new);
      CliRun run = CliRun.of(args);
      assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
      for (Path[] link : links) {
        assertThat(Files.isSymbolicLink(link[0])).as(link[0] + " is still a link").isTrue();
        assertThat(link[0].toRealPath()).isEqualTo(link[1].toRealPath());
        assertThat(Files.readString(link[1])).isEqualTo(REWRITTEN);
      }
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(links.get(2)[1]))).isEqualTo("rw-r-----");
      try (Stream<Path> all = Files.walk(dir)) {
        assertThat(all.map(Path::toString)).noneMatch(name -> name.endsWith(".iamguard.tmp"));
      }
    }
  }

  @Test
  void aBaselineWrittenThroughALinkKeepsTheLink() throws IOException {
    Path script = Files.writeString(dir.resolve("denied.sql"),
        "copy venue from 's3://other/venue' iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload';\n");
    Path real = Files.writeString(Files.createDirectories(dir.resolve("ci")).resolve("baseline.json"), "{}");
    Path link = Files.createSymbolicLink(dir.resolve("baseline.json"), Path.of("ci/baseline.json"));
    CliRun run = CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--write-baseline", link.toString(),
        script.toString());
    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(real)).contains("S3_NOT_PERMITTED");
    CliRun accepted = CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--baseline", link.toString(),
        script.toString());
    assertThat(accepted.code()).as(accepted.out()).isEqualTo(ExitCodes.OK);
  }
}
