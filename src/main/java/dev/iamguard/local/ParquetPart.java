package dev.iamguard.local;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types.MessageTypeBuilder;
import org.xerial.snappy.Snappy;

/**
 * Writes one UNLOAD FORMAT AS PARQUET file: Redshift's column types as Parquet types (SMALLINT and
 * INTEGER as INT32, BIGINT as INT64, DECIMAL(p, s) as DECIMAL on INT32 / INT64 / fixed bytes by
 * precision, REAL as FLOAT, DOUBLE PRECISION as DOUBLE, BOOLEAN, CHAR and VARCHAR as STRING, DATE,
 * TIMESTAMP as TIMESTAMP(MICROS) and TIMESTAMPTZ as TIMESTAMP(MICROS, UTC), binary as BINARY),
 * column names in lower case, SNAPPY-compressed as Redshift writes them. It goes through Parquet's
 * local {@link LocalOutputFile} with a snappy-java codec, so no Hadoop class is needed. Only
 * loaded when Parquet is present ({@link OptionalLibrary}).
 */
final class ParquetPart {
  /**
   * Redshift's row groups: "If ROWGROUPSIZE isn't specified, the default size is 32 MB" (UNLOAD).
   * The writer holds a row group in memory, so Parquet's own default (128 MB) ran a 256 MB heap out
   * of memory on wide tables of distinct strings.
   */
  static final long ROW_GROUP_BYTES = 32L << 20;

  private ParquetPart() {}

