package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.jdbc.LocalPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dates and timestamps in every era Redshift has (4713 BC to 294276 AD) go through UNLOAD and back
 * through COPY unchanged, written as Redshift and PostgreSQL write them: the year of its era, at
 * least four digits, and {@code BC} last ({@code 0044-03-15 12:00:00+00 BC}). UNLOAD wrote the
 * proleptic year with {@code %04d} ({@code -043-03-15}), which its own COPY refused, COPY read no
 * {@code BC} form and no year of five digits. The texts are compared with a throwaway PostgreSQL's
 * (skipped without its binaries).
 */
class EraRoundTripTest extends WithLocalDb {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String TABLE = "(id INT, d DATE, t TIMESTAMP(6), tz TIMESTAMP(6) WITH TIME ZONE)";

  /** Days of 2000-01-01, PostgreSQL's epoch, after 1970-01-01. */
  private static final long PG_EPOCH_DAY = LocalDate.of(2000, 1, 1).toEpochDay();

  /**
   * One row: a day and a time of day for each era. The years are drawn in three bands (4712 BC to
   * 1 BC, 1 to 9999, 10000 to 294275 AD), with the edges of each.
   */
  record Row(int id, LocalDate day, LocalTime time, ZoneOffset offset) {
    LocalDateTime at() {
      return day.atTime(time);
    }
  }

