package dev.iamguard.spark;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The JDBC calls Spark's Redshift connector (spark-redshift community edition 6.x, for Spark 3.5)
 * makes, in its order and on its threads, for a write (RedshiftWriter.saveToRedshift) and a read
 * (RedshiftRelation.buildScan), with the statements it builds. Written from the connector's
 * source (data/JDBCWrapper, RedshiftWriter, RedshiftRelation, TableName, RedshiftWrapper), which
 * is not published for Spark 3.5 on Maven Central, so that iamguard is tested against the same
 * contract: the driver is taken from {@link DriverManager#getDrivers()} by class name (the
 * {@code jdbcdriver} option), connected with {@code user}, {@code password}, {@code applicationname}
 * and every {@code jdbc.X} option as property {@code X}; each statement is prepared on the caller's
 * thread and run ({@code execute}, {@code executeQuery}, {@code getMetaData}) on a cached pool
 * thread, whose SQLException comes back wrapped ("Exception thrown in awaitResult: ").
 */
final class ConnectorJdbc implements AutoCloseable {
  static final String DRIVER = "dev.iamguard.jdbc.Driver";
  /** The label the connector's getApplicationName gives when the application sets none. */
  static final String APPLICATION_NAME = "spark-redshift-connector";

  private final Map<String, String> options;
  private final ExecutorService pool;

  /**
   * @param options the connector's options as a Spark job gives them ({@code url}, {@code user},
   *     {@code password}, {@code jdbc.iamguard.registry}, ...)
   */
  ConnectorJdbc(Map<String, String> options) {
    this.options = Map.copyOf(options);
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "spark-redshift-JDBCWrapper-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  // ---- JDBCWrapper

  /** getConnector: the registered driver of class {@link #DRIVER}, connected as the options say. */
  Connection connect() throws SQLException {
    Driver driver = Collections.list(DriverManager.getDrivers()).stream()
        .filter(d -> DRIVER.equals(d.getClass().getCanonicalName()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Did not find registered driver with class " + DRIVER));
    Properties properties = new Properties();
    copy("user", properties);
    copy("password", properties);
    options.forEach((key, value) -> {
      if (key.startsWith("jdbc.") && key.length() > "jdbc.".length()) {
        properties.setProperty(key.substring("jdbc.".length()), value);
      }
    });
    String url = options.get("url");
    if (!url.toLowerCase().contains("applicationname=") && !properties.containsKey("applicationname")) {
      properties.setProperty("applicationname", APPLICATION_NAME);
    }
    return driver.connect(url, properties);
  }

  private void copy(String key, Properties properties) {
    if (options.containsKey(key)) {
      properties.setProperty(key, options.get(key));
    }
  }

  /** getConnectorWithQueryGroup: sets the query group; a connection that refuses it is replaced. */
  Connection connectWithQueryGroup(String queryGroup) throws SQLException {
    Connection connection = connect();
    try {
      execute(connection, "set query_group to '" + queryGroup + "'");
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      return connect();
    }
  }

  /** executeInterruptibly(conn, sql): prepareStatement(sql), then execute() on a pool thread. */
  boolean execute(Connection connection, String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    return onPool(statement::execute);
  }

  /** executeQueryInterruptibly(conn, sql): prepareStatement(sql), then executeQuery() on a pool thread. */
  ResultSet executeQuery(Connection connection, String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    return onPool(statement::executeQuery);
  }

  /** executeUpdateInterruptibly(conn, sql): prepareStatement(sql), then executeLargeUpdate() on a pool thread. */
  long executeLargeUpdate(Connection connection, String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    return onPool(statement::executeLargeUpdate);
  }

  /** resolveTable: the columns of {@code SELECT * FROM table LIMIT 1}, from the prepared statement's metadata. */
  List<String> resolveTable(Connection connection, String table) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT * FROM " + table + " LIMIT 1")) {
      ResultSetMetaData md = onPool(statement::getMetaData);
      List<String> columns = new java.util.ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        columns.add(md.getColumnLabel(i));
      }
      return columns;
    }
  }

  private interface Call<T> {
    T call() throws SQLException;
  }

