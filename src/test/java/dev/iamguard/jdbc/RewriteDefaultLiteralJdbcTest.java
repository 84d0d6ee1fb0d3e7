package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
 * On the JDBC path, {@code IAM_ROLE DEFAULT} followed by a quoted literal (with rewrite_default_role) is
 * refused with SQLState 42501 by every way of sending it and by {@code nativeSQL}, which would otherwise
 * show the text sent: without the fix DEFAULT was rewritten to {@code 'arn'} and the literal after it
 * continued that literal, so the target was sent the role {@code ...role/Good-admin}.
 */
class RewriteDefaultLiteralJdbcTest {
  static final String GOOD = "arn:aws:iam::111122223333:role/Good";

  @TempDir
  Path dir;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String statement : List.of("copy t from 's3://data/in/x' IAM_ROLE default@@ csv",
        "unload ('select 1') to 's3://data/out/dump_' iam_role DEFAULT@@")) {
      for (String gap : List.of("", " ", "\n", "\n-- comment\n")) {
        for (String call : List.of("execute", "executeUpdate", "prepare", "batch", "prepareCall", "nativeSQL")) {
          cases.add(Arguments.of(statement.replace("@@", gap + "'-admin'"), call));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void theStatementIsRefusedBeforeItIsSent(String sql, String call) throws Exception {
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, "version: 1\nclusters:\n  - id: west\n    account: \"111122223333\"\n"
        + "    region: us-west-2\n    attached_roles: [\"" + GOOD + "\"]\n    default_role: \"" + GOOD + "\"\n"
        + "roles:\n  - arn: \"" + GOOD + "\"\n    trust:\n      regions: [\"*\"]\n"
        + "    allow:\n      s3_read: [\"s3://data/in/\"]\n      s3_write: [\"s3://data/out/\"]\n"
        + "policy:\n  rewrite_default_role: true\n");
    Properties properties = TestRegistry.properties("user1");
    properties.setProperty("iamguard.registry", registry.toString());

    try (Connection connection = DriverManager.getConnection(TestRegistry.h2Url(), properties);
        Statement statement = connection.createStatement()) {
      SQLException refused = call.equals("nativeSQL")
          ? catchThrowableOfType(() -> connection.nativeSQL(sql), SQLException.class)
          : SendingWays.refusal(connection, statement, sql, call);

      assertThat((Throwable) refused).as("refused").isNotNull();
      assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
      assertThat(refused.getMessage()).contains("AUTH_UNPARSEABLE", "IAM_ROLE DEFAULT is followed by a quoted literal");
    }
  }
}