  static List<Row> rows(long seed, int count) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    int[][] bands = {{-4711, 0}, {1, 9999}, {10000, 294275}};
    int[] edges = {-4711, -43, -4, 0, 1, 9999, 10000, 294275};
    for (int i = 0; i < count; i++) {
      int year;
      if (i < edges.length) {
        year = edges[i];
      } else {
        int[] band = bands[i % bands.length];
        year = band[0] + random.nextInt(band[1] - band[0] + 1);
      }
      LocalDate day = LocalDate.ofYearDay(year, 1 + random.nextInt(LocalDate.of(year, 1, 1).lengthOfYear()));
      if (year == -4) {
        day = LocalDate.of(-4, 2, 29); // 5 BC was a leap year; 5 AD was not
      }
      LocalTime time = LocalTime.ofNanoOfDay(random.nextLong(86_400_000_000L) * 1_000L);
      if (i % 5 == 0) {
        time = time.withNano(0);
      }
      ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(27) - 13) * 3600);
      rows.add(new Row(i, day, time, offset));
    }
    return rows;
  }

  private void insert(String table, List<Row> rows) throws SQLException {
    db.sql("CREATE TABLE " + table + " " + TABLE);
    try (PreparedStatement insert = db.connection.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?)")) {
      for (Row row : rows) {
        insert.setInt(1, row.id());
        insert.setObject(2, row.day());
        insert.setObject(3, row.at());
        insert.setObject(4, OffsetDateTime.of(row.at(), ZoneOffset.UTC).withOffsetSameInstant(row.offset()));
        insert.executeUpdate();
      }
    }
  }

  static Stream<Arguments> forms() {
    return Stream.of(
        Arguments.of("delimited", "NULL AS '\\N' PARALLEL OFF", "NULL AS '\\N'"),
        Arguments.of("delimited with ESCAPE", "ESCAPE NULL AS '\\N'", "ESCAPE NULL AS '\\N'"),
        Arguments.of("CSV", "FORMAT AS CSV PARALLEL OFF", "FORMAT AS CSV"),
        Arguments.of("CSV with header, GZIP", "CSV HEADER GZIP", "CSV IGNOREHEADER 1 GZIP"),
        Arguments.of("ADDQUOTES", "ADDQUOTES", "REMOVEQUOTES"),
        Arguments.of("delimited, read with 'auto'", "PARALLEL OFF", "DATEFORMAT 'auto' TIMEFORMAT 'auto'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void unloadThenCopyGivesBackEveryDateOfEveryEra(String form, String unloadOptions, String copyOptions) throws Exception {
    List<Row> rows = rows(form.hashCode(), 90);
    insert("src", rows);
    db.sql("CREATE TABLE dst " + TABLE);

    db.run("UNLOAD ('select * from src order by id') TO 's3://b/era/src_' IAM_ROLE 'arn:aws:iam::123456789012:role/R' "
        + unloadOptions);
    db.run("COPY dst FROM 's3://b/era/src_' IAM_ROLE 'arn:aws:iam::123456789012:role/R' " + copyOptions);

    assertThat(values("dst")).containsExactlyElementsOf(values("src")).hasSize(rows.size())
        .filteredOn(line -> line.contains("|-") || line.contains("|0000-")).as("dates BC loaded")
        .hasSize((int) rows.stream().filter(row -> row.day().getYear() <= 0).count());
  }

  /** The rows of {@code table} as proleptic java.time values (java.sql.Date would be Julian before 1582), in UTC. */
  private List<String> values(String table) throws SQLException {
    List<String> values = new ArrayList<>();
    try (java.sql.Statement statement = db.connection.createStatement();
        java.sql.ResultSet rs = statement.executeQuery("SELECT id, d, t, tz FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        values.add(rs.getInt(1) + "|" + rs.getObject(2, LocalDate.class) + "|" + rs.getObject(3, LocalDateTime.class)
            + "|" + rs.getObject(4, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC));
      }
    }
    return values;
  }

  @Test
  void unloadWritesTheEraLast() throws Exception {
    insert("src", List.of(new Row(1, LocalDate.of(-43, 3, 15), LocalTime.of(12, 30, 45, 500_000_000), ZoneOffset.ofHours(2)),
        new Row(2, LocalDate.of(294275, 12, 31), LocalTime.of(23, 59, 59, 999_999_000), ZoneOffset.UTC),
        new Row(3, LocalDate.of(0, 1, 1), LocalTime.MIDNIGHT, ZoneOffset.UTC)));
    db.run("UNLOAD ('select * from src order by id') TO 's3://b/era/one_' IAM_ROLE 'arn:aws:iam::123456789012:role/R'"
        + " PARALLEL OFF");
    assertThat(Files.readAllLines(root.resolve("b/era/one_000"))).containsExactly(
        "1|0044-03-15 BC|0044-03-15 12:30:45.5 BC|0044-03-15 12:30:45.5+00 BC",
        "2|294275-12-31|294275-12-31 23:59:59.999999|294275-12-31 23:59:59.999999+00",
        "3|0001-01-01 BC|0001-01-01 00:00:00 BC|0001-01-01 00:00:00+00 BC");
  }

  /**
   * Parquet holds a DATE of every era (days in an int) and a timestamp up to 294247 AD (microseconds
   * since 1970 in a long): a later one fails the UNLOAD naming the value, no object is left, and
   * nothing wraps around into another era.
   */
  @Test
  void parquetRefusesATimestampItCannotHoldNamingIt() throws Exception {
    insert("src", List.of(new Row(1, LocalDate.of(-4711, 1, 1), LocalTime.NOON, ZoneOffset.UTC),
        new Row(2, LocalDate.of(294275, 6, 1), LocalTime.NOON, ZoneOffset.UTC)));
    String unload = "UNLOAD ('select * from src where id <= %d') TO 's3://b/pq/%s_' IAM_ROLE"
        + " 'arn:aws:iam::123456789012:role/R' FORMAT AS PARQUET";
    db.run(String.format(Locale.ROOT, unload, 1, "early"));
    assertThatThrownBy(() -> db.run(String.format(Locale.ROOT, unload, 2, "late"))).isInstanceOf(SQLException.class)
        .hasMessageContaining("294275-06-01 12:00:00").hasMessageContaining("Parquet");
    assertThat(root.resolve("b/pq")).isDirectoryNotContaining("glob:**late*");
  }

  /** COPY reads Redshift's BC form, in any case, with an offset before it, and a leap day BC. */
  @Test
  void copyReadsTheBcFormAndRefusesYearZero() throws Exception {
    db.sql("CREATE TABLE dst " + TABLE);
    Files.createDirectories(root.resolve("b"));
    Files.writeString(root.resolve("b/bc.txt"), """
        1|0044-03-15 BC|0044-03-15 12:30:45.25 BC|0044-03-15 12:30:45+02 BC
        2|0005-02-29 bc|4713-11-24 00:00:00 BC|0001-12-31 23:59:59-01:30 BC
        3|12345-06-07|12345-06-07 01:02:03|12345-06-07 01:02:03+00
        """);
    db.run("COPY dst FROM 's3://b/bc.txt' IAM_ROLE 'arn:aws:iam::123456789012:role/R'");
    assertThat(values("dst")).containsExactly(
        "1|" + LocalDate.of(-43, 3, 15) + "|" + LocalDateTime.of(-43, 3, 15, 12, 30, 45, 250_000_000)
            + "|" + OffsetDateTime.of(-43, 3, 15, 10, 30, 45, 0, ZoneOffset.UTC),
        "2|" + LocalDate.of(-4, 2, 29) + "|" + LocalDateTime.of(-4712, 11, 24, 0, 0)
            + "|" + OffsetDateTime.of(1, 1, 1, 1, 29, 59, 0, ZoneOffset.UTC),
        "3|" + LocalDate.of(12345, 6, 7) + "|" + LocalDateTime.of(12345, 6, 7, 1, 2, 3)
            + "|" + OffsetDateTime.of(12345, 6, 7, 1, 2, 3, 0, ZoneOffset.UTC));

    for (String bad : new String[] {"0000-01-01", "0000-01-01 BC", "0005-02-29"}) {
      Files.writeString(root.resolve("b/zero.txt"), "9|" + bad + "|\\N|\\N\n");
      assertThatThrownBy(() -> db.run("COPY dst FROM 's3://b/zero.txt' IAM_ROLE 'arn:aws:iam::123456789012:role/R'"))
          .as(bad).isInstanceOf(SQLException.class).hasMessageContaining(bad);
    }
  }

  /**
   * PostgreSQL writes the same text as UNLOAD for every date, timestamp and TIMESTAMPTZ (in UTC) of
   * the rows: each built there from the days after its epoch and the time of day, not from a text.
   */
  @Test
  void unloadWritesWhatPostgresqlWrites() throws Exception {
    List<Row> rows = rows(20261205, 300);
    insert("src", rows);
    db.run("UNLOAD ('select * from src order by id') TO 's3://b/era/pg_' IAM_ROLE 'arn:aws:iam::123456789012:role/R'"
        + " PARALLEL OFF");
    List<String> unloaded = Files.readAllLines(root.resolve("b/era/pg_000"));

    StringBuilder script = new StringBuilder("SET TimeZone = 'UTC';\nSET DateStyle = 'ISO, YMD';\n");
    for (Row row : rows) {
      String day = "(date '2000-01-01' + " + (row.day().toEpochDay() - PG_EPOCH_DAY) + ")";
      String at = "(" + day + " + time '" + row.time() + "')";
      // the TIMESTAMPTZ was inserted at the same instant in another offset: UTC is the row's local time
      script.append(String.format(Locale.ROOT, "SELECT %d || '|' || %s::text || '|' || %s::text || '|' || (%s AT TIME ZONE"
          + " 'UTC')::text;%n", row.id(), day, at, at));
    }
    Path file = root.resolve("dates.sql");
    Files.writeString(file, script);
    assertThat(unloaded).containsExactlyElementsOf(postgres(file));
  }

  private static List<String> postgres(Path script) throws IOException {
    try {
      return POSTGRES.psqlScript(script).lines().filter(line -> !line.isEmpty() && !line.equals("SET")).toList();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
