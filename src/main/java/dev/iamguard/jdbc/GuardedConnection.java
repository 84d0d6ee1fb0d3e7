package dev.iamguard.jdbc;

import dev.iamguard.policy.Decision;
import java.sql.SQLException;

/**
 * What a guarded connection offers beyond JDBC, reached with
 * {@code connection.unwrap(GuardedConnection.class)}: the decision the guard would make on a text,
 * for the connection's current identity, without sending, logging or throwing (a dry run).
 */
public interface GuardedConnection {
  /**
   * The decision on {@code sql} as this connection would make it now; null when the mode is off.
   * When the decision needs to know who runs the statement and that may have changed, the server
   * is asked first (one round trip), as before an execution.
   */
  Decision decisionFor(String sql) throws SQLException;
}
