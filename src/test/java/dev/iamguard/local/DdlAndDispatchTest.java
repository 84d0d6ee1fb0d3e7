package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.sql.SqlScript;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which statements LocalS3 takes over, and the DDL it records instead of running. */
class DdlAndDispatchTest extends WithLocalDb {
  private static boolean emulates(String sql) {
    return LocalS3.emulates(SqlScript.parse(sql).statements().get(0).command());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "copy venue from 's3://b/v' iam_role default",
      "unload ('select 1') to 's3://b/u' iam_role default",
      "create external schema spectrum from data catalog database 'db' iam_role default",
      "alter external schema spectrum iam_role default",
      "create external function f(int) returns int volatile lambda 'f' iam_role default",
      "create library l language plpythonu from 's3://b/l.zip' iam_role default",
      "create model m from (select 1) target x function f iam_role default settings (s3_bucket 'b')",
      "create external model em function f iam_role default",
      "grant assumerole on 'arn:aws:iam::123456789012:role/R' to u for copy",
      "revoke assumerole on 'arn:aws:iam::123456789012:role/R' from u for copy",
      "create database d from integration 'x' iam_role default",
      "set session authorization 'u'",
      "reset session authorization",
  })
  void emulatedStatements(String sql) {
    assertThat(emulates(sql)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "select 1",
      "create database plain",
      "create table t (id int)",
      "create procedure p() as $$ begin null; end; $$ language plpgsql",
  })
  void statementsLeftToTheDatabase(String sql) {
    assertThat(emulates(sql)).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "create external schema spectrum from data catalog database 'db' iam_role default; "
          + "recorded only: CREATE EXTERNAL SCHEMA spectrum is not emulated on H2",
      "create library l language plpythonu from 's3://b/l.zip' iam_role default; "
          + "recorded only: CREATE LIBRARY l is not emulated on H2",
      "grant assumerole on 'arn:aws:iam::123456789012:role/R' to u for copy; "
          + "recorded only: GRANT ASSUMEROLE is not emulated on H2",
  })
  void ddlIsRecordedNotSentToH2(String sql, String note) throws Exception {
    LocalResult result = db.run(sql);

    assertThat(result).isEqualTo(new LocalResult(0, note));
    assertThat(db.rows("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SCHEMATA WHERE LOWER(SCHEMA_NAME) = 'spectrum'"))
        .containsExactly(java.util.List.of(0L));
  }

  @Test
  void ddlLogsOneInfoLineWithoutTheAuthClause() throws Exception {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      db.run("create external schema spectrum from data catalog database 'spectrumdb'"
          + " iam_role 'arn:aws:iam::123456789012:role/MySpectrumRole'");
    } finally {
      System.setErr(original);
    }

    String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(log.lines().filter(l -> l.contains("dev.iamguard.local"))).singleElement().asString()
        .contains("INFO", "recorded, not executed: CREATE EXTERNAL SCHEMA spectrum (statement 1, line 1)")
        .doesNotContain("arn:aws", "MySpectrumRole");
  }

  @Test
  void otherStatementsAreNotTakenOver() {
    assertThatThrownBy(() -> db.run("select 1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("send it to the database");
  }

  @Test
  void rootIsTheAbsoluteFolder() {
    Path local = new LocalS3(Path.of("relative/s3")).root();
    assertThat(local.isAbsolute()).isTrue();
    assertThat(local.endsWith(Path.of("relative/s3"))).isTrue();
  }
}
