package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A server's notice (an SQLWarning) may quote the statement it is about. For every way of writing
 * the secret, every secret-bearing statement, every place of the quoting warning in the chain and
 * every way of running the statement (and of the result set and the connection), the warnings the
 * application reads hold no secret, stay SQLWarnings with their state and code, and a chain
 * quoting nothing is the driver's own.
 */
class WarningsTest {
  private static final String SECRET = "Sup3rSecretPw";
  private static final String OTHER_SECRET = "An0therPw";
  private static final List<String> WRITTEN = List.of("'" + SECRET + "'", "E'" + SECRET + "'", "$$" + SECRET + "$$",
      "$pw$" + SECRET + "$pw$", "'Sup3rSe'\n'cretPw'", "'Sup3r''SecretPw'");
  private static final List<String> STATEMENTS = List.of("ALTER USER bob PASSWORD %s",
      "create user carol with password %s createdb");

  /** The warnings the next statement gets: the text it ran, quoted at {@code place} in a chain of three. */
  private int place;

  private Connection target() {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (self, method, args) -> {
          Class<?> type = method.getReturnType();
          if (Statement.class.isAssignableFrom(type)) {
            String[] ran = {args != null && args.length > 0 && args[0] instanceof String sql ? sql : null};
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (s, m, a) -> {
              if ((m.getName().startsWith("execute") || m.getName().equals("addBatch")) && a != null && a.length > 0
                  && a[0] instanceof String sql) {
                ran[0] = sql;
              }
              if (m.getName().equals("getWarnings")) {
                return chain(bareValues ? bareValue(ran[0]) : "statement: " + ran[0]);
              }
              if (m.getReturnType() == java.sql.ResultSet.class) {
                String query = ran[0];
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {java.sql.ResultSet.class},
                    (r, rm, ra) -> rm.getName().equals("getWarnings") ? chain("rows of: " + query)
                        : GuardCoverageTest.defaultValue(rm.getReturnType()));
              }
              return GuardCoverageTest.defaultValue(m.getReturnType());
            });
          }
          if (method.getName().equals("getWarnings")) {
            return chain("connection: " + "alter user bob password '" + SECRET + "'");
          }
          return GuardCoverageTest.defaultValue(type);
        });
  }

  /**
   * A statement's warnings quote the secret of the text it ran alone, as a value, where no pattern
   * of a secret in SQL finds it: only the guard's knowledge of what ran masks it.
   */
  private boolean bareValues;

  private static String bareValue(String ran) {
    return ran.contains("Sup3r") ? "value " + SECRET : ran.contains(OTHER_SECRET) ? "value " + OTHER_SECRET : ran;
  }

  private SQLWarning chain(String quoting) {
    List<SQLWarning> warnings = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      warnings.add(new SQLWarning(i == place ? "NOTICE about " + quoting : "notice " + i, "01000", 10 + i));
    }
    warnings.get(0).setNextWarning(warnings.get(1));
    warnings.get(1).setNextWarning(warnings.get(2));
    return warnings.get(0);
  }

  interface Run {
    Statement run(Connection connection, String sql) throws SQLException;
  }

  private static final Map<String, Run> RUNS = Map.of(
      "execute", (c, sql) -> {
        Statement statement = c.createStatement();
        statement.execute(sql);
        return statement;
      },
      "executeUpdate", (c, sql) -> {
        Statement statement = c.createStatement();
        statement.executeUpdate(sql);
        return statement;
      },
      "prepareStatement", (c, sql) -> {
        var statement = c.prepareStatement(sql);
        statement.execute();
        return statement;
      },
      "prepareCall", (c, sql) -> {
        var statement = c.prepareCall(sql);
        statement.executeUpdate();
        return statement;
      });

  private static void assertMasked(SQLWarning warnings, String what) {
    int count = 0;
    for (SQLWarning w = warnings; w != null; w = w.getNextWarning()) {
      assertThat(w.getMessage()).as(what).doesNotContain(SECRET).doesNotContain("Sup3rSe").doesNotContain("cretPw");
      assertThat(w.getSQLState()).as(what).isEqualTo("01000");
      assertThat(w.getErrorCode()).as(what).isEqualTo(10 + count);
      count++;
    }
    assertThat(count).as("%s: the whole chain", what).isEqualTo(3);
  }

  /** One check of a secret-bearing statement, for every statement, spelling and place of the quoting warning. */
  interface Check {
    void run(String sql) throws SQLException;
  }

  /** Runs {@code check} on every statement in every spelling, the quoting warning at every place; returns how often. */
  private int forEverySecretAndPlace(Check check) throws SQLException {
    int checked = 0;
    for (String statement : STATEMENTS) {
      for (String written : WRITTEN) {
        String sql = String.format(Locale.ROOT, statement, written);
        for (place = 0; place < 3; place++) {
          check.run(sql);
          checked++;
        }
      }
    }
    return checked;
  }

  @Test
  void noWarningQuotesASecretOfTheStatement() throws SQLException {
    Connection connection = TestRegistry.guarded(target());
    int checked = forEverySecretAndPlace(sql -> {
      for (Map.Entry<String, Run> run : RUNS.entrySet()) {
        assertMasked(run.getValue().run(connection, sql).getWarnings(), run.getKey() + " " + place + ": " + sql);
      }
      assertMasked(connection.getWarnings(), "connection " + place);
      Statement query = connection.createStatement();
      assertMasked(query.executeQuery(sql).getWarnings(), "result set " + place + ": " + sql);
    });
    assertThat(checked).isEqualTo(STATEMENTS.size() * WRITTEN.size() * 3);
  }

  /** The warnings read after a batch ran quote its entries: masked as the entries' own secrets, not only by pattern. */
  @Test
  void noWarningAfterABatchQuotesASecretOfItsEntries() throws SQLException {
    Connection connection = TestRegistry.guarded(target());
    int checked = forEverySecretAndPlace(sql -> {
      for (List<String> batch : List.of(List.of(sql), List.of("select 1", sql), List.of(sql, "select 2"))) {
        Statement batched = connection.createStatement();
        for (String entry : batch) {
          batched.addBatch(entry);
        }
        batched.executeBatch();
        assertMasked(batched.getWarnings(), "batch " + batch + " " + place);
      }
    });
    assertThat(checked).isEqualTo(STATEMENTS.size() * WRITTEN.size() * 3);
  }

  /**
   * One statement running texts one after another, each quoted by the warnings read after it: the
   * same String again, an equal copy, a clean text between and a second secret, in every spelling.
   */
  @Test
  void warningsAfterEachOfSeveralTextsOnOneStatementQuoteNoSecretOfIt() throws SQLException {
    Connection connection = TestRegistry.guarded(target());
    bareValues = true;
    int checked = forEverySecretAndPlace(sql -> {
      String other = String.format(Locale.ROOT, STATEMENTS.get(1), "'" + OTHER_SECRET + "'");
      Statement statement = connection.createStatement();
      for (String text : List.of("SELECT 1", sql, sql, new String(sql), "SELECT 1", sql, other, sql)) {
        statement.execute(text);
        SQLWarning warnings = statement.getWarnings();
        assertMasked(warnings, "after " + text + " " + place);
        for (SQLWarning w = warnings; w != null; w = w.getNextWarning()) {
          assertThat(w.getMessage()).as(text).doesNotContain(OTHER_SECRET);
        }
      }
    });
    assertThat(checked).isEqualTo(STATEMENTS.size() * WRITTEN.size() * 3);
  }

  @Test
  void warningsQuotingNothingAreTheDriversOwn() throws SQLException {
    Connection connection = TestRegistry.guarded(target());
    place = 0;
    Statement statement = RUNS.get("execute").run(connection, "SELECT 1");
    SQLWarning warnings = statement.getWarnings();
    assertThat(warnings.getMessage()).isEqualTo("NOTICE about statement: SELECT 1");
    assertThat(warnings.getNextWarning().getMessage()).isEqualTo("notice 1");
  }
}
