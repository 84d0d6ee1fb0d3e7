package dev.iamguard.local;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Inserts converted rows with one prepared INSERT, in batches of {@value #BATCH_SIZE}, and
 * remembers where each pending row came from so a row the database rejects is reported by file
 * and line.
 */
final class BatchInserter implements AutoCloseable {
  static final int BATCH_SIZE = 1000;

  private final PreparedStatement insert;
  private final LoadErrors errors;
  private final S3Uri[] files = new S3Uri[BATCH_SIZE];
  private final long[] lines = new long[BATCH_SIZE];
  private int pending;
  private long inserted;

  BatchInserter(Connection connection, TargetTable table, LoadErrors errors) throws SQLException {
    this.insert = connection.prepareStatement(table.insertSql());
    this.errors = errors;
  }

  void add(Object[] row, S3Uri file, long line) throws SQLException {
    for (int i = 0; i < row.length; i++) {
      insert.setObject(i + 1, row[i]);
    }
    insert.addBatch();
    files[pending] = file;
    lines[pending] = line;
    if (++pending == BATCH_SIZE) {
      flush();
    }
  }

  void flush() throws SQLException {
    if (pending == 0) {
      return;
    }
    try {
      insert.executeBatch();
    } catch (BatchUpdateException e) {
      int failed = firstFailed(e.getUpdateCounts());
      throw errors.failure(files[failed] + " line " + lines[failed] + ": the database rejected the row: "
          + e.getMessage(), e);
    } catch (SQLException e) {
      throw errors.failure(files[0] + " lines " + lines[0] + " to " + lines[pending - 1]
          + ": the database rejected a row: " + e.getMessage(), e);
    }
    inserted += pending;
    pending = 0;
  }

  private int firstFailed(int[] counts) {
    for (int i = 0; counts != null && i < counts.length && i < pending; i++) {
      if (counts[i] == Statement.EXECUTE_FAILED) {
        return i;
      }
    }
    return counts != null && counts.length < pending ? counts.length : 0;
  }

  long inserted() {
    return inserted;
  }

  @Override
  public void close() throws SQLException {
    insert.close();
  }
}