  private <T> T onPool(Call<T> op) throws SQLException {
    Future<T> future = pool.submit(op::call);
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw new SQLException("Exception thrown in awaitResult: ", sql);
      }
      throw new IllegalStateException("Exception thrown in awaitResult: ", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted", e);
    }
  }

  // ---- the statements the connector builds

  /** TableName.toString of a table name without schema: the connector puts it in PUBLIC, both quoted. */
  static String table(String name) {
    return "\"PUBLIC\".\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** RedshiftWriter.createTableSql, with the schema string RedshiftWrapper.schemaString makes. */
  static String createTable(String table, String schemaSql, String distStyle) {
    return "CREATE TABLE IF NOT EXISTS " + table + " (" + schemaSql + ") "
        + (distStyle == null ? "" : "DISTSTYLE " + distStyle) + "  ";
  }

  /** RedshiftWriter.copySql for tempformat AVRO (the default), without a column list, region or extra options. */
  static String copy(String table, String manifestUrl, String credentials) {
    String copy = "COPY " + table + " FROM '" + manifestUrl + "'" + " FORMAT AS AVRO 'auto'  manifest" + " " + " ";
    return copy + " CREDENTIALS '" + credentials + "'";
  }

  /** RedshiftRelation.buildUnloadStmt, unload_s3_format PARQUET (the default) or TEXT. */
  static String unload(List<String> columns, String table, String tempDir, String credentials, boolean parquet) {
    String columnList = columns.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", "));
    String query = ("SELECT " + columnList + " FROM " + table + " ").replace("\\", "\\\\").replace("'", "\\'");
    String manifest = parquet ? "FORMAT AS PARQUET  MANIFEST" : "ESCAPE MANIFEST NULL AS '@NULL@'";
    return String.join(" ", "UNLOAD ('" + query + "') TO '" + tempDir + "'", "WITH CREDENTIALS '" + credentials + "'",
        manifest, "", "", "");
  }

  static String role(String arn) {
    return "aws_iam_role=" + arn;
  }

  // ---- the flows

  /**
   * RedshiftWriter.saveToRedshift in SaveMode.Overwrite, with copyretrycount=0: a transaction that
   * drops and creates the table and COPYs the staged manifest, committed at the end; a failed COPY
   * is rolled back, STL_LOAD_ERRORS is asked (and may fail), and the COPY's exception is thrown.
   */
  void saveToRedshift(String table, String schemaSql, String manifestUrl, String credentials) throws SQLException {
    Connection connection = connectWithQueryGroup(queryGroup("Write"));
    connection.setAutoCommit(false);
    try {
      execute(connection, "DROP TABLE IF EXISTS " + table + ";");
      execute(connection, createTable(table, schemaSql, "EVEN"));
      String copy = copy(table, manifestUrl, credentials);
      try {
        execute(connection, copy);
      } catch (SQLException e) {
        connection.rollback();
        SQLException detailed = null;
        try (ResultSet errors = executeQuery(connection,
            "\n SELECT *\n FROM stl_load_errors\n WHERE query = pg_last_query_id()\n")) {
          if (errors.next()) {
            detailed = new SQLException("Error (code " + errors.getInt("err_code") + ") while loading data into Redshift", e);
          }
        } catch (SQLException | RuntimeException lookup) {
          // the connector logs it and throws the COPY's own exception
        }
        throw detailed != null ? detailed : e;
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        // logged by the connector
      }
      throw e;
    } finally {
      connection.close();
    }
  }

  /**
   * RedshiftRelation.buildScan: the schema through resolveTable on one connection, then the UNLOAD
   * on another (with the query group, autocommit on). Returns the columns read.
   */
  List<String> unloadToTempDir(String table, String tempDir, String credentials, boolean parquet) throws SQLException {
    List<String> columns;
    try (Connection connection = connect()) {
      columns = resolveTable(connection, table);
    }
    try (Connection connection = connectWithQueryGroup(queryGroup("Read"))) {
      execute(connection, unload(columns, table, tempDir, credentials, parquet));
    }
    return columns;
  }

  /** Utils.queryGroupInfo: a JSON label the connector sets as the query group. */
  static String queryGroup(String operation) {
    return "{\"spark-redshift-connector\":{\"svc\":\"\",\"ver\":\"6.x-3.5\",\"op\":\"" + operation
        + "\",\"lbl\":\"\",\"tid\":\"\"}}";
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
