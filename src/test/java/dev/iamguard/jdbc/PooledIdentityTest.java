package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link GuardDataSource} around a pool: each borrow gets a guard of its own, but the physical
 * connection keeps what an earlier borrower left on it. HikariCP with auto-commit on rolls nothing
 * back, so a borrower that ran {@code BEGIN} and an identity change hands on a connection whose
 * transaction end undoes a change the next borrower's guard never saw (probe fw F1: after
 * {@code ROLLBACK}, a COPY was checked for the changed user while the server ran it as the login
 * user). Generated: identity changes (4 forms, two that the driver's parameter reports do not show)
 * x transaction ends that undo them (4; a commit keeps
 * a change that is not local) x how the end and the COPY are sent (5). The server is the
 * oracle: after the same sequence on the pool, it runs as postgres, whom TrustsUsers does not trust.
 */
class PooledIdentityTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String TRUSTS = "arn:aws:iam::123456789012:role/TrustsUsers";
  private static final String COPY = "COPY pooled_t FROM 's3://iamguard-identity/in/part-0.csv' IAM_ROLE '" + TRUSTS
      + "' CSV";

  /** Changes to user1 that hold until the transaction they run in ends. */
  private static final List<String> CHANGES = List.of("SET LOCAL ROLE user1", "set role user1",
      "select set_config('role', 'user1', true)", "set local session authorization user1");

  private static final List<String> ENDS = List.of("rollback", "ABORT", "commit", "rollback to savepoint s");

  interface Delivery {
    void send(Connection connection, String end) throws SQLException;
  }

  private static final Map<String, Delivery> DELIVERIES = Map.of(
      "two statements", (c, end) -> {
        try (Statement statement = c.createStatement()) {
          statement.execute(end);
          statement.execute(COPY);
        }
      },
      "one text", (c, end) -> {
        try (Statement statement = c.createStatement()) {
          statement.execute(end + "; " + COPY);
        }
      },
      "prepared text", (c, end) -> {
        try (PreparedStatement statement = c.prepareStatement(end + ";\n" + COPY)) {
          statement.execute();
        }
      },
      "batch", (c, end) -> {
        try (Statement statement = c.createStatement()) {
          statement.addBatch(end);
          statement.addBatch(COPY);
          statement.executeBatch();
        }
      },
      "prepared before the end", (c, end) -> {
        try (PreparedStatement copy = c.prepareStatement(COPY); Statement statement = c.createStatement()) {
          statement.execute(end);
          copy.execute();
        }
      });

  @Test
  void aTransactionEndOnAReusedConnectionIsCheckedForWhomTheServerRunsAfterIt() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:redshift://127.0.0.1:" + POSTGRES.port() + "/" + LocalPostgres.DATABASE);
    config.setDataSourceProperties(POSTGRES.redshiftDriverProperties());
    config.setMaximumPoolSize(1); // every borrow gets the same physical connection
    int cases = 0;
    List<String> failures = new ArrayList<>();
    try (HikariDataSource pool = new HikariDataSource(config)) {
      createRoles(pool);
      DataSource guarded = GuardDataSource.builder(pool).registry("classpath:jdbc/identity-registry.yaml")
          .cluster("local-cluster").build();
      for (String change : CHANGES) {
        for (String end : ENDS) {
          boolean local = change.toLowerCase(java.util.Locale.ROOT).contains("local") || change.contains("true");
          if (end.equals("commit") && !local) {
            continue; // a commit keeps a change that is not local
          }
          for (Map.Entry<String, Delivery> delivery : DELIVERIES.entrySet()) {
            String context = change + " | " + end + " | " + delivery.getKey();
            leaveInTransaction(guarded, change);
            try (Connection connection = guarded.getConnection()) {
              assertThat(connection.unwrap(IamguardConnection.class).decisionFor(COPY).allowed())
                  .as(context + ": the server runs as user1 before the end, whom TrustsUsers trusts").isTrue();
              try {
                delivery.getValue().send(connection, end);
                failures.add(context + ": sent, nothing refused");
              } catch (GuardDeniedException denied) {
                // checked for postgres, whom the server runs as after the end
              } catch (SQLException sent) {
                failures.add(context + ": sent to the server (" + sent.getSQLState() + ")");
              }
              connection.createStatement().execute("rollback"); // ends what the failed delivery left open
              assertThat(currentUser(connection)).as(context + ": the oracle").isEqualTo("postgres");
              connection.createStatement().execute("reset role"); // a change that is not local outlives the case
            }
            cases++;
          }
        }
      }
    }
    assertThat(cases).as("(4 x 4 - 1) x 5 cases").isEqualTo(15 * 5);
    assertThat(failures).as(failures.size() + " of " + cases + " cases sent a COPY checked for user1").isEmpty();
  }

  /** A borrower that changes the identity inside a transaction and returns the connection with it open. */
  private static void leaveInTransaction(DataSource guarded, String change) throws SQLException {
    try (Connection connection = guarded.getConnection(); Statement statement = connection.createStatement()) {
      assertThat(connection.getAutoCommit()).isTrue();
      statement.execute("begin");
      statement.execute("savepoint s");
      statement.execute(change);
      assertThat(currentUser(connection)).isEqualTo("user1");
    }
  }

  private static String currentUser(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("select current_user")) {
      assertThat(row.next()).isTrue();
      return row.getString(1);
    }
  }

  private static void createRoles(DataSource pool) throws SQLException {
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("create role user1 login password 'pw1'; create table pooled_t (id int); "
          + "grant insert on pooled_t to public");
    }
  }
}
