package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL reads {@code U&"r\006fle"} as the name {@code role} (Unicode escapes; Redshift's older
 * scanner does not), so {@code SET U&"role" TO x} and {@code select U&"set\005fconfig"('role', ...)}
 * change {@code current_user}, which the server does not report on its own: the guard must ask
 * again. Generated: 3 scopes x 2 prefix cases x 3 spellings of {@code role} for SET, RESET after
 * it, and set_config in 2 spellings. The server is the oracle ({@code select current_user}); the
 * login postgres is a superuser and holds ASSUMEROLE on Granted, user1 does not: a COPY with
 * Granted must be denied once the server runs as user1.
 */
class UnicodeEscapedIdentityChangeTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String GRANTED = "arn:aws:iam::123456789012:role/Granted";
  private static final String COPY = "COPY id_t FROM 's3://iamguard-identity/in/part-0.csv' IAM_ROLE '" + GRANTED + "' CSV";

  @Test
  void aUnicodeEscapedRoleChangeMakesTheGuardAskTheServerAgain() throws SQLException {
    try (Connection raw = DriverManager.getConnection(targetUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = raw.createStatement()) {
      statement.execute("create role user1 login; create table id_t (id int)");
    }
    List<String> changes = new ArrayList<>();
    for (String scope : List.of("", "SESSION ", "LOCAL ")) {
      for (String prefix : List.of("U&", "u&")) {
        for (String name : List.of("\"role\"", "\"r\\006fle\"", "\"\\0072ole\"")) {
          changes.add("set " + scope + prefix + name + " to user1");
        }
      }
    }
    changes.add("select U&\"set\\005fconfig\"('role', 'user1', false)");
    changes.add("select u&\"set_config\"(U&'r\\006fle', 'user1', false)");
    int cases = 0;
    for (String change : changes) {
      try (Connection connection = guarded(); Statement statement = connection.createStatement()) {
        connection.setAutoCommit(false); // SET LOCAL holds until the transaction ends
        IamguardConnection guard = connection.unwrap(IamguardConnection.class);
        assertThat(guard.decisionFor(COPY).allowed()).as("postgres, a superuser, holds ASSUMEROLE").isTrue();
        statement.execute(change);
        assertThat(currentUser(statement)).as(change).isEqualTo("user1");
        Decision decision = guard.decisionFor(COPY);
        assertThat(decision.allowed()).as(change + ": the server runs as user1; " + decision.findings()).isFalse();
        assertThat(decision.findings().get(0).message()).as(change).contains("user1");
        cases++;
        if (!change.startsWith("set ")) {
          continue;
        }
        String reset = "reset " + change.substring(change.indexOf('&') - 1, change.indexOf(" to ")).replace("SESSION ", "")
            .replace("LOCAL ", "");
        statement.execute(reset);
        assertThat(currentUser(statement)).as(reset).isEqualTo("postgres");
        assertThat(guard.decisionFor(COPY).allowed()).as(reset + ": the server runs as postgres again").isTrue();
        cases++;
      }
    }
    assertThat(cases).isEqualTo(18 * 2 + 2);
  }

  private static String currentUser(Statement statement) throws SQLException {
    try (ResultSet row = statement.executeQuery("select current_user")) {
      assertThat(row.next()).isTrue();
      return row.getString(1);
    }
  }

  private static Connection guarded() throws SQLException {
    Properties properties = POSTGRES.redshiftDriverProperties();
    properties.setProperty(Setting.REGISTRY.key(), "classpath:jdbc/identity-registry.yaml");
    properties.setProperty(Setting.CLUSTER.key(), "local-cluster");
    return DriverManager.getConnection("jdbc:iamguard:" + targetUrl().substring("jdbc:".length()), properties);
  }

  private static String targetUrl() {
    return "jdbc:redshift://127.0.0.1:" + POSTGRES.port() + "/" + LocalPostgres.DATABASE;
  }
}
