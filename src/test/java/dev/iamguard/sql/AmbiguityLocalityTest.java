package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A statement's verdict from the ambiguity check depends on the text up to it, not on a form far
 * after it (issue 17: a streaming reader has handed the statement out before it reads that form).
 * {@code #iam_role} is one name to Redshift but an operator and an auth word to a lexer without
 * {@code #temp} names; that difference alone never starts the check, so it counts only from the
 * statement holding the first form that does ({@code #} before {@code $}, a bit string with a
 * backslash).
 */
class AmbiguityLocalityTest {

  private static List<Integer> problems(String sql) {
    return SqlScript.parse(sql).statements().stream().map(s -> s.command().problems().size()).toList();
  }

  @Test
  void aHashNameAloneIsNotChecked() {
    assertThat(problems("select #iam_role 'x'")).containsExactly(0);
  }

  @Test
  void aBitStringFarAfterAHashNameDoesNotChangeItsVerdict() {
    // was [1, 0, 0]: the bit string three statements later made the first one refused
    assertThat(problems("select #iam_role 'x';\nselect 1;\nselect b'\\';")).containsExactly(0, 0, 0);
    assertThat(problems("select a#credentials as 'x';\nselect a#$$;")).containsExactly(0, 0);
  }

  @Test
  void fromTheStatementOfTheFirstDifferenceTheOtherReadingIsChecked() {
    // the same statement as the bit string: checked, as before
    assertThat(problems("select 1;\nselect #iam_role 'x', b'\\';")).containsExactly(0, 1);
    // the reading without bit strings holds the rest in its literal; PostgreSQL's reading, from the
    // statement of the first literal with a backslash (the bit string), reads # as an operator and
    // shows the clause, as the same statement shows it above
    assertThat(problems("select b'\\'; select 2;\nselect #iam_role 'x';")).containsExactly(0, 0, 1);
    assertThat(problems("select 2;\nselect #iam_role 'x';")).containsExactly(0, 0);
  }

  /**
   * Found by probe 20c: PostgreSQL with standard_conforming_strings=on reads {@code #} as an operator
   * and {@code 'a\'} as a whole literal at once; no other reading does both, and each holds the COPY
   * in a literal or a dollar quote. Every such text, in every piece size, is refused.
   */
  @Test
  void aCopyOnlyPostgresReadingShowsIsRefused() throws java.io.IOException {
    String copy = "copy t from 's3://b/k' iam_role 'arn:aws:iam::123456789012:role/R'";
    for (String text : List.of(
        "select #$q$((0,0),(1,1))$q$::polygon, 'a\\'; " + copy + "; select $q$x$q$ --'",
        "select 1 #$q$ a $q$, 'a\\'; " + copy + "; select $q$x$q$ --'",
        "select x#$$ $$, e'\\'', 'b\\'; " + copy + "; select $$ --'")) {
      List<Integer> problems = problems(text);
      assertThat(problems).as(text).isNotEmpty();
      assertThat(problems.stream().mapToInt(Integer::intValue).sum()).as(text).isPositive();
      for (int chunk : new int[] {1, 7, 64}) {
        int inPieces = 0;
        try (ScriptReader reader = new ScriptReader(new java.io.StringReader(text), chunk)) {
          for (SqlScript piece = reader.next(); piece != null; piece = reader.next()) {
            for (SqlStatement statement : piece.statements()) {
              inPieces += statement.command().problems().size();
            }
          }
        }
        assertThat(inPieces).as(text + " in pieces of " + chunk).isPositive();
      }
    }
  }

  @Test
  void aLiteralWithABackslashIsCheckedFromTheStartAsBefore() {
    // the reading without escapes lexes the text before the first backslash as Redshift does
    List<Integer> problems = problems("select 1;\nselect 'a\\'; copy t from ''s3://b/k'' iam_role default; --';");
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).isZero();
    assertThat(problems.get(1)).isPositive();
  }
}
