package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JDBC face of {@code cli.BareCredentialsTest}: an AWS key written bare where a role, function,
 * region or database belongs is refused (42501) by execute, prepareStatement and addBatch, and
 * neither the exception (its message, its causes) nor the audit file's line quotes the key.
 */
class BareCredentialsJdbcTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/Loader";
  static final List<String> KEYS = List.of("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "ASIAY34FZKBOKMUTVV7A", "FwoGZXIvYXdzEJr//////////wEaDMuV3kMP0wP1aP2T9yKwAQ8lzhX7vIeUf0Hs9pCz3Tm1n5Qr8GkT"
          + "yoG0mKXtqEa6wLN2fZsYt4J3rWq9xH1nb8Vdk7YP2gQ==");
  static final List<String> CARRIERS = List.of(
      "copy t from 's3://lake/in/x' iam_role '{V}'",
      "copy t from 's3://lake/in/x' iam_role '" + ROLE + ",{V}'",
      "copy t from 's3://lake/in/x' iam_role '" + ROLE + "' region '{V}'",
      "create external function f(int) returns int volatile lambda '{V}' iam_role '" + ROLE + "'",
      "create external schema s from data catalog database '{V}' iam_role '" + ROLE + "'",
      "grant assumerole on '{V}' to etl for copy",
      "copy t from 's3://lake/in/x' credentials 'aws_iam_role={V}'");

  @TempDir
  Path dir;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String carrier : CARRIERS) {
      for (String key : KEYS) {
        for (String call : List.of("execute", "prepare", "batch")) {
          cases.add(Arguments.of(carrier.replace("{V}", key), key, call));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{2}: {0}")
  @MethodSource("cases")
  void refusedWithoutQuotingTheKey(String sql, String key, String call) throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    Properties properties = TestRegistry.properties("etl");
    properties.setProperty("iamguard.audit-file", audit.toString());
    try (Connection connection = DriverManager.getConnection(TestRegistry.h2Url(), properties);
        Statement statement = connection.createStatement()) {
      SQLException refused = SendingWays.refusal(connection, statement, sql, call);

      assertThat((Throwable) refused).as("refused").isNotNull();
      assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
      for (Throwable t = refused; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(key).doesNotContain(key.substring(0, 12));
        assertThat(t.toString()).doesNotContain(key);
      }
    }
    String lines = Files.readString(audit);
    assertThat(lines).contains("DENY").doesNotContain(key).doesNotContain(key.substring(0, 12));
  }
}
