package dev.iamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A secret keyword followed by a template's placeholder that was left unfilled and then the value
 * written after all ({@code SECRET_ACCESS_KEY :key 'x'}, {@code ${sk} 'x'}, {@code {{ sk }} 'x'}):
 * Redshift refuses such a statement, but the audit line's and JSON line's sql printed the literal
 * whole. Oracle: the value the test wrote; the redacted text must not hold it, for every keyword,
 * placeholder syntax of the tools that write SQL templates (psql, shell and Airflow, Jinja and dbt,
 * Python DB-API, MyBatis, SQL Server style), value and literal form. The control: literals after a
 * column named like a keyword, or after PASSWORD DISABLE, are left as they are.
 */
class ValueAfterPlaceholderTest {
  private static final List<String> PLACEHOLDERS = List.of(":key", ":'key'", ":\"key\"", ":{?key}", "${sk}",
      "${env.SK}", "$sk", "{{sk}}", "{{ sk }}", "{{ var('sk') }}", "{{ env_var(\"SK\", 'x') }}", "%(sk)s", "%s",
      "#{sk}", "@sk", "[sk]", "\\sk", "&sk", ":key\n", "${sk} /* filled in by the job */");

  @Test
  void aValueWrittenAfterAPlaceholderInASecretsPlaceIsMasked() {
    ValueAfterParameterTest.assertNoLeak(PLACEHOLDERS);
  }

  @Test
  void literalsAfterAColumnNamedLikeAKeywordStay() {
    for (String sql : List.of("SELECT password, 'x' FROM t", "SELECT session_token || 'note' FROM t",
        "ALTER USER bob PASSWORD DISABLE VALID UNTIL '2027-01-01'", "SELECT password FROM users WHERE name = 'bob'",
        "SELECT f(password), 'x' FROM t", "SELECT session_token; SELECT 'x'", "SELECT 1 FROM t WHERE password <> 'abc'",
        "SELECT 1 FROM t WHERE password < 'abc'", "SELECT 1 FROM t WHERE password::text = 'abc'",
        "SELECT 1 FROM t WHERE password::text='abc'", "SELECT 1 FROM t WHERE password:: text >= 'abc'",
        "SELECT password::varchar(20), 'x' FROM t", "SELECT session_token||'x' FROM t",
        "COPY t FROM 's3://lake/in/t/' ACCESS_KEY_ID ? SECRET_ACCESS_KEY ? FORMAT AS CSV DELIMITER '|'")) {
      assertThat(Redactor.redact(sql)).as(sql).isEqualTo(sql);
    }
  }
}
