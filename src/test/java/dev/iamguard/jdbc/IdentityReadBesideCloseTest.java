package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The guard's own queries (who runs the connection, which procedure bodies a CALL runs) share the
 * application's connection, and the application may use it from two threads. The Redshift driver
 * reads the rows of a result set on a thread of its own (its fetch ring buffer) after {@code
 * executeQuery} returns, and its {@code Statement.close()} sends a Sync and reads the answer
 * without waiting for that thread: a close on one thread while the guard reads an identity on
 * another read the same socket from two threads, and the connection hung for good (a CI run and
 * two runs of 1,500 rounds of {@code IdentityChangeSentTest}'s rollback case on a loaded host). The
 * guard's reads must be whole before the driver's lock is let go. PostgreSQL answers; the user is
 * a member of many groups, so that each identity read has many rows and the window is wide.
 */
class IdentityReadBesideCloseTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String TRUSTS = "arn:aws:iam::123456789012:role/TrustsUsers";
  private static final int GROUPS = 1_500;
  private static final int READS = 300;
  private static final String COPY =
      "COPY id_t FROM 's3://iamguard-identity/in/part-0.csv' IAM_ROLE '" + TRUSTS + "' CSV";
  private static final String REGISTRY = "classpath:jdbc/identity-registry.yaml";
  private static boolean created;

  /**
   * One thread changes the identity and asks for a decision of a COPY (an identity read of
   * {@link #GROUPS} rows) again and again; another creates and closes statements on the same
   * connection meanwhile. Every read must finish, and find the user.
   */
  @Test
  void anIdentityReadIsWholeBeforeAnotherThreadsCloseReadsTheSocket() throws Exception {
    decidedBesideCloses(READS,
        connection -> rules(connection.unwrap(IamguardConnection.class).decisionFor(COPY).findings()));
  }

  /**
   * As above for a CALL executed: the guard also looks up the body the procedure runs (one row of
   * about 256 KB), and the COPY in it is decided as the user (user1's is sent, and PostgreSQL
   * refuses its IAM_ROLE).
   */
  @Test
  void aBodyLookUpIsWholeBeforeAnotherThreadsCloseReadsTheSocket() throws Exception {
    decidedBesideCloses(READS / 5, connection -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("call wide_p()");
        throw new AssertionError("PostgreSQL ran the body's COPY");
      } catch (GuardDeniedException denied) {
        return rules(denied.findings());
      } catch (SQLException sent) {
        assertThat(sent.getMessage()).contains("syntax error");
        return List.of();
      }
    });
  }

  /** What the guard finds of a statement on a connection. */
  private interface Decided {
    List<RuleId> rules(Connection connection) throws SQLException;
  }

  private static List<RuleId> rules(List<Finding> findings) {
    return findings.stream().map(Finding::rule).toList();
  }

  private static void decidedBesideCloses(int rounds, Decided decided) throws Exception {
    createWideUser();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    Connection connection = POSTGRES.guardedConnection(REGISTRY, "wide", "pw-wide");
    AtomicBoolean reading = new AtomicBoolean(true);
    AtomicInteger closes = new AtomicInteger();
    try {
      Future<List<List<RuleId>>> reads = threads.submit(() -> {
        List<List<RuleId>> decisions = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
          for (int i = 0; i < rounds; i++) {
            statement.execute(i % 2 == 0 ? "set role user1" : "reset role"); // an identity change: read again
            decisions.add(decided.rules(connection));
          }
        } finally {
          reading.set(false);
        }
        return decisions;
      });
      Future<?> closing = threads.submit(() -> {
        while (reading.get()) {
          connection.createStatement().close();
          closes.incrementAndGet();
        }
        return null;
      });
      List<List<RuleId>> decisions;
      try {
        decisions = reads.get(60, TimeUnit.SECONDS);
        closing.get(60, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        connection.abort(Runnable::run);
        fail("the connection hung: a read of the guard's and another thread's Statement.close() read its socket"
            + " together (" + closes.get() + " closes)");
        return;
      }
      assertThat(decisions).hasSize(rounds);
      for (int i = 0; i < rounds; i++) {
        // user1 is trusted by TrustsUsers; wide (after reset role) is not
        assertThat(decisions.get(i)).as("decision %d", i)
            .isEqualTo(i % 2 == 0 ? List.of() : List.of(RuleId.DB_USER_NOT_TRUSTED));
      }
      assertThat(closes.get()).as("statements closed beside the reads").isPositive();
    } finally {
      threads.shutdownNow();
      connection.close();
    }
  }

  /**
   * wide: a login member of user1 and of {@link #GROUPS} groups; wide_p: a procedure whose body is
   * {@link #COPY} and a comment of about 256 KB.
   */
  private static synchronized void createWideUser() throws SQLException {
    if (created) {
      return;
    }
    try (Connection connection = POSTGRES.redshiftConnection(false, null);
        Statement statement = connection.createStatement()) {
      statement.execute("create role user1; create role wide login password 'pw-wide'; grant user1 to wide;"
          + " create table id_t (id int); grant insert on id_t to public;"
          + " do $$ begin for i in 1.." + GROUPS + " loop execute format('create group g%s user wide', i);"
          + " end loop; end $$");
      statement.execute("set check_function_bodies = off");
      statement.execute("create procedure wide_p() language plpgsql as $body$ begin " + COPY + "; /* "
          + "x".repeat(1 << 18) + " */ end $body$; grant execute on procedure wide_p() to public");
    }
    created = true;
  }
}
