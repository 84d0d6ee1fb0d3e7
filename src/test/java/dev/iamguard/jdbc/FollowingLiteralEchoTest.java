package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iamguard.audit.Redactor;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password followed by a second literal is refused, and the server quotes the literal it stopped
 * at ({@code ERROR: syntax error at or near "U&'..'"}; H2 quotes the whole statement, with what the
 * local emulation sent it: a value as Redshift reads its backslash escapes, which H2 writes back with
 * {@code \XXXX} escapes and doubled backslashes, and may mark with {@code [*]} inside the value).
 * Red-team review: every following literal was masked but {@code U&'..'}, which Redshift's scanner
 * reads as a name, an operator and a literal. For each literal form the lexer knows, as the first
 * value and as the value after each form (written next to it, after {@code ||}, after a
 * {@code UESCAPE} clause), no part of either value reaches the redacted text or a message of the
 * error, on H2 and, through the Redshift driver and pgjdbc, on PostgreSQL with and without
 * standard-conforming strings.
 */
class FollowingLiteralEchoTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /**
   * Each form of a literal holding {@code %s} (the escapes make the value differ from the text), and
   * a quoted name, which PostgreSQL quotes back after a value ({@code unrecognized role option "..."}).
   */
  static final List<String> FORMS = List.of("'%s'", "E'%s'", "N'%s'", "B'%s'", "X'%s'", "$$%s$$", "$b$%s$b$",
      "U&'%s'", "u&'%s'", "U&'\\0041%s'", "U&'!0041%s' UESCAPE '!'", "u&'%s' uescape '#'", "'\\0041%s'",
      "E'\\x01%s\\u00e9'", "U&'%s\\\\x'", "U&'\\+01F600%s'", "\"%s\"", "U&\"%s\"");
  /** How the second value follows the first. */
  static final List<String> JOINS = List.of(" ", " || ", "\n");
  private static final String FIRST = "Fr5tPart";
  private static final String SECOND = "Sc9dPart";

  @TempDir
  Path s3;

  /** Every statement: each form first, then each form after each form, joined each way. */
  static List<String> statements() {
    List<String> all = new ArrayList<>();
    for (String first : FORMS) {
      all.add("alter user user2 password " + String.format(first, FIRST));
      for (String second : FORMS) {
        for (String join : JOINS) {
          all.add("alter user user2 password " + String.format(first, FIRST) + join + String.format(second, SECOND));
        }
      }
    }
    return all;
  }

  private static void assertNoPart(String text, String what) {
    assertThat(text).as(what).doesNotContain(FIRST).doesNotContain(SECOND)
        .doesNotContain(FIRST.substring(3)).doesNotContain(SECOND.substring(3));
  }

  @Test
  void noPartSurvivesRedactionOrTheServersEchoOfTheLiteral() {
    for (String sql : statements()) {
      assertNoPart(Redactor.redact(sql), sql);
      // PostgreSQL quotes the token it stopped at: the second value, as written
      int second = Math.max(sql.lastIndexOf(FIRST) + FIRST.length(), 0);
      String echo = "ERROR: syntax error at or near \"" + sql.substring(second).strip() + "\"\n  Position: 40";
      assertNoPart(Redactor.redactMessage(echo, Redactor.secretsOf(sql)), sql);
      assertNoPart(Redactor.redactMessage(sql.substring(26), Redactor.secretsOf(sql)), sql);
    }
  }

  @Test
  void noPartReachesTheApplicationOnH2() throws SQLException {
    try (Connection connection = TestRegistry.openH2(s3)) {
      assertNoPartReaches(connection, "H2");
    }
  }

  @Test
  void noPartReachesTheApplicationOnPostgresThroughTheRedshiftDriver() throws SQLException {
    try (Connection standard = POSTGRES.guardedConnection("classpath:jdbc/real-driver-registry.yaml");
        Connection backslashes = POSTGRES.redshiftConnection(true, null)) {
      assertNoPartReaches(standard, "standard_conforming_strings on");
      assertNoPartReaches(backslashes, "standard_conforming_strings off");
    }
  }

  @Test
  void noPartReachesTheApplicationOnPostgresThroughPgjdbc() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", LocalPostgres.USER);
    properties.setProperty("password", POSTGRES.password());
    properties.setProperty(Setting.REGISTRY.key(), "classpath:jdbc/real-driver-registry.yaml");
    properties.setProperty(Setting.CLUSTER.key(), "local-cluster");
    try (Connection connection = DriverManager.getConnection(
        "jdbc:iamguard:postgresql://127.0.0.1:" + POSTGRES.port() + "/" + LocalPostgres.DATABASE, properties)) {
      assertNoPartReaches(connection, "pgjdbc");
    }
  }

  private static void assertNoPartReaches(Connection connection, String target) throws SQLException {
    int refused = 0;
    for (String sql : statements()) {
      try (Statement statement = connection.createStatement()) {
        SQLException error = catchThrowableOfType(() -> statement.execute(sql), SQLException.class);
        assertThat((Object) error).as(target + ": " + sql).isNotNull();
        assertNoPart(String.join("\n", TargetErrorsTest.messages(error)), target + ": " + sql);
        refused++;
      }
    }
    assertThat(refused).isEqualTo(FORMS.size() * (1 + FORMS.size() * JOINS.size()));
  }
}
