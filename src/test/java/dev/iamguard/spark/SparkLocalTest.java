package dev.iamguard.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.iamguard.jdbc.GuardDeniedException;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark in {@code local[2]} mode with iamguard's local S3 FileSystem (s3a:// onto a folder) and the
 * iamguard driver on H2: Spark writes a DataFrame as the Redshift connector stages it (Avro files
 * and a manifest under the tempdir), the connector's JDBC calls ({@link ConnectorJdbc}) load it
 * with a guarded, emulated COPY and UNLOAD it back as Parquet, and Spark reads what the UNLOAD's
 * manifest lists; a tempdir outside the role's prefixes is denied, with the denial in the cause
 * chain. Run by the surefire execution "spark" of profile spark-local (Java 17 needs its --add-opens).
 */
class SparkLocalTest {
  private static final Pattern URL = Pattern.compile("\"url\"\\s*:\\s*\"([^\"]+)\"");

  @TempDir
  static Path s3;
  static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    assumeTrue(Object.class.getModule().isOpen("sun.nio.ch", SparkLocalTest.class.getModule()),
        "Spark 3.5 on Java 17 needs --add-opens (skipped: run with mvn -B -q test-compile surefire:test@spark,"
            + " as mvn verify does)");
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("iamguard-spark-local")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.hadoop.fs.s3a.impl", "dev.iamguard.hadoop.LocalS3FileSystem")
        .config("spark.hadoop.fs.s3a.impl.disable.cache", "true")
        .config("spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a",
            "org.apache.hadoop.mapreduce.lib.output.FileOutputCommitterFactory")
        .config("spark.hadoop.iamguard.local-s3", s3.toString())
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static Dataset<Row> events() {
    StructType schema = new StructType()
        .add("id", DataTypes.IntegerType, false)
        .add("Name", DataTypes.StringType, true)
        .add("amount", DataTypes.createDecimalType(10, 2), true)
        .add("day", DataTypes.DateType, true)
        .add("ts", DataTypes.TimestampType, true);
    List<Row> rows = List.of(
        RowFactory.create(1, "alpha", new BigDecimal("12.50"), Date.valueOf("2024-01-31"),
            Timestamp.from(Instant.parse("2024-01-31T10:15:30Z"))),
        RowFactory.create(2, null, new BigDecimal("-0.05"), Date.valueOf("2024-02-29"), null),
        RowFactory.create(3, "it's \"quoted\"", null, null, Timestamp.from(Instant.parse("2024-03-01T00:00:00.123456Z"))));
    return spark.createDataFrame(rows, schema).repartition(2);
  }

