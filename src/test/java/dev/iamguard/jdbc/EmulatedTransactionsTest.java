package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Emulated statements through the driver behave as Redshift would run them: nothing runs before
 * a refusal, and a multi-statement text is one implicit transaction.
 */
class EmulatedTransactionsTest {
  private static final String COPY = "COPY t FROM 's3://lake/in/t/' IAM_ROLE 'loader'";
  private static final String UNLOAD = "UNLOAD ('SELECT v FROM t') TO 's3://lake/out/t_' IAM_ROLE 'loader'";

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

  static Stream<String> emulatedTexts() {
    return Stream.of(COPY, UNLOAD, "SELECT 1; " + COPY, COPY + "; SELECT v FROM t");
  }

  @ParameterizedTest
  @MethodSource("emulatedTexts")
  void executeQueryRefusesAnEmulatedTextBeforeAnythingRuns(String sql) throws Exception {
    for (Statement statement : List.of(connection.createStatement(), connection.prepareStatement("SELECT 1"),
        connection.prepareCall("SELECT 1"))) {
      assertThatThrownBy(() -> statement.executeQuery(sql))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("nothing was run")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0AI01"));
    }
    assertThat(count("t")).isZero();
    assertThat(Files.exists(s3.resolve("lake/out"))).isFalse();
  }

  @Test
  void aRetryAfterTheRefusalLoadsOnce() throws Exception {
    try (Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeQuery(COPY)).isInstanceOf(SQLException.class);
      assertThat(statement.executeUpdate(COPY)).isEqualTo(3);
    }
    assertThat(count("t")).isEqualTo(3);
  }

  @Test
  void aMultiStatementTextIsAtomicWithAutocommitOn() throws Exception {
    try (Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute(COPY + "; INSERT INTO audit_rows VALUES (NULL)"))
          .isInstanceOf(SQLException.class);
    }
    assertThat(count("t")).isZero();
    assertThat(connection.getAutoCommit()).isTrue();

    try (Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO audit_rows VALUES (7); " + COPY + "; INSERT INTO audit_rows VALUES (8)");
    }
    assertThat(count("t")).isEqualTo(3);
    assertThat(count("audit_rows")).isEqualTo(2);
    assertThat(connection.getAutoCommit()).isTrue();
  }

  @Test
  void aFailingEmulatedStatementUndoesTheEarlierStatementsOfItsText() throws Exception {
    try (Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute(
          "INSERT INTO audit_rows VALUES (1); " + COPY + "; COPY t FROM 's3://lake/in/missing/' IAM_ROLE 'loader'"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("does not exist");
    }
    assertThat(count("t")).isZero();
    assertThat(count("audit_rows")).isZero();
  }

  @Test
  void insideTheCallersTransactionOnlyTheTextIsUndone() throws Exception {
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO audit_rows VALUES (1)");
      assertThatThrownBy(() -> statement.execute(COPY + "; INSERT INTO audit_rows VALUES (NULL)"))
          .isInstanceOf(SQLException.class);
      assertThat(connection.getAutoCommit()).isFalse();
      assertThat(count("t")).isZero();
      assertThat(count("audit_rows")).isEqualTo(1);
      connection.rollback();
    }
    assertThat(count("audit_rows")).isZero();
  }
}
