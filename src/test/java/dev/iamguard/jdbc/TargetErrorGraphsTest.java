package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A driver's error is a graph: causes, next exceptions, and suppressed exceptions (a failed
 * close or rollback added while the error propagated), each with its own. Wherever in that graph
 * a message quotes a secret of the text sent, up to three links deep, the application's error
 * (through every SQL entry point) holds no message, cause, next or suppressed exception that
 * prints it.
 */
class TargetErrorGraphsTest {
  private static final String SECRET = "Sup3rSecretPw";
  private static final String SQL = "create user carol password '" + SECRET + "'";

  /** The links by which an error reaches another. */
  enum Link { CAUSE, NEXT, SUPPRESSED }

  /** Every path of up to three links from the top error: where the quoting message is placed. */
  static List<List<Link>> paths() {
    List<List<Link>> paths = new ArrayList<>(List.of(List.of()));
    for (int depth = 0; depth < 3; depth++) {
      List<List<Link>> longer = new ArrayList<>();
      for (List<Link> path : paths) {
        if (path.size() == depth) {
          for (Link link : Link.values()) {
            List<Link> next = new ArrayList<>(path);
            next.add(link);
            longer.add(next);
          }
        }
      }
      paths.addAll(longer);
    }
    return paths;
  }

  /** An error whose only quoting message sits at the end of {@code path}; every other message is harmless. */
  private static SQLException graph(List<Link> path) {
    return graph(path, "value '" + SECRET + "' refused");
  }

  /** An error whose only message holding {@code quoting} sits at the end of {@code path}. */
  static SQLException graph(List<Link> path, String quoting) {
    SQLException top = new SQLException(path.isEmpty() ? quoting : "statement failed", "42000", 1);
    Throwable at = top;
    for (int i = 0; i < path.size(); i++) {
      boolean last = i == path.size() - 1;
      SQLException linked = new SQLException(last ? quoting : "link " + i, "42000", 2);
      switch (path.get(i)) {
        case CAUSE -> at.initCause(linked);
        case NEXT -> {
          if (at instanceof SQLException sql) {
            sql.setNextException(linked);
          } else {
            at.initCause(linked);
          }
        }
        case SUPPRESSED -> at.addSuppressed(linked);
      }
      at = linked;
    }
    return top;
  }

  private static void assertNoSecret(Throwable error, String what) {
    assertThat(error).as(what).isNotNull();
    assertThat(TargetErrorsTest.messages(error)).as(what).noneMatch(message -> message.contains(SECRET));
  }

  @Test
  void noPathToAQuotingMessageSurvivesMasking() {
    int checked = 0;
    for (List<Link> path : paths()) {
      SQLException original = graph(path);
      assertThat(TargetErrorsTest.messages(original)).as("the graph quotes the secret at %s", path).anyMatch(m -> m.contains(SECRET));
      SQLException masked = TargetErrors.masked(original, SQL);
      assertNoSecret(masked, path.toString());
      assertThat(masked.getSQLState()).isEqualTo("42000");
      checked++;
    }
    assertThat(checked).isEqualTo(1 + 3 + 9 + 27);
  }

  interface Entry {
    void run(Connection connection) throws SQLException;
  }

  /** A target whose every SQL call throws the error {@code errors} makes. */
  private static Connection failing(Supplier<SQLException> errors) {
    return (Connection) Proxy.newProxyInstance(TargetErrorGraphsTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (self, method, args) -> {
          Class<?> type = method.getReturnType();
          if (Statement.class.isAssignableFrom(type)) {
            return Proxy.newProxyInstance(TargetErrorGraphsTest.class.getClassLoader(), new Class<?>[] {type},
                (s, m, a) -> {
                  if (m.getName().startsWith("execute") || m.getName().equals("addBatch")) {
                    throw errors.get();
                  }
                  return GuardCoverageTest.defaultValue(m.getReturnType());
                });
          }
          if (method.getName().equals("nativeSQL")) {
            throw errors.get();
          }
          return GuardCoverageTest.defaultValue(type);
        });
  }

  @Test
  void throughEveryEntryPoint() throws SQLException {
    Map<String, Entry> entries = Map.of(
        "execute", c -> c.createStatement().execute(SQL),
        "executeUpdate", c -> c.createStatement().executeUpdate(SQL, Statement.RETURN_GENERATED_KEYS),
        "executeLargeUpdate", c -> c.createStatement().executeLargeUpdate(SQL),
        "prepared execute", c -> c.prepareStatement(SQL).execute(),
        "callable executeUpdate", c -> c.prepareCall(SQL).executeUpdate(),
        "batch", c -> {
          Statement statement = c.createStatement();
          statement.addBatch(SQL);
        },
        "prepared batch", c -> {
          PreparedStatement statement = c.prepareStatement(SQL);
          statement.executeBatch();
        },
        "nativeSQL", c -> c.nativeSQL(SQL));
    int checked = 0;
    for (List<Link> path : paths()) {
      Connection connection = TestRegistry.guarded(failing(() -> graph(path)));
      for (Map.Entry<String, Entry> entry : entries.entrySet()) {
        SQLException error = catchThrowableOfType(SQLException.class, () -> entry.getValue().run(connection));
        assertNoSecret(error, entry.getKey() + " " + path);
        checked++;
      }
    }
    assertThat(checked).isEqualTo(40 * entries.size());
  }
}
