package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret value split from its keyword by a semicolon, a batch entry or an execution (red-team
 * review: {@code alter user bob password;\n'Hunter2' iam_role ...} printed {@code 'Hunter2'} in the
 * audit trail, which masked each statement on its own): the statement that starts with the value
 * is recorded (it is unreadable), and neither its {@code sql} nor its message, in a sink or the
 * audit file, holds any part of the value. Generated over the secret keywords, what may stand
 * between keyword and semicolon and after it, every literal form of the value, and four ways of
 * sending the two pieces: one text, two batch entries, two executions, and a prepared second piece.
 */
class SplitSecretAuditTest {
  private static final List<String> KEYWORD_STATEMENTS = List.of(
      "copy t from 's3://lake/in/x' iam_role default secret_access_key",
      "copy t from 's3://lake/in/x' ACCESS_KEY_ID",
      "copy t from 's3://lake/in/x' iam_role default session_token",
      "copy t from 's3://lake/in/x' credentials",
      "unload ('select 1') to 's3://lake/out/u_' iam_role default encrypted master_symmetric_key",
      "alter user bob password",
      "create user carol with PASSWORD");
  private static final List<String> BEFORE_SEMICOLON = List.of("", " =", " AS", "\n(");
  private static final List<String> AFTER_SEMICOLON = List.of("\n", " ", "\n-- a comment\n", "\r\n/* c */ ");
  private static final List<String> VALUES = List.of("'%s'", "E'%s'", "$$%s$$", "$t$%s$t$", "U&'%s'", "'%s' '9'",
      "('%s')");
  private static final List<String> WAYS = List.of("one text", "batch entries", "executions", "prepared");

  @TempDir
  Path dir;

  @Test
  void aValueStartingAStatementIsMaskedInEveryAuditOutput() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    String source = UUID.randomUUID().toString();
    Properties properties = TestRegistry.properties("etl");
    properties.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    properties.setProperty("iamguard.audit-file", file.toString());
    properties.setProperty("iamguard.audit-sink", AuditSettingsTest.RecordingSink.class.getName());
    properties.setProperty("iamguard.name", source);
    List<String> secrets = new ArrayList<>();
    int n = 0;
    try (Connection connection = DriverManager.getConnection(TestRegistry.h2Url(), properties)) {
      for (String keyword : KEYWORD_STATEMENTS) {
        for (String before : BEFORE_SEMICOLON) {
          for (String after : AFTER_SEMICOLON) {
            String secret = "SeKrEt" + (10000 + n);
            String value = String.format(VALUES.get(n % VALUES.size()), secret);
            String second = after.strip() + (after.isBlank() ? "" : "\n") + value + " iam_role default";
            send(connection, WAYS.get(n % WAYS.size()), keyword + before, second);
            secrets.add(secret);
            n++;
          }
        }
      }
    }
    List<AuditEvent> events = AuditSettingsTest.RecordingSink.EVENTS.stream()
        .filter(e -> source.equals(e.source())).toList();
    // every piece holding a value was unreadable, so recorded: the check below is not vacuous
    assertThat(events.stream().filter(e -> e.rules().contains("AUTH_UNPARSEABLE")).count())
        .as("recorded refusals").isGreaterThanOrEqualTo(n);
    String trail = Files.readString(file, StandardCharsets.UTF_8);
    for (String secret : secrets) {
      String part = secret.substring(2, 10);
      assertThat(events).as(secret).allSatisfy(e -> {
        assertThat(e.sql()).doesNotContain(part);
        assertThat(String.valueOf(e.message())).doesNotContain(part);
      });
      assertThat(trail).as(secret).doesNotContain(part);
    }
    assertThat(trail).contains("\"sql\":\"'***' iam_role default\"");
  }

  /** The keyword piece, then the piece starting with the value, sent one way; refusals expected. */
  private static void send(Connection connection, String way, String first, String second) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      switch (way) {
        case "one text" -> quietly(() -> statement.execute(first + ";" + second));
        case "batch entries" -> {
          quietly(() -> statement.addBatch(first));
          quietly(() -> statement.addBatch(second));
          statement.clearBatch();
        }
        case "executions" -> {
          quietly(() -> statement.execute(first));
          quietly(() -> statement.execute(second));
        }
        default -> {
          quietly(() -> statement.execute(first));
          quietly(() -> {
            try (PreparedStatement prepared = connection.prepareStatement(second)) {
              prepared.execute();
            }
          });
        }
      }
    }
  }

  private interface Step {
    void run() throws SQLException;
  }

  private static void quietly(Step step) {
    try {
      step.run();
    } catch (SQLException expected) {
      // a refusal or the database's error; what is recorded is checked after
    }
  }
}
