package dev.iamguard.local;

import java.sql.SQLException;
import java.util.List;

/**
 * Turns one record's fields into the row to insert: checks the field count (FILLRECORD fills
 * missing trailing fields), converts each field for its column, and refuses NULL in a NOT NULL
 * column. A bad row is handed to {@link LoadErrors}, which decides whether the load goes on.
 */
final class RowBuilder {
  private final List<TargetColumn> columns;
  private final ValueParser parser;
  private final CopyOptions options;
  private final LoadErrors errors;

  RowBuilder(TargetTable table, CopyOptions options, LoadErrors errors) {
    this.columns = table.columns();
    this.parser = new ValueParser(options);
    this.options = options;
    this.errors = errors;
  }

  /** The row, or null when the record was bad and skipped under MAXERROR. */
  Object[] build(S3Uri file, RecordReader.Record record) throws SQLException {
    if (record.problem() != null) {
      errors.add(file, record.line(), null, record.text(), record.problem());
      return null;
    }
    String[] fields = record.fields();
    if (fields.length > columns.size()) {
      errors.add(file, record.line(), null, String.join(String.valueOf(options.delimiter()), nonNull(fields)),
          new LoadProblem(1202, "extra column(s) found: " + fields.length + " fields for " + columns.size() + " columns"));
      return null;
    }
    if (fields.length < columns.size() && !options.fillRecord) {
      errors.add(file, record.line(), columns.get(fields.length).label(), null,
          new LoadProblem(1203, "missing data for column: " + fields.length + " fields for " + columns.size() + " columns"));
      return null;
    }
    Object[] row = new Object[columns.size()];
    for (int i = 0; i < row.length; i++) {
      TargetColumn column = columns.get(i);
      // FILLRECORD: a missing VARCHAR is a zero-length string (NULL with EMPTYASNULL); any other
      // missing column, CHAR too, is NULL ("the missing CHAR values would be loaded as NULL values")
      String text = i < fields.length ? fields[i] : column.isCharacter() && !column.isFixedCharacter() ? "" : null;
      try {
        row[i] = parser.parse(column, text);
        if (row[i] == null && !column.nullable()) {
          throw new LoadProblem(1213, "missing data for not-null field");
        }
      } catch (LoadProblem problem) {
        errors.add(file, record.line(), column.label(), text, problem);
        return null;
      }
    }
    return row;
  }

  private static String[] nonNull(String[] fields) {
    String[] out = new String[fields.length];
    for (int i = 0; i < fields.length; i++) {
      out[i] = fields[i] == null ? "" : fields[i];
    }
    return out;
  }
}
