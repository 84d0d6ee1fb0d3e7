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
 * On the JDBC path, a statement whose alias (or DEFAULT, with rewrite_default_role) would be
 * rewritten to a registry ARN holding a quote, a backslash or a dollar sign is refused with
 * SQLState 42501 by execute, prepareStatement and addBatch, before anything reaches the target.
 * Without the fix the statement was allowed and went on to the target (here the local S3
 * emulation, which answered that the prefix does not exist: no 42501, all 40 fail); on Redshift
 * path {@code /';select/**}{@code /1;--/} would have run a second statement.
 */
class RewriteOddArnJdbcTest {
  static final String ACCOUNT = "111122223333";

  @TempDir
  Path dir;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String path : List.of("/';select/**/1;--/", "/a'b/", "/a\\b/", "/$$/")) {
      for (String value : List.of("'odd'", "DEFAULT")) {
        for (String call : List.of("execute", "executeUpdate", "prepare", "batch", "prepareCall")) {
          cases.add(Arguments.of(path, value, call));
        }
      }
    }
    return cases.stream();
  }

  static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void theStatementIsRefusedBeforeItIsSent(String path, String value, String call) throws Exception {
    String odd = "arn:aws:iam::" + ACCOUNT + ":role" + path + "Odd";
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, "version: 1\nclusters:\n  - id: west\n    account: \"" + ACCOUNT + "\"\n"
        + "    region: us-west-2\n    attached_roles: [" + quoted(odd) + "]\n    default_role: " + quoted(odd) + "\n"
        + "roles:\n  - arn: " + quoted(odd) + "\n    alias: odd\n    trust:\n      regions: [\"*\"]\n"
        + "    allow:\n      s3_read: [\"s3://data/in/\"]\n"
        + "policy:\n  rewrite_aliases: true\n  rewrite_default_role: true\n");
    Properties properties = new Properties();
    properties.setProperty("user", "user1");
    properties.setProperty("password", "");
    properties.setProperty("iamguard.registry", registry.toString());
    String sql = "copy t from 's3://data/in/x'\n  IAM_ROLE " + value + " csv";

    try (Connection connection = DriverManager.getConnection(TestRegistry.h2Url(), properties);
        Statement statement = connection.createStatement()) {
      SQLException refused = SendingWays.refusal(connection, statement, sql, call);

      assertThat((Throwable) refused).as("refused").isNotNull();
      assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
      assertThat(refused.getMessage()).contains("ARN_MALFORMED", "cannot carry safely");
    }
  }
}
