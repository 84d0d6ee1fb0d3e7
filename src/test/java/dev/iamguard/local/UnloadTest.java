package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The files UNLOAD writes: names, text, manifests, overwriting and size limits. */
class UnloadTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";

  @BeforeEach
  void setUp() throws Exception {
    db.sql("CREATE TABLE venue (venueid INTEGER, venuename VARCHAR(100), seats BIGINT, price DECIMAL(8,2),"
        + " open BOOLEAN, ratio DOUBLE PRECISION, since TIMESTAMP WITH TIME ZONE)");
    db.sql("INSERT INTO venue VALUES (1, 'Toyota Park', 0, 12.50, TRUE, 1e22, TIMESTAMP WITH TIME ZONE '2020-01-01 10:00:00.25+02'),"
        + " (2, NULL, NULL, NULL, FALSE, 0.5, NULL)");
  }

  private List<String> files(String folder) throws Exception {
    try (Stream<Path> files = Files.walk(root.resolve(folder))) {
      return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
    }
  }

  @Test
  void writesRedshiftTextByDefault() throws Exception {
    LocalResult result = db.run("UNLOAD ('select * from venue order by venueid') TO 's3://b/unload/venue_pipe_'" + ROLE);

    assertThat(result.rows()).isEqualTo(2);
    assertThat(files("b")).containsExactly("b/unload/venue_pipe_0000_part_00");
    assertThat(Files.readString(root.resolve("b/unload/venue_pipe_0000_part_00"))).isEqualTo(
        "1|Toyota Park|0|12.50|t|10000000000000000000000|2020-01-01 08:00:00.25+00\n"
        + "2||||f|0.5|\n");
  }

  @Test
  void parallelOffWritesSerialNamesAndGzipAddsGz() throws Exception {
    db.run("UNLOAD ('select venueid from venue') TO 's3://b/serial_'" + ROLE + " PARALLEL OFF");
    db.run("UNLOAD ('select venueid from venue') TO 's3://b/zipped_'" + ROLE + " PARALLEL FALSE GZIP");
    db.run("UNLOAD ('select venueid from venue') TO 's3://b/ext_'" + ROLE + " CSV HEADER EXTENSION 'csv'");

    assertThat(files("b")).containsExactly("b/ext_0000_part_00.csv", "b/serial_000", "b/zipped_000.gz");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(root.resolve("b/zipped_000.gz")))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("1\n2\n");
    }
    assertThat(Files.readString(root.resolve("b/ext_0000_part_00.csv"))).isEqualTo("venueid\n1\n2\n");
  }

  @Test
  void withoutAllowOverwriteASecondUnloadFailsAndKeepsTheFirstFiles() throws Exception {
    db.run("UNLOAD ('select venueid from venue') TO 's3://b/u/v_'" + ROLE);
    Path first = root.resolve("b/u/v_0000_part_00");
    String before = Files.readString(first);
    db.sql("INSERT INTO venue (venueid) VALUES (3)");

    assertThatThrownBy(() -> db.run("UNLOAD ('select venueid from venue') TO 's3://b/u/v_'" + ROLE))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Specified unload destination on S3 is not empty")
        .hasMessageContaining("ALLOWOVERWRITE")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42710"));
    assertThat(Files.readString(first)).isEqualTo(before);

    assertThat(db.run("UNLOAD ('select venueid from venue') TO 's3://b/u/v_'" + ROLE + " ALLOWOVERWRITE").rows()).isEqualTo(3);
    assertThat(Files.readString(first)).isEqualTo("1\n2\n3\n");
  }

  @Test
  void anyObjectUnderThePrefixBlocksTheUnload() throws Exception {
    LocalDb.put(root, "b/u/v_unrelated.txt", "x");

    assertThatThrownBy(() -> db.run("UNLOAD ('select 1') TO 's3://b/u/v_'" + ROLE))
        .hasMessageContaining("not empty");
  }

  @Test
  void aFailingQueryLeavesNoFile() throws Exception {
    assertThatThrownBy(() -> db.run("UNLOAD ('select venueid, 1 / (venueid - 2) from venue order by venueid')"
        + " TO 's3://b/fail/v_'" + ROLE + " MANIFEST"))
        .isInstanceOf(SQLException.class);

    assertThat(root.resolve("b/fail")).doesNotExist();
    try (Stream<Path> all = Files.walk(root)) {
      assertThat(all.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void manifestVerboseListsFilesWithSizesCountsAndSchema() throws Exception {
    db.run("UNLOAD ('select venueid, venuename, price from venue') TO 's3://b/m/venue_'" + ROLE
        + " HEADER MANIFEST VERBOSE");

    Path data = root.resolve("b/m/venue_0000_part_00");
    Map<?, ?> manifest = (Map<?, ?>) new Load(LoadSettings.builder().build())
        .loadFromString(Files.readString(root.resolve("b/m/venue_manifest")));
    List<?> entries = (List<?>) manifest.get("entries");
    assertThat(entries).hasSize(1);
    Map<?, ?> entry = (Map<?, ?>) entries.get(0);
    assertThat(entry.get("url")).isEqualTo("s3://b/m/venue_0000_part_00");
    assertThat(((Map<?, ?>) entry.get("meta")).get("content_length")).isEqualTo((int) Files.size(data));
    assertThat(((Map<?, ?>) entry.get("meta")).get("record_count")).isEqualTo(3);
    assertThat(manifest.get("schema").toString())
        .contains("name=venueid, type={base=integer}", "name=venuename, type={base=character varying, dimensions=[[100]]}",
            "name=price, type={base=numeric, dimensions=[[8, 2]]}");
    assertThat(manifest.get("meta")).isEqualTo(Map.of("content_length", (int) Files.size(data), "record_count", 3));
    assertThat(((Map<?, ?>) manifest.get("author")).get("name")).isEqualTo("Amazon Redshift");
  }

  @Test
  void plainManifestHasUrlAndContentLengthOnly() throws Exception {
    db.run("UNLOAD ('select venueid from venue') TO 's3://b/p/'" + ROLE + " MANIFEST PARALLEL OFF");

    Map<?, ?> manifest = (Map<?, ?>) new Load(LoadSettings.builder().build())
        .loadFromString(Files.readString(root.resolve("b/p/manifest")));
    assertThat(manifest.keySet().toString()).isEqualTo("[entries]");
    assertThat(manifest.get("entries").toString()).isEqualTo("[{url=s3://b/p/000, meta={content_length=4}}]");
  }

  @Test
  void maxFileSizeStartsNewPartsWithoutSplittingRows() throws Exception {
    db.sql("CREATE TABLE big (id INTEGER, filler VARCHAR(200))");
    db.sql("INSERT INTO big SELECT X, REPEAT('x', 100) FROM SYSTEM_RANGE(1, 120000)");

    assertThat(db.run("UNLOAD ('select * from big order by id') TO 's3://b/big/part_'" + ROLE + " MAXFILESIZE 5 MB").rows())
        .isEqualTo(120000);
    db.run("UNLOAD ('select * from big order by id') TO 's3://b/big/serial_'" + ROLE + " MAXFILESIZE AS 5 mb PARALLEL OFF");

    assertThat(files("b/big")).containsExactly("b/big/part_0000_part_00", "b/big/part_0000_part_01", "b/big/part_0000_part_02",
        "b/big/serial_000", "b/big/serial_001", "b/big/serial_002");
    long total = 0;
    for (String name : List.of("part_0000_part_00", "part_0000_part_01", "part_0000_part_02")) {
      Path part = root.resolve("b/big/" + name);
      assertThat(Files.size(part)).isLessThanOrEqualTo(5L * 1024 * 1024);
      String text = Files.readString(part);
      assertThat(text).endsWith("\n");
      total += text.lines().count();
    }
    assertThat(total).isEqualTo(120000);
  }

  @Test
  void maxFileSizeOutsideRedshiftsRangeIsRefused() {
    assertThatThrownBy(() -> db.run("UNLOAD ('select 1') TO 's3://b/x_'" + ROLE + " MAXFILESIZE 1 MB"))
        .hasMessageContaining("MAXFILESIZE must be between 5 MB and 6.2 GB")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22023"));
  }

  @Test
  void nullAsAndAddQuotesAndEscape() throws Exception {
    db.run("UNLOAD ('select venueid, venuename from venue order by venueid') TO 's3://b/q_'" + ROLE
        + " ADDQUOTES ESCAPE NULL AS 'null' DELIMITER ','");

    assertThat(Files.readString(root.resolve("b/q_0000_part_00"))).isEqualTo("\"1\",\"Toyota Park\"\n\"2\",null\n");
  }

  @Test
  void anEmptyResultStillWritesOneFile() throws Exception {
    assertThat(db.run("UNLOAD ('select * from venue where venueid < 0') TO 's3://b/empty_'" + ROLE + " HEADER").rows()).isZero();

    assertThat(Files.readString(root.resolve("b/empty_0000_part_00")))
        .isEqualTo("venueid|venuename|seats|price|open|ratio|since\n");
  }
}
