package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code DO} block's statements are decided as a procedure body's, for the user who runs the
 * block (on PostgreSQL a COPY in one ran as r3, unjudged: HiddenStatementsServerTest's control, 14
 * of 14 cases): every code form times every way the code holds a statement, with a role the
 * registry denies (denied), one it allows (allowed, the control), an identity change before it in
 * the code (denied: who runs it is unknown), DEFAULT (rewritten where the code is dollar-quoted).
 */
class DoBlockDecisionTest {
  static final String GOOD = RewriteDefaultLiteralTest.GOOD;
  static final String EVIL = "arn:aws:iam::999999999999:role/Evil";

  static final List<String> CODE_FORMS = List.of("do $$%s$$", "DO $d$%s$d$", "do language plpgsql $$%s$$",
      "do $$%s$$ language plpgsql", "do '%s'", "do E'%s'", "select 1; do $$%s$$; select 2");

  /** {@code %s}: where the statement stands in the code. */
  static final List<String> PLACES = List.of("begin %s; end", "begin if true then %s; end if; end",
      "begin for i in 1..2 loop %s; end loop; end", "begin execute $e$%s$e$; end",
      "declare n int; begin n := 1; %s; end");

  static final List<String> STATEMENTS = List.of("copy t from 's3://data/in/x' iam_role '%s'",
      "unload ('select 1') to 's3://data/out/x_' iam_role '%s'");

  static final List<String> CHANGES = List.of("set role r3; ", "perform set_config('role', 'r3', false); ",
      "set session authorization user3; ", "reset role; ");

  private static Decision inspect(String sql) {
    return new Guard(RewriteDefaultLiteralTest.registry()).inspect(sql, Session.of("user1", null));
  }

  private static List<String> texts(String role, String change) {
    List<String> texts = new ArrayList<>();
    for (String form : CODE_FORMS) {
      for (String place : PLACES) {
        for (String statement : STATEMENTS) {
          if (place.contains("$e$") && !form.contains("$$%s$$") && !form.contains("$d$")) {
            continue; // a dollar quote in a quoted literal: read the same, written again below
          }
          String body = change + String.format(place, String.format(statement, role));
          texts.add(form.contains("'%s'") ? String.format(form, body.replace("'", "''")) : String.format(form, body));
        }
      }
    }
    return texts;
  }

  @Test
  void aStatementOfABlockWithARoleTheRegistryDeniesIsDenied() {
    for (String sql : texts(EVIL, "")) {
      Decision decision = inspect(sql);
      assertThat(decision.verdict()).as(sql).isEqualTo(Verdict.DENY);
      assertThat(decision.findings()).as(sql).extracting(Finding::rule).contains(RuleId.ROLE_UNKNOWN);
    }
  }

  @Test
  void theSameStatementWithARoleTheRegistryAllowsIsAllowed() {
    for (String sql : texts(GOOD, "")) {
      Decision decision = inspect(sql);
      assertThat(decision.verdict()).as(sql + " " + decision.findings()).isEqualTo(Verdict.ALLOW);
      assertThat(RewriteOddArnTest.flat(decision)).as(sql).anySatisfy(s -> assertThat(s.chain())
          .extracting(RoleArn::toString).containsExactly(GOOD));
    }
  }

  @Test
  void anIdentityChangeInTheBlocksCodeLeavesItsStatementsToAUserTheGuardCannotKnow() {
    for (String change : CHANGES) {
      for (String sql : texts(GOOD, change)) {
        Decision decision = inspect(sql);
        assertThat(decision.verdict()).as(sql).isEqualTo(Verdict.DENY);
        assertThat(decision.findings()).as(sql).extracting(Finding::rule).contains(RuleId.IDENTITY_CHANGED_IN_TEXT);
      }
    }
  }

  @Test
  void dynamicSqlInABlockIsDeniedAsInAProcedure() {
    for (String form : CODE_FORMS) {
      String sql = form.contains("'%s'") ? String.format(form, "begin execute v; end")
          : String.format(form, "begin execute 'copy t ' || v; end");
      assertThat(inspect(sql).findings()).as(sql).extracting(Finding::rule).contains(RuleId.AUTH_DYNAMIC);
    }
  }

  /** A block's code is decided as the same code in a procedure body is, statement by statement. */
  @Test
  void aBlocksStatementsAreDecidedAsTheSameProceduresBodyIs() {
    int compared = 0;
    for (String role : List.of(GOOD, EVIL, "default", "arn:aws:iam::111122223333:role/Good,arn:aws:iam::1:role/X")) {
      for (String place : PLACES) {
        for (String statement : STATEMENTS) {
          String code = String.format(place, String.format(statement, role).replace("'default'", "default"));
          Decision block = inspect("do $$" + code + "$$");
          Decision procedure = inspect("create procedure p() as $$" + code + "$$ language plpgsql");
          assertThat(block.verdict()).as(code).isEqualTo(procedure.verdict());
          assertThat(nested(block)).as(code).isNotEmpty().isEqualTo(nested(procedure));
          compared++;
        }
      }
    }
    assertThat(compared).isEqualTo(4 * PLACES.size() * STATEMENTS.size());
  }

  /** Each nested decision's verdict and rules, in order. */
  private static List<String> nested(Decision decision) {
    List<String> all = new ArrayList<>();
    for (StatementDecision top : decision.statements()) {
      for (StatementDecision inner : top.nested()) {
        all.add(inner.verdict() + " " + inner.findings().stream().map(Finding::rule).toList());
      }
    }
    return all;
  }

  @Test
  void defaultInADollarQuotedBlockIsRewrittenToTheDefaultRole() {
    String sql = "do $$ begin copy t from 's3://data/in/x' iam_role default; end $$";
    Decision decision = inspect(sql);
    assertThat(decision.verdict()).as(decision.findings().toString()).isEqualTo(Verdict.REWRITE);
    assertThat(decision.sql()).isEqualTo("do $$ begin copy t from 's3://data/in/x' iam_role '" + GOOD + "'; end $$");
    assertThat(inspect(decision.sql()).verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void aBlockInAnotherLanguageIsDeniedAndAHarmlessOneAllowed() {
    assertThat(inspect("do language plpython3u $$plpy.execute('select 1')$$").findings())
        .extracting(Finding::rule).containsExactly(RuleId.AUTH_UNPARSEABLE);
    for (String form : CODE_FORMS) {
      String sql = String.format(form, "begin perform 1; end");
      assertThat(inspect(sql).verdict()).as(sql).isEqualTo(Verdict.ALLOW);
    }
  }
}
