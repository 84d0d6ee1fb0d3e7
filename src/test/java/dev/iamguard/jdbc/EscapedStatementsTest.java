package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.amazon.redshift.core.Parser;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver applies JDBC escape processing before it sends a text: the Redshift driver (and H2's)
 * sends {@code {oj CREATE PROCEDURE ...}} as {@code CREATE PROCEDURE ...}. The guard decides on the
 * text as the driver will send it: for every statement the guard denies written plainly, every
 * spelling of the {@code {oj} escape around it, every position in a script, and every SQL entry
 * point, the escaped text is denied and nothing of it is sent. The target here applies the
 * Redshift driver's own escape processing ({@code Parser.replaceProcessing}).
 */
class EscapedStatementsTest {
  private static final String NOBODY = "arn:aws:iam::123456789012:role/Nobody";
  /** Statements the guard denies written plainly; the first two hide their COPY in a procedure body. */
  private static final List<String> DENIED = List.of(
      "CREATE PROCEDURE p() AS $$ BEGIN COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + NOBODY
          + "'; END $$ LANGUAGE plpgsql",
      "create or replace procedure p() as 'begin copy t from ''s3://lake/in/t/'' iam_role ''" + NOBODY
          + "''; end' language plpgsql",
      "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + NOBODY + "'",
      "UNLOAD ('select 1') TO 's3://lake/out/x_' IAM_ROLE '" + NOBODY + "'");
  private static final List<String> ESCAPES = List.of("{oj %s}", "{OJ %s}", "{Oj %s }", "{oj  %s\n}");
  private static final List<String> POSITIONS = List.of("%s", "select 1;\n%s", "%s;\nselect 2", "/* c */ %s");

  @TempDir
  java.nio.file.Path dir;

  /** What the Redshift driver sends for {@code sql}, escape processing on. */
  static String redshiftSends(String sql) throws SQLException {
    return Parser.replaceProcessing(sql, true, true);
  }

  /** The texts the target sent (escapes applied, as the driver does). */
  private final List<String> sent = new ArrayList<>();

  private Connection target() {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (self, method, args) -> {
          Class<?> type = method.getReturnType();
          if (method.getName().equals("nativeSQL")) {
            return redshiftSends((String) args[0]);
          }
          if (Statement.class.isAssignableFrom(type)) {
            if (args != null && args.length > 0 && args[0] instanceof String sql) {
              sent.add(redshiftSends(sql)); // prepared: the driver parses (and the server sees) the text now
            }
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (s, m, a) -> {
              if ((m.getName().startsWith("execute") || m.getName().equals("addBatch")) && a != null
                  && a.length > 0 && a[0] instanceof String sql) {
                sent.add(redshiftSends(sql));
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

  interface Entry {
    void run(Connection connection, String sql) throws SQLException;
  }

  private static final Map<String, Entry> ENTRIES = Map.of(
      "execute", (c, sql) -> c.createStatement().execute(sql),
      "executeUpdate", (c, sql) -> c.createStatement().executeUpdate(sql, Statement.NO_GENERATED_KEYS),
      "executeLargeUpdate", (c, sql) -> c.createStatement().executeLargeUpdate(sql),
      "executeQuery", (c, sql) -> c.createStatement().executeQuery(sql),
      "prepareStatement", (c, sql) -> c.prepareStatement(sql).execute(),
      "prepareCall", (c, sql) -> c.prepareCall(sql).execute(),
      "addBatch", (c, sql) -> c.createStatement().addBatch(sql),
      "nativeSQL", Connection::nativeSQL);

  @Test
  void anEscapeAroundADeniedStatementIsDeniedToo() throws SQLException {
    Connection connection = TestRegistry.guarded(target());
    int checked = 0;
    for (String statement : DENIED) {
      assertThat((Throwable) catchThrowableOfType(GuardDeniedException.class, () -> connection.createStatement().execute(statement)))
          .as("denied as written: %s", statement).isNotNull();
      for (String escape : ESCAPES) {
        String escaped = String.format(Locale.ROOT, escape, statement);
        assertThat(redshiftSends(escaped).strip()).as("the driver unwraps %s", escaped).startsWith(statement);
        for (String position : POSITIONS) {
          String text = String.format(Locale.ROOT, position, escaped);
          for (Map.Entry<String, Entry> entry : ENTRIES.entrySet()) {
            sent.clear();
            GuardDeniedException denied = catchThrowableOfType(GuardDeniedException.class,
                () -> entry.getValue().run(connection, text));
            assertThat((Throwable) denied).as("%s: %s", entry.getKey(), text).isNotNull();
            assertThat(sent).as("%s: %s", entry.getKey(), text).isEmpty();
            checked++;
          }
        }
      }
    }
    assertThat(checked).isEqualTo(DENIED.size() * ESCAPES.size() * POSITIONS.size() * ENTRIES.size());
  }

  @Test
  void escapesTheGuardAllowsStillRun() throws SQLException {
    Connection connection = TestRegistry.guarded(target());
    List<String> allowed = List.of("SELECT * FROM {oj a LEFT OUTER JOIN b ON a.x = b.x}", "SELECT {fn concat('a', 'b')}",
        "SELECT '{oj COPY}' AS text", "{oj COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "'}");
    for (String text : allowed) {
      sent.clear();
      connection.createStatement().execute(text);
      PreparedStatement prepared = connection.prepareStatement(text);
      prepared.execute();
      assertThat(sent).as(text).containsExactly(redshiftSends(text), redshiftSends(text));
    }
  }

  @Test
  void onH2TheEscapedProcedureIsDeniedAsWell() throws SQLException {
    Properties properties = TestRegistry.properties("etl");
    properties.setProperty("iamguard.local-s3", dir.toString());
    try (Connection connection = DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID(), properties);
        Statement statement = connection.createStatement()) {
      for (String escape : ESCAPES) {
        String text = String.format(Locale.ROOT, escape, DENIED.get(0));
        assertThat((Throwable) catchThrowableOfType(GuardDeniedException.class, () -> statement.execute(text))).as(text).isNotNull();
      }
    }
  }
}
