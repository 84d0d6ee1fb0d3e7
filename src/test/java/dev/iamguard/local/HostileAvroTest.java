package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Probe 23c A1 and A2: an Avro data file, whatever it declares, fails the load with an
 * SQLException (never an OutOfMemoryError or StackOverflowError at the caller) and loads nothing,
 * while the same shapes within their bounds load. Files are written here byte by byte: a valid
 * header from the Avro library, then blocks whose declared size, string or bytes length, inflated
 * size or record nesting lie around and far beyond the bounds (4 MB a record, 64 levels, 64 MB a
 * block).
 */
class HostileAvroTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R' FORMAT AS AVRO 'auto'";
  private static final Schema FLAT = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"s\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"bytes\"}]}");
  private static final Schema DEEP = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"n\",\"type\":[\"null\",\"r\"]}]}");

  @BeforeEach
  void table() throws SQLException {
    db.sql("CREATE TABLE av (id INT, s VARCHAR(20), b VARCHAR(20), n VARCHAR(65535))");
  }

  /** A header-only container file of the schema and codec, as the Avro library writes it. */
  private static byte[] header(Schema schema, CodecFactory codec) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
      writer.setCodec(codec);
      writer.create(schema, out);
    }
    return out.toByteArray();
  }

  private static void writeLong(ByteArrayOutputStream out, long value) {
    long n = (value << 1) ^ (value >> 63);
    while ((n & ~0x7fL) != 0) {
      out.write((int) ((n & 0x7f) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
  }

  /** header, then one block of {@code count} records declaring {@code declaredSize} bytes, holding {@code data}, then the sync marker. */
  private static byte[] file(byte[] header, long count, long declaredSize, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header);
    writeLong(out, count);
    writeLong(out, declaredSize);
    out.writeBytes(data);
    out.writeBytes(Arrays.copyOfRange(header, header.length - 16, header.length));
    return out.toByteArray();
  }

  /** One flat record: id, a string declaring {@code stringLength} bytes, bytes declaring {@code bytesLength}; each holds up to 8 bytes. */
  private static byte[] flatRecord(long stringLength, long bytesLength) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeLong(out, 7);
    writeLong(out, stringLength);
    out.writeBytes("abcdefgh".substring(0, (int) Math.max(0, Math.min(8, stringLength))).getBytes());
    writeLong(out, bytesLength);
    out.writeBytes(new byte[(int) Math.max(0, Math.min(8, bytesLength))]);
    return out.toByteArray();
  }

  private void put(byte[] bytes) throws Exception {
    Files.createDirectories(root.resolve("b"));
    Files.write(root.resolve("b/f.avro"), bytes);
  }

  /** Fails with an SQLException (an Error would escape this as a failure of the test) and loads nothing. */
  private void assertLoadFails(String... messages) throws SQLException {
    SQLException refused = null;
    try {
      db.run("COPY av FROM 's3://b/f.avro'" + ROLE);
    } catch (SQLException e) {
      refused = e;
    }
    assertThat((Throwable) refused).isNotNull();
    assertThat(refused.getMessage()).contains("s3://b/f.avro").contains(messages);
    assertThat(db.count("av")).isZero();
  }

  /** A header whose schema value declares {@code declared} bytes where the file holds far fewer. */
  @ParameterizedTest
  @ValueSource(longs = {-1, 1_000, 2_000_000_000L, 1L << 40})
  void aHeaderValueDeclaringMoreThanTheFileHoldsFailsTheLoad(long declared) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'O', 'b', 'j', 1});
    writeLong(out, 1);
    writeLong(out, "avro.schema".length());
    out.writeBytes("avro.schema".getBytes());
    writeLong(out, declared);
    out.writeBytes("{\"type\":\"int\"}".getBytes());
    put(out.toByteArray());

    assertLoadFails("header value 'avro.schema' declares");
  }

  /** A schema the library cannot parse, or one whose JSON nests far deeper than any schema: a failed load, not a RuntimeException. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5_000})
  void aHeaderWhoseSchemaIsNoSchemaFailsTheLoad(int nesting) throws Exception {
    String schema = "[".repeat(nesting) + "{\"type\":\"nonsense\"}" + "]".repeat(nesting);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'O', 'b', 'j', 1});
    writeLong(out, 1);
    writeLong(out, "avro.schema".length());
    out.writeBytes("avro.schema".getBytes());
    writeLong(out, schema.length());
    out.writeBytes(schema.getBytes());
    writeLong(out, 0);
    out.writeBytes(new byte[16]);
    put(out.toByteArray());

    assertLoadFails("the Avro header cannot be read");
  }

  static Stream<Long> blockSizes() {
    return Stream.of(-1L, -2_000_000_000L, 1L << 40, 2_000_000_000L, (long) Integer.MAX_VALUE - 8,
        AvroReader.MAX_BLOCK_BYTES + 1, 100L, 25L);
  }

  @ParameterizedTest
  @MethodSource("blockSizes")
  void aBlockDeclaringMoreThanTheFileHoldsFailsTheLoad(long declared) throws Exception {
    byte[] record = flatRecord(3, 2);
    put(file(header(FLAT, CodecFactory.nullCodec()), 1, declared, record));

    assertLoadFails("block 1 declares");
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 1L << 40, AvroReader.MAX_BLOCK_BYTES + 1})
  void aBlockDeclaringTooManyRecordsFailsTheLoad(long count) throws Exception {
    byte[] record = flatRecord(3, 2);
    put(file(header(FLAT, CodecFactory.nullCodec()), count, record.length, record));

    assertLoadFails("block 1 declares");
  }

  @ParameterizedTest
  @ValueSource(longs = {AvroReader.MAX_RECORD_BYTES + 1, 5L << 20, Integer.MAX_VALUE - 8, Integer.MAX_VALUE,
      2_000_000_000L, 1L << 40, -1, -2_000_000_000L})
  void aStringOrBytesDeclaringMoreThanARecordHoldsFailsTheLoad(long length) throws Exception {
    for (boolean string : new boolean[] {true, false}) {
      byte[] record = string ? flatRecord(length, 2) : flatRecord(3, length);
      put(file(header(FLAT, CodecFactory.nullCodec()), 1, record.length, record));

      assertLoadFails("record 1 cannot be read", string ? "a string declares" : "a bytes value declares",
          "(load error 1216)");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 8})
  void theSameShapesWithinTheirBoundsLoad(int length) throws Exception {
    byte[] record = flatRecord(length, length);
    put(file(header(FLAT, CodecFactory.nullCodec()), 1, record.length, record));

    db.run("COPY av FROM 's3://b/f.avro'" + ROLE);

    assertThat(db.rows("SELECT id, s FROM av")).containsExactly(List.of(7, "abcdefgh".substring(0, length)));
  }

  private static byte[] deflated(byte[] data) {
    Deflater deflater = new Deflater(9, true);
    deflater.setInput(data);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[65536];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(longs = {AvroReader.MAX_BLOCK_BYTES + 1, AvroReader.MAX_BLOCK_BYTES + (1 << 20)})
  void aDeflateBlockInflatingBeyondTheBoundFailsTheLoad(long inflated) throws Exception {
    // a record declaring a string as long as the rest of the block, of zeros: deflate makes it tiny
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    writeLong(plain, 7);
    writeLong(plain, inflated - 8);
    byte[] head = plain.toByteArray();
    byte[] data = new byte[(int) inflated];
    System.arraycopy(head, 0, data, 0, head.length);
    byte[] compressed = deflated(data);
    data = null;
    put(file(header(FLAT, CodecFactory.deflateCodec(6)), 1, compressed.length, compressed));

    assertLoadFails("block 1 inflates to more than");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void aDeflateBlockWithinTheBoundLoads(int records) throws Exception {
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    for (int i = 0; i < records; i++) {
      plain.writeBytes(flatRecord(2, 1));
    }
    byte[] compressed = deflated(plain.toByteArray());
    put(file(header(FLAT, CodecFactory.deflateCodec(6)), records, compressed.length, compressed));

    db.run("COPY av FROM 's3://b/f.avro'" + ROLE);

    assertThat(db.count("av")).isEqualTo(records);
  }

  /** One record of {@link #DEEP} nested {@code depth} records deep, written without recursion. */
  private static byte[] deepRecord(int depth) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int level = 1; level <= depth; level++) {
      writeLong(out, level);
      writeLong(out, level < depth ? 1 : 0);  // the union's branch: the next record, or null at the bottom
    }
    return out.toByteArray();
  }

  /**
   * A file whose blocks use a codec that cannot be sized before it is inflated (a 1 KB bzip2 block
   * inflated to 1.5 GB), or whose library the driver does not ship (xz, zstandard:
   * NoClassDefFoundError escaped Statement.execute): refused before any block is read (probe 23e F5,
   * F6), whatever its records hold; the codecs that are read still load.
   */
  @ParameterizedTest
  @ValueSource(strings = {"bzip2", "xz", "zstandard", "null", "deflate", "snappy"})
  void aCodecThatCannotBeSizedFailsTheLoad(String codec) throws Exception {
    Schema schema = FLAT;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
      writer.setCodec(CodecFactory.fromString(codec));
      writer.create(schema, out);
      GenericRecord record = new org.apache.avro.generic.GenericData.Record(schema);
      record.put("id", 7);
      record.put("s", "x");
      record.put("b", java.nio.ByteBuffer.wrap(new byte[] {1}));
      writer.append(record);
    }
    put(out.toByteArray());

    if (List.of("null", "deflate", "snappy").contains(codec)) {
      db.run("COPY av FROM 's3://b/f.avro'" + ROLE);
      assertThat(db.rows("SELECT id FROM av")).containsExactly(List.of(7));
    } else {
      assertLoadFails("codec \"" + codec + "\"");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 63, 64})
  void aRecordNestedWithinTheBoundLoads(int depth) throws Exception {
    byte[] record = deepRecord(depth);
    put(file(header(DEEP, CodecFactory.nullCodec()), 1, record.length, record));

    db.run("COPY av FROM 's3://b/f.avro'" + ROLE);

    assertThat(db.rows("SELECT id FROM av")).containsExactly(List.of(1));
  }

  @ParameterizedTest
  @ValueSource(ints = {65, 66, 1_000, 200_000})
  void aRecordNestedBeyondTheBoundFailsTheLoad(int depth) throws Exception {
    byte[] record = deepRecord(depth);
    put(file(header(DEEP, CodecFactory.nullCodec()), 1, record.length, record));

    assertLoadFails("record 1 cannot be read", "nests more than 64 levels", "(load error 1216)");
  }
}
