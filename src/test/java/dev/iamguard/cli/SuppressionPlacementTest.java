package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which statement an inline suppression accepts findings of, as README's "Inline suppressions"
 * says: the statement the comment stands in (from its first token to the {@code ;} that ends it),
 * the statement it follows on the same line, or else the next statement. A comment on a line of its
 * own after a statement's last token but before its {@code ;} stands in that statement: it accepted
 * the next statement's findings (review finding 1). Over the comment's positions, with block
 * comments around it, for several statement kinds and rules, through {@code check} itself.
 */
class SuppressionPlacementTest {
  private static final String COPY_UNLOAD = "'arn:aws:iam::123456789012:role/RedshiftCopyUnload'";

  @TempDir
  Path dir;

  /**
   * A statement kind whose statements each have a finding of {@code rule}: {@code head} and
   * {@code tail} are its tokens before and after a point between tokens, {@code %s} a word that
   * makes each statement's text its own.
   */
  record Kind(String name, String rule, String head, String tail) {
    String statement(String word) {
      return head.formatted(word) + " " + tail;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Kind> kinds() {
    return List.of(
        new Kind("COPY", "S3_NOT_PERMITTED", "copy t from 's3://acmedata/exports/%s'", "iam_role " + COPY_UNLOAD),
        new Kind("UNLOAD", "S3_NOT_PERMITTED", "unload ('select * from %s') to 's3://acmedata/exports/x_'",
            "iam_role " + COPY_UNLOAD),
        new Kind("COPY through an unattached role", "ROLE_NOT_ATTACHED", "copy t from 's3://acmedata/redshift/%s'",
            "iam_role 'arn:aws:iam::210987654321:role/RoleB'"));
  }

  /**
   * Where the comment stands, written with statements {@code {A}} and {@code {B}} and the marker
   * {@code {M}} ({@code {A(M)}}: A with the marker on a line between its tokens), and which
   * statement it accepts.
   */
  record Position(String name, String script, int accepts) {
    String script(Kind kind, String marker) {
      String between = "\n" + marker + "\n" + kind.tail();
      return script.replace("{A(M)}", kind.head().formatted("a") + between)
          .replace("{B(M)}", kind.head().formatted("b") + between)
          .replace("{A}", kind.statement("a")).replace("{B}", kind.statement("b")).replace("{M}", marker);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Position> positions() {
    return List.of(
        new Position("line before the first token", "{M}\n{A};\n{B};\n", 1),
        new Position("line between tokens", "{A(M)};\n{B};\n", 1),
        new Position("after the last token, same line, before ;", "{A} {M}\n;\n{B};\n", 1),
        new Position("line of its own after the last token, before ;", "{A}\n{M}\n;\n{B};\n", 1),
        new Position("after blank lines, before ; after more", "{A}\n\n{M}\n\n;\n{B};\n", 1),
        new Position("between block comments, before ;", "{A} /* note */\n{M}\n/* more */ ;\n{B};\n", 1),
        new Position("after a block comment line, before ; on the next", "{A}\n/* note\n */\n{M}\n;\n{B};\n", 1),
        new Position("line of its own before ;, ; ending the line of B", "{A}\n{M}\n; {B};\n", 1),
        new Position("before psql's \\g, which sends the statement", "{A}\n{M}\n\\g\n{B};\n", 1),
        new Position("after ; on the same line", "{A}; {M}\n{B};\n", 1),
        new Position("after ; and a block comment on the same line", "{A}; /* note */ {M}\n{B};\n", 1),
        new Position("line after ;", "{A};\n{M}\n{B};\n", 2),
        new Position("line after ;, an empty statement after it", "{A};\n{M}\n;\n{B};\n", 2),
        new Position("line after psql's \\g", "{A}\n\\g\n{M}\n{B};\n", 2),
        new Position("line between tokens of B", "{A};\n{B(M)};\n", 2));
  }

  static Stream<Arguments> kindsByPositions() {
    List<Arguments> all = new ArrayList<>();
    for (Kind kind : kinds()) {
      for (Position position : positions()) {
        all.add(Arguments.of(kind, position));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("kindsByPositions")
  void theSuppressionAcceptsTheStatementItStandsInOrElseTheNext(Kind kind, Position position) throws IOException {
    String marker = "-- iamguard:allow " + kind.rule() + " shared drop, ticket 42";
    String script = position.script(kind, marker);

    CliRun run = check(script);

    assertThat(suppressedIn(run)).as(script).containsExactly(position.accepts());
    assertThat(run.code()).as(script + "\n" + run.out()).isEqualTo(1); // the other statement is still denied
    assertThat(run.json().get("suppression_notes")).as(script).isNull();
  }

  /** Three statements: a marker before the {@code ;} of one accepts that one only. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void amongSeveralStatementsOnlyTheOneWhoseSemicolonFollowsIsAccepted(Kind kind) throws IOException {
    String marker = "-- iamguard:allow " + kind.rule() + " shared drop, ticket 42";
    for (int marked = 1; marked <= 3; marked++) {
      StringBuilder script = new StringBuilder();
      for (int i = 1; i <= 3; i++) {
        script.append(kind.statement("s" + i)).append('\n').append(i == marked ? marker + "\n" : "").append(";\n");
      }

      CliRun run = check(script.toString());

      assertThat(suppressedIn(run)).as(script.toString()).containsExactly(marked);
    }
  }

  /**
   * The review's reproduction: a statement without findings, the marker before its {@code ;}: the
   * suppression is unused and the COPY after it is denied.
   */
  @Test
  void aMarkerBeforeTheSemicolonOfAStatementWithoutFindingsIsUnused() throws IOException {
    String script = "select 1\n-- iamguard:allow S3_NOT_PERMITTED shared drop, ticket 42\n;\n"
        + kinds().get(0).statement("b") + ";\n";

    CliRun run = check(script);

    assertThat(run.code()).as(run.out()).isEqualTo(1);
    assertThat(suppressedIn(run)).isEmpty();
    assertThat(run.out()).contains("unused suppression: statement 1 has no S3_NOT_PERMITTED finding");
  }

  /** A marker opening a block comment accepts nothing wherever it stands, and is reported. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("positions")
  void aBlockCommentMarkerAcceptsNothingInAnyPosition(Position position) throws IOException {
    Kind kind = kinds().get(0);
    String marker = "/* iamguard:allow " + kind.rule() + " shared drop, ticket 42 */";
    String script = position.script(kind, marker);

    CliRun run = check(script);

    assertThat(suppressedIn(run)).as(script).isEmpty();
    assertThat(run.code()).as(script).isEqualTo(1);
    assertThat(run.out()).as(script).contains("ignored suppression: a block comment suppresses nothing");
  }

  /**
   * The check of {@code script} as a file (read whole), after asserting that read from standard
   * input (read, parsed and searched for markers ahead, on other threads) it suppresses the same
   * findings and notes the same suppressions.
   */
  private CliRun check(String script) throws IOException {
    Path file = dir.resolve("s.sql");
    Files.writeString(file, script);
    String[] args = {"check", "--registry", "samples/registry.yaml", "--user", "user1", "--format", "json"};
    String[] withFile = Arrays.copyOf(args, args.length + 1);
    withFile[args.length] = file.toString();
    CliRun whole = CliRun.of(withFile);
    CliRun ahead = CliRun.withStdin(script, args);
    assertThat(suppressedIn(ahead)).as("read ahead: " + script).isEqualTo(suppressedIn(whole));
    assertThat(notes(ahead)).as("read ahead: " + script).isEqualTo(notes(whole));
    assertThat(ahead.code()).as("read ahead: " + script).isEqualTo(whole.code());
    return whole;
  }

  /** The suppression notes' places, kinds and messages (not their file names, which differ). */
  @SuppressWarnings("unchecked")
  private static List<String> notes(CliRun run) {
    List<Map<String, Object>> notes = (List<Map<String, Object>>) run.json().get("suppression_notes");
    return notes == null ? List.of() : notes.stream()
        .map(n -> n.get("line") + ":" + n.get("column") + " " + n.get("kind") + " " + n.get("message")).toList();
  }

  /** The numbers of the statements with a suppressed finding. */
  @SuppressWarnings("unchecked")
  static List<Integer> suppressedIn(CliRun run) {
    List<Integer> suppressed = new ArrayList<>();
    for (Map<String, Object> statement : (List<Map<String, Object>>) run.json().get("statements")) {
      List<Map<String, Object>> findings = (List<Map<String, Object>>) statement.get("findings");
      if (findings != null && findings.stream().anyMatch(f -> f.containsKey("suppressed"))) {
        suppressed.add(((Number) statement.get("index")).intValue());
      }
    }
    return suppressed;
  }
}
