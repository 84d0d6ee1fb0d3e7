package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.LocalPostgres;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * The emulated COPY and UNLOAD of delimited text held to a real server: PostgreSQL's own COPY, on
 * the classes of input where Redshift's documentation and PostgreSQL's say the two read the same
 * rows (the table is in the README section "COPY and UNLOAD against PostgreSQL's COPY").
 *
 * <p>Files are drawn from a seed (system property {@value #SEED_PROPERTY}): text with and without
 * ESCAPE, CSV with one of four quote characters, any of several delimiters (a control character
 * among them), NULL AS strings, a header line, LF or (CSV) CRLF line ends, the last one sometimes
 * missing, ENCODING UTF16 / UTF16LE / UTF16BE with or without a byte order mark, GZIP; values with
 * quotes, delimiters, line feeds, carriage returns, backslashes, spaces, empty strings, unicode with
 * astral characters, integers, decimals, floats, dates and timestamps. One file in eight carries a
 * row both refuse (a field too many or too few, a number out of range or malformed, no such day or
 * hour). Each file is loaded by the emulation on H2 and by {@code COPY t FROM STDIN} on PostgreSQL
 * (its UTF-8 text, through pgjdbc's CopyManager), and the rows are compared value by value, NULL
 * and empty text told apart; a file one side refuses must be refused by the other, and PostgreSQL
 * must load every file without a fault (else the generator left the agreeing classes). The reverse: rows drawn into H2 are UNLOADed, and PostgreSQL's COPY of the files
 * with the matching options must give back the same rows.
 *
 * <p>Where the documentation says Redshift and PostgreSQL differ, the emulation is held to what the
 * Redshift documentation states, and the test shows that PostgreSQL indeed reads the input otherwise.
 * Skipped, saying why, when the PostgreSQL binaries are not installed.
 */
class DelimitedAgainstPostgresTest {
  static final String SEED_PROPERTY = "iamguard.delimited.seed";
  private static final long SEED = Long.getLong(SEED_PROPERTY, 20261206L);
  private static final int COPY_FILES = 200;
  private static final int UNLOAD_FILES = 100;
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";
  private static final String COLUMNS = "(id INTEGER, a VARCHAR(4000), b VARCHAR(4000), n DECIMAL(12,3), d DATE, i BIGINT,"
      + " f DOUBLE PRECISION, ts TIMESTAMP)";
  private static final String[] NAMES = {"id", "a", "b", "n", "d", "i", "f", "ts"};
  /** Characters a backslash may stand before and still mean themselves in both readers (not b f n r t v x, 0-7, '.'). */
  private static final String PLAIN_AFTER_BACKSLASH = "aceghkmqsuwyzACEGHKQ,;:!?@#$%&*()[]{}<>=+-_/ü東";

  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static Connection postgres;

  @TempDir
  Path root;

  @BeforeAll
  static void connect() throws SQLException {
    if (POSTGRES.port() == 0) {
      return; // no server: every test is skipped by the extension
    }
    Properties properties = new Properties();
    properties.setProperty("user", LocalPostgres.USER);
    properties.setProperty("password", POSTGRES.password());
    postgres = new org.postgresql.Driver().connect(
        "jdbc:postgresql://127.0.0.1:" + POSTGRES.port() + "/" + LocalPostgres.DATABASE, properties);
  }

  @AfterAll
  static void disconnect() throws SQLException {
    if (postgres != null) {
      postgres.close();
    }
  }

  // ---------------------------------------------------------------- the differential runs

  @Test
  void copyReadsTheRowsPostgresReads() throws Exception {
    Random random = new Random(SEED);
    List<String> differences = new ArrayList<>();
    int rows = 0;
    int faults = 0;
    try (LocalDb db = new LocalDb(root)) {
      db.sql("CREATE TABLE t " + COLUMNS);
      pg("CREATE TABLE IF NOT EXISTS t " + COLUMNS);
      for (int k = 0; k < COPY_FILES; k++) {
        Form form = Form.draw(random, true);
        List<String[]> drawn = drawRows(random, form);
        rows += drawn.size();
        String fault = random.nextInt(8) == 0 ? Form.FAULTS[random.nextInt(Form.FAULTS.length)] : null;
        String file = form.write(random, drawn, fault);
        Outcome emulated = emulatedCopy(db, k, form, file);
        Outcome server = postgresCopy(form, file);
        faults += fault == null ? 0 : 1;
        if ((server.refused != null) != (fault != null)) {
          // PostgreSQL reads every drawn file of an agreeing class and refuses each fault: else the generator erred
          differences.add("file " + k + ": PostgreSQL " + (fault == null ? "refused a file of an agreeing class: " + server
              : "loaded a file with the fault " + fault));
        }
        if (!emulated.equals(server)) {
          differences.add("file " + k + " (" + form + "):\n  H2:         " + emulated + "\n  PostgreSQL: " + server
              + "\n  file: " + visible(file));
        }
      }
    }
    System.out.println("DelimitedAgainstPostgresTest: seed " + SEED + ", " + COPY_FILES + " files (" + faults + " with a fault both refuse), "
        + rows + " rows");
    assertThat(differences).as("seed %d (-D%s=%d): files the emulation read otherwise than PostgreSQL's COPY",
        SEED, SEED_PROPERTY, SEED).isEmpty();
  }

  @Test
  void unloadWritesWhatPostgresReadsBack() throws Exception {
    Random random = new Random(SEED + 1);
    List<String> differences = new ArrayList<>();
    int rows = 0;
    try (LocalDb db = new LocalDb(root)) {
      db.sql("CREATE TABLE src " + COLUMNS);
      pg("CREATE TABLE IF NOT EXISTS back " + COLUMNS);
      for (int k = 0; k < UNLOAD_FILES; k++) {
        Form form = Form.draw(random, false);
        List<String[]> drawn = drawRows(random, form);
        rows += drawn.size();
        db.sql("DELETE FROM src");
        try (PreparedStatement insert = db.connection.prepareStatement(
            "INSERT INTO src VALUES (?, ?, ?, CAST(? AS DECIMAL(12,3)), CAST(? AS DATE), CAST(? AS BIGINT),"
            + " CAST(? AS DOUBLE PRECISION), CAST(? AS TIMESTAMP))")) {
          for (String[] row : drawn) {
            for (int c = 0; c < row.length; c++) {
              insert.setString(c + 1, row[c]);
            }
            insert.executeUpdate();
          }
        }
        List<List<String>> expected = rows(db.connection, "SELECT * FROM src ORDER BY id");
        String prefix = "u" + k;
        db.run("UNLOAD ('select * from src order by id') TO 's3://b/" + prefix + "/part_'" + ROLE
            + " PARALLEL OFF ALLOWOVERWRITE " + form.unloadOptions());
        StringBuilder written = new StringBuilder();
        try (Stream<Path> parts = Files.list(root.resolve("b").resolve(prefix))) {
          for (Path part : parts.sorted().toList()) {
            written.append(Files.readString(part, StandardCharsets.UTF_8));
          }
        }
        pg("TRUNCATE back");
        Outcome server;
        try {
          copyIn("COPY back FROM STDIN WITH (" + form.postgresOptions() + ")", written.toString());
          server = Outcome.rows(rows(postgres, "SELECT * FROM back ORDER BY id"));
        } catch (SQLException e) {
          server = Outcome.refused(e.getMessage());
        }
        if (server.refused != null || !server.equals(Outcome.rows(expected))) {
          differences.add("unload " + k + " (" + form.unloadOptions() + "):\n  H2 rows:    " + expected
              + "\n  PostgreSQL: " + server + "\n  file: " + visible(written.toString()));
        }
      }
    }
    System.out.println("DelimitedAgainstPostgresTest: seed " + SEED + ", " + UNLOAD_FILES + " unloads, " + rows + " rows");
    assertThat(differences).as("seed %d (-D%s=%d): unloaded files PostgreSQL's COPY reads back otherwise",
        SEED, SEED_PROPERTY, SEED).isEmpty();
  }

  // ---------------------------------------------------------------- documented differences

  /**
   * Where the documentation says the two differ, the emulation reads what Redshift's reference
   * states, and PostgreSQL (shown alongside) reads otherwise.
   */
  @Test
  void documentedDifferencesFollowRedshift() throws Exception {
    try (LocalDb db = new LocalDb(root)) {
      db.sql("CREATE TABLE t " + COLUMNS);
      pg("CREATE TABLE IF NOT EXISTS t " + COLUMNS);

      // EMPTYASNULL: "Empty fields for other data types, such as INT, are always loaded with NULL";
      // an empty CHAR / VARCHAR field stays empty without the option. PostgreSQL refuses "" as an integer.
      Form csv = Form.csv(',', '"', "\\N", false, false);
      String empty = "1,,,,,,,\n";
      assertThat(emulatedCopy(db, 900, csv, empty)).isEqualTo(Outcome.rows(List.of(
          java.util.Arrays.asList("1", "", "", null, null, null, null, null))));
      assertThat(postgresCopy(csv, empty).refused).isNotNull();

      // ESCAPE: "The ESCAPE parameter does not interpret octal, hex, Unicode, or other escape sequence
      // notation ... Amazon Redshift loads the value 012"; PostgreSQL's text format reads \012 as a line feed.
      Form text = Form.text('|', "\\N", true, false);
      String octal = "2|\\012|x\\ty|\\N|\\N|\\N|\\N|\\N\n";
      assertThat(emulatedCopy(db, 901, text, octal)).isEqualTo(Outcome.rows(List.of(
          java.util.Arrays.asList("2", "012", "xty", null, null, null, null, null))));
      assertThat(postgresCopy(text, octal)).isEqualTo(Outcome.rows(List.of(
          java.util.Arrays.asList("2", "\n", "x\ty", null, null, null, null, null))));

      // ESCAPE: "The default null string, \N, works as is, but it can also be escaped in the input data
      // as \\N"; PostgreSQL matches the null string before removing backslashes, so \\N is the text \N.
      String escapedNull = "3|\\\\N|a|\\N|\\N|\\N|\\N|\\N\n";
      assertThat(emulatedCopy(db, 902, text, escapedNull)).isEqualTo(Outcome.rows(List.of(
          java.util.Arrays.asList("3", null, "a", null, null, null, null, null))));
      assertThat(postgresCopy(text, escapedNull)).isEqualTo(Outcome.rows(List.of(
          java.util.Arrays.asList("3", "\\N", "a", null, null, null, null, null))));

      // CSV: "When a field is enclosed in quotes, white space between the delimiters and the quote
      // characters is ignored"; PostgreSQL keeps the white space before the quote.
      String padded = "4, \"a,b\" ,\t\"c\"\t,1.5,2024-02-29,7,0.25,2024-02-29 23:59:59.5\n";
      assertThat(emulatedCopy(db, 903, csv, padded)).isEqualTo(Outcome.rows(List.of(
          java.util.Arrays.asList("4", "a,b", "c", "1.5", "2024-02-29", "7", "0.25", "2024-02-29T23:59:59.500"))));
      assertThat(postgresCopy(csv, padded)).isNotEqualTo(emulatedCopy(db, 904, csv, padded));

      // ROUNDEC: "By default, COPY truncates values when necessary to fit the scale of the column ... 20.259
      // ... to 20.25"; PostgreSQL rounds to the column's scale.
      String scale = "5|x|y|20.2599|\\N|\\N|\\N|\\N\n";
      assertThat(emulatedCopy(db, 905, text, scale).rows.get(0).get(3)).isEqualTo("20.259");
      assertThat(postgresCopy(text, scale).rows.get(0).get(3)).isEqualTo("20.26");
    }
  }

  // ---------------------------------------------------------------- loading on each side

  private Outcome emulatedCopy(LocalDb db, int k, Form form, String file) throws Exception {
    db.sql("DELETE FROM t");
    Path object = root.resolve("b/f" + k);
    Files.createDirectories(object.getParent());
    Files.write(object, form.bytes(file));
    try {
      db.run("COPY t FROM 's3://b/f" + k + "'" + ROLE + " " + form.copyOptions());
    } catch (SQLException e) {
      return Outcome.refused(e.getMessage());
    }
    return Outcome.rows(rows(db.connection, "SELECT * FROM t ORDER BY id"));
  }

  private static Outcome postgresCopy(Form form, String file) throws SQLException {
    pg("TRUNCATE t");
    try {
      copyIn("COPY t FROM STDIN WITH (" + form.postgresOptions() + ")", file);
    } catch (SQLException e) {
      return Outcome.refused(e.getMessage());
    }
    return Outcome.rows(rows(postgres, "SELECT * FROM t ORDER BY id"));
  }

  private static void copyIn(String sql, String data) throws SQLException {
    try {
      new CopyManager(postgres.unwrap(BaseConnection.class))
          .copyIn(sql, new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8)));
    } catch (java.io.IOException e) {
      throw new SQLException(e);
    }
  }

  private static void pg(String sql) throws SQLException {
    try (Statement statement = postgres.createStatement()) {
      statement.execute(sql);
    }
  }

  /** Every row, each value as comparable text: decimals without trailing zeros, dates in ISO form. */
  private static List<List<String>> rows(Connection connection, String query) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(query)) {
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        row.add(rs.getString(1));
        row.add(rs.getString(2));
        row.add(rs.getString(3));
        BigDecimal n = rs.getBigDecimal(4);
        row.add(n == null ? null : n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString());
        LocalDate d = rs.getObject(5, LocalDate.class);
        row.add(d == null ? null : d.toString());
        row.add(rs.getString(6));
        double f = rs.getDouble(7);
        row.add(rs.wasNull() ? null : Double.toString(f));
        java.time.LocalDateTime ts = rs.getObject(8, java.time.LocalDateTime.class);
        row.add(ts == null ? null : ts.toString());
        rows.add(row);
      }
    }
    return rows;
  }

  /** Rows loaded (each value as text, null for NULL) or the refusal of the whole file. */
  record Outcome(List<List<String>> rows, String refused) {
    static Outcome rows(List<List<String>> rows) {
      return new Outcome(rows, null);
    }

    static Outcome refused(String why) {
      return new Outcome(null, why);
    }

    /** Two refusals are alike whatever their messages: each server words its own. */
    @Override
    public boolean equals(Object other) {
      return other instanceof Outcome that && Objects.equals(rows, that.rows) && (refused == null) == (that.refused == null);
    }

    @Override
    public int hashCode() {
      return Objects.hash(rows, refused == null);
    }

    @Override
    public String toString() {
      return refused != null ? "refused: " + refused.lines().findFirst().orElse("") : String.valueOf(rows);
    }
  }

  // ---------------------------------------------------------------- drawing rows and files

  /** Rows of the agreeing classes for {@code form}: id, two texts, a decimal, a date, a bigint (text or null). */
  private static List<String[]> drawRows(Random random, Form form) {
    int count = random.nextInt(12) == 0 ? 1 : 1 + random.nextInt(25);
    List<String[]> rows = new ArrayList<>();
    for (int id = 0; id < count; id++) {
      rows.add(new String[] {
          Integer.toString(id),
          orNull(random, () -> text(random, form)),
          orNull(random, () -> text(random, form)),
          orNull(random, () -> decimal(random)),
          orNull(random, () -> date(random)),
          orNull(random, () -> Long.toString(random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(2000) - 1000)),
          orNull(random, () -> floating(random)),
          orNull(random, () -> timestamp(random)),
      });
    }
    return rows;
  }

  private static String orNull(Random random, java.util.function.Supplier<String> value) {
    return random.nextInt(6) == 0 ? null : value.get();
  }

  private static final String[] PIECES = {
      "a", "b", "Z", "7", " ", "  ", "\t", ",", "|", ";", "~", "^", "\"", "'", "\"\"", "\n", "\r", "\r\n", "\\",
      "\\\\", "N", "\\N", ".", "\\.", "ü", "東", "😀", "𝄞", "NULL", "@null@", "x y", "0", "-", "%", "`", "\u0001",
  };

  /** A text of the agreeing class of {@code form}; never equal to its NULL AS text. */
  private static String text(Random random, Form form) {
    while (true) {
      StringBuilder value = new StringBuilder();
      int pieces = random.nextInt(5) == 0 ? 0 : random.nextInt(8);
      for (int p = 0; p < pieces; p++) {
        value.append(PIECES[random.nextInt(PIECES.length)]);
      }
      String text = value.toString();
      if (!form.csv && !form.escape) {
        // plain text has no way to hold these; PostgreSQL's text format reads backslashes as escapes
        text = text.replace("\\", "").replace("\n", "").replace("\r", "").replace(String.valueOf(form.delimiter), "");
      }
      if (!form.csv && text.equals(form.nullAs)) {
        continue; // in text, a value equal to NULL AS is NULL: not a value of the class
      }
      if (!form.forCopy && text.equals(form.nullAs)) {
        continue; // UNLOAD writes such a value as the NULL text itself: it cannot come back
      }
      return text;
    }
  }

  private static String decimal(Random random) {
    BigDecimal value = BigDecimal.valueOf(random.nextLong() % 1_000_000_000_000L, 3);
    if (random.nextBoolean()) {
      value = value.setScale(random.nextInt(4), java.math.RoundingMode.DOWN);
    }
    return value.toPlainString();
  }

  /** A float in "standard floating-point format, such as 12.123, or an exponential format, such as 1.0E4". */
  private static String floating(Random random) {
    double value = switch (random.nextInt(4)) {
      case 0 -> random.nextInt(2000) - 1000;
      case 1 -> (random.nextDouble() - 0.5) * 1e6;
      case 2 -> Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL) * (random.nextBoolean() ? 1 : -1);
      default -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
    };
    String text = Double.toString(value);
    return switch (random.nextInt(3)) {
      case 0 -> new BigDecimal(text).toPlainString().length() < 40 ? new BigDecimal(text).toPlainString() : text;
      case 1 -> text.toLowerCase(java.util.Locale.ROOT);
      default -> text;
    };
  }

  /** A timestamp in the default TIMEFORMAT, YYYY-MM-DD HH:MI:SS, with 0 to 6 digits of fractional seconds. */
  private static String timestamp(Random random) {
    String seconds = String.format(java.util.Locale.ROOT, "%s %02d:%02d:%02d", date(random), random.nextInt(24),
        random.nextInt(60), random.nextInt(60));
    int digits = random.nextInt(7);
    if (digits == 0) {
      return seconds;
    }
    StringBuilder fraction = new StringBuilder(".");
    for (int k = 0; k < digits; k++) {
      fraction.append((char) ('0' + random.nextInt(10)));
    }
    return seconds + fraction;
  }

  private static String date(Random random) {
    return LocalDate.ofEpochDay(LocalDate.of(1, 1, 1).toEpochDay()
        + (long) (random.nextDouble() * (LocalDate.of(9999, 12, 31).toEpochDay() - LocalDate.of(1, 1, 1).toEpochDay())))
        .toString();
  }

  /** One file's format, as the emulation and PostgreSQL are each told it. */
  static final class Form {
    final boolean csv;
    final char delimiter;
    final char quote;
    final String nullAs;
    final boolean escape;
    final boolean header;
    final boolean crlf;
    final boolean forCopy;
    /** ENCODING of the emulation's copy of the file (PostgreSQL reads its UTF-8 text): UTF8, UTF16, UTF16LE, UTF16BE. */
    String encoding = "UTF8";
    /** Whether the UTF-16 copy starts with a byte order mark (UTF16 always does: Redshift requires it). */
    boolean byteOrderMark;
    /** For UTF16 with its mark: the byte order chosen. */
    boolean littleEndian;
    /** Whether the emulation's copy is compressed (GZIP). */
    boolean gzip;

    private Form(boolean csv, char delimiter, char quote, String nullAs, boolean escape, boolean header, boolean crlf,
        boolean forCopy) {
      this.csv = csv;
      this.delimiter = delimiter;
      this.quote = quote;
      this.nullAs = nullAs;
      this.escape = escape;
      this.header = header;
      this.crlf = crlf;
      this.forCopy = forCopy;
    }

    static Form csv(char delimiter, char quote, String nullAs, boolean header, boolean crlf) {
      return new Form(true, delimiter, quote, nullAs, false, header, crlf, true);
    }

    static Form text(char delimiter, String nullAs, boolean escape, boolean header) {
      return new Form(false, delimiter, '"', nullAs, escape, header, false, true);
    }

    static Form draw(Random random, boolean forCopy) {
      boolean csv = random.nextBoolean();
      char quote = !csv || !forCopy || random.nextInt(3) > 0 ? '"' : "'%`".charAt(random.nextInt(3));
      char delimiter;
      do {
        delimiter = ",|\t;~^\u0001".charAt(random.nextInt(7)); // not a space: timestamps hold one
      } while (csv && delimiter == quote);
      String[] nulls = forCopy ? new String[] {"\\N", "NULL", "", "@null@"} : new String[] {"\\N", "NULL", "@null@"};
      String nullAs = nulls[random.nextInt(nulls.length)];
      boolean escape = !csv && random.nextInt(3) > 0;
      boolean header = random.nextInt(4) == 0;
      boolean crlf = csv && forCopy && random.nextInt(4) == 0;
      Form form = new Form(csv, delimiter, quote, nullAs, escape, header, crlf, forCopy);
      if (forCopy) {
        form.encoding = random.nextInt(3) > 0 ? "UTF8" : new String[] {"UTF16", "UTF16LE", "UTF16BE"}[random.nextInt(3)];
        form.byteOrderMark = form.encoding.equals("UTF16") || form.encoding.startsWith("UTF16") && random.nextBoolean();
        form.littleEndian = form.encoding.equals("UTF16LE") || form.encoding.equals("UTF16") && random.nextBoolean();
        form.gzip = random.nextInt(5) == 0;
      }
      return form;
    }

    /**
     * The emulation's copy of {@code text}: in this form's ENCODING ("The COPY command converts the data
     * from the specified encoding into UTF-8 during loading"), with the byte order mark where drawn, compressed
     * with GZIP where drawn.
     */
    byte[] bytes(String text) throws java.io.IOException {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      if (encoding.equals("UTF8")) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      } else {
        if (byteOrderMark) {
          out.write(littleEndian ? new byte[] {(byte) 0xFF, (byte) 0xFE} : new byte[] {(byte) 0xFE, (byte) 0xFF});
        }
        out.write(text.getBytes(littleEndian ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE));
      }
      if (!gzip) {
        return out.toByteArray();
      }
      java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
        out.writeTo(gz);
      }
      return zipped.toByteArray();
    }

    /** The file: header and rows in this form's agreeing encoding. */
    String write(Random random, List<String[]> rows) {
      return write(random, rows, null);
    }

    /**
     * The file: header and rows in this form's agreeing encoding; with {@code fault} (one of
     * {@link #FAULTS}), one row carries it, which both Redshift and PostgreSQL refuse. The last line
     * end is sometimes left out, which both read alike.
     */
    String write(Random random, List<String[]> rows, String fault) {
      String end = crlf ? "\r\n" : "\n";
      StringBuilder out = new StringBuilder();
      if (header) {
        out.append(String.join(String.valueOf(delimiter), NAMES)).append(end);
      }
      int faulty = fault == null ? -1 : random.nextInt(rows.size());
      for (int r = 0; r < rows.size(); r++) {
        List<String> fields = new ArrayList<>();
        String[] row = rows.get(r);
        for (int c = 0; c < row.length; c++) {
          fields.add(field(random, row[c], c == 1 || c == 2));
        }
        if (r == faulty) {
          switch (fault) {
            case "extra field" -> fields.add("x");
            case "missing field" -> fields.remove(fields.size() - 1);
            case "id over INTEGER" -> fields.set(0, "2147483648");
            case "i over BIGINT" -> fields.set(5, "9223372036854775808");
            case "n over DECIMAL(12,3)" -> fields.set(3, "1234567890.5");
            case "n not a number" -> fields.set(3, "1.2.3");
            case "i not a number" -> fields.set(5, "12a");
            case "f not a number" -> fields.set(6, "1.5e");
            case "ts no hour 25" -> fields.set(7, "2024-01-01 25:00:00");
            case "d not a day" -> fields.set(4, "2023-02-29");
            case "d no month 13" -> fields.set(4, "2023-13-01");
            default -> throw new IllegalArgumentException(fault);
          }
        }
        out.append(String.join(String.valueOf(delimiter), fields));
        if (r < rows.size() - 1 || random.nextInt(5) > 0) {
          out.append(end);
        }
      }
      return out.toString();
    }

    /** Rows that both Redshift (load errors 1202, 1203, 1205, 1206, 1207, 1208) and PostgreSQL refuse. */
    static final String[] FAULTS = {"extra field", "missing field", "id over INTEGER", "i over BIGINT",
        "n over DECIMAL(12,3)", "n not a number", "i not a number", "d not a day", "d no month 13", "f not a number",
        "ts no hour 25"};

    private String field(Random random, String value, boolean character) {
      if (value == null) {
        return nullAs;
      }
      if (csv) {
        boolean mustQuote = value.indexOf(delimiter) >= 0 || value.indexOf(quote) >= 0 || value.indexOf('\n') >= 0
            || value.indexOf('\r') >= 0 || value.equals(nullAs) || value.isEmpty() && nullAs.isEmpty();
        if (!mustQuote && random.nextInt(4) > 0) {
          return value;
        }
        String q = String.valueOf(quote);
        return q + value.replace(q, q + q) + q;
      }
      if (!escape || !character) {
        return value;
      }
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '\\' || c == delimiter || c == '\n' || c == '\r'
            || PLAIN_AFTER_BACKSLASH.indexOf(c) >= 0 && random.nextInt(8) == 0) {
          out.append('\\');
        }
        out.append(c);
      }
      return out.toString();
    }

    String copyOptions() {
      StringBuilder options = new StringBuilder();
      if (csv) {
        options.append("CSV QUOTE AS ").append(sqlChar(quote)).append(' ');
      }
      options.append("DELIMITER ").append(sqlChar(delimiter)).append(" NULL AS '").append(nullAs).append('\'');
      if (escape) {
        options.append(" ESCAPE");
      }
      if (header) {
        options.append(" IGNOREHEADER 1");
      }
      if (!encoding.equals("UTF8")) {
        options.append(" ENCODING ").append(encoding);
      }
      if (gzip) {
        options.append(" GZIP");
      }
      return options.toString();
    }

    String unloadOptions() {
      StringBuilder options = new StringBuilder(csv ? "CSV " : "");
      options.append("DELIMITER ").append(sqlChar(delimiter)).append(" NULL AS '").append(nullAs).append('\'');
      if (escape) {
        options.append(" ESCAPE");
      }
      if (header) {
        options.append(" HEADER");
      }
      return options.toString();
    }

    String postgresOptions() {
      StringBuilder options = new StringBuilder(csv ? "FORMAT csv, QUOTE " + pgLiteral(quote) + ", " : "FORMAT text, ");
      options.append("DELIMITER ").append(pgLiteral(delimiter)).append(", NULL '").append(nullAs).append('\'');
      if (header) {
        options.append(", HEADER true");
      }
      return options.toString();
    }

    private static String sqlChar(char c) {
      return c == '\t' ? "'\\t'" : c == '\u0001' ? "'\\001'" : c == '\'' ? "''''" : "'" + c + "'";
    }

    private static String pgLiteral(char c) {
      return c == '\'' ? "''''" : "'" + c + "'";
    }

    @Override
    public String toString() {
      return "COPY " + copyOptions() + (crlf ? ", CRLF" : "") + (byteOrderMark ? ", byte order mark" : "")
          + " | PostgreSQL " + postgresOptions();
    }
  }

  /** The text with its control characters made visible, for a failure message. */
  private static String visible(String text) {
    return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
  }
}
