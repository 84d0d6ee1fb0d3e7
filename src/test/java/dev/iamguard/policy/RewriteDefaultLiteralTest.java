package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code IAM_ROLE DEFAULT} followed by a quoted literal ({@code default\n'-admin'}) is no statement of the
 * grammar (Redshift refuses it), and rewriting DEFAULT to {@code 'arn'} made the literal after it continue the
 * ARN's literal: the text sent named the role {@code ...role/Good-admin}, which nobody checked. Over every
 * command taking the clause, top level and in a procedure body, every gap between DEFAULT and the literal
 * (none, a space, a line end, a comment line, a block comment) and literal forms, the statement is denied
 * and no rewritten text is offered. The same statements with DEFAULT alone are rewritten, and the text
 * reads back as the default role (the control: the statements are otherwise allowed).
 */
class RewriteDefaultLiteralTest {
  static final String GOOD = "arn:aws:iam::111122223333:role/Good";
  static final String MARK = "@@";

  static final List<String> TEMPLATES = List.of(
      "copy t from 's3://data/in/x' iam_role DEFAULT" + MARK,
      "unload ('select * from secrets') to 's3://data/out/dump_' iam_role default" + MARK,
      "create library l language plpythonu from 's3://data/in/lib.zip' iam_role DEFAULT" + MARK,
      "create external schema s from data catalog database 'db' iam_role DEFAULT" + MARK,
      "alter external schema s iam_role Default" + MARK,
      "create external function f(int) returns int volatile lambda 'fn' iam_role DEFAULT" + MARK,
      "create model m from t target c function f iam_role DEFAULT" + MARK + " settings (s3_bucket 'data')",
      "create procedure p() as $$ begin copy t from 's3://data/in/x' iam_role DEFAULT" + MARK
          + "; end $$ language plpgsql");

  static final List<String> GAPS = List.of("", " ", "\n", "\r\n", "\n-- a comment line\n", "\n  -- c\n\n",
      " /* c */ ", "\t");

  static final List<String> LITERALS = List.of("'-admin'", "''", "'x'", "'arn:aws:iam::999999999999:role/Evil'",
      "E'x'", "'a'\n'b'");

  static Registry registry() {
    return Fixture.parse("version: 1\nclusters:\n  - id: west\n    account: \"111122223333\"\n    region: us-west-2\n"
        + "    attached_roles: [\"" + GOOD + "\"]\n    default_role: \"" + GOOD + "\"\n"
        + "roles:\n  - arn: \"" + GOOD + "\"\n    alias: good\n    trust:\n      regions: [\"*\"]\n"
        + "    allow:\n      s3_read: [\"s3://data/in/\"]\n      s3_write: [\"s3://data/out/\", \"s3://data\"]\n"
        + "      lambda: [\"fn\"]\n      glue_databases: [\"db\"]\n"
        + "policy:\n  rewrite_aliases: true\n  rewrite_default_role: true\n", null);
  }

  static Stream<Arguments> literalAfterDefault() {
    List<Arguments> cases = new ArrayList<>();
    for (String template : TEMPLATES) {
      for (String gap : GAPS) {
        for (String literal : LITERALS) {
          if (gap.isEmpty() && literal.startsWith("E")) {
            continue; // DEFAULTE'x' is another word
          }
          cases.add(Arguments.of(template.replace(MARK, gap + literal)));
        }
      }
    }
    return cases.stream();
  }

  static Decision inspect(String sql) {
    return new Guard(registry()).inspect(sql, Session.of("user1", null));
  }

  @ParameterizedTest
  @MethodSource("literalAfterDefault")
  void isDeniedAndNeverRewritten(String sql) {
    Decision decision = inspect(sql);

    assertThat(decision.verdict()).as(decision.findings().toString()).isEqualTo(Verdict.DENY);
    assertThat(RewriteOddArnTest.flat(decision)).allSatisfy(s -> assertThat(s.sql()).doesNotContain(GOOD));
  }

  @ParameterizedTest
  @MethodSource("literalAfterDefault")
  void theFindingNamesTheLiteralAfterDefault(String sql) {
    Decision decision = inspect(sql);

    assertThat(decision.findings()).anySatisfy(f -> {
      assertThat(f.rule()).isEqualTo(RuleId.AUTH_UNPARSEABLE);
      assertThat(f.message()).contains("IAM_ROLE DEFAULT is followed by a quoted literal");
    });
  }

  static Stream<Arguments> defaultAlone() {
    return TEMPLATES.stream().map(t -> Arguments.of(t.replace(MARK, "")));
  }

  @ParameterizedTest
  @MethodSource("defaultAlone")
  void defaultAloneIsRewrittenAndReadsBackAsTheDefaultRole(String sql) {
    Decision decision = inspect(sql);
    assertThat(decision.verdict()).as(decision.findings().toString()).isEqualTo(Verdict.REWRITE);

    Decision again = inspect(decision.sql());
    assertThat(again.verdict()).as(again.findings().toString()).isEqualTo(Verdict.ALLOW);
    assertThat(RewriteOddArnTest.flat(again)).anySatisfy(s -> assertThat(s.chain()).extracting(RoleArn::toString)
        .containsExactly(GOOD));
  }
}