  /** Writes every row of {@code rs} to {@code file}; returns the number of rows. */
  static long write(ResultSet rs, ResultSetMetaData md, Path file) throws SQLException, IOException {
    MessageType schema = schema(md);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    long rows = 0;
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration()).withType(schema).withCodecFactory(new SnappyCodec())
        .withCompressionCodec(CompressionCodecName.SNAPPY).withRowGroupSize(ROW_GROUP_BYTES).build()) {
      while (rs.next()) {
        Group group = groups.newGroup();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          add(group, i - 1, rs, md, i);
        }
        writer.write(group);
        rows++;
      }
    }
    return rows;
  }

  static MessageType schema(ResultSetMetaData md) throws SQLException {
    MessageTypeBuilder message = org.apache.parquet.schema.Types.buildMessage();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      Type.Repetition repetition = md.isNullable(i) == ResultSetMetaData.columnNoNulls
          ? Type.Repetition.REQUIRED : Type.Repetition.OPTIONAL;
      String name = md.getColumnLabel(i);
      name = name.equals(name.toUpperCase(Locale.ROOT)) ? name.toLowerCase(Locale.ROOT) : name;
      int precision = md.getPrecision(i);
      int scale = md.getScale(i);
      var field = switch (md.getColumnType(i)) {
        case Types.TINYINT, Types.SMALLINT -> message.primitive(PrimitiveTypeName.INT32, repetition)
            .as(LogicalTypeAnnotation.intType(16, true));
        case Types.INTEGER -> message.primitive(PrimitiveTypeName.INT32, repetition);
        case Types.BIGINT -> message.primitive(PrimitiveTypeName.INT64, repetition);
        case Types.DECIMAL, Types.NUMERIC -> precision <= 9
            ? message.primitive(PrimitiveTypeName.INT32, repetition).as(LogicalTypeAnnotation.decimalType(scale, precision))
            : precision <= 18
                ? message.primitive(PrimitiveTypeName.INT64, repetition)
                    .as(LogicalTypeAnnotation.decimalType(scale, precision))
                : message.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, repetition).length(16)
                    .as(LogicalTypeAnnotation.decimalType(scale, Math.min(precision, 38)));
        case Types.REAL -> message.primitive(PrimitiveTypeName.FLOAT, repetition);
        case Types.FLOAT, Types.DOUBLE -> message.primitive(PrimitiveTypeName.DOUBLE, repetition);
        case Types.BOOLEAN, Types.BIT -> message.primitive(PrimitiveTypeName.BOOLEAN, repetition);
        case Types.DATE -> message.primitive(PrimitiveTypeName.INT32, repetition).as(LogicalTypeAnnotation.dateType());
        case Types.TIME -> message.primitive(PrimitiveTypeName.INT64, repetition)
            .as(LogicalTypeAnnotation.timeType(false, TimeUnit.MICROS));
        case Types.TIMESTAMP -> message.primitive(PrimitiveTypeName.INT64, repetition)
            .as(LogicalTypeAnnotation.timestampType(false, TimeUnit.MICROS));
        case Types.TIMESTAMP_WITH_TIMEZONE -> message.primitive(PrimitiveTypeName.INT64, repetition)
            .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS));
        case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB ->
            message.primitive(PrimitiveTypeName.BINARY, repetition);
        default -> message.primitive(PrimitiveTypeName.BINARY, repetition).as(LogicalTypeAnnotation.stringType());
      };
      field.named(name);
    }
    return message.named("redshift_unload");
  }

  /**
   * Microseconds since 1970 (UTC), as a Parquet TIMESTAMP(MICROS) holds them. A long reaches
   * 294247-01-10 04:00:54.775807; Redshift's timestamps reach 294276 AD. Beyond, the UNLOAD fails
   * naming the value instead of writing a wrapped-around one. (A DATE's days fit an int in every era.)
   */
  private static long micros(LocalDateTime v, ResultSetMetaData md, int i) throws SQLException {
    try {
      return ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), v);
    } catch (ArithmeticException e) {
      throw new SQLException("datetime field overflow: column " + md.getColumnLabel(i) + " holds "
          + ValueText.timestamp(v) + ", after 294247-01-10 04:00:54.775807, the last moment a Parquet timestamp"
          + " (microseconds since 1970 in 64 bits) holds", "22008");
    }
  }

  private static void add(Group group, int field, ResultSet rs, ResultSetMetaData md, int i) throws SQLException {
    switch (md.getColumnType(i)) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> {
        int v = rs.getInt(i);
        if (!rs.wasNull()) {
          group.add(field, v);
        }
      }
      case Types.BIGINT -> {
        long v = rs.getLong(i);
        if (!rs.wasNull()) {
          group.add(field, v);
        }
      }
      case Types.DECIMAL, Types.NUMERIC -> {
        BigDecimal v = rs.getBigDecimal(i);
        if (v != null) {
          BigDecimal scaled = v.setScale(md.getScale(i), RoundingMode.UNNECESSARY);
          int precision = md.getPrecision(i);
          if (scaled.precision() > Math.min(precision, MAX_DECIMAL_DIGITS)) {
            // H2 computes wider decimals than Redshift's NUMERIC holds (38 digits): Redshift's overflow error
            throw new SQLException("numeric value out of range: column " + md.getColumnLabel(i) + " holds a value of "
                + scaled.precision() + " digits, more than the " + Math.min(precision, MAX_DECIMAL_DIGITS)
                + " of its Parquet DECIMAL(" + Math.min(precision, MAX_DECIMAL_DIGITS) + ", " + md.getScale(i)
                + ") (Redshift's NUMERIC holds at most 38)", "22003");
          }
          if (precision <= 9) {
            group.add(field, scaled.unscaledValue().intValueExact());
          } else if (precision <= 18) {
            group.add(field, scaled.unscaledValue().longValueExact());
          } else {
            group.add(field, Binary.fromConstantByteArray(fixed16(scaled.unscaledValue().toByteArray())));
          }
        }
      }
      case Types.REAL -> {
        float v = rs.getFloat(i);
        if (!rs.wasNull()) {
          group.add(field, v);
        }
      }
      case Types.FLOAT, Types.DOUBLE -> {
        double v = rs.getDouble(i);
        if (!rs.wasNull()) {
          group.add(field, v);
        }
      }
      case Types.BOOLEAN, Types.BIT -> {
        boolean v = rs.getBoolean(i);
        if (!rs.wasNull()) {
          group.add(field, v);
        }
      }
      case Types.DATE -> {
        LocalDate v = rs.getObject(i, LocalDate.class);
        if (v != null) {
          group.add(field, (int) v.toEpochDay());
        }
      }
      case Types.TIME -> {
        LocalTime v = rs.getObject(i, LocalTime.class);
        if (v != null) {
          group.add(field, v.toNanoOfDay() / 1_000L);
        }
      }
      case Types.TIMESTAMP -> {
        LocalDateTime v = rs.getObject(i, LocalDateTime.class);
        if (v != null) {
          group.add(field, micros(v, md, i));
        }
      }
      case Types.TIMESTAMP_WITH_TIMEZONE -> {
        OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
        if (v != null) {
          group.add(field, micros(v.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(), md, i));
        }
      }
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> {
        byte[] v = rs.getBytes(i);
        if (v != null) {
          group.add(field, Binary.fromConstantByteArray(v));
        }
      }
      default -> {
        String v = rs.getString(i);
        if (v != null) {
          group.add(field, v);
        }
      }
    }
  }

  /** The most digits of a Redshift NUMERIC, and of a DECIMAL written on 16 bytes. */
  private static final int MAX_DECIMAL_DIGITS = 38;

  /** A two's-complement value sign-extended to the 16 bytes of a DECIMAL(p > 18). */
  private static byte[] fixed16(byte[] value) {
    byte[] out = new byte[16];
    byte fill = (byte) (value[0] < 0 ? -1 : 0);
    java.util.Arrays.fill(out, 0, 16 - value.length, fill);
    System.arraycopy(value, 0, out, 16 - value.length, value.length);
    return out;
  }

  /** SNAPPY through snappy-java directly: Parquet's own codec classes would need Hadoop. */
  static final class SnappyCodec implements CompressionCodecFactory {
    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
      return new BytesInputCompressor() {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
          return codec == CompressionCodecName.SNAPPY ? BytesInput.from(Snappy.compress(bytes.toByteArray())) : bytes;
        }

        @Override
        public CompressionCodecName getCodecName() {
          return codec;
        }

        @Override
        public void release() {}
      };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
      return new BytesInputDecompressor() {
        @Override
        public BytesInput decompress(BytesInput bytes, int size) throws IOException {
          return codec == CompressionCodecName.SNAPPY ? BytesInput.from(Snappy.uncompress(bytes.toByteArray())) : bytes;
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int size) throws IOException {
          byte[] in = new byte[compressedSize];
          input.get(in);
          output.put(codec == CompressionCodecName.SNAPPY ? Snappy.uncompress(in) : in);
        }

        @Override
        public void release() {}
      };
    }

    @Override
    public void release() {}
  }
}
