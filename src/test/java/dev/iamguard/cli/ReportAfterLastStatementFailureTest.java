package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A check that fails after its last statement (nothing to check in what it was given; a baseline
 * it cannot write) says so in its JSON and SARIF report as every other failure does (outside
 * contract probe 5: exit 2 with a report that had no {@code error} and, in SARIF,
 * {@code executionSuccessful: true}). Each failure in each format; the reports still parse.
 */
class ReportAfterLastStatementFailureTest {
  private static final String REGISTRY = "samples/registry.yaml";

  @TempDir
  Path dir;

  @SuppressWarnings("unchecked")
  @Test
  void eachFailureAfterTheLastStatementIsInTheReport() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path blank = Files.writeString(dir.resolve("blank.sql"), "-- nothing but a comment\n");
    Path missingFolder = dir.resolve("no/such/folder/baseline.json");
    Map<String, List<String>> failures = Map.of(
        "holds no .sql files", List.of(empty.toString()),
        "holds none", List.of(blank.toString()),
        "cannot write the baseline", List.of("--write-baseline", missingFolder.toString(), "samples/etl/03_denied.sql"));
    for (Map.Entry<String, List<String>> failure : failures.entrySet()) {
      for (String format : List.of("json", "sarif")) {
        List<String> args = new java.util.ArrayList<>(List.of("check", "--registry", REGISTRY, "--user", "user1",
            "--format", format));
        args.addAll(failure.getValue());

        CliRun run = CliRun.of(args.toArray(String[]::new));

        String as = format + " " + failure.getKey();
        assertThat(run.code()).as(as).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).as(as).contains(failure.getKey());
        Map<String, Object> report = run.json();
        if (format.equals("json")) {
          assertThat((String) report.get("error")).as(as).contains(failure.getKey());
          assertThat(report).as(as).containsKey("summary");
        } else {
          Map<String, Object> invocation = ((List<Map<String, Object>>) ((List<Map<String, Object>>) report.get("runs"))
              .get(0).get("invocations")).get(0);
          assertThat(invocation.get("executionSuccessful")).as(as).isEqualTo(false);
          assertThat(invocation.get("toolExecutionNotifications").toString()).as(as).contains(failure.getKey());
        }
      }
    }
    assertThat(missingFolder.getParent()).doesNotExist();
  }
}