  /**
   * RedshiftWriter.unloadData with tempformat AVRO: decimals, dates and timestamps as strings,
   * names in lower case, written by spark-avro under {@code tempDir}, then the manifest of the
   * part files written next to them through the same FileSystem. Returns the manifest's URL.
   */
  private static String stage(Dataset<Row> data, String tempDir) throws IOException {
    data.select(col("id"), col("Name").as("name"), col("amount").cast("string").as("amount"),
            date_format(col("day"), "yyyy-MM-dd").as("day"),
            date_format(col("ts"), "yyyy-MM-dd HH:mm:ss.SSSSSS").as("ts"))
        .write().format("avro").save(tempDir);
    FileSystem fs = FileSystem.get(URI.create(tempDir), spark.sparkContext().hadoopConfiguration());
    List<String> entries = new ArrayList<>();
    for (FileStatus status : fs.listStatus(new org.apache.hadoop.fs.Path(tempDir))) {
      String name = status.getPath().getName();
      if (name.matches("^part-(?:r-)?(\\d+)[^\\d+].*$")) {
        entries.add("{\"url\":\"" + tempDir.replaceFirst("^s3a://", "s3://") + "/" + name + "\",\n \"mandatory\":true,\n"
            + " \"meta\": {\"content_length\":" + status.getLen() + "}}");
      }
    }
    String manifest = tempDir + "/manifest.json";
    try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(manifest))) {
      out.write(("{\"entries\": [" + String.join(",\n", entries) + "]}").getBytes(StandardCharsets.UTF_8));
    }
    return manifest.replaceFirst("^s3a://", "s3://");
  }

  /** RedshiftRelation.getFilesToRead: the UNLOAD's manifest, its URLs in the tempdir's scheme. */
  private static List<String> filesToRead(String tempDir) throws IOException {
    FileSystem fs = FileSystem.get(URI.create(tempDir), spark.sparkContext().hadoopConfiguration());
    String manifest;
    try (var in = fs.open(new org.apache.hadoop.fs.Path(tempDir + "manifest"))) {
      manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> files = new ArrayList<>();
    for (Matcher m = URL.matcher(manifest); m.find(); ) {
      files.add(m.group(1).replaceFirst("^s3://", "s3a://"));
    }
    return files;
  }

  private static List<String> lines(Dataset<Row> rows) {
    List<String> lines = new ArrayList<>();
    for (Row row : rows.orderBy("id").collectAsList()) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < row.length(); i++) {
        Object value = row.get(i);
        values.add(value instanceof Timestamp ts ? ts.toInstant().toString() : String.valueOf(value));
      }
      lines.add(String.join("|", values));
    }
    return lines;
  }

  @Test
  void sparkStagesTheLoadIsGuardedAndTheUnloadIsReadBack() throws Exception {
    String url = "jdbc:iamguard:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    try (ConnectorJdbc connector = new ConnectorJdbc(ConnectorContractTest.options(url, s3))) {
      String table = ConnectorJdbc.table("events");
      String manifest = stage(events(), "s3a://etl-temp/spark/" + UUID.randomUUID());
      connector.saveToRedshift(table, ConnectorContractTest.SCHEMA, manifest,
          ConnectorJdbc.role(ConnectorContractTest.ROLE));

      String tempDir = "s3a://etl-temp/spark/" + UUID.randomUUID() + "/";
      List<String> columns = connector.unloadToTempDir(table, tempDir.replaceFirst("^s3a://", "s3://"),
          ConnectorJdbc.role(ConnectorContractTest.ROLE), true);
      assertThat(columns).containsExactly("id", "name", "amount", "day", "ts");
      List<String> files = filesToRead(tempDir);
      assertThat(files).containsExactly(tempDir + "0000_part_00.parquet");

      Dataset<Row> read = spark.read().parquet(files.toArray(String[]::new));
      assertThat(read.schema().fieldNames()).containsExactly("id", "name", "amount", "day", "ts");
      assertThat(lines(read)).containsExactly(
          "1|alpha|12.50|2024-01-31|2024-01-31T10:15:30Z",
          "2|null|-0.05|2024-02-29|null",
          "3|it's \"quoted\"|null|null|2024-03-01T00:00:00.123456Z");
    }
  }

  @Test
  void aTempDirOutsideTheRolesPrefixesIsDeniedAndSparkSeesTheDenial() throws Exception {
    String url = "jdbc:iamguard:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    try (ConnectorJdbc connector = new ConnectorJdbc(ConnectorContractTest.options(url, s3))) {
      String manifest = stage(events(), "s3a://other-temp/spark/" + UUID.randomUUID());
      Throwable thrown = catchThrowable(() -> connector.saveToRedshift(ConnectorJdbc.table("events"),
          ConnectorContractTest.SCHEMA, manifest, ConnectorJdbc.role(ConnectorContractTest.ROLE)));
      GuardDeniedException denied = null;
      for (Throwable t = thrown; t != null && denied == null; t = t.getCause()) {
        denied = t instanceof GuardDeniedException d ? d : null;
      }
      assertThat((Throwable) denied).as("the denial in the cause chain of %s", thrown).isNotNull();
      assertThat(denied.getSQLState()).isEqualTo("42501");
      assertThat(denied.findings()).extracting(Finding::rule).contains(RuleId.S3_NOT_PERMITTED);
      assertThat(denied.getMessage().toLowerCase(Locale.ROOT)).contains("s3://other-temp/spark/");
    }
    assertThat(Files.exists(s3.resolve("other-temp/spark"))).as("Spark staged there; nothing loaded").isTrue();
  }
}
