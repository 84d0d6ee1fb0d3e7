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
    assertThat(problems("select b'\\'; select 2;\nselect #iam_role 'x';")).containsExactly(0, 0, 0);
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
