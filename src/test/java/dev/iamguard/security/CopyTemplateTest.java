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
 * {@code COPY ... USING TEMPLATE name} (Redshift's "COPY with TEMPLATE": "the COPY command combines
 * the parameters from the template with any parameters specified directly in the command"; a
 * template may hold data format parameters, and {@code JSON 's3://jsonpaths_file'} is one) makes
 * the role read an S3 object the guard cannot see: denied, however it is written and wherever the
 * COPY stands. Before the fix every one of these was allowed (the words read as options the
 * grammar does not know). The template's own {@code CREATE TEMPLATE} carries no role and stays an
 * ordinary statement.
 */
class CopyTemplateTest {
  static final String COPY = "copy venue from 's3://companyb/redshift/venue_pipe_' iam_role"
      + " 'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'";
  static final Guard GUARD = SampleGuard.load();

  static Decision inspect(String sql) {
    return GUARD.inspect(sql, Session.of("user1", null));
  }

  /** The template clause in every spelling: case, what stands between the words, the name's form. */
  static List<String> templateClauses() {
    List<String> clauses = new ArrayList<>();
    for (String using : List.of("using", "USING", "Using")) {
      for (String between : List.of(" ", "\n", "\t", " /* c */ ", "--c\n", "/**/")) {
        for (String template : List.of("template", "TEMPLATE", "Template")) {
          for (String name : List.of("tp", "public.tp", "dev.public.tp", "\"Tp\"", "\"public\" . \"tp\"", "tp /* x */")) {
            clauses.add(using + between + template + between + name);
          }
        }
      }
    }
    return clauses;
  }

  /** Where a COPY stands: alone, with options before the clause, after statements, in a body, in EXECUTE. */
  static List<String> placements(String clause) {
    return List.of(
        COPY + " " + clause,
        COPY + " delimiter '|' ignoreheader 1 " + clause,
        COPY.replace(" iam_role", " " + clause + " iam_role"),
        "select 1;\n" + COPY + " " + clause + ";\nselect 2",
        "create procedure p() as $$ begin " + COPY + " " + clause + "; end $$ language plpgsql",
        "create procedure p() as $$ begin execute '" + (COPY + " " + clause).replace("'", "''")
            + "'; end $$ language plpgsql");
  }

  @Test
  void aCopyThatTakesParametersFromATemplateIsDenied() {
    List<String> clauses = templateClauses();
    assertThat(clauses).hasSize(3 * 6 * 3 * 6);
    for (String clause : clauses) {
      for (String sql : placements(clause)) {
        Decision decision = inspect(sql);
        assertThat(decision.verdict()).as(sql).isEqualTo(Verdict.DENY);
        assertThat(decision.findings()).as(sql).extracting(Finding::rule).contains(RuleId.AUTH_UNPARSEABLE);
        assertThat(decision.findings()).as(sql).anySatisfy(f -> assertThat(f.message()).contains("TEMPLATE"));
      }
    }
  }

  @Test
  void theSameStatementsWithoutATemplateAreAllowed() {
    for (String sql : placements("")) {
      assertThat(inspect(sql).verdict()).as(sql).isEqualTo(Verdict.ALLOW);
    }
    // template as a name, not a clause
    assertThat(inspect(COPY.replace("copy venue", "copy template")).verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(inspect(COPY.replace("copy venue", "copy venue (template)")).verdict()).isEqualTo(Verdict.ALLOW);
    // the template itself names no role; what it holds is judged where a COPY uses it
    assertThat(inspect("create template tp for copy as json 's3://anywhere/paths.json'").verdict())
        .isEqualTo(Verdict.ALLOW);
  }
}
