package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.AuditSink;
import dev.iamguard.policy.Session;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * One connection, two threads: while one thread's COPY has been decided for the user who runs now
 * but not yet sent, another thread changes who runs the connection (SET SESSION AUTHORIZATION, in
 * every spelling and through every entry point). The COPY must then not go out as decided: it is
 * decided again for the new user (whom the role does not trust) and denied, or it goes out before
 * the change. The interleaving is forced, not hoped for: the COPY's thread is held in the audit
 * sink, which runs between its decision and its send, until the other thread's change has run or
 * waits for the COPY's send.
 */
class SharedConnectionIdentityTest {
  private static final String COPY = "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "'";
  private static final List<String> CHANGES = List.of("SET SESSION AUTHORIZATION 'bob'",
      "set session authorization bob", "SET SESSION AUTHORIZATION \"bob\"", "{oj SET SESSION AUTHORIZATION 'bob'}");

  interface Entry {
    void run(Connection connection, String sql) throws SQLException;
  }

  private static final Map<String, Entry> ENTRIES = Map.of(
      "execute", (c, sql) -> c.createStatement().execute(sql),
      "executeUpdate", (c, sql) -> c.createStatement().executeUpdate(sql),
      "executeLargeUpdate", (c, sql) -> c.createStatement().executeLargeUpdate(sql),
      "prepareStatement", (c, sql) -> c.prepareStatement(sql).execute(),
      "batch", (c, sql) -> {
        Statement statement = c.createStatement();
        statement.addBatch(sql);
        statement.executeBatch();
      });

  /** The texts the target ran, and (once the change ran) the user it ran them as. */
  private final List<String> ran = new CopyOnWriteArrayList<>();

  private Connection target() {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (self, method, args) -> {
          Class<?> type = method.getReturnType();
          if (method.getName().equals("nativeSQL")) {
            return EscapedStatementsTest.redshiftSends((String) args[0]);
          }
          if (Statement.class.isAssignableFrom(type)) {
            String prepared = args != null && args.length > 0 && args[0] instanceof String sql ? sql : null;
            List<String> batch = new CopyOnWriteArrayList<>();
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (s, m, a) -> {
              String sql = a != null && a.length > 0 && a[0] instanceof String text ? text : prepared;
              if (m.getName().equals("addBatch")) {
                batch.add(sql);
              } else if (m.getName().startsWith("executeLargeBatch") || m.getName().equals("executeBatch")) {
                ran.addAll(batch);
              } else if (m.getName().startsWith("execute")) {
                ran.add(sql);
              }
              return GuardCoverageTest.defaultValue(m.getReturnType());
            });
          }
          if (method.getName().equals("getAutoCommit")) {
            return true;
          }
          return GuardCoverageTest.defaultValue(type);
        });
  }

  @Test
  void aCopyDecidedBeforeAnotherThreadChangedTheUserIsNotSentAsDecided() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    int checked = 0;
    try {
      for (String change : CHANGES) {
        for (Map.Entry<String, Entry> copyEntry : ENTRIES.entrySet()) {
          for (Map.Entry<String, Entry> changeEntry : ENTRIES.entrySet()) {
            String what = copyEntry.getKey() + " of the COPY, " + changeEntry.getKey() + " of " + change;
            ran.clear();
            CountDownLatch copyDecided = new CountDownLatch(1);
            CountDownLatch changeRan = new CountDownLatch(1);
            AtomicBoolean held = new AtomicBoolean();
            AuditSink sink = event -> {
              if (event.command().equals("COPY") && event.decision().equals("ALLOW") && held.compareAndSet(false, true)) {
                copyDecided.countDown();
                await(changeRan);
              }
            };
            Properties properties = new Properties();
            properties.setProperty("iamguard.registry", TestRegistry.path().toString());
            ConnectionPolicy policy = GuardFactory.create(GuardConfig.resolve(properties, Map.of(), k -> null, k -> null),
                Session.of("etl", null), false, sink);
            GuardConnection connection = new GuardConnection(target(), policy);
            Future<Throwable> copy = threads.submit(() -> {
              try {
                copyEntry.getValue().run(connection, COPY);
                return null;
              } catch (SQLException e) {
                return e;
              }
            });
            await(copyDecided);
            Future<?> changed = threads.submit(() -> {
              changeEntry.getValue().run(connection, change);
              return null;
            });
            // the change either runs, or waits for the COPY's send (the COPY then goes first, as decided)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!changed.isDone() && !connection.checkedWaiting() && System.nanoTime() < deadline) {
              Thread.onSpinWait();
            }
            changeRan.countDown();
            Throwable copyOutcome = copy.get(10, TimeUnit.SECONDS);
            changed.get(10, TimeUnit.SECONDS);
            int copyAt = ran.indexOf(COPY);
            int changeAt = indexOfChange();
            assertThat(changeAt).as("%s: the change ran", what).isGreaterThanOrEqualTo(0);
            if (copyAt >= 0) {
              assertThat(copyAt).as("%s: a COPY decided for etl runs before bob takes over: %s", what, ran)
                  .isLessThan(changeAt);
            } else {
              assertThat(copyOutcome).as("%s: decided again for bob", what).isInstanceOf(GuardDeniedException.class);
            }
            checked++;
          }
        }
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(checked).isEqualTo(CHANGES.size() * ENTRIES.size() * ENTRIES.size());
  }

  private int indexOfChange() {
    for (int i = 0; i < ran.size(); i++) {
      if (ran.get(i).toLowerCase(Locale.ROOT).contains("session authorization")) {
        return i;
      }
    }
    return -1;
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
