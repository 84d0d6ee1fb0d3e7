package dev.iamguard.local;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;

/**
 * Writes one result row as a line of UNLOAD output. Delimited text: with ESCAPE, a backslash goes
 * before line feeds, carriage returns, the delimiter, backslashes and (with ADDQUOTES) double and
 * single quotes in CHAR / VARCHAR values; ADDQUOTES encloses every value in double quotes. CSV:
 * a value holding the delimiter, a double quote, a line feed or a carriage return is quoted, and
 * quotes inside are doubled. NULL is written as NULL AS (default: nothing), never escaped or quoted.
 */
final class RowFormatter {
  private final UnloadOptions options;
  private final char delimiter;
  private final int[] types;
  private final boolean[] character;
  private final StringBuilder line = new StringBuilder(256);

  RowFormatter(ResultSetMetaData md, UnloadOptions options) throws SQLException {
    this.options = options;
    this.delimiter = options.delimiter();
    this.types = new int[md.getColumnCount()];
    this.character = new boolean[types.length];
    for (int i = 0; i < types.length; i++) {
      types[i] = md.getColumnType(i + 1);
      character[i] = switch (types[i]) {
        case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
            Types.CLOB, Types.NCLOB -> true;
        default -> false;
      };
    }
  }

  /** The header line: column names (lower case, as Redshift names them), formatted like values. */
  String header(ResultSetMetaData md) throws SQLException {
    line.setLength(0);
    for (int i = 0; i < types.length; i++) {
      String label = md.getColumnLabel(i + 1);
      append(i, label.equals(label.toUpperCase(Locale.ROOT)) ? label.toLowerCase(Locale.ROOT) : label, true);
    }
    return line.append('\n').toString();
  }

  /** The current row of {@code rs}, ending with a line feed. */
  String row(ResultSet rs) throws SQLException {
    line.setLength(0);
    for (int i = 0; i < types.length; i++) {
      append(i, ValueText.of(rs, i + 1, types[i]), character[i]);
    }
    return line.append('\n').toString();
  }

  private void append(int i, String value, boolean isCharacter) {
    if (i > 0) {
      line.append(delimiter);
    }
    if (value == null) {
      line.append(options.nullString);
    } else if (options.csv) {
      csv(value);
    } else {
      if (options.addQuotes) {
        line.append('"');
      }
      if (options.escape && isCharacter) {
        escaped(value);
      } else {
        line.append(value);
      }
      if (options.addQuotes) {
        line.append('"');
      }
    }
  }

  private void escaped(String value) {
    for (int k = 0; k < value.length(); k++) {
      char c = value.charAt(k);
      if (c == '\n' || c == '\r' || c == delimiter || c == '\\' || options.addQuotes && (c == '"' || c == '\'')) {
        line.append('\\');
      }
      line.append(c);
    }
  }

  private void csv(String value) {
    boolean quote = false;
    for (int k = 0; k < value.length() && !quote; k++) {
      char c = value.charAt(k);
      quote = c == delimiter || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      line.append(value);
      return;
    }
    line.append('"');
    for (int k = 0; k < value.length(); k++) {
      char c = value.charAt(k);
      line.append(c == '"' ? "\"\"" : String.valueOf(c));
    }
    line.append('"');
  }
}
