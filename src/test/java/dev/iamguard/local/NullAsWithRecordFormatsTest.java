package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NULL AS names the text of a delimited or CSV field that loads as NULL; a JSON or Avro record has no
 * such text, and Redshift does not take NULL AS with JSON (the COPY data format reference). The
 * emulation read it and then ignored it: {@code JSON 'auto' NULL AS 'x'} loaded a value {@code "x"}
 * as the string x where the script meant NULL. Every spelling of JSON and Avro with every kind of
 * null string is refused naming it ({@code 0AI01}, as the other text options with these formats),
 * before any data is read, and the table keeps its rows; the text formats keep taking it.
 */
class NullAsWithRecordFormatsTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";
  private static final List<String> RECORD_FORMATS = List.of("JSON 'auto'", "JSON 'auto ignorecase'", "JSON",
      "FORMAT AS JSON 'auto'", "FORMAT JSON 'auto ignorecase'", "AVRO 'auto'", "FORMAT AS AVRO 'auto'",
      "FORMAT AVRO 'auto ignorecase'");
  private static final List<String> NULL_STRINGS = List.of("x", "\\\\N", "", "NULL", "\\\\0", " ", "null");

  @BeforeEach
  void setUp() throws Exception {
    db.sql("CREATE TABLE t (a INTEGER, s VARCHAR(10))");
    db.sql("INSERT INTO t VALUES (0, 'kept')");
    LocalDb.put(root, "b/j/d.json", "{\"a\": 1, \"s\": \"x\"}\n{\"a\": 2, \"s\": \"NULL\"}\n");
    LocalDb.put(root, "b/txt/d.txt", "1|x\n2|NULL\n");
  }

  /** Each record format, NULL AS before or after it: refused naming NULL AS and the format; nothing loaded. */
  @Test
  void nullAsWithJsonOrAvroIsRefusedNotIgnored() throws Exception {
    List<String> accepted = new ArrayList<>();
    for (String format : RECORD_FORMATS) {
      for (String nullString : NULL_STRINGS) {
        for (boolean nullFirst : new boolean[] {false, true}) {
          String options = nullFirst ? " NULL AS '" + nullString + "' " + format : " " + format + " NULL AS '" + nullString + "'";
          String copy = "COPY t FROM 's3://b/j/'" + ROLE + options;
          try {
            db.run(copy);
            accepted.add(copy);
          } catch (SQLException e) {
            assertThat(e.getSQLState()).as(copy).isEqualTo("0AI01");
            assertThat(e.getMessage()).as(copy).contains("NULL AS together with")
                .contains(format.contains("AVRO") ? "AVRO" : "JSON");
          }
        }
      }
    }
    assertThat(accepted).isEmpty();
    assertThat(db.rows("SELECT a, s FROM t")).containsExactly(Arrays.asList(0, "kept"));
  }

  /** The same null strings still apply to delimited text and CSV (hand-checked: the field equal to it is NULL). */
  @Test
  void nullAsStillAppliesToTextAndCsv() throws Exception {
    for (String format : List.of("", " CSV DELIMITER '|'")) {
      for (String nullString : List.of("x", "NULL")) {
        db.sql("DELETE FROM t");
        db.run("COPY t FROM 's3://b/txt/'" + ROLE + format + " NULL AS '" + nullString + "'");
        List<List<Object>> expected = nullString.equals("x")
            ? List.of(Arrays.asList(1, null), Arrays.asList(2, "NULL"))
            : List.of(Arrays.asList(1, "x"), Arrays.asList(2, null));
        assertThat(db.rows("SELECT a, s FROM t ORDER BY a")).as(format + nullString).isEqualTo(expected);
      }
    }
  }

  /** Without NULL AS, JSON loads as before: a string is itself, a JSON null is NULL. */
  @Test
  void jsonWithoutNullAsLoadsAsBefore() throws Exception {
    LocalDb.put(root, "b/j2/d.json", "{\"a\": 1, \"s\": \"x\"}\n{\"a\": 2, \"s\": null}\n");
    db.sql("DELETE FROM t");
    db.run("COPY t FROM 's3://b/j2/'" + ROLE + " JSON 'auto'");
    assertThat(db.rows("SELECT a, s FROM t ORDER BY a")).containsExactly(Arrays.asList(1, "x"), Arrays.asList(2, null));
  }
}
