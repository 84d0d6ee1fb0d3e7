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
 * A procedure's options written before {@code AS} (Redshift's own syntax puts {@code NONATOMIC}
 * there: "CREATE [ OR REPLACE ] PROCEDURE sp_procedure_name ( [ [ argname ] [ argmode ] argtype
 * [, ...] ] ) [ NONATOMIC ] AS $$ procedure_body $$ LANGUAGE plpgsql ..."; PostgreSQL's grammar
 * takes SECURITY, SET and LANGUAGE on either side of AS): the body is still read, so a COPY in it
 * is judged. Before the fix a word right before AS was read as an option whose value was the body
 * ({@code NONATOMIC AS $$...$$}), and the body was never read: every procedure below was allowed.
 */
class ProcedureHeadTest {
  static final Guard GUARD = SampleGuard.load();
  static final String ROLE = "iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload'";
  static final String DENIED = "copy venue from 's3://elsewhere/venue' " + ROLE;
  static final String ALLOWED = "copy venue from 's3://acmedata/redshift/venue' " + ROLE;

  /** What may stand between the argument list and AS, in Redshift's and PostgreSQL's orders. */
  static final List<String> BEFORE_AS = List.of("", "nonatomic", "NONATOMIC", "NonAtomic /* c */",
      "security definer", "SECURITY INVOKER", "language plpgsql", "LANGUAGE plpgsql NONATOMIC", "nonatomic language plpgsql",
      "set search_path = public", "set search_path to 'public'", "nonatomic security definer",
      "nonatomic\n--c\n", "security definer set search_path = public nonatomic");

  /** Every way of writing the body literal around {@code statement}. */
  static List<String> bodies(String statement) {
    String block = "begin " + statement + "; end";
    return List.of("$$ " + block + " $$", "$body$\n" + block + "\n$body$", "'" + block.replace("'", "''") + "'",
        "$$ declare n int; begin n := 1; if n > 0 then " + statement + "; end if; end $$");
  }

  static List<String> procedures(String statement) {
    List<String> texts = new ArrayList<>();
    for (String head : List.of("create procedure p()", "CREATE OR REPLACE PROCEDURE s.p(a int, b varchar)")) {
      for (String options : BEFORE_AS) {
        for (String body : bodies(statement)) {
          for (String after : List.of(" language plpgsql", "")) {
            texts.add(head + " " + options + " as " + body + after);
          }
        }
      }
    }
    return texts;
  }

  static Decision inspect(String sql) {
    return GUARD.inspect(sql, Session.of("user1", null));
  }

  @Test
  void aCopyInTheBodyIsJudgedWhateverStandsBeforeAs() {
    List<String> texts = procedures(DENIED);
    assertThat(texts).hasSize(2 * 14 * 4 * 2);
    for (String sql : texts) {
      Decision decision = inspect(sql);
      assertThat(decision.verdict()).as(sql).isEqualTo(Verdict.DENY);
      assertThat(decision.findings()).as(sql).extracting(Finding::rule).containsExactly(RuleId.S3_NOT_PERMITTED);
    }
  }

  @Test
  void theSameProceduresWithAPermittedCopyAreAllowed() {
    for (String sql : procedures(ALLOWED)) {
      Decision decision = inspect(sql);
      assertThat(decision.verdict()).as(sql).isEqualTo(Verdict.ALLOW);
      assertThat(decision.statements().get(0).statement().command().body()).as(sql).hasSize(1);
    }
  }

  @Test
  void aProcedureWhoseBodyCannotBeFoundIsNotJudgedAsRunningNothing() {
    for (String sql : List.of("create procedure p() language plpgsql", "create procedure p() nonatomic",
        "create procedure p() as language plpgsql", "create procedure p() as begin " + DENIED + "; end")) {
      Decision decision = inspect(sql);
      assertThat(decision.verdict()).as(sql).isEqualTo(Verdict.DENY);
      assertThat(decision.findings()).as(sql).extracting(Finding::rule).contains(RuleId.AUTH_UNPARSEABLE);
    }
  }
}
