package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A bad row fails the whole COPY, leaves the table as it was, and says where and why. */
class CopyErrorsTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";
  private static final String GOOD_AND_BAD = "10|Ten|100\n11|Eleven|110\n12|Twelve|abc\n13|Thirteen|130\n";

  @BeforeEach
  void setUp() throws Exception {
    db.sql("CREATE TABLE venue (venueid INTEGER NOT NULL, venuename VARCHAR(20), venueseats INTEGER)");
    db.sql("INSERT INTO venue VALUES (1, 'Existing', 5)");
  }

  private static SQLException sqlException(Throwable e) {
    return (SQLException) e;
  }

  @Test
  void aBadValueRollsBackTheWholeLoadAndNamesFileLineAndColumn() throws Exception {
    LocalDb.put(root, "b/in/part1", "2|Two|20\n");
    LocalDb.put(root, "b/in/part2", GOOD_AND_BAD);
    List<List<Object>> before = db.rows("SELECT * FROM venue ORDER BY venueid");

    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/in/part'" + ROLE))
        .isInstanceOf(SQLException.class)
        .hasMessage("Load into table 'venue' failed: s3://b/in/part2 line 3, column venueseats: invalid digit at position 0,"
            + " value 'abc' (load error 1207)")
        .satisfies(e -> assertThat(sqlException(e).getSQLState()).isEqualTo("22P04"));

    assertThat(db.rows("SELECT * FROM venue ORDER BY venueid")).isEqualTo(before);
    assertThat(db.connection.getAutoCommit()).isTrue();
  }

  @Test
  void insideTheCallersTransactionOnlyTheCopyIsRolledBack() throws Exception {
    LocalDb.put(root, "b/in/bad", GOOD_AND_BAD);
    db.connection.setAutoCommit(false);
    db.sql("INSERT INTO venue VALUES (2, 'Callers row', 7)");

    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/in/bad'" + ROLE)).isInstanceOf(SQLException.class);

    assertThat(db.connection.getAutoCommit()).isFalse();
    assertThat(db.rows("SELECT venueid FROM venue ORDER BY 1")).containsExactly(List.of(1), List.of(2));
    db.connection.rollback();
    assertThat(db.rows("SELECT venueid FROM venue ORDER BY 1")).containsExactly(List.of(1));
  }

  @Test
  void insideTheCallersTransactionASuccessfulCopyIsNotCommitted() throws Exception {
    LocalDb.put(root, "b/in/good", "2|Two|20\n");
    db.connection.setAutoCommit(false);

    assertThat(db.run("COPY venue FROM 's3://b/in/good'" + ROLE).rows()).isEqualTo(1);
    assertThat(db.count("venue")).isEqualTo(2);
    db.connection.rollback();
    assertThat(db.count("venue")).isEqualTo(1);
  }

  @Test
  void maxErrorLetsFewerBadRowsThroughAndReportsThem() throws Exception {
    LocalDb.put(root, "b/in/some-bad", "2|Two|20\n3|Three|x3\n4|Four|40\n5|Five|5.5\n6|Six|60\n");

    LocalResult result = db.run("COPY venue FROM 's3://b/in/some-bad'" + ROLE + " MAXERROR 3");

    assertThat(result.rows()).isEqualTo(3);
    assertThat(result.note()).contains("3 record(s) loaded", "2 record(s) could not be loaded",
        "s3://b/in/some-bad line 2, column venueseats: invalid digit at position 0, value 'x3'",
        "s3://b/in/some-bad line 4, column venueseats: invalid digit at position 1, value '5.5'");
    assertThat(db.rows("SELECT venueid FROM venue ORDER BY 1")).containsExactly(List.of(1), List.of(2), List.of(4), List.of(6));
  }

  @Test
  void maxErrorFailsWhenTheErrorCountReachesIt() throws Exception {
    LocalDb.put(root, "b/in/some-bad", "2|Two|20\n3|Three|x3\n4|Four|40\n5|Five|5.5\n6|Six|60\n");

    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/in/some-bad'" + ROLE + " MAXERROR 2"))
        .hasMessageContaining("line 4, column venueseats");
    assertThat(db.count("venue")).isEqualTo(1);
  }

  @Test
  void ignoreAllErrorsSkipsEveryBadRow() throws Exception {
    LocalDb.put(root, "b/in/some-bad", "2|Two|20\n3|Three|x3\n4|Four|40\n5|Five|5.5\n6|Six|60\n");

    assertThat(db.run("COPY venue FROM 's3://b/in/some-bad'" + ROLE + " IGNOREALLERRORS").rows()).isEqualTo(3);
  }

  @Test
  void nullInANotNullColumnIsALoadError() throws Exception {
    LocalDb.put(root, "b/in/nulls", "\\N|Nameless|1\n");

    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/in/nulls'" + ROLE))
        .hasMessageContaining("line 1, column venueid: missing data for not-null field");
  }

  @Test
  void wrongFieldCountsAreLoadErrors() throws Exception {
    LocalDb.put(root, "b/in/extra", "2|Two|20|surplus\n");
    LocalDb.put(root, "b/short/file", "2|Two\n");

    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/in/extra'" + ROLE))
        .hasMessageContaining("s3://b/in/extra line 1: extra column(s) found: 4 fields for 3 columns");
    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/short/'" + ROLE))
        .hasMessageContaining("s3://b/short/file line 1, column venueseats: missing data for column");
  }

  @Test
  void tooLongStringsFailUnlessTruncated() throws Exception {
    LocalDb.put(root, "b/in/long", "2|" + "n".repeat(25) + "|20\n");

    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/in/long'" + ROLE))
        .hasMessageContaining("column venuename: string length exceeds DDL length 20");
    db.run("COPY venue FROM 's3://b/in/long'" + ROLE + " TRUNCATECOLUMNS");
    assertThat(db.rows("SELECT venuename FROM venue WHERE venueid = 2")).containsExactly(List.of("n".repeat(20)));
  }

  @Test
  void longValuesAreShortenedInTheMessage() throws Exception {
    LocalDb.put(root, "b/in/huge", "2|Two|" + "9".repeat(100) + "\n");

    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/in/huge'" + ROLE))
        .hasMessageContaining("integer overflow for type integer, value '" + "9".repeat(60) + "...'");
  }

  @Test
  void anUnterminatedCsvQuoteIsReported() throws Exception {
    LocalDb.put(root, "b/in/csv", "2,Two,20\n3,\"Three,30\n");

    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/in/csv'" + ROLE + " CSV"))
        .hasMessageContaining("s3://b/in/csv line 2: missing closing quote");
  }

  /**
   * Redshift reads rows of at most 4 MB: a row of exactly 4 MB of UTF-8 (its line feed included)
   * loads, one byte more is load error 1216, and with MAXERROR the rows after it load.
   */
  @Test
  void aRowOfFourMegabytesLoadsAndOneByteMoreIsALoadError() throws Exception {
    db.sql("CREATE TABLE wide (id INTEGER, note VARCHAR(4194304))");
    int limit = DelimitedReader.MAX_ROW_BYTES;
    // "2|" and the line feed are 3 bytes, each é two: the row is exactly the limit, or one byte over
    String note = "a" + "é".repeat((limit - 4) / 2);
    LocalDb.put(root, "b/wide/at", "2|" + note + "\n");
    LocalDb.put(root, "b/wide/over", "3|a" + note + "\n4|four\n");

    assertThat(db.run("COPY wide FROM 's3://b/wide/at'" + ROLE).rows()).isEqualTo(1);
    assertThatThrownBy(() -> db.run("COPY wide FROM 's3://b/wide/over'" + ROLE))
        .hasMessageContaining("s3://b/wide/over line 1: row larger than 4 MB (4194304 bytes of UTF-8), the most Redshift"
            + " reads")
        .hasMessageContaining("(load error 1216)");
    assertThat(db.run("COPY wide FROM 's3://b/wide/over'" + ROLE + " MAXERROR 10").rows()).isEqualTo(1);
    assertThat(db.rows("SELECT id, CHAR_LENGTH(note) FROM wide ORDER BY id"))
        .containsExactly(List.of(2, (long) note.length()), List.of(4, 4L));
  }

  /**
   * A line of any length, or a CSV quote left open over the rest of a file, is read to its end
   * without being kept: the record is refused (an open quote is still named as such), and memory
   * never holds more than the row limit (the scale test runs such a file in a small heap).
   */
  @Test
  void aRowOverTheLimitIsReadToItsEndAsTheFormatDefinesIt() throws Exception {
    db.sql("CREATE TABLE wide (id INTEGER, note VARCHAR(100))");
    String manyFields = "|".repeat(5 << 20);
    LocalDb.put(root, "b/long/text", "1|one\n" + manyFields + "\n2|two\n");
    LocalDb.put(root, "b/long/quoted", "1,one\n2,\"two\n" + "3,three\n".repeat(800_000) + "4,four\"\n5,five\n");
    LocalDb.put(root, "b/long/open", "1,one\n2,\"two\n" + "3,three\n".repeat(800_000));

    assertThat(db.run("COPY wide FROM 's3://b/long/text'" + ROLE + " MAXERROR 10").rows()).isEqualTo(2);
    assertThat(db.run("COPY wide FROM 's3://b/long/quoted'" + ROLE + " CSV MAXERROR 10").rows()).isEqualTo(2);
    assertThat(db.rows("SELECT id FROM wide ORDER BY id"))
        .containsExactly(List.of(1), List.of(1), List.of(2), List.of(5));
    assertThatThrownBy(() -> db.run("COPY wide FROM 's3://b/long/open'" + ROLE + " CSV"))
        .hasMessageContaining("s3://b/long/open line 2: missing closing quote");
  }

  /** Past 1,600 fields (the most columns a table has) a record's fields are counted, not kept. */
  @Test
  void aRecordOfMoreFieldsThanATableCanHaveIsCountedNotKept() throws Exception {
    LocalDb.put(root, "b/fields/most", "2|Two|20" + "|".repeat(1_597) + "\n");
    LocalDb.put(root, "b/fields/more", "2|Two|20" + "|x".repeat(1_598) + "\n");

    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/fields/most'" + ROLE))
        .hasMessageContaining("line 1: extra column(s) found: 1600 fields for 3 columns");
    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/fields/more'" + ROLE))
        .hasMessageContaining("line 1: extra column(s) found: 1601 fields, more than a table has (1600 columns at most)")
        .hasMessageContaining("(load error 1202)");
  }

  @Test
  void aFileThatIsNotGzipIsNamed() throws Exception {
    LocalDb.put(root, "b/in/plain", "2|Two|20\n");

    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/in/plain'" + ROLE + " GZIP"))
        .hasMessageContaining("cannot read s3://b/in/plain")
        .satisfies(e -> assertThat(sqlException(e).getSQLState()).isEqualTo("58030"));
  }

  @Test
  void invalidUtf8IsALoadError() throws Exception {
    Path file = root.resolve("b/in/latin1");
    java.nio.file.Files.createDirectories(file.getParent());
    java.nio.file.Files.write(file, "2|Z\u00fcrich|20\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/in/latin1'" + ROLE))
        .hasMessageContaining("text is not valid UTF-8");
    assertThat(db.count("venue")).isEqualTo(1);
  }
}
