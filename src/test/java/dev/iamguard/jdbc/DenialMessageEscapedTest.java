package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A denial's message holds no character that could end a line, drive a terminal or reorder text
 * (red-team review: after {@code set session authorization "evil\nuser\u2028\u001b[31m"} the
 * message carried them raw inside the dbuser ARN, and Flyway and Liquibase print it to logs and
 * terminals): every such character, in the user's name and in the statement's location and role,
 * is written escaped as the audit line writes it; the message's lines are its findings, each
 * starting with {@code iamguard:}.
 */
class DenialMessageEscapedTest {
  private static final List<String> UNSAFE = List.of("\n", "\r", "\t", "\u001b[31m", "\u0000", "\u0085", "\u2028",
      "\u2029", "\u202e", "\u200b", "\u2066", "\u007f", "\u009b");

  @TempDir
  Path dir;

  @Test
  void everyUnsafeCharacterIsEscapedInTheMessage() throws SQLException {
    Properties properties = TestRegistry.properties("etl");
    properties.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    int denied = 0;
    try (Connection connection = DriverManager.getConnection(TestRegistry.h2Url(), properties);
        Statement statement = connection.createStatement()) {
      statement.execute("create table t (v int)");
      for (String unsafe : UNSAFE) {
        String name = "ev" + unsafe + "il";
        List<String> denials = List.of(
            "copy t from 's3://lake/in/" + unsafe + "x' iam_role 'arn:aws:iam::123456789012:role/Nope'",
            "copy t from 's3://lake/in/x' iam_role 'arn:aws:iam::123456789012:role/No" + unsafe + "pe'",
            "set session authorization \"" + name.replace("\u0000", "") + "\";"
                + " copy t from 's3://lake/in/x' iam_role 'loader'");
        for (String sql : denials) {
          assertThatThrownBy(() -> statement.execute(sql)).as(escaped(sql))
              .isInstanceOf(SQLException.class)
              .satisfies(e -> {
                String message = e.getMessage();
                assertThat(message.lines()).as(escaped(message)).allSatisfy(line -> {
                  assertThat(line).startsWith("iamguard:");
                  assertThat(line.codePoints().filter(DenialMessageEscapedTest::unsafe).toArray()).isEmpty();
                });
                assertThat(message).doesNotContain("\r");
              });
          denied++;
        }
      }
    }
    assertThat(denied).isEqualTo(UNSAFE.size() * 3);
  }

  private static boolean unsafe(int c) {
    return Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || c == 0x200b
        || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069;
  }

  private static String escaped(String text) {
    return dev.iamguard.sql.LineText.escape(text);
  }
}
