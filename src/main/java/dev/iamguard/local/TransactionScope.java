package dev.iamguard.local;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * Makes a COPY all or nothing without touching the caller's transaction. With autocommit on, the
 * COPY gets a transaction of its own (committed, or rolled back on failure) and autocommit is
 * switched back on afterwards. With autocommit off, the caller owns the transaction: the COPY
 * works inside a savepoint and a failure rolls back to it, leaving earlier work of the caller in
 * place and uncommitted.
 */
final class TransactionScope implements AutoCloseable {
  private final Connection connection;
  private final boolean ownTransaction;
  private final Savepoint savepoint;
  private boolean committed;

  private TransactionScope(Connection connection, boolean ownTransaction, Savepoint savepoint) {
    this.connection = connection;
    this.ownTransaction = ownTransaction;
    this.savepoint = savepoint;
  }

  static TransactionScope begin(Connection connection) throws SQLException {
    if (connection.getAutoCommit()) {
      connection.setAutoCommit(false);
      return new TransactionScope(connection, true, null);
    }
    return new TransactionScope(connection, false, connection.setSavepoint());
  }

  void commit() throws SQLException {
    if (ownTransaction) {
      connection.commit();
    } else {
      connection.releaseSavepoint(savepoint);
    }
    committed = true;
  }

  /** Rolls back unless committed, then restores autocommit if it was on. */
  @Override
  public void close() throws SQLException {
    try {
      if (!committed) {
        if (ownTransaction) {
          connection.rollback();
        } else {
          connection.rollback(savepoint);
        }
      }
    } finally {
      if (ownTransaction) {
        connection.setAutoCommit(true);
      }
    }
  }
}
