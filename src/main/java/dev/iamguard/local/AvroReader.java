package dev.iamguard.local;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads an Avro object container file for COPY FORMAT AS AVRO 'auto' | 'auto ignorecase': each
 * top-level field goes to the column of the same name (exactly, or ignoring case), columns without
 * a field get NULL, as Redshift maps Avro data. Values become the text {@link ValueParser} reads:
 * logical dates, times and timestamps in ISO form (timestamps in UTC), decimals in plain notation,
 * bytes in hex, nested records, arrays and maps as their JSON text. The record number stands in
 * for the line in load errors. Only loaded when the Avro library is present ({@link OptionalLibrary}).
 */
final class AvroReader implements RecordReader {
  /** As a row of text or a JSON object: Redshift's 4 MB limit on a single input row. */
  static final int MAX_RECORD_BYTES = DelimitedReader.MAX_ROW_BYTES;
  /** As a JSON record: more levels are a load error, never a stack overflow. */
  static final int MAX_DEPTH = 64;
  /** A block's stored and inflated size; Avro writers cut blocks at 64 KB to 1 MB. */
  static final long MAX_BLOCK_BYTES = 64L << 20;

  private final DataFileStream<GenericRecord> in;
  private final int[] columnOf;
  private final Schema.Field[] fields;
  private final int columns;
  private long record;

  AvroReader(InputStream stream, List<TargetColumn> targetColumns, boolean ignoreCase) throws IOException {
    try {
      this.in = new DataFileStream<>(stream, new BoundedAvroDatumReader(MAX_RECORD_BYTES, MAX_DEPTH));
    } catch (RuntimeException e) {  // a header the library cannot read (a schema that is no schema)
      throw new IOException("the Avro header cannot be read: " + e.getMessage(), e);
    }
    this.columns = targetColumns.size();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < columns; i++) {
      String label = targetColumns.get(i).label();
      index.putIfAbsent(ignoreCase ? label.toLowerCase(Locale.ROOT) : label, i);
    }
    Schema schema = in.getSchema();
    if (schema.getType() != Schema.Type.RECORD) {
      in.close();
      throw new IOException("the Avro schema is a " + schema.getType() + ", not a record (COPY loads records)");
    }
    List<Schema.Field> all = schema.getFields();
    this.fields = all.toArray(new Schema.Field[0]);
    this.columnOf = new int[fields.length];
    for (int f = 0; f < fields.length; f++) {
      String name = fields[f].name();
      Integer column = index.get(ignoreCase ? name.toLowerCase(Locale.ROOT) : name);
      columnOf[f] = column == null ? -1 : column;
    }
  }

  @Override
  public Record next() throws IOException {
    GenericRecord row;
    try {
      if (!in.hasNext()) {  // reads the next block's framing, which can fail as a record can
        return null;
      }
      row = in.next();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause();
      if (cause instanceof BoundedAvroDecoder.AvroTooLarge || cause instanceof BoundedAvroDatumReader.TooDeep) {
        // a record beyond Redshift's bounds; the rest of its block cannot be found, so the load stops
        throw new IOException("record " + (record + 1) + " cannot be read: " + cause.getMessage()
            + " (load error 1216)", cause);
      }
      throw new IOException("record " + (record + 1) + " cannot be read: " + e.getMessage(), e);
    } catch (OutOfMemoryError | StackOverflowError e) {
      // Last line of defence for what cannot be measured before reading (a bzip2, xz or zstandard
      // block's inflated size): a data file must fail the load, never throw an Error at the caller.
      throw new IOException("record " + (record + 1) + " cannot be read: it needs more "
          + (e instanceof StackOverflowError ? "stack" : "memory") + " than the JVM has (load error 1216)");
    }
    record++;
    String[] values = new String[columns];
    for (int f = 0; f < fields.length; f++) {
      if (columnOf[f] >= 0) {
        values[columnOf[f]] = text(row.get(f), fields[f].schema());
      }
    }
    return new Record(record, values, null, null);
  }

  /** The text of one Avro value, by its schema's logical type. */
  static String text(Object value, Schema schema) {
    if (value == null) {
      return null;
    }
    if (schema.getType() == Schema.Type.UNION) {
      for (Schema branch : schema.getTypes()) {
        if (branch.getType() != Schema.Type.NULL && matches(value, branch)) {
          return text(value, branch);
        }
      }
    }
    LogicalType logical = schema.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal decimal) {
      byte[] bytes = value instanceof ByteBuffer buffer ? bytes(buffer) : ((GenericFixed) value).bytes();
      return new BigDecimal(new BigInteger(bytes), decimal.getScale()).toPlainString();
    }
    if (logical != null && value instanceof Number number) {
      long n = number.longValue();
      switch (logical.getName()) {
        case "date" -> {
          // as UNLOAD writes a date, which COPY reads in every era (0044-03-15 BC, 10000-01-01):
          // the pattern yyyy (year of era, no sign) once wrote 44 BC as 0045, a year AD that loaded silently
          return ValueText.date(LocalDate.ofEpochDay(n));
        }
        case "time-millis" -> {
          return LocalTime.ofNanoOfDay(n * 1_000_000L).toString();
        }
        case "time-micros" -> {
          return LocalTime.ofNanoOfDay(n * 1_000L).toString();
        }
        case "timestamp-millis" -> {
          return ValueText.timestamp(LocalDateTime.ofInstant(Instant.ofEpochMilli(n), ZoneOffset.UTC));
        }
        case "timestamp-micros" -> {
          return ValueText.timestamp(LocalDateTime.ofInstant(micros(n), ZoneOffset.UTC));
        }
        case "local-timestamp-millis" -> {
          return ValueText.timestamp(LocalDateTime.ofInstant(Instant.ofEpochMilli(n), ZoneOffset.UTC));
        }
        case "local-timestamp-micros" -> {
          return ValueText.timestamp(LocalDateTime.ofInstant(micros(n), ZoneOffset.UTC));
        }
        default -> { }
      }
    }
    if (value instanceof ByteBuffer buffer) {
      return HexFormat.of().formatHex(bytes(buffer));
    }
    if (value instanceof GenericFixed fixed) {
      return HexFormat.of().formatHex(fixed.bytes());
    }
    return value.toString(); // strings, numbers, booleans, enums; records, arrays and maps as JSON
  }

  private static boolean matches(Object value, Schema branch) {
    return switch (branch.getType()) {
      case STRING, ENUM -> value instanceof CharSequence || value instanceof org.apache.avro.generic.GenericEnumSymbol;
      case INT -> value instanceof Integer;
      case LONG -> value instanceof Long;
      case FLOAT -> value instanceof Float;
      case DOUBLE -> value instanceof Double;
      case BOOLEAN -> value instanceof Boolean;
      case BYTES -> value instanceof ByteBuffer;
      case FIXED -> value instanceof GenericFixed;
      case RECORD -> value instanceof GenericRecord;
      case ARRAY -> value instanceof java.util.Collection;
      case MAP -> value instanceof Map;
      default -> false;
    };
  }

  private static Instant micros(long n) {
    return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000L), Math.floorMod(n, 1_000_000L) * 1_000L);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
