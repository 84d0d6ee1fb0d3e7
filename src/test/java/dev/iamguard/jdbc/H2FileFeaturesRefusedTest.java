package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the local database, H2's own file functions and statements (CSVREAD, FILE_READ, CSVWRITE,
 * FILE_WRITE, LINK_SCHEMA, RUNSCRIPT, SCRIPT, BACKUP) and what CREATE makes of Java code or another
 * database (ALIAS, LINKED TABLE, AGGREGATE, TRIGGER) are refused: Redshift has none of them, and
 * they read and wrote the folder standing in for S3 around the emulated COPY and UNLOAD whose keys
 * the guard checks (red-team review: CSVREAD read a bucket the role may not read after the COPY
 * from it was denied; FILE_WRITE in the query of an allowed UNLOAD wrote outside its prefix). Each
 * in every spelling H2 calls it by, alone and inside an UNLOAD's query: refused, and no file read
 * or written. The control: the same words as names of columns and tables still run.
 */
class H2FileFeaturesRefusedTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";

  @TempDir
  Path dir;

  @Test
  void h2sFileFunctionsAreRefusedInEverySpellingAndPlace() throws Exception {
    Path secret = secretObject();
    Path written = dir.resolve("s3/companyb/redshift/written.txt");
    List<String> calls = new ArrayList<>();
    for (String name : List.of("csvread", "CSVREAD", "CsvRead", "\"CSVREAD\"")) {
      calls.add("select * from " + name + "('" + secret + "')");
    }
    for (String name : List.of("file_read", "FILE_READ", "\"FILE_READ\"")) {
      calls.add("select " + name + "('" + secret + "')");
    }
    for (String name : List.of("file_write", "FILE_WRITE", "\"FILE_WRITE\"")) {
      calls.add("select " + name + "('x', '" + written + "')");
    }
    for (String name : List.of("csvwrite", "CSVWRITE")) {
      calls.add("call " + name + "('" + written + "', 'select 1')");
    }
    calls.add("select link_schema('X', '', 'jdbc:h2:mem:other', '', '', 'PUBLIC')");
    calls.add("select (select count(*) from csvread('" + secret + "')) as n");
    calls.add("select 1; select file_write('x', '" + written + "')");
    List<String> statements = List.of("runscript from '" + secret + "'", "script to '" + written + "'",
        "SCRIPT", "backup to '" + written + "'", "create alias w for 'java.lang.System.getProperty'",
        "create force alias w as 'String w(String s) { return s; }'", "CREATE OR REPLACE ALIAS w FOR 'java.lang.Math.abs'",
        "create linked table lt('org.h2.Driver', 'jdbc:h2:mem:other', '', '', 'T')",
        "create global temporary linked table lt('org.h2.Driver', 'jdbc:h2:mem:other', '', '', 'T')",
        "create aggregate a for 'java.lang.Object'",
        "create trigger tr before insert on t for each row call 'java.lang.Object'");
    List<String> accepted = new ArrayList<>();
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      statement.execute("create table t (x int)");
      for (String call : calls) {
        String unload = "unload ('" + call.replace("'", "''") + "') to 's3://acmedata/redshift/unload/u"
            + accepted.size() + "_' iam_role '" + ROLE + "'";
        for (String sql : call.contains(";") ? List.of(call) : List.of(call, unload)) {
          SQLException refused = refusal(statement, sql, accepted);
          if (refused != null && !"42883".equals(refused.getSQLState())) {
            accepted.add(sql + " (refused as " + refused.getSQLState() + ": " + refused.getMessage() + ")");
          }
        }
      }
      for (String sql : statements) {
        SQLException refused = refusal(statement, sql, accepted);
        if (refused != null && !"42601".equals(refused.getSQLState())) {
          accepted.add(sql + " (refused as " + refused.getSQLState() + ")");
        }
      }
      // the control: the words as names
      statement.execute("create table alias (csvread int, file_write int, script int)");
      statement.execute("insert into alias values (1, 2, 3)");
      try (ResultSet rows = statement.executeQuery("select csvread + file_write + script from alias")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(6);
      }
      statement.execute("create table backup_log (linked int) backup no");
    }
    assertThat(accepted).isEmpty();
    assertThat(written).doesNotExist();
    try (Stream<Path> unloaded = Files.walk(dir.resolve("s3"))) {
      assertThat(unloaded.filter(Files::isRegularFile)).containsExactly(secret);
    }
  }

  /**
   * The names H2 reads where Redshift reads something else (red-team review: {@code
   * U&"CSVRE\0041D"(...)} read a bucket the role may not and {@code U&"FILE_WRIT\0045"} wrote outside
   * the folder standing in for S3): each file function's name in backticks (any case), in Unicode
   * escapes ({@code \XXXX}, {@code \+XXXXXX}, {@code UESCAPE}, every letter or one), in brackets under
   * H2's MSSQLServer mode (set in the URL); alone and inside an UNLOAD's query. Refused, nothing read
   * or written; {@code SET MODE} refused. The control: backticks and {@code U&"} inside literals and
   * comments still run.
   */
  @Test
  void namesOnlyH2ReadsAreRefused() throws Exception {
    Path secret = secretObject();
    Path written = dir.resolve("outside/written.txt");
    Files.createDirectories(written.getParent());
    List<String> accepted = new ArrayList<>();
    for (String mode : List.of("", ";MODE=MSSQLServer", ";MODE=MySQL", ";MODE=PostgreSQL")) {
      try (Connection connection = open(mode); Statement statement = connection.createStatement()) {
        for (String function : List.of("CSVREAD", "FILE_READ", "FILE_WRITE", "CSVWRITE", "LINK_SCHEMA")) {
          List<String> names = new ArrayList<>(List.of("`" + function + "`", "`" + function.toLowerCase(Locale.ROOT) + "`",
              "U&\"" + unicodeEscaped(function, "\\", false) + "\"", "u&\"" + unicodeEscaped(function, "\\", true) + "\"",
              "U&\"" + unicodeEscaped(function, "!", false) + "\" UESCAPE '!'",
              "U&\"" + function.substring(0, function.length() - 1) + "\\" + hex4(function.charAt(function.length() - 1)) + "\""));
          if (mode.contains("MSSQL")) {
            names.add("[" + function + "]");
            names.add("[" + function.toLowerCase(Locale.ROOT) + "]");
          }
          for (String name : names) {
            String call = switch (function) {
              case "CSVREAD" -> "select * from " + name + "('" + secret + "')";
              case "FILE_READ" -> "select " + name + "('" + secret + "')";
              case "FILE_WRITE" -> "select " + name + "('x', '" + written + "')";
              case "CSVWRITE" -> "call " + name + "('" + written + "', 'select 1')";
              default -> "select " + name + "('X', '', 'jdbc:h2:mem:other', '', '', 'PUBLIC')";
            };
            String unload = "unload ('" + call.replace("'", "''") + "') to 's3://acmedata/redshift/unload/n"
                + accepted.size() + "_' iam_role '" + ROLE + "'";
            for (String sql : List.of(call, unload)) {
              SQLException refused = refusal(statement, sql, accepted);
              if (refused != null && !List.of("42601", "0AI01", "42883").contains(refused.getSQLState())) {
                accepted.add(sql + mode + " (refused as " + refused.getSQLState() + ": " + refused.getMessage() + ")");
              }
            }
          }
        }
        SQLException setMode = refusal(statement, "set mode MSSQLServer", accepted);
        assertThat((Throwable) setMode).isNotNull();
        assertThat(setMode.getSQLState()).isEqualTo("42601");
        // the control: the same characters inside literals and comments
        try (ResultSet rows = statement.executeQuery("select 'U&\"CSVREAD\"(`x`)' /* `CSVREAD` U&\"x\" */ -- `\n")) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getString(1)).isEqualTo("U&\"CSVREAD\"(`x`)");
        }
      }
    }
    assertThat(accepted).isEmpty();
    assertThat(written).doesNotExist();
    try (Stream<Path> unloaded = Files.walk(dir.resolve("s3"))) {
      assertThat(unloaded.filter(Files::isRegularFile)).containsExactly(secret);
    }
  }

  /**
   * H2's data change delta tables ({@code OLD TABLE (DELETE ...)}, {@code NEW TABLE (UPDATE ...)},
   * {@code FINAL TABLE (INSERT ...)}, {@code MERGE}) change rows inside a query (red-team review: an
   * UNLOAD's query deleted a row while explain listed no table it touches); Redshift has no such
   * construct. Refused in any case, alone and in an UNLOAD's query, and no row changes; the control:
   * tables and columns named old, new and final still work.
   */
  @Test
  void dataChangeDeltaTablesAreRefused() throws Exception {
    List<String> accepted = new ArrayList<>();
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      statement.execute("create table t (id int, v int)");
      statement.execute("insert into t values (1, 1), (2, 2), (3, 3), (4, 4)");
      for (String delta : List.of("old", "NEW", "Final")) {
        for (String change : List.of("delete from t where id = 4", "update t set v = 9 where id = 1",
            "insert into t values (5, 5)", "merge into t using (select 6 as id) s on t.id = s.id when not matched then"
                + " insert values (6, 6)")) {
          String query = "select * from " + delta + " table /* gap */ (" + change + ")";
          String unload = "unload ('" + query.replace("'", "''") + "') to 's3://acmedata/redshift/unload/d"
              + accepted.size() + "_' iam_role '" + ROLE + "'";
          for (String sql : List.of(query, unload)) {
            SQLException refused = refusal(statement, sql, accepted);
            if (refused != null && !"42601".equals(refused.getSQLState())) {
              accepted.add(sql + " (refused as " + refused.getSQLState() + ": " + refused.getMessage() + ")");
            }
          }
        }
      }
      try (ResultSet rows = statement.executeQuery("select count(*), sum(v) from t")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).as("rows").isEqualTo(4);
        assertThat(rows.getInt(2)).as("sum of v").isEqualTo(10);
      }
      // the control: the words as names
      statement.execute("create table old (new int, final int)");
      statement.execute("insert into old values (1, 2)");
      try (ResultSet rows = statement.executeQuery("select new + final from old")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(3);
      }
    }
    assertThat(accepted).isEmpty();
  }

  /** {@code name} in Unicode escapes with {@code escape}: every char, or ({@code long6}) in the six-digit form. */
  private static String unicodeEscaped(String name, String escape, boolean long6) {
    StringBuilder escaped = new StringBuilder();
    for (char c : name.toCharArray()) {
      escaped.append(escape).append(long6 ? "+00" + hex4(c) : hex4(c));
    }
    return escaped.toString();
  }

  private static String hex4(char c) {
    return String.format("%04X", (int) c);
  }

  /** An object of the local S3 a role may read only through the guard's checks. */
  private Path secretObject() throws java.io.IOException {
    Path secret = dir.resolve("s3/companyb/redshift/sales/part.csv");
    Files.createDirectories(secret.getParent());
    Files.writeString(secret, "a\n42\n");
    return secret;
  }

  /** The refusal of {@code sql}, or null (recorded in {@code accepted}) when it ran. */
  private static SQLException refusal(Statement statement, String sql, List<String> accepted) {
    try {
      statement.execute(sql);
      accepted.add(sql);
      return null;
    } catch (SQLException e) {
      assertThat(e.getMessage()).as(sql).contains("nothing was run");
      return e;
    }
  }

  private Connection open() throws SQLException {
    return open("");
  }

  /** A connection to a new local database, {@code settings} appended to its URL. */
  private Connection open(String settings) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", "samples/registry.yaml");
    properties.setProperty("iamguard.user", "user1");
    properties.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    return DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID() + settings, properties);
  }
}
