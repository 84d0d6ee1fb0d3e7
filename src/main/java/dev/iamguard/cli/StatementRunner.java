package dev.iamguard.cli;

import dev.iamguard.audit.Redactor;
import dev.iamguard.jdbc.GuardDeniedException;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.sql.SqlStatement;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Executes one statement at a time on a guarded connection and prints its line:
 * {@code file:line [index] COMMAND DECISION rows}. A denial prints its findings; a failure its
 * (redacted) message.
 */
final class StatementRunner {
  private final Connection connection;
  private final PrintWriter out;
  private final PrintWriter err;
  private int executed;

  StatementRunner(Connection connection, PrintWriter out, PrintWriter err) {
    this.connection = connection;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs {@code statement}, whose decision within its script is {@code decision} (null when the
   * mode is off); false when it was denied or failed (the run stops).
   */
  boolean run(String file, SqlStatement statement, StatementDecision decision) {
    String prefix = file + ":" + statement.line() + " [" + statement.index() + "] " + statement.command().kind();
    try (Statement jdbc = connection.createStatement()) {
      Verdict verdict = decision == null ? Verdict.ALLOW : decision.verdict();
      if (verdict == Verdict.DENY) {
        return denied(prefix, decision.allFindings());
      }
      boolean query = jdbc.execute(statement.text());
      String rows = query ? count(jdbc.getResultSet()) + " rows returned" : rowsAffected(jdbc.getUpdateCount());
      executed++;
      out.println((prefix + " " + verdict + " " + rows).strip());
      for (Finding warning : decision == null ? List.<Finding>of() : decision.allFindings()) {
        err.println("  " + warning.message());
      }
      return true;
    } catch (GuardDeniedException denied) {
      return denied(prefix, denied.findings());
    } catch (SQLException failed) {
      out.println(prefix + " FAILED " + failed.getSQLState());
      err.println("  " + Redactor.redactMessage(failed.getMessage()));
      return false;
    }
  }

  private boolean denied(String prefix, List<Finding> findings) {
    out.println(prefix + " DENY");
    for (Finding finding : findings) {
      err.println("  " + finding.message());
    }
    return false;
  }

  int executed() {
    return executed;
  }

  private static String rowsAffected(int count) {
    return count < 0 ? "" : count + (count == 1 ? " row" : " rows");
  }

  private static int count(ResultSet resultSet) throws SQLException {
    int rows = 0;
    try (ResultSet rs = resultSet) {
      while (rs.next()) {
        rows++;
      }
    }
    return rows;
  }

}
