package dev.iamguard.jdbc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A COMMIT counts when it ran, not when its text was decided (probe 23b F3: a text that failed, a
 * batch that was cleared, a statement prepared and never executed counted as a commit, so a later
 * {@code rollback()} kept the grant). Each way of sending a COMMIT, made to run or not, between a
 * GRANT ASSUMEROLE in a transaction and the application's {@code rollback()}: where the COMMIT did
 * not run, the rollback takes the grant back and the UNLOAD after it is denied; where it ran, the
 * grant stays. A text that failed leaves the grants strict (its COMMIT may or may not have run).
 */
class TransactionTextsThatDidNotRunTest {
  private static final String UNLOAD = "UNLOAD ('SELECT 1') TO 's3://lake/out/x_' IAM_ROLE '" + TestRegistry.LOADER
      + "' ALLOWOVERWRITE";
  private static final String GRANT = "GRANT ASSUMEROLE ON '" + TestRegistry.LOADER + "' TO sa FOR UNLOAD";

  @TempDir
  Path dir;

  /** How the COMMIT is sent, whether it runs, and so whether the grant survives the rollback. */
  enum Commit {
    EXECUTED(true) {
      void send(Connection c, Statement s) throws SQLException {
        s.execute("COMMIT");
      }
    },
    EXECUTED_AFTER_A_STATEMENT(true) {
      void send(Connection c, Statement s) throws SQLException {
        s.execute("SELECT 1; COMMIT");
      }
    },
    FAILING(false) {
      void send(Connection c, Statement s) {
        assertThrows(SQLException.class, () -> s.execute("COMMIT XYZ"));
      }
    },
    AFTER_A_FAILING_STATEMENT(false) {
      void send(Connection c, Statement s) {
        assertThrows(SQLException.class, () -> s.execute("SELECT 1/0; COMMIT"));
      }
    },
    BATCHED_AND_RUN(true) {
      void send(Connection c, Statement s) throws SQLException {
        s.addBatch("COMMIT");
        s.executeBatch();
      }
    },
    BATCHED_AND_CLEARED(false) {
      void send(Connection c, Statement s) throws SQLException {
        s.addBatch("COMMIT");
        s.clearBatch();
      }
    },
    PREPARED_AND_RUN(true) {
      void send(Connection c, Statement s) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("COMMIT")) {
          p.execute();
        }
      }
    },
    PREPARED_ONLY(false) {
      void send(Connection c, Statement s) throws SQLException {
        c.prepareStatement("COMMIT").close();
      }
    },
    NATIVE_SQL_ONLY(false) {
      void send(Connection c, Statement s) throws SQLException {
        c.nativeSQL("COMMIT");
      }
    };

    final boolean runs;

    Commit(boolean runs) {
      this.runs = runs;
    }

    abstract void send(Connection c, Statement s) throws SQLException;
  }

  /**
   * A statement that fails in a transaction aborts it: Redshift runs nothing more there and its end
   * rolls back, so a GRANT sent after the failure counts for nothing (probe 23e F3: it was recorded
   * and kept by the COMMIT). Each sequence, with whether the UNLOAD after it may run; the controls
   * keep a grant committed before a failure, and count one made after the aborted transaction ended.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "off | FAIL, GRANT, JCOMMIT | false",
      "off | GRANT, FAIL, JCOMMIT | false",
      "off | GRANT, FAIL, GRANT, COMMIT | false",
      "off | FAIL, GRANT, JROLLBACK | false",
      "on  | BEGIN, FAIL, GRANT, COMMIT | false",
      "on  | BEGIN, GRANT, FAIL, GRANT, COMMIT | false",
      "on  | BEGIN, COMMIT AND CHAIN, GRANT, COMMIT | false",
      "off | GRANT, JCOMMIT, FAIL, JROLLBACK | true",
      "off | FAIL, JROLLBACK, GRANT, JCOMMIT | true",
      "off | FAIL, ROLLBACK, GRANT, COMMIT | true",
      "on  | GRANT, FAIL | true",
      "on  | BEGIN, GRANT, COMMIT, FAIL | true"})
  void whatIsSentAfterAFailureInATransactionCountsForNothing(String autoCommit, String steps, boolean runs)
      throws Exception {
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(autoCommit.equals("on"));
      for (String step : steps.split(", ")) {
        switch (step) {
          case "GRANT" -> statement.execute(GRANT);
          case "FAIL" -> assertThrows(SQLException.class, () -> statement.execute("SELECT 1/0"));
          case "JCOMMIT" -> connection.commit();
          case "JROLLBACK" -> connection.rollback();
          case "COMMIT AND CHAIN" -> assertThrows(SQLException.class, () -> statement.execute(step));
          default -> statement.execute(step);
        }
      }
      if (runs) {
        assertDoesNotThrow(() -> statement.execute(UNLOAD), steps);
      } else {
        assertThrows(GuardDeniedException.class, () -> statement.execute(UNLOAD), steps);
      }
    }
  }

  private Connection open() throws SQLException, IOException {
    Properties properties = TestRegistry.properties("sa");
    properties.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    // one unrelated grant, so that the connection's grants are not empty from the start
    Path registry = dir.resolve("registry-" + UUID.randomUUID() + ".yaml");
    Files.writeString(registry, Files.readString(TestRegistry.path()) + "grants:\n  - on: [" + TestRegistry.LOADER
        + "]\n    to: [etl]\n    for: [UNLOAD]\n");
    properties.setProperty("iamguard.registry", registry.toString());
    return DriverManager.getConnection(TestRegistry.h2Url(), properties);
  }

  @ParameterizedTest
  @EnumSource(Commit.class)
  void aRollbackKeepsTheGrantOnlyWhereTheCommitRan(Commit commit) throws Exception {
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      assertThrows(GuardDeniedException.class, () -> statement.execute(UNLOAD), "no grant yet");
      connection.setAutoCommit(false);
      statement.execute(GRANT);
      commit.send(connection, statement);
      connection.rollback();
      if (commit.runs) {
        assertDoesNotThrow(() -> statement.execute(UNLOAD), commit + ": committed, kept");
      } else {
        assertThrows(GuardDeniedException.class, () -> statement.execute(UNLOAD), commit + ": never committed");
      }
    }
  }
}
