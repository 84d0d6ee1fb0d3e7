package dev.iamguard.local;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An H2 connection that runs Redshift SQL: every SQL text handed to it (statements, prepared and
 * callable statements, batches, {@code nativeSQL}) is rewritten by {@link RedshiftDialect} just
 * before H2 sees it, and the session lets the date part words Redshift allows as column names
 * ({@code day}, {@code month}, {@code year}, ...) name columns. iamguard puts this under the guard
 * for H2 targets only: the guard decides on the text as written, and a real Redshift never sees a
 * rewritten text.
 *
 * <p>Each kind of table attribute dropped (DISTKEY, SORTKEY, ...) is logged once per run on
 * {@code dev.iamguard.local}.
 */
public final class RedshiftOnH2 {
  private static final Logger LOG = LoggerFactory.getLogger("dev.iamguard.local");
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
  /**
   * H2 keywords that Redshift does not reserve, so Redshift scripts use them as column names
   * (TICKIT's {@code date} table has {@code day}, {@code month} and {@code year}). H2 still reads
   * them as date parts where its grammar expects one (EXTRACT, DATEADD, INTERVAL).
   */
  static final String NON_KEYWORDS = "DAY,HOUR,MINUTE,MONTH,SECOND,YEAR,VALUE,KEY";

  private RedshiftOnH2() {}

  /**
   * {@code h2} wrapped so that it reads Redshift SQL; the session's non-keywords are extended
   * (those already set are kept).
   */
  public static Connection wrap(Connection h2) throws SQLException {
    if (Proxy.isProxyClass(h2.getClass()) && Proxy.getInvocationHandler(h2) instanceof ConnectionHandler) {
      return h2;
    }
    Set<String> words = new LinkedHashSet<>();
    try (Statement statement = h2.createStatement();
         ResultSet rs = statement.executeQuery(
             "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'NON_KEYWORDS'")) {
      if (rs.next() && rs.getString(1) != null) {
        for (String word : rs.getString(1).split(",")) {
          if (!word.isBlank()) {
            words.add(word.trim());
          }
        }
      }
      words.addAll(Set.of(NON_KEYWORDS.split(",")));
      statement.execute("SET NON_KEYWORDS " + String.join(", ", words));
    }
    return (Connection) Proxy.newProxyInstance(RedshiftOnH2.class.getClassLoader(), new Class<?>[] {Connection.class},
        new ConnectionHandler(h2));
  }

  /** {@code connection} without this wrapper (itself when it is not wrapped). */
  static Connection unwrapped(Connection connection) {
    if (Proxy.isProxyClass(connection.getClass())
        && Proxy.getInvocationHandler(connection) instanceof ConnectionHandler handler) {
      return handler.target;
    }
    return connection;
  }

  /** {@code sql} as H2 runs it on {@code connection}. */
  static String toH2(String sql, Connection connection) throws SQLException {
    return RedshiftDialect.toH2(sql, (table, defaults) -> columnsLike(connection, table, defaults),
        RedshiftOnH2::dropped);
  }

  private static void dropped(String kind) {
    if (LOGGED.add(kind)) {
      LOG.info("Redshift {} accepted and dropped on the local database: it has no effect there (logged once)", kind);
    }
  }

