package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 refuses dynamic SQL that builds a secret clause's value from a call or a variable and quotes the
 * whole text in its syntax error (red-team review: {@code EXECUTE 'ALTER USER bob PASSWORD ' ||
 * quote_literal('Hunter2Pass16')}): for every way of joining the value on, no message the
 * application can reach holds it.
 */
class DynamicSecretEchoTest {
  @TempDir
  Path s3;

  @Test
  void theDatabasesEchoOfDynamicSecretSqlIsMasked() throws SQLException {
    Properties settings = new Properties();
    settings.setProperty("iamguard.registry", "samples/registry.yaml");
    settings.setProperty("iamguard.local-s3", s3.toString());
    settings.setProperty("user", "user1");
    List<String> joins = List.of("quote_literal(%s)", "quote_ident(%s)", "CHR(39) || %s || CHR(39)", "(%s)",
        "concat(%s, '')", "lower(%s)", "\n %s");
    List<String> heads = List.of("EXECUTE 'ALTER USER bob PASSWORD ' || ", "SELECT 'ALTER USER bob PASSWORD ' || ",
        "EXECUTE 'unload (''select 1'') to ''s3://acmedata/u/'' iam_role default ENCRYPTED MASTER_SYMMETRIC_KEY ' || ");
    int n = 0;
    try (Connection guarded = DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID(), settings)) {
      for (String head : heads) {
        for (String join : joins) {
          String secret = "Hunter2Pass" + (100 + n++);
          String sql = head + String.format(join, "'" + secret + "'") + (head.startsWith("SELECT") ? " FROM nosuchtable" : "");
          try (Statement s = guarded.createStatement()) {
            SQLException error = catchThrowableOfType(() -> s.execute(sql), SQLException.class);
            assertThat((Object) error).as(sql).isNotNull();
            List<String> messages = TargetErrorsTest.messages(error);
            assertThat(messages).as(sql).isNotEmpty();
            assertThat(String.join("\n", messages)).as(sql).doesNotContain(secret);
          }
        }
      }
    }
  }
}
