package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** UNLOAD then COPY gives back every row and column exactly, in each text form. */
class RoundTripTest extends WithLocalDb {
  private static final String TABLE = "(id BIGINT NOT NULL, name VARCHAR(200), amount DECIMAL(18,4), ratio DOUBLE PRECISION,"
      + " flag BOOLEAN, d_day DATE, t_at TIMESTAMP(6), n INTEGER)";

  @BeforeEach
  void setUp() throws Exception {
    db.sql("CREATE TABLE src " + TABLE);
    db.sql("CREATE TABLE dst " + TABLE);
    Object[][] rows = {
        {1L, "plain", "12345678901234.5678", 0.1, true, "2024-02-29", "2024-02-29 23:59:59.123456", 7},
        {2L, null, null, null, null, null, null, null},
        {3L, "pipe | comma , tab \t end", "-0.0001", 1e300, false, "0001-01-01", "1999-12-31 00:00:00", -2147483648},
        {4L, "quotes \" and ' and \"\"", "0.0000", -2.5e-300, true, "9999-12-31", "2000-01-01 12:00:00.5", 2147483647},
        {5L, "back\\slash \\N-ish \\\\ \\|", "99999999999999.9999", 1.0e22, false, "1970-01-01", "1970-01-01 00:00:00.000001", 0},
        {6L, "line one\nline two\r\nline three\rend", "1.5", 1.0 / 3, true, "2020-06-15", "2020-06-15 06:07:08.9", 42},
        {7L, "Zürich 東京 🚀", "-99999999999999.9999", Double.NaN, null, "2021-01-01", "2021-01-01 01:01:01.010101", null},
        {8L, "", "0.1230", -0.0, true, "2022-12-31", "2022-12-31 23:59:59.999999", 1},
        {9L, "  leading and trailing spaces  ", "3", Double.MAX_VALUE, false, "2023-03-03", "2023-03-03 03:03:03", -1},
        {Long.MAX_VALUE, ",\"\n", "42.4200", Double.MIN_VALUE, true, "2024-01-01", "2024-01-01 00:00:00.1", 5},
        {Long.MIN_VALUE, "\\", "-1", 123456.789, false, "1900-02-28", "1900-02-28 10:10:10", 6},
    };
    try (PreparedStatement insert = db.connection.prepareStatement(
        "INSERT INTO src VALUES (?, ?, CAST(? AS DECIMAL(18,4)), ?, ?, CAST(? AS DATE), CAST(? AS TIMESTAMP(6)), ?)")) {
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          insert.setObject(i + 1, row[i]);
        }
        insert.executeUpdate();
      }
    }
  }

  static Stream<Arguments> forms() {
    return Stream.of(
        Arguments.of("delimited with ESCAPE", "ESCAPE NULL AS '\\N'", "ESCAPE NULL AS '\\N'"),
        Arguments.of("tab-delimited with ESCAPE", "DELIMITER AS '\\t' ESCAPE NULL AS '\\N'", "DELIMITER '\\t' ESCAPE NULL AS '\\N'"),
        Arguments.of("CSV", "FORMAT AS CSV NULL AS '\\N'", "FORMAT AS CSV NULL AS '\\N'"),
        Arguments.of("CSV with pipe and header", "CSV DELIMITER '|' HEADER NULL AS 'NULL'", "CSV DELIMITER '|' IGNOREHEADER 1 NULL AS 'NULL'"),
        Arguments.of("GZIP delimited", "ESCAPE GZIP NULL AS '\\N' PARALLEL OFF", "ESCAPE GZIP NULL AS '\\N'"),
        Arguments.of("GZIP CSV", "CSV GZIP NULL AS '\\N'", "CSV GZIP NULL AS '\\N'"),
        Arguments.of("ADDQUOTES with ESCAPE", "ADDQUOTES ESCAPE NULL AS '\\N'", "REMOVEQUOTES ESCAPE NULL AS '\\N'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void unloadThenCopyGivesBackEveryValue(String form, String unloadOptions, String copyOptions) throws Exception {
    LocalResult unloaded = db.run("UNLOAD ('select * from src order by id') TO 's3://bucket/rt/src_'"
        + " IAM_ROLE 'arn:aws:iam::123456789012:role/R' " + unloadOptions);
    LocalResult loaded = db.run("COPY dst FROM 's3://bucket/rt/src_' IAM_ROLE 'arn:aws:iam::123456789012:role/R' " + copyOptions);

    List<List<Object>> expected = db.rows("SELECT * FROM src ORDER BY id");
    assertThat(unloaded.rows()).isEqualTo(expected.size());
    assertThat(loaded.rows()).isEqualTo(expected.size());
    assertThat(db.rows("SELECT * FROM dst ORDER BY id")).containsExactlyElementsOf(expected);
    try (Stream<Path> files = Files.list(root.resolve("bucket/rt"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .allMatch(name -> name.matches("src_(0000_part_00|000)(\\.gz)?"));
    }
  }
}
