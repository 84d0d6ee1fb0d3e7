package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text of several statements holding an emulated COPY runs on H2 as one implicit transaction
 * (auto-commit off while it runs). Another thread of the same guarded connection acts while that
 * transaction is half done: its statement, commit, rollback or query must run before or after the
 * text, never inside it, whatever the text then does (here its COPY fails, and everything it did is
 * undone). The interleaving is fixed, not timed: the COPY pauses at its first batch until the other
 * thread has finished or waits on a lock.
 */
class EmulationIsolationTest {
  private static final long WAIT_SECONDS = 30;
  /** More rows than one batch of the emulated COPY's INSERT holds, so it pauses before reading part2. */
  private static final int ROWS = 2_500;
  private static final String TEXT = "INSERT INTO other VALUES (7); "
      + "COPY venue FROM 's3://lake/in/venue/part' IAM_ROLE 'loader' DELIMITER '|'";

  @TempDir
  Path s3;
  /** Daemon threads: a broken lock order would hang them, and the JVM must still end. */
  ExecutorService threads = Executors.newFixedThreadPool(2, run -> {
    Thread thread = new Thread(run);
    thread.setDaemon(true);
    return thread;
  });
  Connection h2;

  @BeforeEach
  void setUp() throws Exception {
    h2 = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try (Statement statement = h2.createStatement()) {
      statement.execute("CREATE TABLE venue (venueid INTEGER NOT NULL, venuename VARCHAR(20))");
      statement.execute("CREATE TABLE other (id INTEGER)");
    }
    StringBuilder good = new StringBuilder();
    for (int i = 0; i < ROWS; i++) {
      good.append(i).append("|name ").append(i).append('\n');
    }
    Files.createDirectories(s3.resolve("lake/in/venue"));
    Files.writeString(s3.resolve("lake/in/venue/part1"), good);
    Files.writeString(s3.resolve("lake/in/venue/part2"), "5000|fine\nnot-a-number|bad\n");
  }

