package dev.iamguard.local;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Locale;

/**
 * Builds UNLOAD's manifest, {@code <prefix>manifest}: every data file's url with
 * {@code meta.content_length} (its size in bytes, which Spectrum and columnar COPY need); with
 * VERBOSE also each file's {@code record_count}, a {@code schema} of column names and Redshift type
 * names, the totals in {@code meta}, and the {@code author}. The reference's VERBOSE example writes
 * a dimension as a bare number inside the type object, which is not valid JSON; here dimensions go
 * under a {@code "dimensions"} key, e.g. {@code [[18,4]]}.
 */
final class ManifestWriter {
  /**
   * One data file as the manifest lists it.
   *
   * @param url its S3 location
   * @param contentLength its size in bytes
   * @param records its lines, header included
   */
  record Entry(String url, long contentLength, long records) {}

  private ManifestWriter() {}

  static String write(List<Entry> entries, ResultSetMetaData schema, boolean verbose) throws SQLException {
    StringBuilder json = new StringBuilder("{\n  \"entries\": [\n");
    long totalLength = 0;
    long totalRecords = 0;
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      JsonText.string(json.append("    {\"url\":"), entry.url());
      json.append(", \"meta\": { \"content_length\": ").append(entry.contentLength());
      if (verbose) {
        json.append(", \"record_count\": ").append(entry.records());
      }
      json.append(" }}").append(i + 1 < entries.size() ? ",\n" : "\n");
      totalLength += entry.contentLength();
      totalRecords += entry.records();
    }
    json.append("  ]");
    if (verbose) {
      json.append(",\n  \"schema\": {\n    \"elements\": [\n");
      for (int c = 1; c <= schema.getColumnCount(); c++) {
        String label = schema.getColumnLabel(c);
        JsonText.string(json.append("      {\"name\": "), label.equals(label.toUpperCase(Locale.ROOT))
            ? label.toLowerCase(Locale.ROOT) : label);
        json.append(", \"type\": ").append(type(schema, c)).append('}')
            .append(c < schema.getColumnCount() ? ",\n" : "\n");
      }
      json.append("    ]\n  },\n  \"meta\": {\n    \"content_length\": ").append(totalLength)
          .append(",\n    \"record_count\": ").append(totalRecords).append("\n  },\n")
          .append("  \"author\": {\n    \"name\": \"Amazon Redshift\",\n    \"version\": \"1.0.0\"\n  }");
    }
    return json.append("\n}\n").toString();
  }

  /** The column's type under Redshift's name, with its length or precision and scale. */
  private static String type(ResultSetMetaData md, int c) throws SQLException {
    int precision = md.getPrecision(c);
    String base;
    String dimensions = null;
    switch (md.getColumnType(c)) {
      case Types.TINYINT, Types.SMALLINT -> base = "smallint";
      case Types.INTEGER -> base = "integer";
      case Types.BIGINT -> base = "bigint";
      case Types.DECIMAL, Types.NUMERIC -> {
        base = "numeric";
        dimensions = "[[" + precision + "," + md.getScale(c) + "]]";
      }
      case Types.REAL -> base = "real";
      case Types.FLOAT, Types.DOUBLE -> base = "double precision";
      case Types.BOOLEAN, Types.BIT -> base = "boolean";
      case Types.CHAR, Types.NCHAR -> {
        base = "character";
        dimensions = "[[" + precision + "]]";
      }
      case Types.VARCHAR, Types.NVARCHAR, Types.LONGVARCHAR, Types.LONGNVARCHAR, Types.CLOB -> {
        base = "character varying";
        dimensions = "[[" + precision + "]]";
      }
      case Types.DATE -> base = "date";
      case Types.TIMESTAMP -> base = "timestamp without time zone";
      case Types.TIMESTAMP_WITH_TIMEZONE -> base = "timestamp with time zone";
      case Types.TIME -> base = "time without time zone";
      case Types.TIME_WITH_TIMEZONE -> base = "time with time zone";
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> base = "varbyte";
      default -> base = md.getColumnTypeName(c).toLowerCase(Locale.ROOT);
    }
    StringBuilder type = JsonText.string(new StringBuilder("{ \"base\": "), base);
    if (dimensions != null) {
      type.append(", \"dimensions\": ").append(dimensions);
    }
    return type.append(" }").toString();
  }
}
