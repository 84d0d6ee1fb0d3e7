package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --local-s3 DIR} that cannot be a folder (empty, blank, a file, a link to a file, a
 * device) is refused before any statement runs, with the option named. Before the fix the run
 * executed the statements up to the first COPY or UNLOAD and failed there ("not a directory"), the
 * script half applied; an empty value silently meant ./local-s3.
 */
class LocalS3OptionTest {
  private static final String REGISTRY = "samples/registry.yaml";

  @TempDir
  Path dir;

  private List<Path> scripts() throws IOException {
    return List.of(
        Files.writeString(dir.resolve("unload.sql"), "create table venue(id int);\ninsert into venue values (1);\n"
            + "unload ('select * from venue') to 's3://acmedata/redshift/unload/v_' iam_role 'copy-unload';\n"),
        Files.writeString(dir.resolve("copy.sql"), "create table venue(id int);\n"
            + "copy venue from 's3://acmedata/redshift/venue' iam_role 'copy-unload';\n"));
  }

  private CliRun run(String localS3, Path script) {
    List<String> args = new ArrayList<>(List.of("run", "--url", "jdbc:h2:mem:" + UUID.randomUUID(), "--registry",
        REGISTRY, "--user", "user1", "--local-s3", localS3, script.toString()));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void whatCannotBeAFolderIsRefusedBeforeAnythingRuns() throws IOException {
    Path file = Files.writeString(dir.resolve("a file"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("link to a file"), file);
    for (String bad : List.of("", " ", file.toString(), link.toString(), "/dev/null")) {
      for (Path script : scripts()) {
        CliRun run = run(bad, script);
        assertThat(run.code()).as("[" + bad + "] " + run.out() + run.err()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.out()).as("nothing ran").isEmpty();
        assertThat(run.err()).startsWith("iamguard: --local-s3").doesNotContain("\tat ");
      }
    }
  }

  @Test
  void aMissingFolderIsCreatedByUnload() throws IOException {
    Path fresh = dir.resolve("fresh s3");
    CliRun run = run(fresh.toString(), scripts().get(0));
    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("done: 3 statements ran");
    try (var files = Files.walk(fresh.resolve("acmedata/redshift/unload"))) {
      assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("v_"));
    }
  }
}
