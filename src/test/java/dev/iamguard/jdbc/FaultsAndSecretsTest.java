package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.iamguard.audit.AuditEvent;
import dev.iamguard.audit.AuditLog;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens when things go wrong, and what never comes out. */
class FaultsAndSecretsTest {
  static final String KEY_ID = "AKIAQWERTYUIOPASDFGH";
  static final String SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY";
  static final String TOKEN = "FQoGZXIvYXdzEJrSESSIONTOKENVALUE";
  static final String MASTER = "MASTERSYMMETRICKEYVALUE=";

  @TempDir
  Path dir;

  /** A target connection whose statements fail with {@code failure} and record close(). */
  static Connection failingTarget(SQLException failure, List<String> closed) {
    Statement statement = (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(),
        new Class<?>[] {Statement.class}, (proxy, method, args) -> {
          if (method.getName().equals("close")) {
            closed.add("statement");
            return null;
          }
          if (method.getName().startsWith("execute")) {
            throw failure;
          }
          return method.getReturnType() == boolean.class ? false : null;
        });
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("createStatement")) {
            return statement;
          }
          if (method.getName().equals("close")) {
            closed.add("connection");
            return null;
          }
          return method.getReturnType() == boolean.class ? false : null;
        });
  }

  static ConnectionPolicy guard() throws SQLException {
    return TestRegistry.policy();
  }

  @Test
  void targetExceptionsPassThroughUnchangedWithStateVendorCodeAndChain() throws SQLException {
    SQLException next = new SQLException("second", "40001", 7);
    SQLException failure = new SQLException("relation does not exist", "42P01", 1234, new IllegalStateException("cause"));
    failure.setNextException(next);
    List<String> closed = new ArrayList<>();
    Connection connection = new GuardConnection(failingTarget(failure, closed), guard());
    Statement statement = connection.createStatement();
    assertThatThrownBy(() -> statement.execute("select * from nosuch")).isSameAs(failure)
        .satisfies(e -> {
          SQLException thrown = (SQLException) e;
          assertThat(thrown.getSQLState()).isEqualTo("42P01");
          assertThat(thrown.getErrorCode()).isEqualTo(1234);
          assertThat((Object) thrown.getNextException()).isSameAs(next);
          assertThat(thrown.getCause()).hasMessage("cause");
        });
    statement.close();
    connection.close();
    assertThat(closed).containsExactly("statement", "connection");
  }

  @Test
  void deniedStatementsNeitherThrowTargetErrorsNorReachTheTarget() throws SQLException {
    SQLException failure = new SQLException("target reached", "XX000");
    Connection connection = new GuardConnection(failingTarget(failure, new ArrayList<>()), guard());
    assertThatThrownBy(() -> connection.createStatement().execute(TestRegistry.DENIED))
        .isInstanceOf(GuardDeniedException.class).isNotSameAs(failure);
  }

  static final List<String> SECRET_STATEMENTS = List.of(
      "COPY t FROM 's3://lake/in/t/' ACCESS_KEY_ID '" + KEY_ID + "' SECRET_ACCESS_KEY '" + SECRET + "' SESSION_TOKEN '" + TOKEN + "'",
      "COPY t FROM 's3://lake/in/t/' CREDENTIALS 'aws_access_key_id=" + KEY_ID + ";aws_secret_access_key=" + SECRET + ";token=" + TOKEN + "'",
      "UNLOAD ('select 1') TO 's3://lake/out/x_' IAM_ROLE 'loader' MASTER_SYMMETRIC_KEY '" + MASTER + "' ENCRYPTED",
      "COPY t FROM 's3://lake/in/t/' CREDENTIALS 'aws_iam_role=" + TestRegistry.LOADER + ";master_symmetric_key=" + MASTER + "'",
      "COPY t FROM 's3://lake/in/t/' SECRET_ACCESS_KEY '" + SECRET + "'",
      "COPY t FROM 's3://lake/in/t/' ACCESS_KEY_ID '" + KEY_ID + "' SECRET_ACCESS_KEY '" + SECRET);

  static void assertNoSecret(String text) {
    assertThat(text).doesNotContain(KEY_ID, SECRET, TOKEN, MASTER, "MASTERSYMMETRICKEYVALUE");
  }

  @Test
  void secretsNeverAppearInExceptionsOrAuditEvents() throws Exception {
    for (String credentials : new String[] {"roles-only", "any"}) {
      Path registry = Files.writeString(dir.resolve(credentials + ".yaml"),
          Files.readString(TestRegistry.path()) + "policy:\n  credentials: " + credentials + "\n");
      List<AuditEvent> events = new ArrayList<>();
      HikariConfig pool = new HikariConfig();
      pool.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      pool.setUsername("etl");
      try (HikariDataSource hikari = new HikariDataSource(pool)) {
        GuardDataSource guarded = GuardDataSource.builder(hikari).registry(registry).cluster("dev-cluster")
            .localS3(dir.resolve("s3")).auditTo(events::add).build();
        try (Connection connection = guarded.getConnection(); Statement statement = connection.createStatement()) {
          statement.execute("CREATE TABLE t (v INT)");
          for (String sql : SECRET_STATEMENTS) {
            try {
              statement.execute(sql);
            } catch (SQLException e) {
              assertNoSecret(e.getMessage());
              if (e instanceof GuardDeniedException denied) {
                denied.findings().forEach(f -> {
                  assertNoSecret(f.message());
                  assertNoSecret(f.subject());
                });
                assertNoSecret(denied.decision().toString());
              }
            }
          }
        }
      }
      assertThat(events).hasSizeGreaterThanOrEqualTo(SECRET_STATEMENTS.size() - 1);
      for (AuditEvent event : events) {
        assertNoSecret(event.toString());
        assertNoSecret(AuditLog.format(event));
      }
    }
  }

  @Test
  void theAuditLogMasksWhatItIsGiven() {
    AuditEvent event = new AuditEvent(null, "DENY", "enforce", "etl", "c", 1, 1, "COPY", List.of("STATIC_KEYS"), null,
        SECRET_STATEMENTS.get(0));
    assertNoSecret(AuditLog.format(event));
    assertThat(AuditLog.format(event)).contains("ACCESS_KEY_ID '***' SECRET_ACCESS_KEY '***' SESSION_TOKEN '***'");
  }

  @Test
  void closingAGuardedResultSetClosesTheTargets() throws Exception {
    Properties properties = TestRegistry.properties("etl");
    try (Connection connection = java.sql.DriverManager.getConnection(TestRegistry.h2Url(), properties)) {
      ResultSet resultSet = connection.createStatement().executeQuery("SELECT 1");
      ResultSet target = resultSet.unwrap(org.h2.jdbc.JdbcResultSet.class);
      resultSet.close();
      assertThat(target.isClosed()).isTrue();
    }
  }
}
