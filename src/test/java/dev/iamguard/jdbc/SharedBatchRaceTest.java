package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * One Statement (plain or prepared) shared by threads: one thread adds an auth-carrying entry to its
 * batch ({@code addBatch(sql)}, or a prepared COPY's {@code addBatch()}), and is held inside the
 * driver's addBatch, after the driver took the entry and before the guard recorded it; meanwhile the
 * session user changes to bob (whom the role does not trust) on another statement, and another
 * thread runs {@code executeBatch} on the shared statement. The entry must not reach the server as
 * bob: it is decided again for bob (denied) or it waits for the change's end. Without the guard's
 * batch lock, executeBatch read the guard's lists (or, prepared, its "parameter sets added" mark)
 * before the entry was recorded, and sent the driver's batch, which held it, undecided: the COPY
 * ran as bob. The target follows the session user as a server does, so the oracle is who runs each
 * COPY or UNLOAD when the target receives it.
 */
class SharedBatchRaceTest {
  private static final String COPY = "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "'";
  private static final String UNLOAD = "UNLOAD ('select 1') TO 's3://lake/out/x_' IAM_ROLE '" + TestRegistry.LOADER + "'";
  private static final List<String> CHANGES = List.of("SET SESSION AUTHORIZATION bob",
      "set session authorization 'bob'", "SET SESSION AUTHORIZATION \"bob\"");

  /** How the change of user reaches the connection (on a statement other than the shared one). */
  interface Change {
    void run(Connection connection, String sql) throws SQLException;
  }

  private static final Map<String, Change> CHANGE_WAYS = Map.of(
      "execute", (c, sql) -> c.createStatement().execute(sql),
      "prepared", (c, sql) -> c.prepareStatement(sql).execute(),
      "batch", (c, sql) -> {
        Statement statement = c.createStatement();
        statement.addBatch(sql);
        statement.executeBatch();
      });

  /** How the auth-carrying entry joins the shared statement's batch. */
  interface Entry {
    Statement statement(Connection connection, String sql) throws SQLException;

    void add(Statement statement, String sql) throws SQLException;
  }

  private static final Map<String, Entry> ENTRIES = Map.of(
      "addBatch(sql)", new Entry() {
        public Statement statement(Connection connection, String sql) throws SQLException {
          return connection.createStatement();
        }

        public void add(Statement statement, String sql) throws SQLException {
          statement.addBatch(sql);
        }
      },
      "prepared addBatch()", new Entry() {
        public Statement statement(Connection connection, String sql) throws SQLException {
          return connection.prepareStatement(sql);
        }

        public void add(Statement statement, String sql) throws SQLException {
          ((PreparedStatement) statement).addBatch();
        }
      });

  /** Who the target runs as; the auth-carrying texts it ran as bob. */
  private volatile String serverUser = "etl";
  private final List<String> ranAsBob = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<String> ranAsEtl = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Run by the driver's addBatch of an auth-carrying entry, after it took the entry. */
  private volatile Runnable inAddBatch = () -> {};

  private void run(String sql) {
    synchronized (this) { // the server runs one text at a time
      String lower = sql.toLowerCase(Locale.ROOT);
      if (lower.contains("session authorization")) {
        serverUser = lower.contains("bob") ? "bob" : "etl";
      } else if (lower.contains("iam_role")) {
        (serverUser.equals("bob") ? ranAsBob : ranAsEtl).add(sql);
      }
    }
  }

  private Connection target() {
    return RecordingTarget.withStatements((type, prepared) -> {
      List<String> batch = new ArrayList<>();
      return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (s, m, a) -> {
        String sql = a != null && a.length > 0 && a[0] instanceof String text ? text : prepared;
        switch (m.getName()) {
          case "addBatch" -> {
            synchronized (batch) {
              batch.add(sql);
            }
            if (sql.contains("IAM_ROLE")) {
              inAddBatch.run();
            }
          }
          case "clearBatch" -> {
            synchronized (batch) {
              batch.clear();
            }
          }
          case "executeBatch", "executeLargeBatch" -> {
            List<String> texts;
            synchronized (batch) {
              texts = new ArrayList<>(batch);
              batch.clear();
            }
            texts.forEach(this::run);
          }
          default -> {
            if (m.getName().startsWith("execute")) {
              run(sql);
            }
          }
        }
        return GuardCoverageTest.defaultValue(m.getReturnType());
      });
    });
  }

  private Connection open() throws SQLException {
    return TestRegistry.guarded(target());
  }

  @Test
  void anEntryTheDriverTookIsNotSentUndecidedByAnotherThreadsExecuteBatch() throws Exception {
    int rounds = 0;
    List<String> failed = new ArrayList<>();
    for (String change : CHANGES) {
      for (Map.Entry<String, Change> changeWay : CHANGE_WAYS.entrySet()) {
        for (Map.Entry<String, Entry> entry : ENTRIES.entrySet()) {
          for (String text : List.of(COPY, UNLOAD)) {
            for (boolean large : new boolean[] {false, true}) {
              String what = entry.getKey() + " of " + text.substring(0, 6) + ", " + changeWay.getKey() + " of " + change
                  + (large ? ", executeLargeBatch" : ", executeBatch");
              int before = ranAsBob.size();
              round(what, change, changeWay.getValue(), entry.getValue(), text, large);
              if (ranAsBob.size() > before) {
                failed.add(what);
              }
              rounds++;
            }
          }
        }
      }
    }
    assertThat(failed).as("rounds of %s whose entry ran as bob", rounds).isEmpty();
    assertThat(ranAsEtl).as("every round changed the user before any batch was sent").isEmpty();
    assertThat(rounds).isEqualTo(CHANGES.size() * CHANGE_WAYS.size() * ENTRIES.size() * 2 * 2);
  }

  private void round(String what, String change, Change changeWay, Entry entry, String text, boolean large)
      throws Exception {
    serverUser = "etl";
    Connection connection = open();
    Statement shared = entry.statement(connection, text);
    CountDownLatch taken = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    inAddBatch = () -> {
      taken.countDown();
      Interleavings.await(release);
    };
    Throwable[] adding = new Throwable[1];
    Throwable[] executing = new Throwable[1];
    Thread adder = Interleavings.start("adder", adding, () -> entry.add(shared, text));
    Interleavings.await(taken);
    inAddBatch = () -> {};
    if (changeWay != null) {
      changeWay.run(connection, change); // bob runs the connection from now on
    }
    Thread executor = Interleavings.start("executor", executing,
        () -> {
          if (large) {
            shared.executeLargeBatch();
          } else {
            shared.executeBatch();
          }
        });
    Interleavings.awaitEndedOrWaiting(executor); // it sent the batch, or waits for the entry's addBatch to end
    release.countDown();
    Interleavings.join(adder);
    Interleavings.join(executor);
    assertThat(adding[0]).as("%s: the entry was added", what).isNull();
    if (executing[0] == null) {
      // the entry may not have been in the batch sent: the next executeBatch sends it (decided again for bob)
      sendWhatIsLeft(what, shared, large);
    } else {
      assertThat(executing[0]).as("%s: decided again for bob", what).isInstanceOf(SQLException.class);
    }
  }

  /** The control: without the change, the same interleaving runs each entry once, as etl. */
  @Test
  void withoutTheChangeEachEntryRunsOnceAsEtl() throws Exception {
    int rounds = 0;
    for (Map.Entry<String, Entry> entry : ENTRIES.entrySet()) {
      for (String text : List.of(COPY, UNLOAD)) {
        for (boolean large : new boolean[] {false, true}) {
          round(entry.getKey() + " of " + text, null, null, entry.getValue(), text, large);
          rounds++;
        }
      }
    }
    assertThat(ranAsBob).isEmpty();
    assertThat(ranAsEtl).hasSize(rounds);
  }

  private void sendWhatIsLeft(String what, Statement shared, boolean large) {
    try {
      if (large) {
        shared.executeLargeBatch();
      } else {
        shared.executeBatch();
      }
    } catch (SQLException denied) {
      // decided again for bob
    }
  }
}
