package dev.iamguard.jdbc;

import dev.iamguard.policy.Decision;
import dev.iamguard.sql.SqlScript;
import java.sql.SQLException;

/**
 * iamguard's own API on a guarded connection, as {@code RedshiftConnection} is the Redshift
 * driver's, reached with {@code connection.unwrap(IamguardConnection.class)}: the decision the
 * guard would make on a text, for the connection's current identity, without sending, logging or
 * throwing (a dry run).
 */
public interface IamguardConnection {
  /**
   * The decision on {@code sql} as this connection would make it now; null when the mode is off.
   * When the decision needs to know who runs the statement and that may have changed, the server
   * is asked first (one round trip), as before an execution.
   */
  Decision decisionFor(String sql) throws SQLException;

  /**
   * As {@link #decisionFor(String)} for a script already parsed: a piece of a larger script read
   * piece by piece ({@link dev.iamguard.sql.ScriptReader}) keeps its statements' numbers and lines
   * in the whole script, and the findings name them so. When the target's driver would rewrite a
   * JDBC escape in the text, the text is decided as the driver will send it, as
   * {@link #decisionFor(String)} does, and its statements are numbered from the piece.
   */
  Decision decisionFor(SqlScript script) throws SQLException;

  /**
   * True when a denied statement is refused now (mode {@code enforce}); false in mode {@code audit}
   * (it is logged and sent) and {@code off}. Follows the registry's {@code policy.mode} through
   * reloads unless a setting ({@code iamguard.mode}, in the URL or the properties) pins the mode.
   */
  boolean enforcing();

  /**
   * False in mode {@code off}: statements are sent unchecked and nothing is decided or recorded.
   * Follows the mode as {@link #enforcing()} does.
   */
  boolean checking();
}
