package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the emulation loaded other data than Redshift would, or ignored an option (probe 21b): a
 * load error or a refusal now, as Redshift gives, never a value changed on the way.
 */
class EmulationFidelityTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";

  @BeforeEach
  void setUp() throws Exception {
    db.sql("CREATE TABLE f (id INTEGER, r REAL, d DOUBLE PRECISION)");
    db.sql("CREATE TABLE s (id INTEGER, v VARCHAR(5), c CHAR(3))");
  }

  /** N1: a number REAL or DOUBLE PRECISION cannot hold is out of range; only the words give infinities. */
  @Test
  void aFloatOutOfRangeIsALoadErrorNotAnInfinityOrZero() throws Exception {
    for (String row : List.of("1|1e39|1", "2|1|1e400", "3|-1e39|1", "4|1|-1e400", "5|1e-50|1", "6|1|1e-400",
        "7|1|-4.9e-330")) {
      LocalDb.put(root, "b/f/x", row + "\n");
      assertThatThrownBy(() -> db.run("COPY f FROM 's3://b/f/x'" + ROLE)).as(row).isInstanceOf(SQLException.class)
          .hasMessageContaining("floating point number");
    }
    LocalDb.put(root, "b/f/x", "8|3.4e38|1.7e308\n9|inf|-infinity\n10|0.0e-500|0\n11|1.4e-45|4.9e-324\n");
    db.run("COPY f FROM 's3://b/f/x'" + ROLE);
    assertThat(db.rows("SELECT id, r, d FROM f ORDER BY id")).containsExactly(List.of(8, 3.4e38f, 1.7e308),
        List.of(9, Float.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY), List.of(10, 0.0f, 0.0),
        List.of(11, 1.4e-45f, 4.9e-324));
  }

  /** F1, F2: lengths are bytes of UTF-8; CHAR holds single-byte characters; truncation splits no character. */
  @Test
  void lengthsAreBytesAndTruncationKeepsWholeCharacters() throws Exception {
    LocalDb.put(root, "b/s/x", "1|\u00e9\u00e9\u00e9|abc\n");
    assertThatThrownBy(() -> db.run("COPY s FROM 's3://b/s/x'" + ROLE)).isInstanceOf(SQLException.class)
        .hasMessageContaining("string length exceeds DDL length 5 (bytes of UTF-8)");
    LocalDb.put(root, "b/s/x", "1|ab|\u00e9\n");
    assertThatThrownBy(() -> db.run("COPY s FROM 's3://b/s/x'" + ROLE)).isInstanceOf(SQLException.class)
        .hasMessageContaining("multibyte character not supported for CHAR");
    LocalDb.put(root, "b/s/x", "2|\u00e9\u00e9\u00e9|abc\n3|ab\ud83d\ude00|abc\n4|\u00e9\u00e9|abc\n");
    db.run("COPY s FROM 's3://b/s/x'" + ROLE + " TRUNCATECOLUMNS");
    assertThat(db.rows("SELECT id, v FROM s ORDER BY id")).containsExactly(List.of(2, "\u00e9\u00e9"),
        List.of(3, "ab"), List.of(4, "\u00e9\u00e9"));
  }

  /** O1, O2, P2: an option given twice, a second format, and options a format cannot use are refused. */
  @Test
  void optionsThatWouldBeIgnoredOrOverriddenAreRefused() throws Exception {
    LocalDb.put(root, "b/o/x.json", "{\"id\": 5}\n");
    for (String options : List.of(" CSV JSON 'auto'", " JSON 'auto' FORMAT AS CSV", " DELIMITER ',' DELIMITER '|'",
        " MAXERROR 5 MAXERROR 0", " NULL AS 'a' NULL AS 'b'", " FORMAT AS JSON 'auto' IGNOREHEADER 1",
        " FORMAT AS AVRO 'auto' IGNOREHEADER 1", " FORMAT AS AVRO 'auto' DELIMITER ','",
        " FORMAT AS AVRO 'auto' REMOVEQUOTES")) {
      assertThatThrownBy(() -> db.run("COPY f FROM 's3://b/o/x.json'" + ROLE + options)).as(options)
          .isInstanceOf(SQLException.class);
    }
    assertThatThrownBy(() -> db.run("UNLOAD ('select 1') TO 's3://b/u/x_'" + ROLE + " DELIMITER ',' DELIMITER '|'"))
        .isInstanceOf(SQLException.class).hasMessageContaining("conflicting or redundant options");
    assertThatThrownBy(() -> db.run("UNLOAD ('select 1') TO 's3://b/u/p_'" + ROLE + " FORMAT AS PARQUET MAXFILESIZE 5 MB"))
        .isInstanceOf(SQLException.class).hasMessageContaining("MAXFILESIZE together with FORMAT AS PARQUET");
    assertThat(db.count("f")).isZero();
  }

  /** T1: TIME and TIMETZ columns keep microseconds, as Redshift's do. */
  @Test
  void timeColumnsKeepMicroseconds() throws SQLException {
    assertThat(RedshiftDialect.toH2("create table t (a time, b timetz, c time(3), d time with time zone)",
        (table, defaults) -> "", dropped -> { }))
        .isEqualTo("create table t (a TIME(6), b TIME(6) WITH TIME ZONE, c time(3), d TIME(6) with time zone)");
  }

  /**
   * E1 (probe of 2026-12-03): a TIMESTAMPTZ or TIMETZ value with an offset is stored as UTC, as Redshift
   * stores it ("uses the time zone to convert the value to UTC"; "TIMETZ values are UTC in user tables"):
   * the offset was kept, so EXTRACT, date_trunc and GROUP BY saw the local hour.
   */
  @Test
  void zonedValuesAreStoredAsUtc() throws Exception {
    db.sql("CREATE TABLE z (id INTEGER, tz TIMESTAMP(6) WITH TIME ZONE, t TIME(6) WITH TIME ZONE)");
    // one instant, 1997-12-18 04:00:00 UTC, written at seven offsets
    List<String> rows = List.of("1|1997-12-17 20:00:00-08|20:00:00-08", "2|1997-12-18 04:00:00+00|04:00:00+00",
        "3|1997-12-18 09:30:00+05:30|09:30:00+05:30", "4|1997-12-18 00:30:00-03:30|00:30:00-03:30",
        "5|1997-12-18 18:00:00+14|18:00:00+14", "6|1997-12-17 16:00:00-12|16:00:00-12",
        "7|1997-12-18 04:00:00|04:00:00");
    LocalDb.put(root, "b/z/x", String.join("\n", rows) + "\n");
    db.run("COPY z FROM 's3://b/z/x'" + ROLE);
    for (List<Object> row : db.rows("SELECT id, tz, t, EXTRACT(HOUR FROM tz), EXTRACT(HOUR FROM t) FROM z ORDER BY id")) {
      assertThat(row.get(1)).as("row %s", row.get(0))
          .isEqualTo(java.time.OffsetDateTime.parse("1997-12-18T04:00:00Z"));
      assertThat(row.get(2)).as("row %s", row.get(0)).isEqualTo(java.time.OffsetTime.parse("04:00:00Z"));
      assertThat(row.subList(3, 5)).as("row %s", row.get(0)).containsExactly(4, 4);
    }
    assertThat(db.count("z")).isEqualTo(rows.size());
  }

  /**
   * E2: FILLRECORD loads a missing VARCHAR as a zero-length string (NULL with EMPTYASNULL) and any
   * other missing column, CHAR too, as NULL ("the missing CHAR values would be loaded as NULL
   * values"); a CHAR was loaded as blanks.
   */
  @Test
  void fillRecordLoadsAMissingCharAsNull() throws Exception {
    db.sql("CREATE TABLE fr (a CHAR(10), b VARCHAR(10), c CHAR(10), d VARCHAR(10), e INTEGER)");
    LocalDb.put(root, "b/fr/x", "apple|orange\n");
    db.run("COPY fr FROM 's3://b/fr/x'" + ROLE + " FILLRECORD");
    db.run("COPY fr FROM 's3://b/fr/x'" + ROLE + " FILLRECORD EMPTYASNULL");
    assertThat(db.rows("SELECT a, b, c, d, e FROM fr")).containsExactly(
        java.util.Arrays.asList("apple     ", "orange", null, "", null),
        java.util.Arrays.asList("apple     ", "orange", null, null, null));
  }

  /** E3: DELIMITER is one ASCII character for COPY and UNLOAD alike; a multibyte one ran here and failed on Redshift. */
  @Test
  void aDelimiterIsOneAsciiCharacter() throws Exception {
    LocalDb.put(root, "b/f/x", "1|1|1\n");
    for (String delimiter : List.of("\u00a6", "\u00e9", "\\377", "\\200", "\u2016")) {
      assertThatThrownBy(() -> db.run("COPY f FROM 's3://b/f/x'" + ROLE + " DELIMITER '" + delimiter + "'"))
          .as(delimiter).isInstanceOf(SQLException.class).hasMessageContaining("must be a single ASCII character");
      assertThatThrownBy(() -> db.run("UNLOAD ('select 1') TO 's3://b/u" + delimiter.length() + "/x_'" + ROLE
          + " DELIMITER '" + delimiter + "'")).as(delimiter).isInstanceOf(SQLException.class)
          .hasMessageContaining("must be a single ASCII character");
    }
    for (String delimiter : List.of("|", ",", "\\t", "~", "\\001")) {
      db.run("COPY f FROM 's3://b/f/x'" + ROLE + " DELIMITER '" + delimiter + "'" + (delimiter.equals("|") ? "" : " MAXERROR 5"));
    }
    assertThat(db.rows("SELECT id FROM f")).contains(List.of(1));
  }

  /**
   * E4: UNLOAD's query takes LIMIT (the current UNLOAD page: "TOP isn't supported in the SELECT
   * clause. Use LIMIT instead.") and not TOP, which H2 ran.
   */
  @Test
  void unloadTakesLimitAndRefusesTop() throws Exception {
    db.sql("INSERT INTO f VALUES (1, 1, 1), (2, 2, 2)");
    for (String query : List.of("select top 1 * from f", "SELECT DISTINCT TOP 1 id FROM f", "select all top 1 id from f",
        "select /* c */ top\n1 id from f")) {
      assertThatThrownBy(() -> db.run("UNLOAD ('" + query + "') TO 's3://b/top/x_'" + ROLE)).as(query)
          .isInstanceOf(SQLException.class).hasMessageContaining("cannot use TOP");
    }
    assertThat(Files.exists(root.resolve("b/top"))).isFalse();
    db.run("UNLOAD ('select * from f order by id limit 1') TO 's3://b/lim/x_'" + ROLE + " PARALLEL OFF");
    assertThat(Files.readString(root.resolve("b/lim/x_000"))).isEqualTo("1|1|1\n");
    db.run("UNLOAD ('select * from (select top 1 * from f) s') TO 's3://b/sub/x_'" + ROLE + " PARALLEL OFF");
    db.run("UNLOAD ('select ''top'' as top from f') TO 's3://b/word/x_'" + ROLE + " PARALLEL OFF");
    assertThat(Files.readString(root.resolve("b/word/x_000"))).isEqualTo("top\ntop\n");
  }

  /** E5: a column listed twice is named, not H2's refusal of the internal staging table. */
  @Test
  void aColumnListedTwiceIsNamed() throws Exception {
    LocalDb.put(root, "b/f/x", "1|1\n");
    for (String list : List.of("(id, id)", "(id, r, ID)", "(\"ID\", id)")) {
      assertThatThrownBy(() -> db.run("COPY f " + list + " FROM 's3://b/f/x'" + ROLE)).as(list)
          .isInstanceOf(SQLException.class).hasMessage("COPY into table f: column id is specified more than once in the column list")
          .hasFieldOrPropertyWithValue("SQLState", "42701");
    }
    assertThat(db.count("f")).isZero();
  }

  /** E6: a manifest entry whose key ends in '/' (a folder marker) is missing here: skipped unless mandatory. */
  @Test
  void aManifestFolderMarkerIsSkippedUnlessMandatory() throws Exception {
    LocalDb.put(root, "b/d/x", "1|1|1\n");
    LocalDb.put(root, "b/m/manifest", "{\"entries\": [{\"url\": \"s3://b/d/\", \"mandatory\": false},"
        + " {\"url\": \"s3://b/d/x\"}, {\"url\": \"s3://b/e/\"}]}");
    db.run("COPY f FROM 's3://b/m/manifest'" + ROLE + " MANIFEST");
    assertThat(db.rows("SELECT id FROM f")).containsExactly(List.of(1));
    LocalDb.put(root, "b/m/manifest", "{\"entries\": [{\"url\": \"s3://b/d/\", \"mandatory\": true}, {\"url\": \"s3://b/d/x\"}]}");
    assertThatThrownBy(() -> db.run("COPY f FROM 's3://b/m/manifest'" + ROLE + " MANIFEST"))
        .isInstanceOf(SQLException.class).hasMessageContaining("lists mandatory file s3://b/d/, which does not exist")
        .hasMessageContaining("folder marker");
    assertThat(db.count("f")).isEqualTo(1);
  }

  /** E7: a file that is not valid UTF-8 is named without "after line 0" when no record was read before the fault. */
  @Test
  void anUndecodableFileIsNamedWithoutALineZero() throws Exception {
    java.nio.file.Path file = root.resolve("b/enc/x");
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[] {'1', '|', (byte) 0xff, '|', '1', '\n'});
    assertThatThrownBy(() -> db.run("COPY f FROM 's3://b/enc/x'" + ROLE)).isInstanceOf(SQLException.class)
        .hasMessage("Load into table 'f' failed: s3://b/enc/x: text is not valid UTF-8 (load error 1220;"
            + " ACCEPTINVCHARS is not emulated)");
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 40_000; i++) { // 300 KB: beyond the 64 K chars the reader decodes ahead
      lines.append(i).append("|1|1\n");
    }
    byte[] good = lines.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] text = java.util.Arrays.copyOf(good, good.length + 2);
    text[good.length] = (byte) 0xff;
    text[good.length + 1] = '\n';
    Files.write(file, text);
    assertThatThrownBy(() -> db.run("COPY f FROM 's3://b/enc/x'" + ROLE + " NOLOAD")).isInstanceOf(SQLException.class)
        .hasMessageMatching("Load into table 'f' failed: s3://b/enc/x after line [1-9][0-9]*: text is not valid UTF-8 .*");
    assertThat(db.count("f")).isZero();
  }

  /** E8: DATEFORMAT 'auto' truncates a time of day on a DATE column, also one with an offset ("the time component is truncated"). */
  @Test
  void anAutoDateTruncatesTheTimeAlsoWithAnOffset() throws Exception {
    db.sql("CREATE TABLE dd (id INTEGER, d DATE)");
    LocalDb.put(root, "b/dd/x", "1|1997-12-17 07:37:16-08\n2|1997-12-17 07:37:16\n3|1997-12-17 23:59:59+14:00\n"
        + "4|1997-12-17\n5|12/17/1997 07:37:16.00\n");
    db.run("COPY dd FROM 's3://b/dd/x'" + ROLE + " DATEFORMAT 'auto'");
    assertThat(db.rows("SELECT id, CAST(d AS VARCHAR) FROM dd ORDER BY id")).allSatisfy(row ->
        assertThat(row.get(1)).as("row %s", row.get(0)).isEqualTo("1997-12-17"));
    assertThat(db.count("dd")).isEqualTo(5);
  }
}