  @AfterEach
  void tearDown() throws Exception {
    threads.shutdownNow();
    if (threads.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)) {
      h2.close(); // else a thread still holds H2's locks, and closing would wait for them forever
    }
  }

  /** What the other thread does on the shared guarded connection while the text runs. */
  interface Act {
    void on(Connection connection) throws SQLException;
  }

  static Stream<Object[]> acts() {
    return Stream.of(true, false).flatMap(reachable -> oneThreadActs().map(act ->
        new Object[] {act[0] + (reachable ? "" : ", H2 behind a wrapper that does not unwrap"), reachable, act[1], act[2]}));
  }

  private static Stream<Object[]> oneThreadActs() {
    return Stream.of(
        new Object[] {"an INSERT", (Act) c -> {
          try (Statement statement = c.createStatement()) {
            statement.executeUpdate("INSERT INTO other VALUES (1)");
          }
        }, List.of(1)},
        new Object[] {"a prepared INSERT", (Act) c -> {
          try (PreparedStatement statement = c.prepareStatement("INSERT INTO other VALUES (?)")) {
            statement.setInt(1, 2);
            statement.executeUpdate();
          }
        }, List.of(2)},
        new Object[] {"a batch", (Act) c -> {
          try (Statement statement = c.createStatement()) {
            statement.addBatch("INSERT INTO other VALUES (3)");
            statement.executeBatch();
          }
        }, List.of(3)},
        // committing inside the text would keep its INSERT of 7 although its COPY fails
        new Object[] {"a commit", (Act) Connection::commit, List.of()},
        new Object[] {"a rollback", (Act) Connection::rollback, List.of()},
        new Object[] {"auto-commit switched on", (Act) c -> c.setAutoCommit(true), List.of()},
        new Object[] {"a query", (Act) c -> {
          try (Statement statement = c.createStatement();
              ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM other")) {
            rows.next();
            assertThat(rows.getInt(1)).as("rows the half-done text inserted, seen by another thread").isZero();
          }
        }, List.of()});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acts")
  void anotherThreadNeverActsInsideAnEmulatedTextsTransaction(String name, boolean unwraps, Act act,
      List<Integer> kept) throws Exception {
    CountDownLatch copyPaused = new CountDownLatch(1);
    AtomicReference<Thread> other = new AtomicReference<>();
    CountDownLatch otherDone = new CountDownLatch(1);
    Connection guarded = guarded(pausingAtFirstBatch(unwraps, () -> {
      copyPaused.countDown();
      waitUntilDoneOrBlocked(other, otherDone);
    }));

    Future<?> text = threads.submit(() -> {
      try (Statement statement = guarded.createStatement()) {
        assertThatThrownBy(() -> statement.execute(TEXT)).isInstanceOf(SQLException.class)
            .hasMessageContaining("part2");
      }
      return null;
    });
    Future<?> acting = threads.submit(() -> {
      assertThat(copyPaused.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the COPY reached its first batch").isTrue();
      other.set(Thread.currentThread());
      try {
        act.on(guarded);
      } finally {
        otherDone.countDown();
      }
      return null;
    });

    text.get(WAIT_SECONDS, TimeUnit.SECONDS);
    acting.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(ids()).as("what the other thread did, and nothing of the failed text").isEqualTo(kept);
    assertThat(count("venue")).isZero();
    assertThat(guarded.getAutoCommit()).isTrue();
    guarded.close();
  }

  @Test
  void theGuardReachesH2sOwnLocksOnlyThroughAConnectionThatUnwraps() throws Exception {
    LocalDatabaseLock lock = LocalDatabaseLock.of(h2);
    assertThat(lock).isNotNull();
    assertThat(LocalDatabaseLock.of(pausingAtFirstBatch(false, () -> { }))).isNull();
    assertThat(LocalDatabaseLock.of(pausingAtFirstBatch(true, () -> { }))).isNotNull();
    Future<Boolean> commit;
    lock.lock();
    try {
      // held: another thread's commit on the connection waits for it (it cannot be done before the unlock)
      commit = threads.submit(() -> {
        h2.commit();
        return true;
      });
      assertThat(commit).isNotDone();
      try (Statement statement = h2.createStatement()) {
        statement.execute("INSERT INTO other VALUES (5)"); // reentrant on the holding thread
      }
      assertThat(commit).isNotDone();
    } finally {
      lock.unlock();
    }
    assertThat(commit.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(ids()).containsExactly(5);
  }

  /** Returns once the other thread has finished, or waits on a lock (the text's, while it holds it). */
  private static void waitUntilDoneOrBlocked(AtomicReference<Thread> other, CountDownLatch otherDone) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (otherDone.getCount() > 0 && System.nanoTime() < deadline) {
      Thread thread = other.get();
      if (thread != null && (thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.BLOCKED)
          && onALock(thread)) {
        return;
      }
      Thread.onSpinWait();
    }
  }

  /** True when {@code thread} is parked in a lock, not in the latch it awaits first. */
  private static boolean onALock(Thread thread) {
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().startsWith("java.util.concurrent.CountDownLatch")) {
        return false;
      }
      if (frame.getClassName().startsWith("java.util.concurrent.locks.")) {
        return true;
      }
    }
    return false;
  }

  private Connection guarded(Connection target) throws SQLException {
    DataSource one = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, arguments) -> {
          if (method.getName().equals("getConnection")) {
            return target;
          }
          throw new UnsupportedOperationException(method.getName());
        });
    Properties settings = TestRegistry.properties("etl");
    settings.setProperty("iamguard.local-s3", s3.toString());
    return GuardDataSource.wrap(one, settings).getConnection("etl", "");
  }

  /**
   * The H2 connection, running {@code pause} before the first batch any prepared statement sends;
   * unless {@code unwraps}, it hides what it wraps (as some pools do), so the guard cannot reach H2's
   * own locks and serialises the connection's work itself.
   */
  private Connection pausingAtFirstBatch(boolean unwraps, Runnable pause) {
    AtomicBoolean first = new AtomicBoolean(true);
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (!unwraps && method.getName().equals("isWrapperFor")) {
            return false;
          }
          if (!unwraps && method.getName().equals("unwrap")) {
            throw new SQLException("not a wrapper");
          }
          Object result = invoke(method, h2, args);
          if (!(result instanceof PreparedStatement prepared)) {
            return result;
          }
          return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class},
              (p, m, a) -> {
                if (m.getName().equals("executeBatch") && first.getAndSet(false)) {
                  pause.run();
                }
                return invoke(m, prepared, a);
              });
        });
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private List<Integer> ids() throws SQLException {
    List<Integer> ids = new ArrayList<>();
    try (Statement statement = h2.createStatement(); ResultSet rows = statement.executeQuery("SELECT id FROM other ORDER BY id")) {
      while (rows.next()) {
        ids.add(rows.getInt(1));
      }
    }
    return ids;
  }

  private long count(String table) throws SQLException {
    try (Statement statement = h2.createStatement(); ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
