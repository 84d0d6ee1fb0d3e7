package dev.iamguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import dev.iamguard.sql.SqlScript;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Large and deeply nested input neither overflows the stack nor fails: the lexer is iterative,
 * nesting is bounded where the grammar recurses, and JSqlParser only ever sees bounded input.
 * (Times are printed, not asserted: the JMH benchmarks hold the speed goals.)
 */
class LargeInputTest {
  static final int DEPTH = 10_000;
  static Guard guard;
  static final Session USER1 = Session.of("user1", null);

  @BeforeAll
  static void registry() throws Exception {
    guard = SampleGuard.load();
  }

  static Decision timed(String what, String sql) {
    long start = System.nanoTime();
    Decision decision = guard.inspect(sql, USER1);
    System.out.printf("large input: %s, %.1f MB: %d ms%n", what, sql.length() / 1e6, (System.nanoTime() - start) / 1_000_000);
    return decision;
  }

  @Test
  void aTenMegabyteScriptIsInspectedWhole() {
    String[] statements = {
        "select a, b, 'it''s; fine' from t where x = 1;\n",
        "copy venue from 's3://companyb/redshift/venue_pipe_' iam_role 'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB';\n",
        "insert into t values (1, 'x'), (2, 'y'); -- comment ;\n",
        "unload ('select * from venue v join sales s on s.venueid = v.venueid') to 's3://companyb/redshift/x_' iam_role 'companyb';\n",
        "/* block ; comment */ update t set a = a + 1 where b like 'x%';\n"};
    StringBuilder script = new StringBuilder(10_100_000);
    int count = 0;
    while (script.length() < 10_000_000) {
      script.append(statements[count++ % statements.length]);
    }
    script.append("unload ('select 1') to 's3://acmedata/exports/x_' iam_role default;\n");
    Decision decision = timed("mixed statements", script.toString());
    assertThat(decision.statements()).hasSize(count + 1);
    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(decision.errors()).singleElement().satisfies(f -> assertThat(f.ruleId()).isEqualTo("S3_NOT_PERMITTED"));
  }

  @Test
  void tenThousandDeepNestingEverywhere() {
    Function<String, String> parens = inner -> "(".repeat(DEPTH) + inner + ")".repeat(DEPTH);
    assertThat(timed("nested parentheses in UNLOAD's query",
        "unload ('" + parens.apply("select 1") + "') to 's3://acmedata/redshift/unload/x_' iam_role default").verdict())
        .isEqualTo(Verdict.ALLOW);
    assertThat(timed("nested parentheses in CREATE MODEL's query", "create model m from "
        + parens.apply("select 1") + " target a function f iam_role default settings (s3_bucket 'b')").verdict())
        .isEqualTo(Verdict.DENY);
    assertThat(timed("nested parentheses", "select " + parens.apply("1")).verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(timed("nested comments", "select 1 " + "/*".repeat(DEPTH) + "*/".repeat(DEPTH)).verdict())
        .isEqualTo(Verdict.ALLOW);
    StringBuilder procedures = new StringBuilder();
    for (int i = 0; i < DEPTH; i++) {
      procedures.append("create procedure p").append(i).append("() as $t").append(i).append("$ begin ");
    }
    procedures.append("copy t from 's3://b/k' iam_role 'x'; ");
    for (int i = DEPTH - 1; i >= 0; i--) {
      procedures.append(" end; $t").append(i).append("$ language plpgsql");
    }
    Decision deep = timed("nested procedure bodies", procedures.toString());
    assertThat(deep.verdict()).isEqualTo(Verdict.DENY);
    assertThat(deep.errors()).anySatisfy(f -> assertThat(f.message()).contains("nested more than 8 deep"));
    assertThat(Redactor.redact(procedures.toString())).isNotNull();
    String blocks = "begin; " + "(".repeat(DEPTH);
    assertThat(SqlScript.parse(blocks).statements()).hasSize(2);
  }

  @Test
  void manyStatementsInOneProcedureBody() {
    StringBuilder body = new StringBuilder("create procedure p() as $$ begin\n");
    for (int i = 0; i < 20_000; i++) {
      body.append("copy venue from 's3://acmedata/redshift/venue/' iam_role default;\n");
    }
    body.append("end; $$ language plpgsql");
    Decision decision = timed("20,000 COPY statements in a procedure body", body.toString());
    assertThat(decision.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(decision.statements().get(0).nested()).hasSize(20_000)
        .last().satisfies(n -> assertThat(n.statement().line()).isEqualTo(20_001));
  }

  /** Megabyte literals made of escapes: one pass, whatever the mix (each backslash once, each quote once). */
  @Test
  void megabyteLiteralsOfEscapesAreReadInOnePass() {
    int half = 1 << 19;
    String backslashes = "select '" + "\\\\".repeat(half) + "' as x; copy t from 's3://acmedata/elsewhere/' iam_role default";
    Decision decision = timed("1 MB of \\\\ in a literal, then a COPY", backslashes);
    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(decision.errors()).singleElement().satisfies(f -> assertThat(f.ruleId()).isEqualTo("S3_NOT_PERMITTED"));
    assertThat(timed("1 MB of \\' in a literal", "select '" + "\\'".repeat(half) + "'").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(timed("1 MB of \\n and '' in a literal", "select '" + "\\n''".repeat(half / 2) + "'").verdict())
        .isEqualTo(Verdict.ALLOW);
    assertThat(timed("1 MB of \\ in a bit string", "select B'" + "\\".repeat(2 * half) + "'").verdict())
        .isEqualTo(Verdict.ALLOW);
    String unterminated = "select '" + "\\\\".repeat(half);
    assertThat(timed("1 MB unterminated literal of \\\\", unterminated).verdict()).isEqualTo(Verdict.ALLOW);
    String continued = "select " + "'a'\n".repeat(half / 2);
    assertThat(timed("a literal continued over 256 K lines", continued).verdict()).isEqualTo(Verdict.ALLOW);
    String secret = "copy t from 's3://b' secret_access_key '" + "\\\\".repeat(half) + "'";
    assertThat(Redactor.redact(secret)).isEqualTo("copy t from 's3://b' secret_access_key '***'");
  }

  /** EXECUTE texts that create procedures that EXECUTE ...: nesting stays bounded, no stack overflow. */
  @Test
  void deeplyNestedDynamicSql() {
    String text = "copy t from 's3://b/k' iam_role 'x'";
    for (int i = 0; i < 40; i++) {
      text = "create procedure p" + i + "() as $t" + i + "$ begin execute $e" + i + "$" + text + "$e" + i + "$; end; $t" + i
          + "$ language plpgsql";
    }
    Decision decision = timed("40 levels of procedures executing procedures", text);
    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(decision.errors()).anySatisfy(f -> assertThat(f.message()).contains("nested more than 8 deep"));
  }
}
