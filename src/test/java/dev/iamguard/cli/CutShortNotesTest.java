package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A JSON or SARIF check report cut short by an error keeps the suppression notes of the files
 * checked before it: JSON's {@code suppression_notes}, SARIF's notifications beside the one naming
 * the error. Before the fix the cut-short document dropped them while its summary still counted
 * them ({@code "invalid_suppressions": 1} and no note saying which), and text kept them. For each
 * format, each kind of note (invalid, unused, both) and each failure (a later file that is not
 * UTF-8, a baseline that cannot be written after the last statement), the notes are those of a run
 * over the same files that is not cut short.
 */
class CutShortNotesTest {
  private static final String REGISTRY = "samples/registry.yaml";
  /** No reason: invalid. */
  private static final String INVALID = "-- iamguard:allow S3_NOT_PERMITTED\n"
      + "unload ('select 1') to 's3://acmedata/exports/x' iam_role 'copy-unload';\n";
  /** Nothing to accept: unused. */
  private static final String UNUSED = "-- iamguard:allow S3_NOT_PERMITTED shared drop, ticket 42\nselect 1;\n";

  @TempDir
  Path dir;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String format : List.of("json", "sarif")) {
      for (List<String> notes : List.of(List.of(INVALID), List.of(UNUSED), List.of(INVALID, UNUSED, INVALID))) {
        for (String failure : List.of("a later file not UTF-8", "a baseline in a missing folder")) {
          cases.add(Arguments.of(format, notes, failure));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, {2}, {1}")
  @MethodSource("cases")
  void theNotesOfTheFilesCheckedStayInTheReport(String format, List<String> scripts, String failure) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("sql"));
    for (int i = 0; i < scripts.size(); i++) {
      Files.writeString(folder.resolve("f" + i + ".sql"), scripts.get(i));
    }
    CliRun whole = check(format, folder, null);
    assertThat(whole.code()).as(whole.err()).isIn(ExitCodes.OK, ExitCodes.DENIED, ExitCodes.ERROR);
    List<Object> expected = notes(format, whole.json());
    assertThat(expected).hasSize(scripts.size());

    Path baseline = null;
    if (failure.startsWith("a later file")) {
      Files.write(folder.resolve("z.sql"), new byte[] {'s', 'e', 'l', 'e', 'c', 't', ' ', (byte) 0xFF, ';', '\n'});
    } else {
      baseline = dir.resolve("missing").resolve("baseline.json");
    }
    CliRun cut = check(format, folder, baseline);

    assertThat(cut.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(cut.err()).doesNotContain("\tat ");
    Map<String, Object> report = cut.json();
    if (format.equals("json")) {
      assertThat(report).containsKey("error");
    }
    assertThat(notes(format, report)).as(cut.out()).isEqualTo(expected);
  }

  private static CliRun check(String format, Path folder, Path baseline) {
    List<String> args = new ArrayList<>(List.of("check", "--registry", REGISTRY, "--user", "user1", "--format", format));
    if (baseline != null) {
      args.addAll(List.of("--write-baseline", baseline.toString()));
    }
    args.add(folder.toString());
    return CliRun.of(args.toArray(String[]::new));
  }

  /** JSON's suppression notes, or SARIF's notifications that carry a location (the error's has none). */
  @SuppressWarnings("unchecked")
  private static List<Object> notes(String format, Map<String, Object> report) {
    if (format.equals("json")) {
      Object notes = report.get("suppression_notes");
      return notes == null ? List.of() : (List<Object>) notes;
    }
    Map<String, Object> run = ((List<Map<String, Object>>) report.get("runs")).get(0);
    Map<String, Object> invocation = ((List<Map<String, Object>>) run.get("invocations")).get(0);
    return ((List<Map<String, Object>>) invocation.get("toolExecutionNotifications")).stream()
        .filter(n -> n.containsKey("locations")).map(n -> (Object) n).toList();
  }
}
