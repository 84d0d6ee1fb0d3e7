package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The formats the Spark Redshift connector uses: COPY FORMAT AS AVRO from files the Avro library
 * wrote, UNLOAD FORMAT AS PARQUET [MANIFEST] read back with the Parquet library.
 */
class ConnectorFormatsTest {
  @TempDir
  Path root;
  LocalDb db;

  @BeforeEach
  void open() throws SQLException {
    db = new LocalDb(root);
  }

  @AfterEach
  void close() throws SQLException {
    db.close();
  }

  private static Schema decimal(int precision, int scale) {
    return LogicalTypes.decimal(precision, scale).addToSchema(Schema.create(Schema.Type.BYTES));
  }

  private void writeAvro(String key, Schema schema, List<GenericRecord> records) throws Exception {
    File file = root.resolve(key).toFile();
    Files.createDirectories(file.toPath().getParent());
    try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
      writer.setCodec(CodecFactory.snappyCodec()); // spark-avro's default
      writer.create(schema, file);
      for (GenericRecord record : records) {
        writer.append(record);
      }
    }
  }

  @Test
  void copyAvroMapsFieldsToColumnsByNameWithRedshiftsTypes() throws Exception {
    db.sql("CREATE TABLE sales (id INT NOT NULL, buyer VARCHAR(20), price DECIMAL(8,2), sold TIMESTAMP,"
        + " sday DATE, paid BOOLEAN, extra VARCHAR(5))");
    Schema date = LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
    Schema micros = LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    Schema schema = SchemaBuilder.record("row").fields()
        .name("paid").type().nullable().booleanType().noDefault()
        .name("id").type().intType().noDefault()
        .name("buyer").type().nullable().stringType().noDefault()
        .name("price").type(decimal(8, 2)).noDefault()
        .name("sold").type(micros).noDefault()
        .name("sday").type(date).noDefault()
        .name("unknown").type().stringType().noDefault()
        .endRecord();
    Conversions.DecimalConversion decimals = new Conversions.DecimalConversion();
    List<GenericRecord> records = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      GenericRecord record = new GenericData.Record(schema);
      record.put("paid", i == 1 ? Boolean.TRUE : null);
      record.put("id", i);
      record.put("buyer", i == 1 ? "ann" : null);
      record.put("price", decimals.toBytes(new BigDecimal("12.5" + i), decimal(8, 2), LogicalTypes.decimal(8, 2)));
      record.put("sold", LocalDateTime.of(2008, 2, 18, 2, 36, 48, 123_456_000).toEpochSecond(ZoneOffset.UTC)
          * 1_000_000L + 123_456L);
      record.put("sday", (int) LocalDate.of(2008, 2, 18).toEpochDay());
      record.put("unknown", "ignored");
      records.add(record);
    }
    writeAvro("b/avro/part-0001.avro", schema, records);
    LocalResult result = db.run("COPY sales FROM 's3://b/avro/' IAM_ROLE default FORMAT AS AVRO 'auto'");
    assertThat(result.rows()).isEqualTo(2);
    assertThat(db.rows("SELECT id, buyer, price, sold, sday, paid, extra FROM sales ORDER BY id")).containsExactly(
        Arrays.asList(1, "ann", new BigDecimal("12.51"), java.sql.Timestamp.valueOf("2008-02-18 02:36:48.123456"),
            java.sql.Date.valueOf("2008-02-18"), true, null),
        Arrays.asList(2, null, new BigDecimal("12.52"), java.sql.Timestamp.valueOf("2008-02-18 02:36:48.123456"),
            java.sql.Date.valueOf("2008-02-18"), null, null));
  }

  @Test
  void avroFieldNamesMatchExactlyUnlessIgnorecase() throws Exception {
    db.sql("CREATE TABLE t (name VARCHAR(10))");
    Schema schema = SchemaBuilder.record("row").fields().name("NAME").type().stringType().noDefault().endRecord();
    GenericRecord record = new GenericData.Record(schema);
    record.put("NAME", "x");
    writeAvro("b/upper.avro", schema, List.of(record));
    db.run("COPY t FROM 's3://b/upper.avro' IAM_ROLE default FORMAT AS AVRO 'auto'");
    db.run("COPY t FROM 's3://b/upper.avro' IAM_ROLE default FORMAT AS AVRO 'auto ignorecase'");
    List<List<Object>> rows = db.rows("SELECT name FROM t");
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).get(0)).isNull();
    assertThat(rows.get(1).get(0)).isEqualTo("x");
    assertThatThrownBy(() -> db.run("COPY t FROM 's3://b/upper.avro' IAM_ROLE default"
        + " FORMAT AS AVRO 's3://b/jsonpaths.json'")).isInstanceOfSatisfying(SQLException.class,
            e -> assertThat(e.getSQLState()).isEqualTo("0AI01"));
  }

  @Test
  void aFileThatIsNotAvroFailsTheLoadNamingIt() throws Exception {
    db.sql("CREATE TABLE t (name VARCHAR(10))");
    LocalDb.put(root, "b/text.avro", "name\nx\n");
    assertThatThrownBy(() -> db.run("COPY t FROM 's3://b/text.avro' IAM_ROLE default FORMAT AS AVRO 'auto'"))
        .isInstanceOf(SQLException.class).hasMessageContaining("s3://b/text.avro");
    assertThat(db.count("t")).isZero();
  }

  @Test
  void unloadParquetWritesRedshiftsTypesAndAManifest() throws Exception {
    db.sql("CREATE TABLE sales (id SMALLINT NOT NULL, qty INTEGER, big BIGINT, price DECIMAL(8,2),"
        + " wide DECIMAL(38,4), ratio REAL, share DOUBLE PRECISION, paid BOOLEAN, buyer VARCHAR(20), code CHAR(3),"
        + " sday DATE, sold TIMESTAMP, at TIMESTAMP WITH TIME ZONE)");
    db.sql("INSERT INTO sales VALUES (1, 4, 9000000000, 728.00, -12345678901234567890.1234, 0.5, 0.25, TRUE,"
        + " 'ann', 'ab', DATE '2008-02-18', TIMESTAMP '2008-02-18 02:36:48.123456',"
        + " TIMESTAMP WITH TIME ZONE '2008-02-18 02:36:48+01')");
    db.sql("INSERT INTO sales (id) VALUES (2)");
    LocalResult result = db.run("UNLOAD ('select * from sales order by id') TO 's3://b/out/sales_'"
        + " IAM_ROLE default FORMAT AS PARQUET MANIFEST");
    assertThat(result.rows()).isEqualTo(2);
    Path file = root.resolve("b/out/sales_0000_part_00.parquet");
    assertThat(root.resolve("b/out/sales_manifest")).content()
        .contains("\"url\":\"s3://b/out/sales_0000_part_00.parquet\"");

    List<Group> rows = new ArrayList<>();
    MessageType schema;
    ParquetReadOptions options = new ParquetReadOptions.Builder(new PlainParquetConfiguration())
        .withCodecFactory(new ParquetPart.SnappyCodec()).build();
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
      schema = reader.getFileMetaData().getSchema();
      assertThat(reader.getRowGroups().get(0).getColumns().get(0).getCodec().name()).isEqualTo("SNAPPY");
      for (PageReadStore pages = reader.readNextRowGroup(); pages != null; pages = reader.readNextRowGroup()) {
        RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
            .getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          rows.add(records.read());
        }
      }
    }
    assertThat(schema.toString().replaceAll("\\s+", " ").trim()).isEqualTo("message redshift_unload {"
        + " required int32 id (INTEGER(16,true)); optional int32 qty; optional int64 big;"
        + " optional int32 price (DECIMAL(8,2)); optional fixed_len_byte_array(16) wide (DECIMAL(38,4));"
        + " optional float ratio; optional double share; optional boolean paid; optional binary buyer (STRING);"
        + " optional binary code (STRING); optional int32 sday (DATE);"
        + " optional int64 sold (TIMESTAMP(MICROS,false)); optional int64 at (TIMESTAMP(MICROS,true)); }");
    Group first = rows.get(0);
    assertThat(first.getInteger("id", 0)).isEqualTo(1);
    assertThat(first.getLong("big", 0)).isEqualTo(9_000_000_000L);
    assertThat(first.getInteger("price", 0)).isEqualTo(72800);
    assertThat(new BigDecimal(new java.math.BigInteger(first.getBinary("wide", 0).getBytes()), 4))
        .isEqualByComparingTo("-12345678901234567890.1234");
    assertThat(first.getBoolean("paid", 0)).isTrue();
    assertThat(first.getString("code", 0)).isEqualTo("ab ");
    assertThat(first.getInteger("sday", 0)).isEqualTo((int) LocalDate.of(2008, 2, 18).toEpochDay());
    assertThat(first.getLong("sold", 0)).isEqualTo(LocalDateTime.of(2008, 2, 18, 2, 36, 48)
        .toEpochSecond(ZoneOffset.UTC) * 1_000_000L + 123_456L);
    assertThat(first.getLong("at", 0)).isEqualTo(LocalDateTime.of(2008, 2, 18, 1, 36, 48)
        .toEpochSecond(ZoneOffset.UTC) * 1_000_000L);
    Group second = rows.get(1);
    assertThat(second.getInteger("id", 0)).isEqualTo(2);
    assertThat(second.getFieldRepetitionCount("qty")).isZero();
    assertThat(second.getFieldRepetitionCount("buyer")).isZero();
  }

  /**
   * Row groups of Redshift's default size (32 MB), not Parquet's (128 MB), which the writer holds in
   * memory: 72 MB of distinct strings (H2 makes them as the query runs) come out as three row groups
   * of about 32 MB (one of 72 MB before), every row once.
   */
  @Test
  void unloadParquetWritesRowGroupsOfRedshiftsDefaultSize() throws Exception {
    int rows = 250_000;
    LocalResult result = db.run("UNLOAD ('select x as id, replace(cast(random_uuid() as varchar), ''-'', '''')"
        + " || replace(cast(random_uuid() as varchar), ''-'', '''') || replace(cast(random_uuid() as varchar), ''-'', '''')"
        + " || replace(cast(random_uuid() as varchar), ''-'', '''') || replace(cast(random_uuid() as varchar), ''-'', '''')"
        + " || replace(cast(random_uuid() as varchar), ''-'', '''') || replace(cast(random_uuid() as varchar), ''-'', '''')"
        + " || replace(cast(random_uuid() as varchar), ''-'', '''') || replace(cast(random_uuid() as varchar), ''-'', '''')"
        + " as s from system_range(1, " + rows + ")') TO 's3://b/groups/g_' IAM_ROLE default FORMAT AS PARQUET");
    assertThat(result.rows()).isEqualTo(rows);

    ParquetReadOptions options = new ParquetReadOptions.Builder(new PlainParquetConfiguration())
        .withCodecFactory(new ParquetPart.SnappyCodec()).build();
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(root.resolve("b/groups/g_0000_part_00.parquet")),
        options)) {
      List<org.apache.parquet.hadoop.metadata.BlockMetaData> groups = reader.getRowGroups();
      assertThat(groups).hasSizeGreaterThanOrEqualTo(2);
      // the writer measures its row group every few thousand rows: a group ends a little past 32 MB
      assertThat(groups).allSatisfy(group -> assertThat(group.getTotalByteSize())
          .isLessThan(ParquetPart.ROW_GROUP_BYTES + (4L << 20)));
      assertThat(groups.stream().mapToLong(org.apache.parquet.hadoop.metadata.BlockMetaData::getRowCount).sum()).isEqualTo(rows);
    }
  }

  @Test
  void parquetRefusesTheTextOptions() {
    for (String option : List.of("CSV", "DELIMITER ','", "HEADER", "ADDQUOTES", "NULL AS 'x'", "GZIP", "ESCAPE")) {
      assertThatThrownBy(() -> db.run("UNLOAD ('select 1') TO 's3://b/p_' IAM_ROLE default FORMAT AS PARQUET "
          + option)).as(option).isInstanceOfSatisfying(SQLException.class,
              e -> assertThat(e.getMessage()).contains("cannot be combined"));
    }
  }

  @Test
  void parquetWithParallelOffIsOneFileWithoutThePartNumber() throws Exception {
    db.run("UNLOAD ('select 1 as one') TO 's3://b/serial_' IAM_ROLE default PARQUET PARALLEL OFF");
    assertThat(root.resolve("b/serial_000.parquet")).exists();
  }

  @Test
  void theLibraryCheckNamesWhatIsMissing() {
    SQLException missing = OptionalLibrary.AVRO.missing("COPY", "FORMAT AS AVRO", null);
    assertThat(missing.getSQLState()).isEqualTo("0AI01");
    assertThat(missing.getMessage()).contains("org.apache.avro:avro").contains("optional dependency");
  }
}
