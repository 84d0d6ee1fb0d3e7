package dev.iamguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A statement the guard has no grammar for (a command Redshift may add, a misspelt one) that
 * carries an auth word with a value is denied, never allowed as if it touched nothing. Before the
 * fix a value written {@code U&'x'} (a name U, an ampersand and a literal to Redshift's scanner,
 * never valid after a column name) was not taken for one: {@code create template t for copy
 * iam_role U&'arn:...'} was allowed. A column of such a name in ordinary SQL is still allowed, and
 * so is {@code AS 'x'} after it (ShapeScanTest holds {@code select 1 iam_role as 'x'} for a name).
 */
class UnknownCommandAuthTest {
  static final Guard GUARD = SampleGuard.load();
  static final List<String> WORDS = List.of("iam_role", "IAM_ROLE", "credentials", "access_key_id", "secret_access_key",
      "session_token", "catalog_role", "master_symmetric_key");
  static final List<String> VALUES = List.of("U&'arn:aws:iam::999999999999:role/X'", "u&'arn'", "U & 'arn'",
      "U/* c */&\n'arn'", "U&'d\\0061rn'", "'arn'", "$$arn$$", "E'arn'", "?");
  static final List<String> HEADS = List.of("create template t for copy", "alter integration i set", "create foo bar",
      "copyy t from 's3://acmedata/redshift/x'", "select 1;\ncreate something");

  static Decision inspect(String sql) {
    return GUARD.inspect(sql, Session.of("user1", null));
  }

  @Test
  void anAuthWordWithAValueInAnUnknownCommandIsDenied() {
    List<String> texts = new ArrayList<>();
    for (String head : HEADS) {
      for (String word : WORDS) {
        for (String value : VALUES) {
          texts.add(head + " " + word + " " + value);
        }
      }
    }
    assertThat(texts).hasSize(5 * 8 * 9);
    for (String sql : texts) {
      Decision decision = inspect(sql);
      assertThat(decision.verdict()).as(sql).isEqualTo(Verdict.DENY);
      assertThat(decision.findings()).as(sql).extracting(Finding::rule)
          .containsAnyOf(RuleId.AUTH_UNPARSEABLE, RuleId.AUTH_PARAMETER);
    }
  }

  @Test
  void aColumnOfThatNameInOrdinarySqlIsAllowed() {
    for (String word : WORDS) {
      for (String sql : List.of("select " + word + " from t where " + word + " = 'x'",
          "select " + word + " \"s\" from t", "update t set " + word + " = 'x'",
          "select u & 1 from t where " + word + " is null", "insert into t (" + word + ") values ('x')")) {
        assertThat(inspect(sql).verdict()).as(sql).isEqualTo(Verdict.ALLOW);
      }
      if (!word.equals("credentials")) { // CREDENTIALS AS is the clause's own form
        assertThat(inspect("select 1 " + word + " as 'x'").verdict()).as(word).isEqualTo(Verdict.ALLOW);
        assertThat(inspect("select " + word + " as r from t").verdict()).as(word).isEqualTo(Verdict.ALLOW);
      }
    }
  }
}
