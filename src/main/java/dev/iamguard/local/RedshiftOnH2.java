package dev.iamguard.local;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * H2 running Redshift SQL: every SQL text sent to an H2 target (statements, prepared and callable
 * statements, batches, {@code nativeSQL}) is rewritten by {@link RedshiftDialect} just before H2
 * sees it ({@link #toH2}), and the session lets the date part words Redshift allows as column names
 * ({@code day}, {@code month}, {@code year}, ...) name columns ({@link #readRedshiftNames}). The
 * jdbc package puts a layer doing this under the guard for H2 targets only: the guard decides on
 * the text as written, and a real Redshift never sees a rewritten text.
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
   * Lets the session of {@code h2} read Redshift column names: the session's non-keywords are
   * extended with {@link #NON_KEYWORDS} (those already set are kept). The SQL texts themselves
   * are rewritten by {@link #toH2} by whoever sends them (the guard's H2 dialect layer).
   */
  public static void readRedshiftNames(Connection h2) throws SQLException {
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
  }

  /**
   * {@code sql} as H2 runs it on {@code connection} (the plain H2 connection: {@code CREATE TABLE
   * ... (LIKE t)} reads the catalog through it).
   */
  public static String toH2(String sql, Connection connection) throws SQLException {
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
}
