package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dynamic SQL that names a secret clause and builds its value from something else (red-team review:
 * {@code EXECUTE 'ALTER USER bob PASSWORD ' || quote_literal('Hunter2Pass16')} printed the password,
 * and H2's syntax error echoed it): for every clause, every form of the literal that ends with the
 * keyword, every way the value is joined on (a call, {@code CHR(39)}, parentheses, {@code +}, a line
 * break after {@code ||}, a variable assigned elsewhere in the body) and every form of the value's
 * literal, in every place the text stands (a top-level EXECUTE or SELECT, a procedure body, a DO
 * block), the masked text holds no part of the value and {@link Redactor#secretsOf(String)} knows it
 * (so a database quoting the text is masked too).
 */
class DynamicSecretValueTest {
  private static final String VALUE = "Hunter2Pass16";
  /** A master symmetric key's shape: 44 characters of base64. */
  private static final String KEY = "SGVsbG9Xb3JsZEhlbGxvV29ybGRIZWxsb1dvcmxkMTI=";

  /** The text of dynamic SQL up to where its value goes: the keyword last. */
  private static final List<String> CLAUSES = List.of(
      "ALTER USER bob PASSWORD ",
      "alter user bob password",
      "CREATE USER carol PASSWORD ",
      "copy t from 's3://acmedata/x' iam_role 'arn:aws:iam::1:role/R' access_key_id ",
      "copy t from 's3://acmedata/x' SECRET_ACCESS_KEY ",
      "copy t from 's3://acmedata/x' session_token = ",
      "copy t from 's3://acmedata/x' credentials 'aws_access_key_id=",
      "copy t from 's3://acmedata/x' credentials 'aws_iam_role=arn:aws:iam::1:role/R;token=",
      "copy t from 's3://acmedata/x' CREDENTIALS ",
      "unload ('select 1') to 's3://acmedata/y' iam_role default ENCRYPTED MASTER_SYMMETRIC_KEY ");

  /** A form of the literal holding {@code %s}, the clause text (its quotes doubled where it needs). */
  private static final List<String> CLAUSE_LITERALS = List.of("'%s'", "E'%s'", "U&'%s'", "$q$%s$q$", "'%s'\n''");

  /** A way to join value literal {@code %s} on. */
  private static final List<String> JOINS = List.of(
      " || quote_literal(%s)", " || quote_ident(%s)", " || CHR(39) || %s || CHR(39)", " || (%s)",
      " || concat(%s, '')", " || lower(%s)", " + %s", " ||\n   quote_literal(%s)", " || ''''||%s||''''",
      " || %s::varchar", " || replace(%s, 'x', 'y')");

  /** A form of the value's literal holding {@code %s}. */
  private static final List<String> VALUE_LITERALS = List.of("'%s'", "E'%s'", "$v$%s$v$", "U&'%s'", "'%s'\n'1'");

  static Stream<Arguments> joinedValues() {
    List<Arguments> all = new ArrayList<>();
    int n = 0;
    for (String clause : CLAUSES) {
      for (String clauseLiteral : CLAUSE_LITERALS) {
        String written = String.format(clauseLiteral, clause.replace("'", "''"));
        for (String join : JOINS) {
          String value = VALUE_LITERALS.get(n++ % VALUE_LITERALS.size());
          String secret = clause.contains("MASTER") ? KEY : VALUE;
          String joined = written + String.format(join, String.format(value, secret));
          all.add(Arguments.of(place(n, joined), secret));
        }
      }
    }
    return all.stream();
  }

  /** The dynamic text in one of the places it may stand, chosen by {@code n}. */
  private static String place(int n, String text) {
    return switch (n % 4) {
      case 0 -> "EXECUTE " + text;
      case 1 -> "SELECT " + text + " FROM nosuchtable";
      case 2 -> "CREATE OR REPLACE PROCEDURE set_pw() AS $$ BEGIN EXECUTE " + text + "; END; $$ LANGUAGE plpgsql";
      default -> "DO $body$ BEGIN EXECUTE " + text + "; END $body$";
    };
  }

  @ParameterizedTest
  @MethodSource("joinedValues")
  void aValueJoinedOnToASecretClauseIsMasked(String sql, String secret) {
    assertMasked(sql, secret);
  }

  /** A variable assigned elsewhere in the body, of any name and type, then joined on. */
  static Stream<Arguments> assignedValues() {
    List<Arguments> all = new ArrayList<>();
    List<String> assignments = List.of(
        "DECLARE pw varchar(64); BEGIN pw := %s; ",
        "DECLARE pw text; BEGIN SELECT INTO pw %s; ",
        "DECLARE newpw varchar(64) := %s; BEGIN ",
        "DECLARE sk varchar := %s; BEGIN ",
        "DECLARE x character varying DEFAULT %s; BEGIN ",
        "DECLARE v text; BEGIN v = %s; ");
    int n = 0;
    for (String assignment : assignments) {
      for (String clause : CLAUSES) {
        String variable = assignment.substring(8, assignment.indexOf(' ', 8));
        String value = String.format(VALUE_LITERALS.get(n++ % VALUE_LITERALS.size()), VALUE);
        String body = String.format(assignment, value) + "EXECUTE " + String.format(CLAUSE_LITERALS.get(n % 4),
            clause.replace("'", "''")) + " || quote_literal(" + variable + "); END;";
        all.add(Arguments.of("CREATE PROCEDURE p() AS $$ " + body + " $$ LANGUAGE plpgsql", VALUE));
        all.add(Arguments.of("DO $d$ " + body + " $d$", VALUE));
      }
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("assignedValues")
  void aValueAssignedElsewhereInTheBodyIsMasked(String sql, String secret) {
    assertMasked(sql, secret);
  }

  private static void assertMasked(String sql, String secret) {
    String half = secret.substring(0, secret.length() / 2);
    String otherHalf = secret.substring(secret.length() / 2);
    assertThat(Redactor.redact(sql)).as(sql).doesNotContain(half).doesNotContain(otherHalf);
    // a database quoting the text (H2: Syntax error in SQL statement "...") is masked with the text's secrets
    String echo = "Syntax error in SQL statement \"" + sql.replace("''", "'") + "\"; expected \"FROM\"";
    assertThat(Redactor.redactMessage(echo, Redactor.secretsOf(sql))).as(sql).doesNotContain(half).doesNotContain(otherHalf);
  }

  /** What is no dynamic secret keeps its literals: ordinary statements' redaction is unchanged. */
  @Test
  void ordinaryStatementsKeepTheirLiterals() {
    for (String sql : List.of(
        "copy t from 's3://acmedata/x' iam_role 'arn:aws:iam::1:role/R' delimiter '|' maxerror 10",
        "select 'hint' as label, 42 from t where password_set = 'yes'",
        "EXECUTE 'select ' || quote_literal('abc')",
        "CREATE PROCEDURE p() AS $$ BEGIN EXECUTE 'grant select on t to ' || quote_ident('bob'); END; $$ LANGUAGE plpgsql",
        "select 'token' || 'x', 'abc' + 'def' from t")) {
      assertThat(Redactor.redact(sql)).as(sql).isEqualTo(sql);
    }
    // the statement before or after the dynamic one is not masked with it
    assertThat(Redactor.redact("select 'kept1'; EXECUTE 'alter user bob password ' || quote_literal('x1x'); select 'kept2'"))
        .isEqualTo("select 'kept1'; EXECUTE '***' || quote_literal('***'); select 'kept2'");
  }

  @Test
  void theEndOfTheTextIsWhatCounts() {
    assertThat(SecretSpans.awaitsSecretValue("ALTER USER bob PASSWORD ")).isTrue();
    assertThat(SecretSpans.awaitsSecretValue("ALTER USER bob PASSWORD E'")).isTrue();
    assertThat(SecretSpans.awaitsSecretValue("ALTER USER bob PASSWORD U&'")).isTrue();
    assertThat(SecretSpans.awaitsSecretValue("ALTER USER bob PASSWORD $p$")).isTrue();
    assertThat(SecretSpans.awaitsSecretValue("x credentials 'aws_access_key_id=")).isTrue();
    assertThat(SecretSpans.awaitsSecretValue("x credentials 'aws_iam_role=r;token=")).isTrue();
    assertThat(SecretSpans.awaitsSecretValue("{\"client_secret\":\"")).isTrue();
    assertThat(SecretSpans.awaitsSecretValue("ALTER USER bob PASSWORD 'x'")).isFalse();
    assertThat(SecretSpans.awaitsSecretValue("ALTER USER bob PASSWORD x")).isFalse();
    assertThat(SecretSpans.awaitsSecretValue("ALTER USER bob PASSWORD DISABLE")).isFalse();
    assertThat(SecretSpans.awaitsSecretValue("select token from t where a = ")).isFalse();
    assertThat(SecretSpans.awaitsSecretValue("")).isFalse();
    assertThat(SecretSpans.awaitsSecretValue("'")).isFalse();
  }
}
