package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What the target says after a text holding a secret was sent, outside the execution's own error:
 * the connection's warnings, the result set's warnings, the error of a result set's lazy fetch
 * ({@code next()}, {@code isLast()}), the error of {@code getMoreResults}. The target quotes the first
 * literal of the text last sent (a server's notice or error may quote the statement). The oracle is
 * the value as written: it never appears in anything printed of what comes back (messages, causes,
 * next and suppressed exceptions), while the warning or error itself still comes back, with its
 * SQLState. A text without secrets keeps its words as they are.
 */
class TargetWordsMaskedTest {
  private static final List<String> VALUES = List.of("Sup3rSecretPassw0rd1", "correct horse battery staple 42",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  private static final List<String> SECRET_TEXTS = List.of("ALTER USER bob PASSWORD '%s'",
      "CREATE USER carol PASSWORD '%s'", "alter user bob with password '%s' valid until 'infinity'",
      "ALTER USER \"bob\" PASSWORD '%s' CONNECTION LIMIT 3");

  /** The first literal of {@code text}, or null. */
  private static String literal(String text) {
    int quote = text == null ? -1 : text.indexOf('\'');
    return quote < 0 ? null : text.substring(quote + 1, text.indexOf('\'', quote + 1));
  }

  /** Texts held before the target's execution starts, until their latch opens. */
  private static final Map<String, CountDownLatch[]> HOLDS = new ConcurrentHashMap<>();

  /**
   * A target quoting the first literal of the text last sent: in the connection's warnings, in each
   * result set's warnings and in the error of its next() and isLast(), in the error of getMoreResults;
   * a statement's own warnings quote the literal of its text last started.
   */
  static Connection target() {
    AtomicReference<String> connectionLast = new AtomicReference<>();
    ClassLoader loader = TargetWordsMaskedTest.class.getClassLoader();
    return (Connection) Proxy.newProxyInstance(loader, new Class<?>[] {Connection.class}, (self, method, args) -> {
      Class<?> type = method.getReturnType();
      switch (method.getName()) {
        case "nativeSQL":
          return args[0];
        case "getAutoCommit":
          return true;
        case "getWarnings":
          String quoted = literal(connectionLast.get());
          return quoted == null ? null : new SQLWarning("NOTICE: \"" + quoted + "\" noted", "01000");
        default:
          break;
      }
      if (!Statement.class.isAssignableFrom(type)) {
        return GuardCoverageTest.defaultValue(type);
      }
      String preparedSql = args != null && args.length > 0 && args[0] instanceof String sql ? sql : null;
      AtomicReference<String> last = new AtomicReference<>();
      AtomicReference<SQLWarning> warnings = new AtomicReference<>();
      return Proxy.newProxyInstance(loader, new Class<?>[] {type}, (statement, m, a) -> {
        String name = m.getName();
        switch (name) {
          case "getWarnings":
            return warnings.get();
          case "clearWarnings":
            warnings.set(null);
            return null;
          case "getResultSet":
            return resultSet(literal(last.get()));
          case "getMoreResults":
            throw new SQLException("ERROR: no more results after \"" + literal(last.get()) + "\"", "24000");
          default:
            break;
        }
        if (!name.startsWith("execute")) {
          return GuardCoverageTest.defaultValue(m.getReturnType());
        }
        String text = a != null && a.length > 0 && a[0] instanceof String sql ? sql : preparedSql;
        CountDownLatch[] hold = HOLDS.get(text);
        if (hold != null) {
          hold[0].countDown();
          hold[1].await();
        }
        warnings.set(literal(text) == null ? null : new SQLWarning("NOTICE: " + literal(text) + " ignored", "01000"));
        last.set(text);
        connectionLast.set(text);
        if (name.equals("executeQuery")) {
          return resultSet(literal(text));
        }
        return name.equals("execute") ? Boolean.TRUE : GuardCoverageTest.defaultValue(m.getReturnType());
      });
    });
  }

  private static ResultSet resultSet(String quoted) {
    return (ResultSet) Proxy.newProxyInstance(TargetWordsMaskedTest.class.getClassLoader(),
        new Class<?>[] {ResultSet.class}, (self, m, a) -> switch (m.getName()) {
          case "getWarnings" -> new SQLWarning("NOTICE: fetched \"" + quoted + "\"", "01000");
          case "next", "isLast" -> throw new SQLException("ERROR: invalid input syntax: \"" + quoted + "\"", "22P02");
          default -> GuardCoverageTest.defaultValue(m.getReturnType());
        });
  }

  static Connection open() throws SQLException {
    return TestRegistry.guarded(target());
  }

  /** Everything printed of a warning or error: its chain, causes and suppressed exceptions. */
  static String printed(Throwable top) {
    StringBuilder all = new StringBuilder();
    java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    java.util.ArrayDeque<Throwable> pending = new java.util.ArrayDeque<>();
    if (top != null) {
      pending.push(top);
    }
    while (!pending.isEmpty()) {
      Throwable t = pending.pop();
      if (!seen.add(t)) {
        continue;
      }
      all.append(t).append('\n');
      if (t.getCause() != null) {
        pending.push(t.getCause());
      }
      if (t instanceof SQLException sql && sql.getNextException() != null) {
        pending.push(sql.getNextException());
      }
      for (Throwable s : t.getSuppressed()) {
        pending.push(s);
      }
    }
    return all.toString();
  }

  /** One way of reaching what the target says after the text was sent; returns the warning or error. */
  interface Reach {
    Throwable after(Connection connection, String text) throws SQLException;
  }

  private static Throwable thrown(Reach reach, Connection connection, String text) {
    try {
      return reach.after(connection, text);
    } catch (SQLException e) {
      return e;
    }
  }

  private static final Map<String, Reach> REACHES = new LinkedHashMap<>();

  static {
    REACHES.put("connection warnings", (c, text) -> {
      c.createStatement().execute(text);
      return c.getWarnings();
    });
    REACHES.put("connection warnings, prepared", (c, text) -> {
      c.prepareStatement(text).execute();
      return c.getWarnings();
    });
    REACHES.put("result set warnings", (c, text) -> c.createStatement().executeQuery(text).getWarnings());
    REACHES.put("result set warnings, prepared", (c, text) -> c.prepareStatement(text).executeQuery().getWarnings());
    REACHES.put("result set warnings, getResultSet", (c, text) -> {
      Statement statement = c.createStatement();
      statement.execute(text);
      return statement.getResultSet().getWarnings();
    });
    REACHES.put("next()", (c, text) -> {
      c.createStatement().executeQuery(text).next();
      return null;
    });
    REACHES.put("next(), prepared", (c, text) -> {
      c.prepareStatement(text).executeQuery().next();
      return null;
    });
    REACHES.put("isLast()", (c, text) -> {
      c.createStatement().executeQuery(text).isLast();
      return null;
    });
    REACHES.put("getMoreResults()", (c, text) -> {
      Statement statement = c.createStatement();
      statement.execute(text);
      statement.getMoreResults();
      return null;
    });
    REACHES.put("getMoreResults(KEEP_CURRENT_RESULT)", (c, text) -> {
      Statement statement = c.createStatement();
      statement.execute(text);
      statement.getMoreResults(Statement.KEEP_CURRENT_RESULT);
      return null;
    });
    REACHES.put("getMoreResults(), prepared", (c, text) -> {
      PreparedStatement statement = c.prepareStatement(text);
      statement.execute();
      statement.getMoreResults();
      return null;
    });
  }

  @Test
  void whatTheTargetSaysAfterATextNeverPrintsItsSecret() throws SQLException {
    List<String> failed = new ArrayList<>();
    int rounds = 0;
    for (String value : VALUES) {
      for (String form : SECRET_TEXTS) {
        String text = String.format(form, value);
        for (Map.Entry<String, Reach> reach : REACHES.entrySet()) {
          Throwable said = thrown(reach.getValue(), open(), text);
          rounds++;
          if (said == null) {
            failed.add(reach.getKey() + " '" + text + "': nothing came back");
          } else if (printed(said).contains(value)) {
            failed.add(reach.getKey() + " '" + text + "': " + printed(said));
          }
        }
      }
    }
    assertThat(failed).as("%s of %s rounds print a secret of a text sent", failed.size(), rounds).isEmpty();
  }

  @Test
  void aTextWithoutSecretsKeepsTheTargetsWords() throws SQLException {
    for (Map.Entry<String, Reach> reach : REACHES.entrySet()) {
      Throwable said = thrown(reach.getValue(), open(), "select 'hello world'");
      assertThat(said).as(reach.getKey()).isNotNull();
      assertThat(said.getMessage()).as(reach.getKey()).contains("hello world");
      assertThat(said).as(reach.getKey()).isInstanceOf(SQLException.class);
      assertThat(((SQLException) said).getSQLState()).as(reach.getKey()).isIn("01000", "22P02", "24000");
    }
  }

  /**
   * A Statement shared by threads: one sent the secret text, two or more others' texts (no secret) are
   * on their way into the driver, which has not yet dropped the first text's warnings, when the first
   * thread asks for its warnings. The statement kept the last two texts only.
   */
  @Test
  void severalThreadsTextsOnTheirWayDoNotUnmaskTheWarnings() throws Exception {
    List<String> failed = new ArrayList<>();
    int rounds = 0;
    List<String> others = List.of("select 1", "INSERT INTO t VALUES (2)", "select 'x'", "select 2");
    for (String value : VALUES) {
      for (String form : SECRET_TEXTS) {
        for (int waiting = 1; waiting <= others.size(); waiting++) {
          String text = String.format(form, value);
          Statement statement = open().createStatement();
          statement.execute(text);
          CountDownLatch release = new CountDownLatch(1);
          List<Thread> threads = new ArrayList<>();
          AtomicReference<Throwable> thrown = new AtomicReference<>();
          for (String other : others.subList(0, waiting)) {
            CountDownLatch entered = new CountDownLatch(1);
            HOLDS.put(other, new CountDownLatch[] {entered, release});
            Thread sending = new Thread(() -> {
              try {
                statement.execute(other);
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
            sending.start();
            threads.add(sending);
            entered.await();
          }
          SQLWarning warnings = statement.getWarnings();
          release.countDown();
          for (Thread thread : threads) {
            thread.join();
          }
          HOLDS.clear();
          rounds++;
          assertThat(thrown.get()).isNull();
          if (warnings == null || printed(warnings).contains(value)) {
            failed.add(text + " beside " + waiting + " texts: " + (warnings == null ? "none" : printed(warnings)));
          }
        }
      }
    }
    assertThat(failed).as("%s of %s rounds print a secret of a text sent", failed.size(), rounds).isEmpty();
  }
}