  /** The columns of {@code table} as H2 column definitions, for CREATE TABLE ... (LIKE table). */
  static String columnsLike(Connection connection, String table, boolean defaults) throws SQLException {
    StringBuilder columns = new StringBuilder();
    try (Statement statement = connection.createStatement();
         ResultSet rs = statement.executeQuery("SELECT * FROM " + table + " WHERE 1=0")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        String name = md.getColumnName(i);
        columns.append(i == 1 ? "" : ", ").append('"').append(name.replace("\"", "\"\"")).append("\" ")
            .append(typeOf(md, i));
        if (defaults) {
          String value = defaultOf(connection, md, i);
          if (value != null) {
            columns.append(" DEFAULT ").append(value);
          }
        }
        if (md.isNullable(i) == ResultSetMetaData.columnNoNulls) {
          columns.append(" NOT NULL");
        }
      }
    }
    return columns.toString();
  }

  private static String typeOf(ResultSetMetaData md, int i) throws SQLException {
    String type = md.getColumnTypeName(i).toUpperCase(Locale.ROOT);
    return switch (type) {
      case "CHARACTER", "CHARACTER VARYING", "BINARY", "BINARY VARYING", "VARCHAR_IGNORECASE" ->
          type + "(" + md.getPrecision(i) + ")";
      case "NUMERIC", "DECIMAL" -> type + "(" + md.getPrecision(i) + ", " + md.getScale(i) + ")";
      case "TIMESTAMP", "TIME" -> type + "(" + md.getScale(i) + ")";
      case "TIMESTAMP WITH TIME ZONE" -> "TIMESTAMP(" + md.getScale(i) + ") WITH TIME ZONE";
      case "TIME WITH TIME ZONE" -> "TIME(" + md.getScale(i) + ") WITH TIME ZONE";
      default -> type;
    };
  }

  private static String defaultOf(Connection connection, ResultSetMetaData md, int i) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    try (ResultSet columns = meta.getColumns(md.getCatalogName(i), md.getSchemaName(i), md.getTableName(i),
        md.getColumnName(i))) {
      return columns.next() ? columns.getString("COLUMN_DEF") : null;
    }
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** What both proxies answer alike: identity, a name, and unwrap to the H2 object below. */
  private static Object wrapperMethod(Object proxy, Wrapper target, String name, Object[] args)
      throws SQLException {
    return switch (name) {
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      case "toString" -> "redshift-on-h2:" + target;
      case "unwrap" -> ((Class<?>) args[0]).isInstance(proxy) ? proxy : target.unwrap((Class<?>) args[0]);
      default -> ((Class<?>) args[0]).isInstance(proxy) || target.isWrapperFor((Class<?>) args[0]);
    };
  }

  /** The connection: statements it creates are wrapped, SQL it prepares is rewritten. */
  private static final class ConnectionHandler implements InvocationHandler {
    private final Connection target;

    ConnectionHandler(Connection target) {
      this.target = target;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      switch (name) {
        case "equals", "hashCode", "toString", "unwrap", "isWrapperFor" -> {
          return wrapperMethod(proxy, target, name, args);
        }
        case "prepareStatement", "prepareCall", "nativeSQL" -> {
          args[0] = toH2((String) args[0], target);
          return RedshiftOnH2.invoke(target, method, args);
        }
        case "createStatement" -> {
          Statement statement = (Statement) RedshiftOnH2.invoke(target, method, args);
          return Proxy.newProxyInstance(RedshiftOnH2.class.getClassLoader(), new Class<?>[] {Statement.class},
              new StatementHandler(statement, target, (Connection) proxy));
        }
        default -> {
          return RedshiftOnH2.invoke(target, method, args);
        }
      }
    }
  }

  /** A plain statement: every SQL text it runs or batches is rewritten first. */
  private static final class StatementHandler implements InvocationHandler {
    private final Statement target;
    private final Connection connection;
    private final Connection proxyConnection;
    /**
     * The last text the dialect left as it was: applications send the same texts again and again,
     * and a text without anything to rewrite stays so (only CREATE TABLE ... LIKE reads the
     * catalog, and it is always rewritten), so a repeat costs a comparison instead of a lexer pass.
     */
    private String lastUnchanged = "";

    StatementHandler(Statement target, Connection connection, Connection proxyConnection) {
      this.target = target;
      this.connection = connection;
      this.proxyConnection = proxyConnection;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      switch (name) {
        case "equals", "hashCode", "toString", "unwrap", "isWrapperFor" -> {
          return wrapperMethod(proxy, target, name, args);
        }
        case "getConnection" -> {
          return proxyConnection;
        }
        case "execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch" -> {
          if (args != null && args.length > 0 && args[0] instanceof String sql && !sql.equals(lastUnchanged)) {
            String h2 = toH2(sql, connection);
            if (h2.equals(sql)) {
              lastUnchanged = sql;
            }
            args[0] = h2;
          }
          return RedshiftOnH2.invoke(target, method, args);
        }
        default -> {
          return RedshiftOnH2.invoke(target, method, args);
        }
      }
    }
  }
}
