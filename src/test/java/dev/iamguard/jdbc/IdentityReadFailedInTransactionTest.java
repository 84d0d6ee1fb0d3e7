package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guard's identity query runs on the application's connection, inside its transaction when one
 * is open; when it fails there (here: the user may not read {@code pg_group}), the server aborts
 * that transaction, and the statement's refusal must say so: the application's earlier work in it
 * is gone, and a COMMIT it sends rolls back without an error (the Redshift driver raises none). The
 * server is the oracle: after the refusal, a statement runs (no transaction was aborted) or is
 * refused as in an aborted transaction, as the refusal says, and the row inserted before it is
 * kept or not after a COMMIT.
 */
class IdentityReadFailedInTransactionTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String COPY = "COPY t FROM 's3://iamguard-identity/in/part-0.csv' IAM_ROLE "
      + "'arn:aws:iam::123456789012:role/TrustsUsers' CSV";
  private static final String REGISTRY = "classpath:jdbc/identity-registry.yaml";
  private static boolean created;
  private static final AtomicInteger MARKS = new AtomicInteger(100);

  /**
   * {@code auto-commit off}, {@code begin} and {@code start transaction} (a transaction a text
   * opens), {@code auto-commit} (none).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"auto-commit off", "begin", "start transaction", "auto-commit"})
  void aFailedIdentityQuerySaysWhetherItAbortedTheTransaction(String way) throws SQLException {
    create();
    try (Connection connection = POSTGRES.guardedConnection(REGISTRY, "u3", "pw3");
        Statement statement = connection.createStatement()) {
      switch (way) {
        case "auto-commit off" -> connection.setAutoCommit(false);
        case "begin", "start transaction" -> statement.execute(way);
        default -> { }
      }
      int mark = MARKS.incrementAndGet();
      statement.execute("insert into t values (" + mark + ")");
      GuardDeniedException denied = assertThrows(GuardDeniedException.class, () -> statement.execute(COPY));
      assertThat(denied.findings()).extracting(Finding::rule).containsExactly(RuleId.IDENTITY_UNKNOWN);
      assertThat(denied.getMessage()).contains("permission denied");
      boolean aborted = !way.equals("auto-commit");
      if (aborted) {
        assertThat(denied.getMessage()).contains(SessionState.TRANSACTION_ABORTED);
        SQLException refused = assertThrows(SQLException.class, () -> statement.execute("insert into t values (2)"));
        assertThat(refused.getMessage()).contains("current transaction is aborted");
        if (way.equals("auto-commit off")) {
          connection.commit(); // no error: the server rolls it back
          connection.setAutoCommit(true);
        } else {
          statement.execute("commit");
        }
        assertThat(rows(mark)).as("the row inserted before the refusal").isZero();
      } else {
        assertThat(denied.getMessage()).doesNotContain("aborted");
        statement.execute("insert into t values (2)"); // no transaction was aborted
        assertThat(rows(mark)).as("the row inserted before the refusal").isOne();
      }
    }
  }

  private static int rows(int id) throws SQLException {
    try (Connection admin = POSTGRES.redshiftConnection(false, null); Statement statement = admin.createStatement();
        ResultSet rows = statement.executeQuery("select count(*) from t where id = " + id)) {
      rows.next();
      return rows.getInt(1);
    }
  }

  /**
   * A transaction the application's own failure aborted before the guard first asks: the query
   * fails for that (as the superuser, who may read every catalog), and the refusal says the
   * transaction is aborted too.
   */
  @Test
  void anIdentityQueryInATransactionAbortedBeforeSaysItIsAborted() throws SQLException {
    create();
    try (Connection connection = POSTGRES.guardedConnection(REGISTRY);
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      assertThrows(SQLException.class, () -> statement.execute("select 1/0"));
      GuardDeniedException denied = assertThrows(GuardDeniedException.class, () -> statement.execute(COPY));
      assertThat(denied.findings()).extracting(Finding::rule).containsExactly(RuleId.IDENTITY_UNKNOWN);
      assertThat(denied.getMessage()).contains("current transaction is aborted")
          .contains(SessionState.TRANSACTION_ABORTED);
      connection.rollback();
    }
  }

  /**
   * The look-up of the body a CALL runs fails the same way (u4 reads pg_group but not pg_proc): its
   * refusal says the transaction is aborted when one is open, and the server agrees.
   */
  @ParameterizedTest(name = "auto-commit off: {0}")
  @ValueSource(booleans = {true, false})
  void aFailedBodyLookUpSaysWhetherItAbortedTheTransaction(boolean inTransaction) throws SQLException {
    create();
    try (Connection connection = POSTGRES.guardedConnection(REGISTRY, "u4", "pw4");
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(!inTransaction);
      statement.execute("insert into t values (1)");
      SQLException refused = assertThrows(SQLException.class, () -> statement.execute("call some_p()"));
      assertThat(refused.getMessage()).contains("could not say what procedure").contains("permission denied");
      if (inTransaction) {
        assertThat(refused.getMessage()).contains(SessionState.TRANSACTION_ABORTED);
        assertThat(assertThrows(SQLException.class, () -> statement.execute("insert into t values (2)")).getMessage())
            .contains("current transaction is aborted");
        connection.rollback();
      } else {
        assertThat(refused.getMessage()).doesNotContain("aborted");
        statement.execute("insert into t values (2)");
      }
    }
  }

  /** u3 may not read pg_group, so the guard's identity query fails for it; u4 may, but not pg_proc. */
  private static synchronized void create() throws SQLException {
    if (created) {
      return;
    }
    try (Connection admin = POSTGRES.redshiftConnection(false, null); Statement statement = admin.createStatement()) {
      statement.execute("create role u3 login password 'pw3'; create table t (id int); grant all on t to public;"
          + " revoke select on pg_catalog.pg_group from public; create role u4 login password 'pw4';"
          + " grant select on pg_catalog.pg_group to u4; revoke select on pg_catalog.pg_proc from public");
    }
    created = true;
  }
}
