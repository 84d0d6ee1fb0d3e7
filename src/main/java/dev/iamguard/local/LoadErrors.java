package dev.iamguard.local;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bad rows of one COPY, described like STL_LOAD_ERRORS rows (file, line, column, value,
 * reason, error code). Fails the load, naming the first error, once more rows are bad than
 * MAXERROR tolerates. Values are printed (data is not a secret) but cut to about 60 characters and
 * kept on one line.
 */
final class LoadErrors {
  private static final int VALUE_LIMIT = 60;
  private static final int NOTE_LIMIT = 3;

  private final String table;
  private final long tolerated;
  private final List<String> errors = new ArrayList<>();
  private long count;

  LoadErrors(String table, long tolerated) {
    this.table = table;
    this.tolerated = tolerated;
  }

  /** Records one bad row; throws when that is one more than the load tolerates. */
  void add(S3Uri file, long line, String column, String value, LoadProblem problem) throws SQLException {
    String error = describe(file, line, column, value, problem.reason(), problem.code());
    count++;
    if (errors.size() < NOTE_LIMIT) {
      errors.add(error);
    }
    if (count > tolerated) {
      throw failure(error, null);
    }
  }

  /** The exception that fails the whole load. */
  SQLException failure(String error, Throwable cause) {
    return new SQLException("Load into table '" + table + "' failed: " + error, SqlStates.LOAD_ERROR, cause);
  }

  long count() {
    return count;
  }

  /** A summary of the rows skipped, for the result note; empty when none was. */
  String skipped() {
    if (count == 0) {
      return "";
    }
    return "; " + count + " record(s) could not be loaded and were skipped: " + String.join("; ", errors)
        + (count > errors.size() ? "; ..." : "");
  }

  static String describe(S3Uri file, long line, String column, String value, String reason, int code) {
    StringBuilder out = new StringBuilder().append(file).append(" line ").append(line);
    if (column != null) {
      out.append(", column ").append(column);
    }
    out.append(": ").append(reason);
    if (value != null) {
      out.append(", value '").append(shorten(value)).append('\'');
    }
    return out.append(" (load error ").append(code).append(')').toString();
  }

  private static String shorten(String value) {
    String oneLine = value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    return oneLine.length() <= VALUE_LIMIT ? oneLine : oneLine.substring(0, VALUE_LIMIT) + "...";
  }
}
