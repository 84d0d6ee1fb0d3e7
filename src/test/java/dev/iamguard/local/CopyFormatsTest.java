package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.ParameterizedTest;

/** COPY's data format and data conversion options. */
class CopyFormatsTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";

  @BeforeEach
  void setUp() throws Exception {
    db.sql("CREATE TABLE t (id INTEGER, s VARCHAR(50), n INTEGER)");
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  @Test
  void ignoreHeaderSkipsLinesOfEveryFile() throws Exception {
    LocalDb.put(root, "b/h/1", "id|s|n\n--|-|-\n1|a|1\n");
    LocalDb.put(root, "b/h/2", "id|s|n\n--|-|-\n2|b|2\n");

    assertThat(db.run("COPY t FROM 's3://b/h/'" + ROLE + " IGNOREHEADER AS 2").rows()).isEqualTo(2);
    assertThat(db.rows("SELECT * FROM t ORDER BY id")).containsExactly(row(1, "a", 1), row(2, "b", 2));
  }

  @Test
  void nullAsEmptyAndBlankFields() throws Exception {
    LocalDb.put(root, "b/n", "1|\\N|\\N\n2||\n3|   |   \n4|NULL|4\n");

    db.run("COPY t FROM 's3://b/n'" + ROLE);
    assertThat(db.rows("SELECT * FROM t ORDER BY id"))
        .containsExactly(row(1, null, null), row(2, "", null), row(3, "   ", null), row(4, "NULL", 4));

    db.sql("DELETE FROM t");
    LocalDb.put(root, "b/n", "1|\\N|\n2||\n3|   |   \n4|NULL|4\n");
    db.run("COPY t FROM 's3://b/n'" + ROLE + " NULL AS 'NULL' EMPTYASNULL");
    assertThat(db.rows("SELECT * FROM t ORDER BY id"))
        .containsExactly(row(1, "\\N", null), row(2, null, null), row(3, "   ", null), row(4, null, 4));

    db.sql("DELETE FROM t");
    db.run("COPY t FROM 's3://b/n'" + ROLE + " BLANKSASNULL");
    assertThat(db.rows("SELECT s FROM t ORDER BY id")).containsExactly(row((Object) null), row(""), row((Object) null), row("NULL"));
  }

  @Test
  void csvWithOtherQuoteAndWhitespaceAroundQuotedFields() throws Exception {
    LocalDb.put(root, "b/c", "1, %a, \"b\"% ,10\r\n2,%multi\nline%,20\n3,  unquoted  ,30\n");

    db.run("COPY t FROM 's3://b/c'" + ROLE + " CSV QUOTE AS '%'");
    assertThat(db.rows("SELECT * FROM t ORDER BY id"))
        .containsExactly(row(1, "a, \"b\"", 10), row(2, "multi\nline", 20), row(3, "  unquoted  ", 30));
  }

  @Test
  void csvWithASpaceDelimiterDoesNotTreatItAsPadding() throws Exception {
    LocalDb.put(root, "b/sp", "1 \"a b\" 10\n2 c 20\n");

    db.run("COPY t FROM 's3://b/sp'" + ROLE + " CSV DELIMITER ' '");
    assertThat(db.rows("SELECT * FROM t ORDER BY id")).containsExactly(row(1, "a b", 10), row(2, "c", 20));
  }

  @Test
  void removeQuotesKeepsDelimitersInsideQuotes() throws Exception {
    LocalDb.put(root, "b/r", "1|\"a|b\"|1\n2|'A Midsummer Night\\'s Dream'|2\n3|plain|3\n");

    db.run("COPY t FROM 's3://b/r'" + ROLE + " REMOVEQUOTES ESCAPE");
    assertThat(db.rows("SELECT * FROM t ORDER BY id"))
        .containsExactly(row(1, "a|b", 1), row(2, "A Midsummer Night's Dream", 2), row(3, "plain", 3));
  }

  @Test
  void escapeMakesTheNextCharacterData() throws Exception {
    LocalDb.put(root, "b/e", "1|The quick brown fox\\\njumped over the lazy dog.|1\n2| A\\\\B\\\\C|2\n3| A \\| B \\| C|3\n");

    db.run("COPY t FROM 's3://b/e'" + ROLE + " ESCAPE");
    assertThat(db.rows("SELECT s FROM t ORDER BY id"))
        .containsExactly(row("The quick brown fox\njumped over the lazy dog."), row(" A\\B\\C"), row(" A | B | C"));
  }

  @Test
  void fillRecordAndIgnoreBlankLines() throws Exception {
    LocalDb.put(root, "b/f", "1|one\n\n2\n");

    db.run("COPY t FROM 's3://b/f'" + ROLE + " FILLRECORD IGNOREBLANKLINES");
    assertThat(db.rows("SELECT * FROM t ORDER BY id")).containsExactly(row(1, "one", null), row(2, "", null));
  }

  @Test
  void columnListSchemaQualifiedTableAndOtherDelimiter() throws Exception {
    db.sql("CREATE SCHEMA etl");
    db.sql("CREATE TABLE etl.\"Mixed\" (\"Id\" INTEGER, label VARCHAR(10) DEFAULT 'dflt', amount INTEGER)");
    LocalDb.put(root, "b/cols", "7\u00013\n");

    db.run("COPY etl.\"Mixed\" (amount, \"Id\") FROM 's3://b/cols'" + ROLE + " DELIMITER '\\001'");
    assertThat(db.rows("SELECT * FROM etl.\"Mixed\"")).containsExactly(row(3, "dflt", 7));
  }

  @Test
  void wrongDelimiterValueIsRefused() {
    assertThatThrownBy(() -> db.run("COPY t FROM 's3://b/x'" + ROLE + " DELIMITER '||'"))
        .hasMessageContaining("DELIMITER must be a single character");
  }

  @Test
  void numbersBooleansAndDecimalsConvertAsCopyDoes() throws Exception {
    db.sql("CREATE TABLE nums (b BOOLEAN, d DECIMAL(8,2), r REAL, x BIGINT)");
    LocalDb.put(root, "b/num", "t|20.259|1.5e3|-9223372036854775808\nFALSE|-1.001|-0.25|+42\n1|7|NaN|0\nno|.5|inf|1\n");

    db.run("COPY nums FROM 's3://b/num'" + ROLE);
    assertThat(db.rows("SELECT * FROM nums")).containsExactly(
        row(true, new BigDecimal("20.25"), 1500f, Long.MIN_VALUE), row(false, new BigDecimal("-1.00"), -0.25f, 42L),
        row(true, new BigDecimal("7.00"), Float.NaN, 0L), row(false, new BigDecimal("0.50"), Float.POSITIVE_INFINITY, 1L));

    db.sql("DELETE FROM nums");
    db.run("COPY nums FROM 's3://b/num'" + ROLE + " ROUNDEC");
    assertThat(db.rows("SELECT d FROM nums")).containsExactly(row(new BigDecimal("20.26")), row(new BigDecimal("-1.00")),
        row(new BigDecimal("7.00")), row(new BigDecimal("0.50")));
  }

  @Test
  void badBooleansAndDecimalsAreNamed() throws Exception {
    db.sql("CREATE TABLE nums (b BOOLEAN, d DECIMAL(4,2))");
    LocalDb.put(root, "b/bool", "maybe|1\n");
    LocalDb.put(root, "b/dec", "t|123.45\n");

    assertThatThrownBy(() -> db.run("COPY nums FROM 's3://b/bool'" + ROLE)).hasMessageContaining("column b: invalid boolean");
    assertThatThrownBy(() -> db.run("COPY nums FROM 's3://b/dec'" + ROLE))
        .hasMessageContaining("column d: numeric overflow for decimal(4,2), value '123.45' (load error 1204)");
  }

  @Test
  void dateAndTimeFormats() throws Exception {
    db.sql("CREATE TABLE dates (d DATE, ts TIMESTAMP(6))");
    LocalDb.put(root, "b/d1", "03/31/2003|03.31.2003 18:45:05\n3/1/2003|03.31.2003 18:45:05.123456\n");
    LocalDb.put(root, "b/d2", "March 31, 2003|2003-03-31 06:45:05 PM\nJan 1, 1999|2003-03-31 12:00:00 AM\n");

    db.run("COPY dates FROM 's3://b/d1'" + ROLE + " DATEFORMAT AS 'MM/DD/YYYY' TIMEFORMAT AS 'MM.DD.YYYY HH:MI:SS'");
    db.run("COPY dates FROM 's3://b/d2'" + ROLE + " DATEFORMAT 'MON DD, YYYY' TIMEFORMAT 'YYYY-MM-DD HH12:MI:SS AM'");

    assertThat(db.rows("SELECT CAST(d AS VARCHAR), CAST(ts AS VARCHAR) FROM dates")).containsExactly(
        row("2003-03-31", "2003-03-31 18:45:05"), row("2003-03-01", "2003-03-31 18:45:05.123456"),
        row("2003-03-31", "2003-03-31 18:45:05"), row("1999-01-01", "2003-03-31 00:00:00"));
  }

  @Test
  void autoAndEpochTimeFormats() throws Exception {
    db.sql("CREATE TABLE dates (d DATE, ts TIMESTAMP(6))");
    LocalDb.put(root, "b/auto", "2019-02-11T05:09:12.195Z|2019-02-11T05:09:12.195Z\n"
        + "19960108 040809|19960108 040809\nJ2451187|1996-01-08 04:05:06.789\n"
        + "12/17/1997 07:37:16.00|1997-12-17 07:37:16-08\n1996.008|Jan 08 1996\n");
    LocalDb.put(root, "b/epoch", "2020-01-01|1577836800\n");
    LocalDb.put(root, "b/millis", "2020-01-01|1577836800123\n");

    db.run("COPY dates FROM 's3://b/auto'" + ROLE + " DATEFORMAT 'auto' TIMEFORMAT 'auto'");
    db.run("COPY dates FROM 's3://b/epoch'" + ROLE + " TIMEFORMAT 'epochsecs'");
    db.run("COPY dates FROM 's3://b/millis'" + ROLE + " TIMEFORMAT AS 'epochmillisecs'");

    assertThat(db.rows("SELECT CAST(d AS VARCHAR), CAST(ts AS VARCHAR) FROM dates")).containsExactly(
        row("2019-02-11", "2019-02-11 05:09:12.195"), row("1996-01-08", "1996-01-08 04:08:09"),
        row("1999-01-08", "1996-01-08 04:05:06.789"), row("1997-12-17", "1997-12-17 07:37:16"),
        row("1996-01-08", "1996-01-08 00:00:00"), row("2020-01-01", "2020-01-01 00:00:00"),
        row("2020-01-01", "2020-01-01 00:00:00.123"));
  }

  @Test
  void aDateThatDoesNotMatchItsFormatIsALoadErrorUnlessAcceptAnyDate() throws Exception {
    db.sql("CREATE TABLE dates (d DATE, ts TIMESTAMP)");
    LocalDb.put(root, "b/bad", "31/12/2003|2003-12-31 00:00:00\n");

    assertThatThrownBy(() -> db.run("COPY dates FROM 's3://b/bad'" + ROLE + " DATEFORMAT 'MM/DD/YYYY'"))
        .hasMessageContaining("column d: invalid date for format 'MM/DD/YYYY'")
        .hasMessageContaining("value '31/12/2003' (load error 1205)");
    db.run("COPY dates FROM 's3://b/bad'" + ROLE + " DATEFORMAT 'MM/DD/YYYY' ACCEPTANYDATE");
    assertThat(db.rows("SELECT d, ts FROM dates")).containsExactly(row(null, Timestamp.valueOf("2003-12-31 00:00:00")));
  }

  /** Probe 23c T1: an hour off its clock is load error 1206, under 'auto' as under a written format. */
  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource(delimiter = ';', value = {
      "auto; 2021-02-28 24:00:00", "auto; 2021-02-28 25:30:00", "auto; 2021-02-28 99:59:59",
      "auto; 2021-02-28 13:00:00 PM", "auto; 2021-02-28 00:30:00 AM",
      "YYYY-MM-DD HH12:MI:SS AM; 2021-02-28 25:30:00 AM", "YYYY-MM-DD HH12:MI:SS AM; 2021-02-28 12:00:00",
      "YYYY-MM-DD HH12:MI:SS AM; 2021-02-28 13:00:00 PM", "YYYY-MM-DD HH12:MI:SS AM; 2021-02-28 00:00:00 AM",
      "YYYY-MM-DD HH24:MI:SS; 2021-02-28 24:00:00",
  })
  void anHourOffItsClockIsLoadError1206(String format, String value) throws Exception {
    db.sql("CREATE TABLE ts (id INT, v TIMESTAMP)");
    LocalDb.put(root, "b/hours", "1|" + value + "\n");

    assertThatThrownBy(() -> db.run("COPY ts FROM 's3://b/hours'" + ROLE + " TIMEFORMAT '" + format + "'"))
        .hasMessageContaining("column v: invalid timestamp")
        .hasMessageContaining("(load error 1206)");
    assertThat(db.count("ts")).isZero();
  }

  @Test
  void formatStringsRedshiftRejectsAreRefusedUpFront() {
    assertThatThrownBy(() -> db.run("COPY t FROM 's3://b/x'" + ROLE + " TIMEFORMAT 'YYYY-MM-DD HH:MI:SSOF'"))
        .hasMessageContaining("TIMEFORMAT cannot include a time zone specifier")
        .satisfies(e -> assertThat(((java.sql.SQLException) e).getSQLState()).isEqualTo("22023"));
    assertThatThrownBy(() -> db.run("COPY t FROM 's3://b/x'" + ROLE + " DATEFORMAT 'epochsecs'"))
        .hasMessageContaining("'epochsecs' is for TIMEFORMAT");
  }

  @Test
  void timestampWithTimeZoneDefaultsToUtc() throws Exception {
    db.sql("CREATE TABLE tz (ts TIMESTAMP WITH TIME ZONE)");
    LocalDb.put(root, "b/tz", "2020-01-01 10:00:00+02\n2020-01-01 10:00:00\n2020-01-01 10:00:00-08:30\n");

    db.run("COPY tz FROM 's3://b/tz'" + ROLE);
    db.run("UNLOAD ('select * from tz') TO 's3://b/tzout_'" + ROLE + " PARALLEL OFF");
    assertThat(Files.readString(root.resolve("b/tzout_000")))
        .isEqualTo("2020-01-01 08:00:00+00\n2020-01-01 10:00:00+00\n2020-01-01 18:30:00+00\n");
  }

  @Test
  void jsonAutoMatchesLowerCaseKeysAndLoadsNestedValuesAsText() throws Exception {
    db.sql("CREATE TABLE j (id INTEGER, s VARCHAR(100), price DECIMAL(10,2), ok BOOLEAN)");
    LocalDb.put(root, "b/j", "{\"id\": 1, \"s\": \"Columbus \\\"Crew\\\" Stadium\", \"price\": 12.345, \"ok\": true, \"extra\": 1}\n"
        + "{\"id\":2,\"s\":{\"nested\":[1,\"two\"]},\"price\":null}{\"ID\":3,\"id\":4,\"s\":\"Z\\u00fcrich\"}\n"
        + "  {\n  \"id\": 5,\n  \"s\": \"multi-line object\"\n}\n");

    assertThat(db.run("COPY j FROM 's3://b/j'" + ROLE + " FORMAT AS JSON 'auto'").rows()).isEqualTo(4);
    assertThat(db.rows("SELECT * FROM j ORDER BY id")).containsExactly(
        row(1, "Columbus \"Crew\" Stadium", new BigDecimal("12.34"), true), row(2, "{\"nested\":[1,\"two\"]}", null, null),
        row(4, "Zürich", null, null), row(5, "multi-line object", null, null));
  }

  @Test
  void jsonAutoIgnoreCaseMatchesKeysInAnyCase() throws Exception {
    LocalDb.put(root, "b/j", "{\"ID\": 1, \"S\": \"upper\", \"N\": 2}\n");

    db.run("COPY t FROM 's3://b/j'" + ROLE + " JSON 'auto ignorecase'");
    assertThat(db.rows("SELECT * FROM t")).containsExactly(row(1, "upper", 2));
  }

  @Test
  void malformedJsonIsALoadErrorWithItsLine() throws Exception {
    LocalDb.put(root, "b/j", "{\"id\": 1}\n{\"id\": 2,, }\n");

    assertThatThrownBy(() -> db.run("COPY t FROM 's3://b/j'" + ROLE + " JSON 'auto'"))
        .hasMessageContaining("s3://b/j line 2: malformed JSON");
  }

  @Test
  void noLoadChecksWithoutLoading() throws Exception {
    LocalDb.put(root, "b/ok", "1|a|1\n2|b|2\n");
    LocalDb.put(root, "b/bad", "1|a|x\n");

    LocalResult result = db.run("COPY t FROM 's3://b/ok'" + ROLE + " NOLOAD");
    assertThat(result.rows()).isZero();
    assertThat(result.note()).contains("2 record(s)", "none loaded");
    assertThat(db.count("t")).isZero();
    assertThatThrownBy(() -> db.run("COPY t FROM 's3://b/bad'" + ROLE + " NOLOAD")).hasMessageContaining("invalid digit");
  }

  @Test
  void trimBlanksAndUtf16() throws Exception {
    Path file = root.resolve("b/u16");
    Files.createDirectories(file.getParent());
    Files.write(file, "1|Zürich 東京 🚀   |1\n".getBytes(StandardCharsets.UTF_16LE));

    db.run("COPY t FROM 's3://b/u16'" + ROLE + " ENCODING UTF16LE TRIMBLANKS");
    assertThat(db.rows("SELECT s FROM t")).containsExactly(row("Zürich 東京 🚀"));
  }
}
