package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An empty PATH argument is refused (red-team review: {@code check ... ""}, an unset {@code "$DIR"}
 * in a job, checked every script under the current folder, as {@code Path.of("")} names it): by
 * every command that reads scripts, alone, before and after a file, with exit 2, a message naming
 * the problem, and nothing checked or run.
 */
class EmptyPathArgumentTest {
  @TempDir
  Path dir;

  @Test
  void everyCommandRefusesAnEmptyPath() throws Exception {
    Path file = Files.writeString(dir.resolve("load.sql"),
        "copy t from 's3://acmedata/redshift/x' iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload';\n");
    Map<String, List<String>> commands = Map.of(
        "check", List.of("check", "--registry", "samples/registry.yaml", "--user", "user1"),
        "explain", List.of("explain"),
        "rewrite", List.of("rewrite", "--registry", "samples/registry.yaml", "--user", "user1"),
        "run", List.of("run", "--url", RunCommandTest.h2(), "--registry", "samples/registry.yaml", "--user", "user1",
            "--local-s3", dir.resolve("s3").toString()),
        "suggest", List.of("suggest", "--cluster", "c1", "--account", "111111111111", "--region", "us-west-2",
            "--user", "etl"));
    commands.forEach((name, options) -> {
      assertThat(run(options, file.toString()).code()).as(name + " of the file alone").isIn(0, 1);
      for (List<String> paths : List.of(List.of(""), List.of("", file.toString()), List.of(file.toString(), ""))) {
        CliRun run = run(options, paths.toArray(String[]::new));
        assertThat(run.code()).as(name + " " + paths).isEqualTo(2);
        assertThat(run.err()).as(name + " " + paths).contains("an empty PATH argument: name a file or folder");
        assertThat(run.out()).as(name + " " + paths).doesNotContainIgnoringCase("copy");
      }
    });
  }

  private static CliRun run(List<String> options, String... paths) {
    List<String> args = new ArrayList<>(options);
    args.addAll(List.of(paths));
    return CliRun.of(args.toArray(String[]::new));
  }
}
