package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A rewrite replaces the bytes of the role value only. An alias literal continued across lines
 * ({@code 'good'\n-- iamguard:allow ...\n''}, {@code 'go'\n'od'}) or written with a prefix ({@code E'good'},
 * {@code N'good'}: Redshift has no E'') is one token to the guard, so its rewrite deleted the lines between the
 * parts, or the prefix, turning a statement Redshift refuses into one it runs. Such a literal is now denied
 * (ARN_MALFORMED, naming why) and no rewritten text is offered; the same alias as one plain literal is still
 * rewritten (the control). Generated: 9 literal forms x 3 statements x 3 scripts.
 */
class RewriteOwnBytesTest {
  static final List<String> UNSAFE = List.of("'good'\n-- iamguard:allow S3_NOT_PERMITTED reason\n''", "'go'\n'od'",
      "''\n'good'", "'good'\r\n  ''", "'good'\n''\n''", "E'good'", "N'good'", "e'good'", "n'good'");

  static final List<String> STATEMENTS = List.of("copy t from 's3://data/in/x' iam_role @@",
      "unload ('select 1') to 's3://data/out/x' iam_role @@ parallel off",
      "create external function f(int) returns int volatile lambda 'fn' iam_role @@");

  static final List<String> SCRIPTS = List.of("%s", "select 1;\n%s;\nselect 2",
      "create procedure p() as $$ begin %s; end $$ language plpgsql");

  static Stream<Arguments> cases(List<String> values) {
    List<Arguments> cases = new ArrayList<>();
    for (String value : values) {
      for (String statement : STATEMENTS) {
        for (String script : SCRIPTS) {
          cases.add(Arguments.of(script.formatted(statement.replace("@@", value))));
        }
      }
    }
    return cases.stream();
  }

  static Stream<Arguments> unsafe() {
    return cases(UNSAFE);
  }

  static Stream<Arguments> plain() {
    return cases(List.of("'good'", "'GOOD'"));
  }

  static Decision inspect(String sql) {
    return new Guard(RewriteDefaultLiteralTest.registry()).inspect(sql, Session.of("user1", null));
  }

  @ParameterizedTest
  @MethodSource("unsafe")
  void aContinuedOrPrefixedAliasLiteralIsDeniedNotRewritten(String sql) {
    Decision decision = inspect(sql);

    assertThat(decision.verdict()).as(decision.findings().toString()).isEqualTo(Verdict.DENY);
    assertThat(decision.findings()).anySatisfy(f -> {
      assertThat(f.rule()).isEqualTo(RuleId.ARN_MALFORMED);
      assertThat(f.message()).containsAnyOf("continued across lines", "has a prefix");
    });
    assertThat(RewriteOddArnTest.flat(decision))
        .allSatisfy(s -> assertThat(s.sql()).doesNotContain(RewriteDefaultLiteralTest.GOOD));
  }

  @ParameterizedTest
  @MethodSource("plain")
  void aPlainAliasLiteralIsRewrittenAndOnlyItsBytesChange(String sql) {
    Decision decision = inspect(sql);

    assertThat(decision.verdict()).as(decision.findings().toString()).isEqualTo(Verdict.REWRITE);
    assertThat(decision.sql()).isEqualTo(sql.replaceAll("'(good|GOOD)'", "'" + RewriteDefaultLiteralTest.GOOD + "'"));
  }
}
