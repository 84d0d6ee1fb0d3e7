package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code check} reads a script as psql does, and psql takes the rest of a meta-command's line as its
 * argument: {@code \echo -- iamguard:allow ...} prints the text, and {@code \set x 1 -- ...} puts
 * it into the variable. Neither is a SQL comment, so neither is a suppression (review finding 2: both
 * accepted the COPY after them). Over meta-commands, with the marker first in the argument or after
 * other words, and the line before a script's only statement, between statements or after a
 * statement's {@code ;} on its line; each script's control, the marker on a line of its own in the
 * same place, does accept the COPY.
 */
class MetaCommandMarkerTest {
  private static final String MARKER = "-- iamguard:allow S3_NOT_PERMITTED shared drop, ticket 42";

  @TempDir
  Path dir;

  /** Meta-commands psql runs without sending SQL, each with the marker where its argument stands. */
  static List<String> metaLines() {
    return List.of("\\echo " + MARKER, "\\echo loading today " + MARKER, "\\qecho " + MARKER, "\\warn " + MARKER,
        "\\set x 1 " + MARKER, "\\set " + MARKER, "\\pset title " + MARKER, "\\timing on " + MARKER,
        "\\unset x " + MARKER, "\\prompt 'go? ' answer " + MARKER);
  }

  /** Scripts with {@code {L}} for the line, {@code {C}} for a COPY denied S3_NOT_PERMITTED. */
  static List<String> places() {
    return List.of("{L}\n{C};\n", "select 1;\n{L}\n{C};\n", "select 1; {L}\n{C};\n", "{L}\n\n{C};\nselect 2;\n");
  }

  static Stream<Arguments> linesByPlaces() {
    List<Arguments> all = new ArrayList<>();
    for (String line : metaLines()) {
      for (String place : places()) {
        all.add(Arguments.of(line, place));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("linesByPlaces")
  void aMarkerInAMetaCommandsArgumentAcceptsNothing(String line, String place) throws IOException {
    String copy = "copy t from 's3://acmedata/exports/x' iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload'";
    String script = place.replace("{L}", line).replace("{C}", copy);
    // after a ';' on its line a comment would accept the statement it follows: the control stands on the next line
    String control = place.replace("; {L}", ";\n{L}").replace("{L}", MARKER).replace("{C}", copy);

    CliRun run = check(script);
    CliRun controlRun = check(control);

    assertThat(run.code()).as(script + "\n" + run.out()).isEqualTo(1);
    assertThat(SuppressionPlacementTest.suppressedIn(run)).as(script).isEmpty();
    assertThat(run.json().get("suppression_notes")).as("not a comment, so no suppression at all: %s", script).isNull();
    assertThat(controlRun.code()).as(control + "\n" + controlRun.out()).isEqualTo(0);
    assertThat(SuppressionPlacementTest.suppressedIn(controlRun)).as(control).hasSize(1);
  }

  private CliRun check(String script) throws IOException {
    Path file = dir.resolve("s.sql");
    Files.writeString(file, script);
    return CliRun.of("check", "--registry", "samples/registry.yaml", "--user", "user1", "--format", "json",
        file.toString());
  }
}
