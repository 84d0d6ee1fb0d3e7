package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.sql.SqlScript;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A COPY on a connection that other threads share: while it is half done, another thread inserts
 * and commits on the same connection; the COPY then fails. The other thread's row must survive and
 * autocommit must never have been switched off under it. The interleaving is fixed with latches:
 * the COPY pauses at its first batch until the other thread is done.
 */
class SharedConnectionTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";
  private static final long WAIT_SECONDS = 30;

  ExecutorService threads = Executors.newFixedThreadPool(2);

  @BeforeEach
  void setUp() throws Exception {
    db.sql("CREATE TABLE venue (venueid INTEGER NOT NULL, venuename VARCHAR(20))");
    db.sql("CREATE TABLE other (id INTEGER)");
    StringBuilder good = new StringBuilder();
    for (int i = 0; i < BatchInserter.BATCH_SIZE; i++) {
      good.append(i).append("|name ").append(i).append('\n');
    }
    LocalDb.put(root, "b/in/part1", good.toString());
    LocalDb.put(root, "b/in/part2", "5000|fine\nnot-a-number|bad\n");
  }

  @AfterEach
  void tearDown() throws Exception {
    threads.shutdownNow();
  }

  /** The H2 connection, with a pause before the first batch any prepared statement sends. */
  private Connection pausingAtFirstBatch(CountDownLatch copyPaused, CountDownLatch otherDone) {
    AtomicBoolean first = new AtomicBoolean(true);
    Connection target = db.connection;
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          Object result = invoke(method, target, args);
          if (!(result instanceof PreparedStatement prepared)) {
            return result;
          }
          return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class},
              (p, m, a) -> {
                if (m.getName().equals("executeBatch") && first.getAndSet(false)) {
                  copyPaused.countDown();
                  assertThat(otherDone.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
                }
                return invoke(m, prepared, a);
              });
        });
  }

  private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void aFailingCopyKeepsWhatOtherThreadsCommittedOnTheSameConnection() throws Exception {
    CountDownLatch copyPaused = new CountDownLatch(1);
    CountDownLatch otherDone = new CountDownLatch(1);
    Connection shared = pausingAtFirstBatch(copyPaused, otherDone);

    Future<?> copy = threads.submit(() -> {
      assertThatThrownBy(() -> db.s3.execute(shared, SqlScript.parse("COPY venue FROM 's3://b/in/part'" + ROLE)
          .statements().get(0)))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("s3://b/in/part2 line 2");
      return null;
    });
    Future<Boolean> other = threads.submit(() -> {
      assertThat(copyPaused.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      try {
        boolean autoCommit = shared.getAutoCommit();
        try (Statement statement = shared.createStatement()) {
          statement.executeUpdate("INSERT INTO other VALUES (1)");
        }
        return autoCommit;
      } finally {
        otherDone.countDown();
      }
    });

    assertThat(other.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("autocommit seen by the other thread mid-COPY").isTrue();
    copy.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(db.rows("SELECT id FROM other")).containsExactly(List.of(1));
    assertThat(db.count("venue")).isZero();
    assertThat(db.connection.getAutoCommit()).isTrue();
  }
}
