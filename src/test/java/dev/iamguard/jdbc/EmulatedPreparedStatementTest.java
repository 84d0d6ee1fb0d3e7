package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prepared and callable statements holding an emulated statement (COPY, UNLOAD, AWS-only DDL) on
 * the local database: decided when prepared, run locally on every {@code execute*} (as Spark's
 * Redshift connector sends everything through {@code prepareStatement(sql).execute()}), with no
 * parameters and no result set.
 */
class EmulatedPreparedStatementTest {
  private static final String COPY = "COPY t FROM 's3://lake/in/t/' IAM_ROLE 'loader'";
  private static final String UNLOAD = "UNLOAD ('SELECT v FROM t ORDER BY v') TO 's3://lake/out/t_' IAM_ROLE 'loader'"
      + " PARALLEL OFF ALLOWOVERWRITE";

  @TempDir
  Path s3;
  Connection connection;

  @BeforeEach
  void open() throws Exception {
    connection = TestRegistry.openH2(s3);
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (v INT)");
      statement.execute("CREATE TABLE audit_rows (v INT NOT NULL)");
    }
    Files.createDirectories(s3.resolve("lake/in/t"));
    Files.writeString(s3.resolve("lake/in/t/part1"), "1\n2\n3\n");
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  private long count(String table) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Every way of preparing a text. */
  interface Prepare {
    PreparedStatement prepare(Connection connection, String sql) throws SQLException;
  }

