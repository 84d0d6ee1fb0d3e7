package dev.iamguard.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A guarded statement's result set, which keeps no target of its own: it asks its statement, which
 * knows the target's result set it stands for as long as it is the current one (or one that
 * {@code getMoreResults(KEEP_CURRENT_RESULT)} kept open). So the wrapper is one reference, 16 bytes,
 * the only object the no-auth path adds to a query (the JIT of JDK 17 cannot remove it: the caller's
 * try-with-resources closes it on an exception path out of line).
 *
 * <p>Once its statement runs again it is closed, as JDBC closes the result set a statement's next
 * execution supersedes: every call but {@code close()} and {@code isClosed()} then fails.
 */
final class GuardStatementResultSet extends GuardResultSet {
  private final GuardStatement owner;

  GuardStatementResultSet(GuardStatement owner) {
    this.owner = owner;
  }

  @Override
  ResultSet target() {
    return owner.resultTarget(this);
  }

  @Override
  Statement owner() {
    return owner;
  }

  @Override
  GuardConnection connection() {
    return owner.guardConnection();
  }

  @Override
  public void close() throws SQLException {
    try {
      target().close();
    } finally {
      owner.resultClosed(this);
    }
  }
}
