package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * On the local database (no server reports its transaction's state), an execution of a closed
 * statement is refused by the driver (or the guard) and runs nothing: it aborts no transaction, as
 * on Redshift, where the driver refuses it before sending (the server agreeing:
 * {@link FailedTextAbortsAsTheServerSaysTest}). So a GRANT or REVOKE ASSUMEROLE pending before it
 * is kept by the COMMIT after it. Before, the refusal was read as an abort: the COMMIT was taken as
 * the rollback of an aborted transaction, and a committed REVOKE as undone (the COPY allowed). A
 * failure the database raised still aborts, as Redshift's does.
 */
class ClosedStatementAbortsNothingTest {
  private static final String CHAIN = "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'";
  private static final String COPY = "copy t from 's3://companyb/redshift/x/' iam_role " + CHAIN;
  private static final String GRANT = "grant assumerole on " + CHAIN + " to user3 for copy";
  private static final String REVOKE = "revoke assumerole on " + CHAIN + " from user3 for copy";

  private interface Failure {
    void fail(Connection connection, Statement statement) throws SQLException;
  }

  private static final Map<String, Failure> FAILURES = new LinkedHashMap<>();

  static {
    FAILURES.put("closed statement", (c, s) -> {
      Statement closed = c.createStatement();
      closed.close();
      closed.execute("select 1");
    });
    FAILURES.put("closed statement's COPY", (c, s) -> {
      Statement closed = c.createStatement();
      closed.close();
      closed.execute(COPY);
    });
    FAILURES.put("closed prepared statement", (c, s) -> {
      PreparedStatement closed = c.prepareStatement("select 1");
      closed.close();
      closed.execute();
    });
    FAILURES.put("closed prepared COPY", (c, s) -> {
      PreparedStatement closed = c.prepareStatement(COPY);
      closed.close();
      closed.execute();
    });
    FAILURES.put("closed statement's batch", (c, s) -> {
      Statement closed = c.createStatement();
      closed.addBatch("select 1");
      closed.close();
      closed.executeBatch();
    });
    FAILURES.put("database error", (c, s) -> s.execute("select * from no_such_table"));
  }

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}, {1}, commit text {2}")
  @CsvSource({
      "GRANT, closed statement, false", "GRANT, closed statement, true", "REVOKE, closed statement, false",
      "REVOKE, closed statement, true", "GRANT, closed statement's COPY, false", "REVOKE, closed statement's COPY, true",
      "GRANT, closed prepared statement, false", "REVOKE, closed prepared statement, true",
      "GRANT, closed prepared COPY, true", "REVOKE, closed prepared COPY, false",
      "GRANT, closed statement's batch, false", "REVOKE, closed statement's batch, true",
      "GRANT, database error, false", "REVOKE, database error, true"})
  void aClosedStatementsRefusalLeavesThePendingChangeToTheCommit(String change, String failure, boolean commitText)
      throws Exception {
    boolean revoking = change.equals("REVOKE");
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      statement.execute("create table t (x int)");
      if (revoking) {
        statement.execute(GRANT); // committed: auto-commit is on
      }
      connection.setAutoCommit(false);
      statement.execute(revoking ? REVOKE : GRANT);
      assertThrows(SQLException.class, () -> FAILURES.get(failure).fail(connection, statement));
      if (commitText) {
        statement.execute("commit");
      } else {
        connection.commit();
      }
      connection.setAutoCommit(true);
      boolean aborted = failure.equals("database error");
      boolean granted = aborted == revoking; // an abort keeps what held before the transaction
      assertThat(connection.unwrap(IamguardConnection.class).decisionFor(COPY).allowed())
          .as("the COPY through the chain after the COMMIT").isEqualTo(granted);
    }
  }

  private Connection open() throws Exception {
    Path object = dir.resolve("s3/companyb/redshift/x/part.txt");
    Files.createDirectories(object.getParent());
    Files.writeString(object, "1\n");
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", "samples/registry.yaml");
    properties.setProperty("iamguard.user", "user3");
    properties.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    return DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID(), properties);
  }
}
