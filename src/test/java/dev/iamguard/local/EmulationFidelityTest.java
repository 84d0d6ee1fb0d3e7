package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