  static Stream<Prepare> preparers() {
    return Stream.of(Connection::prepareStatement,
        (c, sql) -> c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY),
        (c, sql) -> c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY,
            ResultSet.CLOSE_CURSORS_AT_COMMIT),
        (c, sql) -> c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS),
        (c, sql) -> c.prepareStatement(sql, new int[] {1}),
        (c, sql) -> c.prepareStatement(sql, new String[] {"V"}),
        Connection::prepareCall,
        (c, sql) -> c.prepareCall(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY),
        (c, sql) -> c.prepareCall(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY,
            ResultSet.CLOSE_CURSORS_AT_COMMIT));
  }

  @ParameterizedTest
  @MethodSource("preparers")
  void everyWayOfPreparingRunsTheCopyLocallyOnEachExecution(Prepare prepare) throws Exception {
    try (PreparedStatement copy = prepare.prepare(connection, COPY)) {
      assertThat(copy.execute()).isFalse();
      assertThat(copy.getUpdateCount()).isEqualTo(3);
      assertThat(copy.getLargeUpdateCount()).isEqualTo(3);
      assertThat(copy.getResultSet()).isNull();
      assertThat(copy.getMoreResults()).isFalse();
      assertThat(copy.getUpdateCount()).isEqualTo(-1);
      assertThat(count("t")).isEqualTo(3);
      assertThat(copy.executeUpdate()).isEqualTo(3);
      assertThat(copy.executeLargeUpdate()).isEqualTo(3);
      assertThat(count("t")).isEqualTo(9);
      assertThat(copy.getConnection()).isSameAs(connection);
    }
  }

  @Test
  void aPreparedUnloadWritesItsFileOnEachExecution() throws Exception {
    try (Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO t VALUES (1), (2)");
    }
    try (PreparedStatement unload = connection.prepareStatement(UNLOAD)) {
      assertThat(unload.executeUpdate()).isEqualTo(2);
      assertThat(Files.readString(s3.resolve("lake/out/t_000"))).isEqualTo("1\n2\n");
      try (Statement statement = connection.createStatement()) {
        statement.execute("INSERT INTO t VALUES (3)");
      }
      assertThat(unload.execute()).isFalse();
      assertThat(Files.readString(s3.resolve("lake/out/t_000"))).as("written again").isEqualTo("1\n2\n3\n");
    }
  }

  @Test
  void executeQueryIsRefusedBeforeAnythingRuns() throws Exception {
    for (PreparedStatement copy : List.of(connection.prepareStatement(COPY), connection.prepareCall(COPY))) {
      assertThatThrownBy(copy::executeQuery)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("nothing was run")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0AI01"));
      copy.close();
    }
    assertThat(count("t")).isZero();
  }

  /** Every method of PreparedStatement and CallableStatement that sets or reads a parameter. */
  static Stream<Method> parameterMethods() {
    List<Method> methods = new ArrayList<>();
    for (Class<?> type : List.of(PreparedStatement.class, CallableStatement.class)) {
      for (Method method : type.getDeclaredMethods()) {
        String name = method.getName();
        if (method.getParameterCount() > 0 && (name.startsWith("set") || name.startsWith("get")
            || name.startsWith("register"))) {
          methods.add(method);
        }
      }
    }
    return methods.stream();
  }

  @ParameterizedTest
  @MethodSource("parameterMethods")
  void parametersAreRefusedWithNotSupported(Method method) throws Exception {
    try (CallableStatement copy = connection.prepareCall(COPY)) {
      assertThatThrownBy(() -> invoke(method, copy))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("take no parameters")
          .hasMessageContaining(method.getName())
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0AI01"));
      assertThat(copy.execute()).as("the statement still runs as written").isFalse();
    }
    assertThat(count("t")).isEqualTo(3);
  }

  private static void invoke(Method method, Object target) throws Throwable {
    try {
      method.invoke(target, arguments(method));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** A value of each parameter's type (null for objects): the refusal never looks at them. */
  private static Object[] arguments(Method method) {
    Class<?>[] types = method.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> type = types[i];
      args[i] = type == int.class ? (Object) 1 : type == long.class ? (Object) 1L : type == boolean.class ? (Object) false
          : type == byte.class ? (Object) (byte) 1 : type == short.class ? (Object) (short) 1
          : type == float.class ? (Object) 1f : type == double.class ? (Object) 1d : type == String.class ? "x" : null;
    }
    return args;
  }

  @Test
  void noParameterNoResultSetAndNoBatch() throws Exception {
    try (PreparedStatement copy = connection.prepareStatement(COPY)) {
      copy.clearParameters();
      assertThat(copy.getMetaData()).isNull();
      assertThat(copy.getParameterMetaData().getParameterCount()).isZero();
      assertThatThrownBy(() -> copy.getParameterMetaData().getParameterType(1)).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("07009"));
      assertThatThrownBy(copy::addBatch).isInstanceOf(SQLException.class).hasMessageContaining("batch")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0AI01"));
      assertThat(copy.executeBatch()).isEmpty();
      copy.setQueryTimeout(5);
      assertThat(copy.getQueryTimeout()).isEqualTo(5);
      assertThat(copy.isClosed()).isFalse();
    }
    assertThat(count("t")).isZero();
  }

  @Test
  void aDeniedTextIsRefusedWhenPreparedAndNothingRuns() throws Exception {
    assertThatThrownBy(() -> connection.prepareStatement(TestRegistry.DENIED))
        .isInstanceOf(GuardDeniedException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    assertThat(count("t")).isZero();
  }

  @Test
  void aStatementPreparedForOneUserIsDecidedAgainAfterTheIdentityChanged() throws Exception {
    try (PreparedStatement copy = connection.prepareStatement(COPY);
        PreparedStatement becomeMallory = connection.prepareStatement("SET session_authorization TO mallory");
        Statement statement = connection.createStatement()) {
      assertThat(copy.executeUpdate()).isEqualTo(3);
      becomeMallory.execute(); // emulated too: the local database follows the text
      GuardDeniedException denied = assertThrows(GuardDeniedException.class, copy::execute);
      assertThat(denied.findings()).extracting(Finding::rule).contains(RuleId.DB_USER_NOT_TRUSTED);
      assertThat(count("t")).isEqualTo(3);
      statement.execute("RESET session_authorization");
      assertThat(copy.executeUpdate()).isEqualTo(3);
    }
    assertThat(count("t")).isEqualTo(6);
  }

  @Test
  void aPreparedTextOfSeveralStatementsRunsAsOneImplicitTransaction() throws Exception {
    try (PreparedStatement text = connection.prepareStatement("INSERT INTO audit_rows VALUES (7); " + COPY)) {
      assertThat(text.executeUpdate()).isEqualTo(3);
    }
    assertThat(count("t")).isEqualTo(3);
    assertThat(count("audit_rows")).isEqualTo(1);
    try (PreparedStatement failing = connection.prepareStatement(COPY + "; INSERT INTO audit_rows VALUES (NULL)")) {
      assertThatThrownBy(failing::execute).isInstanceOf(SQLException.class);
    }
    assertThat(count("t")).as("undone").isEqualTo(3);
    assertThat(count("audit_rows")).isEqualTo(1);
    assertThat(connection.getAutoCommit()).isTrue();
  }

  @Test
  void insideTheCallersTransactionTheRowsWaitForItsCommit() throws Exception {
    connection.setAutoCommit(false);
    try (PreparedStatement copy = connection.prepareStatement(COPY)) {
      copy.execute();
      connection.rollback();
      assertThat(count("t")).isZero();
      copy.execute();
      connection.commit();
    }
    assertThat(count("t")).isEqualTo(3);
  }

  @Test
  void awsOnlyDdlPreparedIsRecordedNotSent() throws Exception {
    String grant = "GRANT ASSUMEROLE ON '" + TestRegistry.LOADER + "' TO etl FOR COPY";
    try (PreparedStatement statement = connection.prepareStatement(grant)) {
      assertThat(statement.executeUpdate()).isZero();
    }
  }

  @Test
  void unwrapReachesThePlainTargetStatement() throws Exception {
    try (PreparedStatement copy = connection.prepareStatement(COPY)) {
      assertThat(copy.isWrapperFor(PreparedStatement.class)).isTrue();
      assertThat(copy.unwrap(PreparedStatement.class)).isSameAs(copy);
      assertThat(copy.isWrapperFor(org.h2.jdbc.JdbcStatement.class)).isTrue();
      assertThat(copy.unwrap(org.h2.jdbc.JdbcStatement.class)).isNotNull();
    }
  }

}
