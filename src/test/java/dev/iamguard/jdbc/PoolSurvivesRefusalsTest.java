package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard's refusals send nothing, so the connection goes on, also in a pool: HikariCP closes a
 * connection whose statement fails with SQLState {@code 0A000} (it takes "feature not supported" for
 * a broken connection), and the application's open transaction went with it (frameworks probe F2:
 * two inserts around a refused statement, one committed). Every kind of refusal the guard and the
 * local emulation raise for a text they cannot serve, in a transaction of a pooled connection: the
 * connection stays open, the rows before and after it commit, and the pool keeps its one connection.
 */
class PoolSurvivesRefusalsTest {
  @TempDir
  Path s3;

  interface Refused {
    void run(Connection connection) throws SQLException;
  }

  private static final String COPY = "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "'";

  private static final Map<String, Refused> REFUSALS = Map.of(
      "an emulated COPY through executeQuery", c -> c.createStatement().executeQuery(COPY),
      "an emulated COPY prepared with a parameter", c -> c.prepareStatement(COPY).setInt(1, 1),
      "a COPY option the emulation lacks", c -> c.createStatement().execute(COPY + " FORMAT AS JSON 's3://lake/in/p.json'"),
      "a statement after a ';' in a '--' comment", c -> c.createStatement().execute("select 1 /*/ ' */ -- ' ; " + COPY),
      "escapes that read otherwise with escape processing off", c -> {
        Statement statement = c.createStatement();
        statement.setEscapeProcessing(false);
        statement.execute("select {fn ucase('a')}");
      },
      "an emulated COPY in a batch", c -> {
        Statement statement = c.createStatement();
        statement.addBatch(COPY);
        statement.executeBatch();
      });

  @Test
  void aPooledConnectionKeepsItsTransactionAcrossEveryRefusal() throws Exception {
    Files.createDirectories(s3.resolve("lake/in/t"));
    Files.writeString(s3.resolve("lake/in/t/part1"), "7\n");
    HikariConfig config = HikariH2Test.pool(TestRegistry.h2Url());
    config.addDataSourceProperty("iamguard.registry", TestRegistry.path().toString());
    config.addDataSourceProperty("iamguard.local-s3", s3.toString());
    config.setAutoCommit(false);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE t (v INT)");
        connection.commit();
      }
      int expected = 0;
      for (Map.Entry<String, Refused> refusal : REFUSALS.entrySet()) {
        try (Connection connection = pool.getConnection()) {
          connection.createStatement().execute("INSERT INTO t VALUES (1)");
          SQLException refused = catchThrowableOfType(() -> refusal.getValue().run(connection), SQLException.class);
          assertThat((Throwable) refused).as(refusal.getKey()).isNotNull();
          assertThat(refused.getSQLState()).as(refusal.getKey() + ": " + refused.getMessage()).isEqualTo("0AI01");
          assertThat(connection.isClosed()).as(refusal.getKey()).isFalse();
          connection.createStatement().execute("INSERT INTO t VALUES (2)");
          connection.commit();
          expected += 2;
        }
        assertThat(count(pool)).as(refusal.getKey()).isEqualTo(expected);
      }
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
    }
  }

  private static int count(HikariDataSource pool) throws SQLException {
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t WHERE v IN (1, 2)")) {
      rows.next();
      int count = rows.getInt(1);
      connection.commit();
      return count;
    }
  }
}
