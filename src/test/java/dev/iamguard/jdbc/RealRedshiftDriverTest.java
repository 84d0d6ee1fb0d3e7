package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazon.redshift.RedshiftConnection;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.iamguard.policy.Finding;
import java.sql.BatchUpdateException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guard around the real Redshift driver (com.amazon.redshift.Driver), talking to a throwaway
 * PostgreSQL ({@link LocalPostgres}) through {@link StartupRewritingSocketFactory}.
 *
 * <p>How a test tells "sent" from "stopped": a COPY or UNLOAD that reaches PostgreSQL fails there
 * with SQLState 42601 (syntax error), a stopped one fails with the guard's 42501 before anything
 * is sent. Every statement carries a unique {@code marker-<uuid>} comment, and the server logs
 * every statement it receives ({@code log_statement = all}, plus {@code STATEMENT:} after an
 * error), so a denied marker must be missing from the server log while an allowed one sent after
 * it is present (which proves the log check can see statements at all).
 */
class RealRedshiftDriverTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String REGISTRY = "classpath:jdbc/real-driver-registry.yaml";
  private static final String CLUSTER = "local-cluster";
  private static final String ROLE = "arn:aws:iam::123456789012:role/RealDriverLoader";
  private static final String UNKNOWN_ROLE = "arn:aws:iam::123456789012:role/NotInTheRegistry";
  private static final String SYNTAX_ERROR = "42601";

  // ---- plain JDBC through jdbc:iamguard:redshift://

  @Test
  void queriesDdlPreparedAndCallableStatementsWork() throws SQLException {
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE rd_items (id INT PRIMARY KEY, name VARCHAR(40))");
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO rd_items VALUES (?, ?)")) {
        insert.setInt(1, 1);
        insert.setString(2, "anvil");
        assertThat(insert.executeUpdate()).isEqualTo(1);
        insert.setInt(1, 2);
        insert.setString(2, "rope");
        assertThat(insert.executeUpdate()).isEqualTo(1);
      }
      try (PreparedStatement query = connection.prepareStatement("SELECT name FROM rd_items WHERE id > ? ORDER BY id")) {
        query.setInt(1, 0);
        assertThat(strings(query.executeQuery())).containsExactly("anvil", "rope");
      }
      statement.execute("CREATE PROCEDURE rd_twice(INOUT n INT) LANGUAGE plpgsql AS $$ BEGIN n := n * 2; END $$");
      try (CallableStatement call = connection.prepareCall("{call rd_twice(?)}")) {
        call.registerOutParameter(1, Types.INTEGER);
        call.setInt(1, 21);
        call.execute();
        assertThat(call.getInt(1)).isEqualTo(42);
        assertThat(call.getConnection()).isSameAs(connection);
      }
      try (ResultSet count = statement.executeQuery("SELECT count(*) FROM rd_items")) {
        assertThat(count.next()).isTrue();
        assertThat(count.getInt(1)).isEqualTo(2);
      }
      statement.execute("DROP TABLE rd_items");
    }
  }

  @Test
  void settingsWorkAsUrlArgumentsAndAreRemovedFromTheTargetUrl() throws SQLException {
    String url = guardUrl() + "?" + Setting.REGISTRY.key() + "=" + REGISTRY + "&ssl=false&" + Setting.CLUSTER.key()
        + "=" + CLUSTER + "&socketFactory=" + StartupRewritingSocketFactory.class.getName();
    String denied = marker();
    try (Connection connection = DriverManager.getConnection(url, LocalPostgres.USER, POSTGRES.password());
        Statement statement = connection.createStatement()) {
      assertThat(connection.getMetaData().getURL()).startsWith("jdbc:redshift:").contains("ssl=false")
          .doesNotContain(Setting.REGISTRY.key(), Setting.CLUSTER.key());
      assertDenied(assertThrows(SQLException.class,
          () -> statement.execute(copy("s3://another-bucket/x.csv", ROLE, denied))), "S3_NOT_PERMITTED");
      assertThat(statement.execute("SELECT 1; SELECT 2")).isTrue();
      assertThat(statement.getResultSet().getStatement()).isSameAs(statement);
      assertThat(strings(statement.getResultSet())).containsExactly("1");
      assertThat(statement.getMoreResults()).isTrue();
      assertThat(strings(statement.getResultSet())).containsExactly("2");
    }
    assertNeverReachedServer(denied);
  }

  @Test
  void bothBatchKindsWork() throws SQLException {
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE rd_batch (id INT, source VARCHAR(20))");
      statement.addBatch("INSERT INTO rd_batch VALUES (1, 'statement')");
      statement.addBatch("INSERT INTO rd_batch VALUES (2, 'statement')");
      assertThat(statement.executeBatch()).containsExactly(1, 1);
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO rd_batch VALUES (?, 'prepared')")) {
        for (int id = 3; id <= 5; id++) {
          insert.setInt(1, id);
          insert.addBatch();
        }
        assertThat(insert.executeBatch()).containsExactly(1, 1, 1);
      }
      assertThat(strings(statement.executeQuery("SELECT source || id FROM rd_batch ORDER BY id")))
          .containsExactly("statement1", "statement2", "prepared3", "prepared4", "prepared5");
    }
  }

  @Test
  void transactionsCommitAndRollBack() throws SQLException {
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE rd_tx (id INT)");
      connection.setAutoCommit(false);
      statement.executeUpdate("INSERT INTO rd_tx VALUES (1)");
      connection.rollback();
      statement.executeUpdate("INSERT INTO rd_tx VALUES (2)");
      connection.commit();
      connection.setAutoCommit(true);
      assertThat(strings(statement.executeQuery("SELECT id FROM rd_tx"))).containsExactly("2");
    }
  }

  @Test
  void schemasComeFromTheMetadata() throws SQLException {
    try (Connection connection = open()) {
      DatabaseMetaData metaData = connection.getMetaData();
      assertThat(metaData.getURL()).contains("127.0.0.1:" + POSTGRES.port());
      assertThat(metaData.getUserName()).isEqualTo(LocalPostgres.USER);
      assertThat(strings(metaData.getSchemas())).contains("public", "pg_catalog");
    }
  }

  // ---- what reaches the server

  @Test
  void allowedCopyAndUnloadReachTheServer() throws SQLException {
    String copyMarker = marker();
    String unloadMarker = marker();
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      SQLException copy = assertThrows(SQLException.class, () -> statement.execute(allowedCopy(copyMarker)));
      assertThat((Throwable) copy).isNotInstanceOf(GuardDeniedException.class);
      assertThat(copy.getSQLState()).as("PostgreSQL's syntax error, not the guard's 42501").isEqualTo(SYNTAX_ERROR);
      assertThat((Throwable) copy).hasMessageContaining("IAM_ROLE");

      SQLException unload = assertThrows(SQLException.class, () -> statement.execute(
          "UNLOAD ('SELECT 1') TO 's3://iamguard-real-driver/out/part_' IAM_ROLE '" + ROLE + "' /* " + unloadMarker + " */"));
      assertThat(unload.getSQLState()).isEqualTo(SYNTAX_ERROR);

      assertThat(selectOne(connection)).as("the connection is still usable").isEqualTo(1);
    }
    assertReachedServer(copyMarker);
    assertReachedServer(unloadMarker);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ROLE_UNKNOWN", "S3_NOT_PERMITTED"})
  void deniedCopyNeverReachesTheServer(String rule) throws SQLException {
    String denied = marker();
    String sql = rule.equals("ROLE_UNKNOWN")
        ? copy("s3://iamguard-real-driver/in/part-0.csv", UNKNOWN_ROLE, denied)
        : copy("s3://another-bucket/in/part-0.csv", ROLE, denied);
    String allowed = marker();
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      List<SQLException> denials = new ArrayList<>();
      denials.add(assertThrows(SQLException.class, () -> statement.execute(sql)));
      denials.add(assertThrows(SQLException.class, () -> statement.executeUpdate(sql)));
      denials.add(assertThrows(SQLException.class, () -> connection.prepareStatement(sql)));
      for (SQLException denial : denials) {
        assertDenied(denial, rule);
      }
      assertThat(selectOne(connection, allowed)).as("the connection is still usable").isEqualTo(1);
    }
    assertReachedServer(allowed);
    assertNeverReachedServer(denied);
  }

  /**
   * The Redshift driver applies JDBC escapes before sending ({@code {oj CREATE PROCEDURE ...}} goes
   * out as {@code CREATE PROCEDURE ...}): the guard decides on what the driver sends.
   */
  @Test
  void aStatementInsideAJdbcEscapeIsDecidedAsTheDriverSendsIt() throws SQLException {
    String denied = marker();
    String allowed = marker();
    String procedure = "CREATE PROCEDURE rd_hidden() AS $$ BEGIN "
        + copy("s3://iamguard-real-driver/in/part-0.csv", UNKNOWN_ROLE, denied) + "; END $$ LANGUAGE plpgsql";
    try (Connection raw = DriverManager.getConnection(targetUrl(), driverProperties())) {
      assertThat(raw.nativeSQL("{oj " + procedure + "}").strip()).as("the driver unwraps the escape").isEqualTo(procedure);
    }
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      assertDenied(assertThrows(SQLException.class, () -> statement.execute("{oj " + procedure + "}")), "ROLE_UNKNOWN");
      assertDenied(assertThrows(SQLException.class, () -> connection.prepareStatement("{OJ " + procedure + " }")),
          "ROLE_UNKNOWN");
      assertThat(strings(statement.executeQuery("{oj SELECT 1 /* " + allowed + " */}"))).containsExactly("1");
    }
    assertReachedServer(allowed);
    assertNeverReachedServer(denied);
  }

  /**
   * With escape processing off the driver sends a text as written; its lexer reads {@code /}{@code *}{@code /}
   * as a whole comment where the server (and the guard) read the start of one, so an escape after it
   * hid a COPY from the escaped reading the guard decided on (JDBC probe F1). The raw driver sends
   * the COPY; through the guard nothing of the text is sent.
   */
  @Test
  void withEscapeProcessingOffAStatementHiddenBehindAnEscapeNeverReachesTheServer() throws SQLException {
    String sentRaw = marker();
    String hidden = marker();
    String text = "select 1 /*/ {oj a/}* */ ; %s ; -- */";
    try (Connection raw = DriverManager.getConnection(targetUrl(), driverProperties()); Statement statement = raw.createStatement()) {
      statement.setEscapeProcessing(false);
      // PostgreSQL refuses COPY's IAM_ROLE, after the driver sent it as a statement of its own
      assertThrows(SQLException.class, () -> statement.execute(String.format(Locale.ROOT, text,
          copy("s3://iamguard-real-driver/in/x.csv", UNKNOWN_ROLE, sentRaw))));
    }
    assertReachedServer(sentRaw);
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      statement.setEscapeProcessing(false);
      SQLException refused = assertThrows(SQLException.class, () -> statement.execute(String.format(Locale.ROOT, text,
          copy("s3://iamguard-real-driver/in/x.csv", UNKNOWN_ROLE, hidden))));
      assertThat(refused.getSQLState()).isEqualTo(GuardSqlStates.NOT_SUPPORTED);
      assertThat((Throwable) refused).hasMessageContaining("escape processing is off");
      statement.addBatch("select 1");
      SQLException refusedEntry = assertThrows(SQLException.class, () -> statement.addBatch(String.format(Locale.ROOT, text,
          copy("s3://iamguard-real-driver/in/x.csv", UNKNOWN_ROLE, hidden))));
      assertThat(refusedEntry.getSQLState()).isEqualTo(GuardSqlStates.NOT_SUPPORTED);
      assertThrows(SQLException.class, statement::executeBatch); // the batch holding it is refused whole
    }
    assertNeverReachedServer(hidden);
  }

  /**
   * The driver splits a text at ';' by its own lexer, which reads /*&#47; as a whole comment and a
   * non-ASCII character next to '$' by Java's identifier classes; a piece could start inside what the
   * server and the guard read as a '--' comment (reading probe F1, F2). The raw driver sends the
   * COPY; through the guard nothing of such a text is sent.
   */
  @Test
  void aStatementHiddenInALineCommentFromTheGuardButNotFromTheDriverNeverReachesTheServer() throws SQLException {
    for (String shape : List.of("select 1 /*/ ' */ -- ' ; %s", "select 1 as \u00d7$$ -- $$ ; %s",
        "select $a\u00d7$ ' $a\u00d7$ -- ' ; %s")) {
      SQLException refused = rawSendsTheCopyAndTheGuardDoesNot(shape);
      assertThat(refused.getSQLState()).as(shape).isEqualTo(GuardSqlStates.NOT_SUPPORTED);
    }
  }

  /**
   * The raw driver sends the COPY that {@code shape} holds (PostgreSQL refuses its IAM_ROLE after the
   * driver sent it: its marker is in the server log); through the guard it is refused, nothing of it
   * reaches the server, and the connection goes on. Returns the guard's refusal.
   */
  private static SQLException rawSendsTheCopyAndTheGuardDoesNot(String shape) throws SQLException {
    String sentRaw = marker();
    String hidden = marker();
    try (Connection raw = DriverManager.getConnection(targetUrl(), driverProperties());
        Statement statement = raw.createStatement()) {
      assertThrows(SQLException.class, () -> statement.execute(String.format(Locale.ROOT, shape,
          copy("s3://iamguard-real-driver/in/x.csv", UNKNOWN_ROLE, sentRaw))));
    }
    assertReachedServer(sentRaw);
    SQLException refused;
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      refused = assertThrows(SQLException.class, () -> statement.execute(String.format(Locale.ROOT, shape,
          copy("s3://iamguard-real-driver/in/x.csv", UNKNOWN_ROLE, hidden))));
      assertThat(selectOne(connection)).isEqualTo(1);
    }
    assertNeverReachedServer(hidden);
    return refused;
  }

  /**
   * A plain statement's text with a brace is read as the driver sends it: its escapes applied, its
   * {@code ?} as written. The driver's {@code nativeSQL} numbers them ({@code $1}), and read so,
   * {@code jsonb$1$q$} is one name and the COPY after it is inside a literal, while the server reads
   * an operator and a dollar quote before it (reading probe F3). The raw driver sends the COPY;
   * through the guard it is decided, denied and not sent.
   */
  @Test
  void aPlainStatementsPlaceholderIsReadAsTheDriverSendsIt() throws SQLException {
    for (String shape : List.of("select '{}'::jsonb?$q$ ' $q$ ; %s ; -- '", "select '{\"a\":1}'::jsonb ?$q$ ' $q$;%s;-- '")) {
      assertThat((Throwable) rawSendsTheCopyAndTheGuardDoesNot(shape)).as(shape).isInstanceOf(GuardDeniedException.class);
    }
  }

  @Test
  void nothingOfAMultiStatementTextWithADeniedStatementReachesTheServer() throws SQLException {
    String first = marker();
    String denied = marker();
    String allowed = marker();
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE rd_multi (id INT)");
      SQLException denial = assertThrows(SQLException.class, () -> statement.execute(
          "INSERT INTO rd_multi VALUES (1) /* " + first + " */; " + copy("s3://iamguard-real-driver/in/x.csv", UNKNOWN_ROLE, denied)));
      assertDenied(denial, "ROLE_UNKNOWN");
      assertThat(selectOne(connection, allowed)).isEqualTo(1);
      assertThat(strings(statement.executeQuery("SELECT count(*) FROM rd_multi"))).containsExactly("0");
    }
    assertReachedServer(allowed);
    assertNeverReachedServer(first);
    assertNeverReachedServer(denied);
  }

  @Test
  void nothingOfABatchWithADeniedStatementReachesTheServer() throws SQLException {
    String before = marker();
    String denied = marker();
    String after = marker();
    String nextBatch = marker();
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE rd_poisoned (id INT)");
      statement.addBatch("INSERT INTO rd_poisoned VALUES (1) /* " + before + " */");
      assertDenied(assertThrows(SQLException.class,
          () -> statement.addBatch(copy("s3://another-bucket/x.csv", ROLE, denied))), "S3_NOT_PERMITTED");
      statement.addBatch("INSERT INTO rd_poisoned VALUES (2) /* " + after + " */");
      BatchUpdateException refused = assertThrows(BatchUpdateException.class, statement::executeBatch);
      assertThat(refused.getSQLState()).isEqualTo(GuardDeniedException.SQLSTATE);
      assertThat((Throwable) refused).hasMessageStartingWith("iamguard:");

      statement.addBatch("INSERT INTO rd_poisoned VALUES (3) /* " + nextBatch + " */");
      assertThat(statement.executeBatch()).as("the next batch runs").containsExactly(1);
      assertThat(strings(statement.executeQuery("SELECT id FROM rd_poisoned"))).containsExactly("3");
    }
    assertReachedServer(nextBatch);
    assertNeverReachedServer(before);
    assertNeverReachedServer(denied);
    assertNeverReachedServer(after);
  }

  // ---- the objects handed out

  @Test
  void unwrapReachesTheDriverWhileEveryGetterStaysGuarded() throws SQLException {
    try (Connection connection = open(); Statement statement = connection.createStatement();
        ResultSet results = statement.executeQuery("SELECT 1")) {
      assertThat(connection.isWrapperFor(RedshiftConnection.class)).isTrue();
      RedshiftConnection driverConnection = connection.unwrap(RedshiftConnection.class);
      assertThat(driverConnection).isNotNull().isNotSameAs(connection);
      assertThat(driverConnection.getClass().getName()).startsWith("com.amazon.redshift.");

      assertThat(statement.getConnection()).isSameAs(connection);
      assertThat(results.getStatement()).isSameAs(statement);
      assertThat(connection.getMetaData().getConnection()).isSameAs(connection);
      try (PreparedStatement prepared = connection.prepareStatement("SELECT ?")) {
        prepared.setInt(1, 7);
        try (ResultSet preparedResults = prepared.executeQuery()) {
          assertThat(preparedResults.getStatement()).isSameAs(prepared);
        }
        assertThat(prepared.getConnection()).isSameAs(connection);
        assertNotRedshift(prepared);
      }
      assertNotRedshift(connection);
      assertNotRedshift(statement);
      assertNotRedshift(results);
      assertNotRedshift(connection.getMetaData());
    }
  }

  @Test
  void anArraysResultSetHandsOutOnlyAGuardedStatement() throws SQLException {
    String denied = marker();
    try (Connection connection = open(); Statement statement = connection.createStatement();
        ResultSet results = statement.executeQuery("SELECT ARRAY[1, 2]")) {
      assertThat(results.next()).isTrue();
      java.sql.Array array = results.getArray(1);
      assertNotRedshift(array);
      // the driver's own array builds its result set on a statement of the driver's connection
      try (Statement raw = ((Connection) connection.unwrap(RedshiftConnection.class)).createStatement();
          ResultSet rawResults = raw.executeQuery("SELECT ARRAY[1, 2]")) {
        assertThat(rawResults.next()).isTrue();
        assertThat(rawResults.getArray(1).getResultSet().getStatement().getClass().getName())
            .startsWith("com.amazon.redshift.");
      }
      try (ResultSet elements = array.getResultSet()) {
        assertThat(elements.next()).isTrue();
        Statement owner = elements.getStatement();
        assertNotRedshift(owner);
        assertDenied(assertThrows(SQLException.class,
            () -> owner.execute(copy("s3://iamguard-real-driver/in/part-0.csv", UNKNOWN_ROLE, denied))),
            "ROLE_UNKNOWN");
      }
    }
    assertNeverReachedServer(denied);
  }

  @Test
  void targetExceptionsPassThroughUnchanged() throws SQLException {
    String sql = "SELEC 1";
    SQLException raw;
    try (Connection connection = new com.amazon.redshift.Driver().connect(targetUrl(), driverProperties());
        Statement statement = connection.createStatement()) {
      raw = assertThrows(SQLException.class, () -> statement.execute(sql));
    }
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      SQLException guarded = assertThrows(SQLException.class, () -> statement.execute(sql));
      assertThat(guarded.getClass()).as("the driver's own exception, not wrapped").isEqualTo(raw.getClass());
      assertThat(guarded.getClass().getName()).startsWith("com.amazon.redshift.");
      assertThat(guarded.getSQLState()).isEqualTo(SYNTAX_ERROR).isEqualTo(raw.getSQLState());
      assertThat(guarded.getErrorCode()).isEqualTo(raw.getErrorCode());
      assertThat(guarded.getMessage()).isEqualTo(raw.getMessage());
      assertThat(selectOne(connection)).isEqualTo(1);
    }
  }

  // ---- pools

  @ParameterizedTest(name = "driverClassName set: {0}")
  @ValueSource(booleans = {false, true})
  void hikariPoolsGuardedUrls(boolean driverClassName) throws SQLException {
    HikariConfig config = poolConfig(guardUrl());
    if (driverClassName) {
      config.setDriverClassName(Driver.class.getName());
    }
    config.addDataSourceProperty(Setting.REGISTRY.key(), REGISTRY);
    config.addDataSourceProperty(Setting.CLUSTER.key(), CLUSTER);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      assertPooledAndGuarded(pool);
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
    }
  }

  @Test
  void guardDataSourceGuardsAHikariPool() throws SQLException {
    try (HikariDataSource pool = new HikariDataSource(poolConfig(targetUrl()))) {
      DataSource guarded = GuardDataSource.builder(pool).registry(REGISTRY).cluster(CLUSTER).build();
      assertPooledAndGuarded(guarded);
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
      assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("every connection returned").isZero();
    }
  }

  private static HikariConfig poolConfig(String jdbcUrl) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("real-driver");
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(LocalPostgres.USER);
    config.setPassword(POSTGRES.password());
    config.setMaximumPoolSize(1);
    config.addDataSourceProperty("ssl", "false");
    config.addDataSourceProperty("socketFactory", StartupRewritingSocketFactory.class.getName());
    return config;
  }

  /** Allowed queries work, a denied COPY is denied and never sent, and closing returns the one connection. */
  private static void assertPooledAndGuarded(DataSource dataSource) throws SQLException {
    String denied = marker();
    String allowed = marker();
    RedshiftConnection first;
    int firstBackend;
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      first = connection.unwrap(RedshiftConnection.class);
      firstBackend = backendPid(statement);
      assertDenied(assertThrows(SQLException.class,
          () -> statement.execute(copy("s3://iamguard-real-driver/in/x.csv", UNKNOWN_ROLE, denied))), "ROLE_UNKNOWN");
      assertThat(selectOne(connection, allowed)).isEqualTo(1);
      assertThat(statement.getConnection()).isSameAs(connection);
    }
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      assertThat(connection.unwrap(RedshiftConnection.class)).as("the pooled driver connection").isSameAs(first);
      assertThat(backendPid(statement)).isEqualTo(firstBackend);
      SQLException copy = assertThrows(SQLException.class, () -> statement.execute(allowedCopy(marker())));
      assertThat(copy.getSQLState()).isEqualTo(SYNTAX_ERROR);
    }
    assertReachedServer(allowed);
    assertNeverReachedServer(denied);
  }

  // ---- helpers

  private static String targetUrl() {
    return "jdbc:redshift://127.0.0.1:" + POSTGRES.port() + "/" + LocalPostgres.DATABASE;
  }

  private static String guardUrl() {
    return "jdbc:iamguard:redshift://127.0.0.1:" + POSTGRES.port() + "/" + LocalPostgres.DATABASE;
  }

  /** What the Redshift driver needs to talk to PostgreSQL. */
  private static Properties driverProperties() {
    Properties properties = new Properties();
    properties.setProperty("user", LocalPostgres.USER);
    properties.setProperty("password", POSTGRES.password());
    properties.setProperty("ssl", "false");
    properties.setProperty("socketFactory", StartupRewritingSocketFactory.class.getName());
    return properties;
  }

  private static Connection open() throws SQLException {
    Properties properties = driverProperties();
    properties.setProperty(Setting.REGISTRY.key(), REGISTRY);
    properties.setProperty(Setting.CLUSTER.key(), CLUSTER);
    Connection connection = DriverManager.getConnection(guardUrl(), properties);
    assertThat(connection).isInstanceOf(GuardConnection.class);
    return connection;
  }

  private static String marker() {
    return "marker-" + UUID.randomUUID();
  }

  private static String copy(String source, String role, String marker) {
    return "COPY rd_load FROM '" + source + "' IAM_ROLE '" + role + "' CSV /* " + marker + " */";
  }

  private static String allowedCopy(String marker) {
    return copy("s3://iamguard-real-driver/in/part-0.csv", ROLE, marker);
  }

  private static void assertDenied(SQLException denial, String rule) {
    assertThat((Throwable) denial).isInstanceOf(GuardDeniedException.class);
    assertThat(denial.getSQLState()).isEqualTo(GuardDeniedException.SQLSTATE);
    assertThat((Throwable) denial).hasMessageStartingWith("iamguard:").hasMessageContaining(rule);
    assertThat(((GuardDeniedException) denial).findings()).extracting(Finding::ruleId).contains(rule);
  }

  private static void assertReachedServer(String marker) {
    assertThat(POSTGRES.serverLog()).as("server log").contains(marker);
  }

  private static void assertNeverReachedServer(String marker) {
    assertThat(POSTGRES.serverLog()).as("server log").doesNotContain(marker);
  }

  private static void assertNotRedshift(Object jdbcObject) {
    assertThat(jdbcObject.getClass().getName()).as("a guarded object").startsWith("dev.iamguard.jdbc.Guard");
  }

  private static int selectOne(Connection connection) throws SQLException {
    return selectOne(connection, marker());
  }

  private static int selectOne(Connection connection, String marker) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet results = statement.executeQuery("SELECT 1 /* " + marker + " */")) {
      assertThat(results.next()).isTrue();
      return results.getInt(1);
    }
  }

  private static int backendPid(Statement statement) throws SQLException {
    try (ResultSet results = statement.executeQuery("SELECT pg_backend_pid()")) {
      assertThat(results.next()).isTrue();
      return results.getInt(1);
    }
  }

  /** The first column of every row, as text; closes the result set. */
  private static List<String> strings(ResultSet results) throws SQLException {
    List<String> values = new ArrayList<>();
    try (results) {
      while (results.next()) {
        values.add(results.getString(1));
      }
    }
    return values;
  }
}
