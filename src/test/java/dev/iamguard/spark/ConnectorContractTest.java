package dev.iamguard.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iamguard.jdbc.GuardDeniedException;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * iamguard under the JDBC contract of Spark's Redshift connector ({@link ConnectorJdbc}), on H2
 * with COPY and UNLOAD emulated: a write stages Avro files and a manifest as the connector does
 * (spark-avro's layout: lower-case fields, dates, timestamps and decimals as strings) and loads
 * them; a read UNLOADs to Parquet with a manifest. The three denials a Spark job meets (a tempdir
 * outside the role's prefixes, a role not attached to the cluster, access keys) come out as the
 * exception the connector throws, with iamguard's denial (42501) in its cause chain, and nothing
 * of the table changes.
 */
class ConnectorContractTest {
  static final Path REGISTRY = Path.of("samples", "spark", "registry.yaml").toAbsolutePath();
  static final String ROLE = "arn:aws:iam::123456789012:role/SparkEtl";
  static final String UNATTACHED = "arn:aws:iam::123456789012:role/Archive";
  static final String SCHEMA = "\"id\" INTEGER NOT NULL, \"name\" VARCHAR(MAX), \"amount\" DECIMAL(10,2),"
      + " \"day\" DATE, \"ts\" TIMESTAMPTZ";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  @TempDir
  Path s3;
  ConnectorJdbc connector;
  String url;

  @BeforeEach
  void setUp() {
    url = "jdbc:iamguard:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    connector = new ConnectorJdbc(options(url, s3));
  }

  @AfterEach
  void tearDown() {
    connector.close();
  }

  /** The options a Spark job gives the connector (.option(...)), for iamguard on H2. */
  static Map<String, String> options(String url, Path localS3) {
    Map<String, String> options = new HashMap<>();
    options.put("url", url);
    options.put("user", "etl");
    options.put("password", "");
    options.put("jdbcdriver", ConnectorJdbc.DRIVER);
    options.put("jdbc.iamguard.registry", REGISTRY.toString());
    options.put("jdbc.iamguard.local-s3", localS3.toString());
    options.put("copyretrycount", "0");
    return options;
  }

  /** What spark-avro writes for the connector: one part file and the connector's manifest. */
  static String stage(Path localS3, String bucket, String folder, List<Object[]> rows) throws IOException {
    Schema schema = SchemaBuilder.record("topLevelRecord").fields()
        .requiredInt("id").optionalString("name").optionalString("amount").optionalString("day")
        .optionalString("ts").endRecord();
    Path dir = Files.createDirectories(localS3.resolve(bucket).resolve(folder));
    String part = "part-00000-" + UUID.randomUUID() + "-c000.avro";
    try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
      writer.setCodec(CodecFactory.snappyCodec());
      writer.create(schema, dir.resolve(part).toFile());
      for (Object[] row : rows) {
        GenericRecord record = new GenericData.Record(schema);
        for (int i = 0; i < row.length; i++) {
          record.put(i, row[i]);
        }
        writer.append(record);
      }
    }
    String prefix = "s3://" + bucket + "/" + folder;
    String manifest = "{\"entries\": [{\"url\":\"" + prefix + "/" + part + "\",\n \"mandatory\":true,\n"
        + " \"meta\": {\"content_length\":" + Files.size(dir.resolve(part)) + "}}]}";
    Files.writeString(dir.resolve("manifest.json"), manifest);
    return prefix + "/manifest.json";
  }

  static List<Object[]> rows() {
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {1, "alpha", "12.50", "2024-01-31", "2024-01-31 10:15:30.000000"});
    rows.add(new Object[] {2, null, "-0.05", "2024-02-29", null});
    rows.add(new Object[] {3, "it's \"quoted\"", null, null, "2024-03-01 00:00:00.123456"});
    return rows;
  }

  private Connection open() throws SQLException {
    return connector.connect();
  }

  private List<String> table() throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection connection = open(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT \"id\", \"name\", \"amount\", \"day\", \"ts\" FROM \"PUBLIC\".\"events\""
            + " ORDER BY \"id\"")) {
      while (rs.next()) {
        lines.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getBigDecimal(3) + "|" + rs.getObject(4) + "|"
            + rs.getObject(5, java.time.OffsetDateTime.class));
      }
    }
    return lines;
  }

  @Test
  void theDriverIsFoundByClassNameAmongTheRegisteredDrivers() throws SQLException {
    try (Connection connection = connector.connect()) {
      assertThat(connection.isWrapperFor(dev.iamguard.jdbc.IamguardConnection.class)).isTrue();
      assertThat(connection.getAutoCommit()).isTrue();
    }
  }

  @Test
  void aWriteLoadsTheStagedAvroFilesInOneTransaction() throws Exception {
    String manifest = stage(s3, "etl-temp", "spark/" + UUID.randomUUID(), rows());
    connector.saveToRedshift(ConnectorJdbc.table("events"), SCHEMA, manifest, ConnectorJdbc.role(ROLE));
    assertThat(table()).containsExactly(
        "1|alpha|12.50|2024-01-31|2024-01-31T10:15:30Z",
        "2|null|-0.05|2024-02-29|null",
        "3|it's \"quoted\"|null|null|2024-03-01T00:00:00.123456Z");
    try (Connection connection = open()) { // pushdown DML (runDMLFromSQL) goes through executeLargeUpdate
      assertThat(connector.executeLargeUpdate(connection, "DELETE FROM \"PUBLIC\".\"events\" WHERE \"id\" = 2")).isOne();
    }
    assertThat(table()).hasSize(2);
  }

  @Test
  void aReadUnloadsParquetWithAManifestUnderTheTempDir() throws Exception {
    connector.saveToRedshift(ConnectorJdbc.table("events"), SCHEMA,
        stage(s3, "etl-temp", "spark/in", rows()), ConnectorJdbc.role(ROLE));
    String tempDir = "s3://etl-temp/spark/" + UUID.randomUUID() + "/";
    List<String> columns = connector.unloadToTempDir(ConnectorJdbc.table("events"), tempDir, ConnectorJdbc.role(ROLE),
        true);
    assertThat(columns).containsExactly("id", "name", "amount", "day", "ts");
    Path out = s3.resolve(tempDir.substring("s3://".length()));
    String manifest = Files.readString(out.resolve("manifest"));
    assertThat(manifest).contains(tempDir + "0000_part_00.parquet");
    List<String> read = new ArrayList<>();
    try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
        new org.apache.hadoop.fs.Path(out.resolve("0000_part_00.parquet").toUri())).build()) {
      for (Group row = reader.read(); row != null; row = reader.read()) {
        read.add(row.getInteger("id", 0) + "|" + (row.getFieldRepetitionCount("name") == 0 ? null : row.getString("name", 0))
            + "|" + (row.getFieldRepetitionCount("amount") == 0 ? null
                : BigDecimal.valueOf(row.getLong("amount", 0), 2)));
      }
    }
    assertThat(read).containsExactlyInAnyOrder("1|alpha|12.50", "2|null|-0.05", "3|it's \"quoted\"|null");
  }

  @Test
  void aReadOfTextUnloadsWithTheConnectorsNullString() throws Exception {
    connector.saveToRedshift(ConnectorJdbc.table("events"), SCHEMA,
        stage(s3, "etl-temp", "spark/in", rows()), ConnectorJdbc.role(ROLE));
    String tempDir = "s3://etl-temp/spark/text/";
    connector.unloadToTempDir(ConnectorJdbc.table("events"), tempDir, ConnectorJdbc.role(ROLE), false);
    Path out = s3.resolve("etl-temp/spark/text");
    assertThat(Files.readString(out.resolve("manifest"))).contains(tempDir + "0000_part_00");
    assertThat(Files.readAllLines(out.resolve("0000_part_00"))).containsExactlyInAnyOrder(
        "1|alpha|12.50|2024-01-31|2024-01-31 10:15:30+00",
        "2|@NULL@|-0.05|2024-02-29|@NULL@",
        "3|it's \"quoted\"|@NULL@|@NULL@|2024-03-01 00:00:00.123456+00");
  }

  /** The denial inside what the connector throws, as Spark shows it (as the cause, or the exception itself). */
  private static GuardDeniedException denial(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof GuardDeniedException denied) {
        return denied;
      }
    }
    throw new AssertionError("no iamguard denial in the cause chain of " + thrown, thrown);
  }

  private void assertWriteDenied(String manifest, String credentials, RuleId rule) throws Exception {
    connector.saveToRedshift(ConnectorJdbc.table("events"), SCHEMA,
        stage(s3, "etl-temp", "spark/first", rows().subList(0, 1)), ConnectorJdbc.role(ROLE));
    Throwable thrown = catchThrowable(() -> connector.saveToRedshift(ConnectorJdbc.table("events"), SCHEMA, manifest,
        credentials));
    assertThat(thrown).isInstanceOf(SQLException.class);
    GuardDeniedException denied = denial(thrown);
    assertThat(denied.getSQLState()).isEqualTo("42501");
    assertThat(denied.findings()).extracting(Finding::rule).contains(rule);
    assertThat(denied.getMessage()).startsWith("iamguard:").contains(rule.name()).doesNotContain(SECRET);
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET);
    }
  }

  @Test
  void aTempDirOutsideTheRolesPrefixesIsDenied() throws Exception {
    String manifest = stage(s3, "other-temp", "spark/" + UUID.randomUUID(), rows());
    assertWriteDenied(manifest, ConnectorJdbc.role(ROLE), RuleId.S3_NOT_PERMITTED);
    // nothing loaded; H2 commits the DROP and CREATE on its own (Redshift rolls them back with the COPY)
    assertThat(table()).isEmpty();
  }

  @Test
  void aRoleNotAttachedToTheClusterIsDenied() throws Exception {
    String manifest = stage(s3, "etl-temp", "spark/" + UUID.randomUUID(), rows());
    assertWriteDenied(manifest, ConnectorJdbc.role(UNATTACHED), RuleId.ROLE_NOT_ATTACHED);
  }

  @Test
  void accessKeysAreDenied() throws Exception {
    String manifest = stage(s3, "etl-temp", "spark/" + UUID.randomUUID(), rows());
    assertWriteDenied(manifest, "aws_access_key_id=AKIAIOSFODNN7EXAMPLE;aws_secret_access_key=" + SECRET,
        RuleId.STATIC_KEYS);
  }

  @Test
  void aDeniedReadWritesNothing() throws Exception {
    connector.saveToRedshift(ConnectorJdbc.table("events"), SCHEMA,
        stage(s3, "etl-temp", "spark/in", rows()), ConnectorJdbc.role(ROLE));
    Throwable thrown = catchThrowable(() -> connector.unloadToTempDir(ConnectorJdbc.table("events"),
        "s3://other-temp/spark/out/", ConnectorJdbc.role(ROLE), true));
    assertThat(denial(thrown).findings()).extracting(Finding::rule).contains(RuleId.S3_NOT_PERMITTED);
    assertThat(Files.exists(s3.resolve("other-temp"))).isFalse();
  }
}
