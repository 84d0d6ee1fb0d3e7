package dev.iamguard.jdbc;

import dev.iamguard.audit.Redactor;
import dev.iamguard.sql.SecretSpans;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A prepared statement, inspected once when it was prepared (the target prepared the text to
 * send); executing it again costs nothing more, unless who runs it may have changed since. A text
 * emulated on the local database (COPY, UNLOAD, AWS-only DDL) was decided to be so at prepare
 * time and runs locally on each execution ({@link EmulatedTarget}). The Statement methods that
 * take SQL text are guarded by {@link GuardStatement}, its superclass in the one statement chain;
 * this class adds only what runs the prepared text.
 */
class GuardPreparedStatement extends ForwardingPreparedStatement {
  // the ways of running the prepared text: constants, so that an execution allocates no lambda
  private static final StatementGuard.Send<ResultSet> EXECUTE_QUERY =
      (target, none) -> ((PreparedStatement) target).executeQuery();
  private static final StatementGuard.Send<Integer> EXECUTE_UPDATE =
      (target, none) -> ((PreparedStatement) target).executeUpdate();
  private static final StatementGuard.Send<Boolean> EXECUTE =
      (target, none) -> ((PreparedStatement) target).execute();
  private static final StatementGuard.Send<Long> EXECUTE_LARGE_UPDATE =
      (target, none) -> ((PreparedStatement) target).executeLargeUpdate();

  /**
   * @param sql the text as the application wrote it (null when the target handed the statement out)
   * @param prepared the guard's decision on it, made when it was prepared (null likewise)
   */
  GuardPreparedStatement(PreparedStatement target, GuardConnection connection, String sql,
      ConnectionPolicy.Prepared prepared) {
    super(target, connection, sql, prepared);
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    return results(guard().executePrepared(EXECUTE_QUERY, StatementGuard.EXECUTE_QUERY, StatementGuard.NO_RESULT_SET));
  }

  @Override
  public int executeUpdate() throws SQLException {
    return guard().executePrepared(EXECUTE_UPDATE, StatementGuard.EXECUTE_UPDATE, StatementGuard.INT_ROWS);
  }

  @Override
  public boolean execute() throws SQLException {
    return guard().executePrepared(EXECUTE, StatementGuard.EXECUTE, StatementGuard.NO_RESULTS);
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    return guard().executePrepared(EXECUTE_LARGE_UPDATE, StatementGuard.EXECUTE_LARGE_UPDATE, StatementGuard.ROWS);
  }

  /**
   * Drivers print a prepared statement with its bound values (H2 as {@code PASSWORD ? {1: 'value'}},
   * far from the keyword the redactor looks for): a text that may take a secret is printed by
   * iamguard alone, masked and without values.
   */
  @Override
  public String toString() {
    String sql = guard().preparedSql();
    return SecretSpans.mayHoldSecretValue(sql) ? "iamguard:" + Redactor.redactMessage(sql) : super.toString();
  }

  /** A set of parameters joins the batch: each runs the prepared text. */
  @Override
  public void addBatch() throws SQLException {
    target().addBatch();
    guard().addParameterBatch();
  }
}
