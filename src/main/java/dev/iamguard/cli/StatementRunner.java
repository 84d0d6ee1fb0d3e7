package dev.iamguard.cli;

import dev.iamguard.audit.Redactor;
import dev.iamguard.jdbc.GuardDeniedException;
import dev.iamguard.jdbc.IamguardConnection;
import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.sql.LineText;
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
  /** The decision word of a statement sent in mode off. */
  static final String UNCHECKED = "UNCHECKED";

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
    String prefix = LineText.escape(file) + ":" + statement.line() + " [" + statement.index() + "] " + statement.command().kind();
    try (Statement jdbc = connection.createStatement()) {
      if (decision != null && decision.verdict() == Verdict.DENY && onlyIdentityChangedInText(decision)) {
        decision = alone(statement); // decided again as it is sent: on its own, for who runs it now
      }
      IamguardConnection guard = connection.unwrap(IamguardConnection.class);
      Verdict verdict = decision == null ? Verdict.ALLOW : decision.verdict();
      boolean audited = verdict == Verdict.DENY && !guard.enforcing();
      // in mode off nothing is decided: ALLOW would claim a check that was not made
      String said = guard.checking() ? verdict.name() : UNCHECKED;
      if (verdict == Verdict.DENY && !audited) {
        return denied(prefix, decision.allFindings());
      }
      boolean query = jdbc.execute(statement.text());
      String rows = query ? count(jdbc.getResultSet()) + " rows returned" : rowsAffected(jdbc.getUpdateCount());
      executed++;
      // in audit mode (iamguard.mode=audit, in the URL or the registry) a denied statement is sent and said so
      out.println((prefix + " " + said + " " + rows).strip() + (audited ? " (audit mode: sent)" : ""));
      for (Finding warning : decision == null ? List.<Finding>of() : decision.allFindings()) {
        err.println("  " + LineText.escape(warning.message()));
      }
      return true;
    } catch (GuardDeniedException denied) {
      return denied(prefix, denied.findings());
    } catch (SQLException failed) {
      out.println(prefix + " FAILED " + failed.getSQLState());
      err.println("  " + LineText.escape(Redactor.redactMessage(failed.getMessage())));
      return false;
    } catch (StackOverflowError tooDeep) {
      // the target's driver (H2's parser) recursed past the stack: the statement failed, the run stops and says what ran
      out.println(prefix + " FAILED");
      err.println("  the statement nests too deeply for the database driver to read it (stack overflow); "
          + "simplify it, or give the driver a larger stack with java -Xss...");
      return false;
    }
  }

  /**
   * Denied in the script's decision only because an earlier statement of the script may change who
   * runs it: statements run one at a time here, so this one is decided again on its own, when the
   * server can say who runs it.
   */
  private static boolean onlyIdentityChangedInText(StatementDecision decision) {
    return decision.allFindings().stream().allMatch(f -> f.rule() == RuleId.IDENTITY_CHANGED_IN_TEXT);
  }

  /** The decision on {@code statement} sent on its own, as the connection would make it now. */
  private StatementDecision alone(SqlStatement statement) throws SQLException {
    Decision decision = connection.unwrap(IamguardConnection.class).decisionFor(statement.text());
    return decision == null || decision.statements().isEmpty() ? null : decision.statements().get(0);
  }

  private boolean denied(String prefix, List<Finding> findings) {
    out.println(prefix + " DENY");
    for (Finding finding : findings) {
      err.println("  " + LineText.escape(finding.message()));
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
