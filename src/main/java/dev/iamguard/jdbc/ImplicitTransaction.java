package dev.iamguard.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * A multi-statement text that holds an emulated statement runs as one implicit transaction, as
 * Redshift runs every multi-statement text: all of it or none of it. With autocommit on, the text
 * gets a transaction of its own (committed at the end, rolled back on failure, autocommit switched
 * back on either way); inside the caller's transaction it works within a savepoint and a failure
 * rolls back to it, leaving the caller's earlier work in place and the transaction open.
 *
 * <p>The guarded connection holds its statement lock meanwhile, so no other thread's statement on
 * a shared connection is drawn into this transaction or its rollback. DDL that the database
 * commits on its own (H2 commits CREATE TABLE) cannot be undone; Redshift undoes it.
 */
final class ImplicitTransaction {
  /** One statement of the text, run inside the transaction. */
  interface Step<T> {
    T run() throws SQLException;
  }

  private ImplicitTransaction() {}

  static <T> T run(Connection connection, Step<T> text) throws SQLException {
    boolean own = connection.getAutoCommit();
    Savepoint savepoint = null;
    if (own) {
      connection.setAutoCommit(false);
    } else {
      savepoint = connection.setSavepoint();
    }
    try {
      T result = text.run();
      if (own) {
        connection.commit();
      } else {
        connection.releaseSavepoint(savepoint);
      }
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      try {
        if (own) {
          connection.rollback();
        } else {
          connection.rollback(savepoint);
        }
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    } finally {
      if (own) {
        connection.setAutoCommit(true);
      }
    }
  }
}
