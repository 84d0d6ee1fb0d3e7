package dev.iamguard.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The guarded result sets live and die as the driver's own do ({@link ResultSetLifecycle}): on H2,
 * and with the Redshift driver on a throwaway PostgreSQL (skipped, saying why, without its binaries),
 * where one text may give several result sets and {@code getMoreResults(KEEP_CURRENT_RESULT)} keeps
 * the one before open.
 */
class ResultSetLifecycleTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final List<String> QUERIES = List.of("SELECT x FROM t ORDER BY x", "SELECT x + 10 FROM t ORDER BY x",
      "SELECT 7", "UPDATE t SET x = x WHERE x > 4");

  @Test
  void onH2() throws SQLException {
    String raw = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    String guarded = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    try (Connection rawConnection = DriverManager.getConnection(raw);
        Connection guardedConnection = TestRegistry.guarded(DriverManager.getConnection(guarded))) {
      fill(rawConnection);
      fill(guardedConnection);
      new ResultSetLifecycle(QUERIES).assertSameOn(rawConnection, guardedConnection, 17, 400, 14);
    }
  }

  @Test
  void withTheRedshiftDriverOnPostgres() throws SQLException {
    List<String> texts = List.of(QUERIES.get(0), QUERIES.get(1), QUERIES.get(2), QUERIES.get(3),
        "SELECT 1; SELECT x FROM t ORDER BY x; SELECT 3", "SELECT 2; UPDATE t SET x = x WHERE x > 4; SELECT 5");
    try (Connection rawConnection = openRaw(); Connection guardedConnection = TestRegistry.guarded(openRaw())) {
      fill(rawConnection);
      new ResultSetLifecycle(texts).assertSameOn(rawConnection, guardedConnection, 29, 250, 14);
    }
  }

  /**
   * A statement run again and again after KEEP_CURRENT_RESULT keeps only what the target keeps
   * open (probe 21d F3: every earlier result set stayed in the statement, searched at each execution).
   */
  @Test
  void keptResultSetsAreForgottenOnceTheTargetClosesThem() throws SQLException {
    try (Connection connection = TestRegistry.guarded(DriverManager.getConnection(
        "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")); Statement statement = connection.createStatement()) {
      fill(connection);
      for (int i = 0; i < 3_000; i++) {
        statement.executeQuery("SELECT x FROM t ORDER BY x").next();
        statement.getMoreResults(Statement.KEEP_CURRENT_RESULT);
      }
      org.assertj.core.api.Assertions.assertThat(((GuardStatement) statement).keptCount()).isLessThanOrEqualTo(1);
    }
  }

  private static Connection openRaw() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", LocalPostgres.USER);
    properties.setProperty("password", POSTGRES.password());
    properties.setProperty("ssl", "false");
    properties.setProperty("socketFactory", StartupRewritingSocketFactory.class.getName());
    return new com.amazon.redshift.Driver().connect(
        "jdbc:redshift://127.0.0.1:" + POSTGRES.port() + "/" + LocalPostgres.DATABASE, properties);
  }

  private static void fill(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS t");
      statement.execute("CREATE TABLE t (x INT)");
      statement.execute("INSERT INTO t VALUES (1), (2), (3), (4), (5)");
    }
  }
}
