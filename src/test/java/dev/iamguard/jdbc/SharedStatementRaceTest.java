package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One Statement (or two) of one connection used by two threads, one sending a COPY whose role trusts
 * etl only, the other switching the session user between bob and etl: the COPY never runs while bob
 * is the server's user (red-team review: a Statement shared by threads read the effects of its
 * execution back from a field the other thread had zeroed, skipped the decision made again after
 * the SET, and ran 2,316 of 45,993 COPYs as bob). The target records who the server runs as.
 */
class SharedStatementRaceTest {
  static final String COPY = "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "'";
  volatile String serverUser = "etl";
  final AtomicInteger copiesAsBob = new AtomicInteger();
  final AtomicInteger copiesSent = new AtomicInteger();
  final AtomicInteger copiesDenied = new AtomicInteger();

  Connection target() {
    Object lock = new Object();
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (self, method, args) -> {
          Class<?> type = method.getReturnType();
          if (method.getName().equals("nativeSQL")) {
            return args[0];
          }
          if (Statement.class.isAssignableFrom(type)) {
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (s, m, a) -> {
              if (m.getName().startsWith("execute") && a != null && a.length > 0 && a[0] instanceof String sql) {
                synchronized (lock) { // the server runs one statement at a time
                  String l = sql.toLowerCase(Locale.ROOT);
                  if (l.contains("authorization")) {
                    serverUser = l.contains("bob") ? "bob" : "etl";
                  } else if (l.startsWith("copy")) {
                    copiesSent.incrementAndGet();
                    if (serverUser.equals("bob")) {
                      copiesAsBob.incrementAndGet();
                    }
                  }
                }
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

  void run(boolean shared) throws Exception {
    GuardConnection connection = TestRegistry.guarded(target());
    Statement one = connection.createStatement();
    Statement other = shared ? one : connection.createStatement();
    int rounds = 60_000;
    CyclicBarrier start = new CyclicBarrier(2);
    AtomicBoolean stop = new AtomicBoolean();
    Thread changer = new Thread(() -> {
      try {
        start.await();
        for (int i = 0; i < rounds && !stop.get(); i++) {
          try {
            other.execute((i & 1) == 0 ? "SET SESSION AUTHORIZATION bob" : "SET SESSION AUTHORIZATION etl");
          } catch (SQLException e) {
            throw new IllegalStateException("a change of user was refused", e);
          }
        }
      } catch (Exception e) {
        throw new RuntimeException(e);
      } finally {
        stop.set(true);
      }
    });
    changer.start();
    start.await();
    while (!stop.get()) {
      try {
        one.execute(COPY);
      } catch (GuardDeniedException denied) {
        copiesDenied.incrementAndGet(); // decided while bob ran the connection
      }
    }
    changer.join();
  }

  @Test
  void separateStatementsOfOneConnection() throws Exception {
    run(false);
    assertThat(copiesAsBob.get()).as("COPYs run as bob of %s sent", copiesSent).isZero();
    assertThat(copiesSent.get()).as("COPYs sent as etl").isPositive();
    assertThat(copiesDenied.get()).as("COPYs denied as bob").isPositive();
  }

  @Test
  void oneStatementSharedByTwoThreads() throws Exception {
    run(true);
    assertThat(copiesAsBob.get()).as("COPYs run as bob of %s sent", copiesSent).isZero();
    assertThat(copiesSent.get()).as("COPYs sent as etl").isPositive();
    assertThat(copiesDenied.get()).as("COPYs denied as bob").isPositive();
  }
}
