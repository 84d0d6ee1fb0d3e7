package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The guard asks the driver for the client encoding once before an execution; the server decodes
 * each message in the encoding in force when it reads it. Within one execution that sends several
 * messages (a batch, or a text the driver splits into statements), an earlier statement may switch
 * to an encoding of two-byte chars (SJIS, GBK, BIG5, GB18030), after which the UTF-8 bytes of
 * {@code ā\} are read as one char and the backslash is gone: {@code 'aā\\'} no longer ends where
 * the guard read its end (probe 39 F1). And the driver writes {@code setSchema} and
 * {@code setClientInfo} values into statements of its own, which the guard did not check at all
 * (probe 39 F2, F3). Against the throwaway PostgreSQL, with {@code backslash_quote = on}: the raw
 * driver runs the hidden statement (the premise), the guard never does, and texts beyond ASCII
 * that cannot be read otherwise still run.
 */
class EncodingInsideOneExecutionTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /** An encoding of two-byte chars and a char whose UTF-8 form ends with a byte that takes a backslash as its second one there. */
  private static final Map<String, String> ENCODINGS = Map.of("SJIS", "\u0101", "GBK", "\u4e01", "BIG5", "\u4e21",
      "GB18030", "\u4e01");

  /** Ways a statement switches the encoding, %s the encoding. */
  private static final List<String> CHANGES = List.of("set client_encoding to '%s'",
      "select set_config('client_encoding', '%s', false)", "call to_encoding('%s')");

  /** What the server reads after the literal that no longer ends: a COPY, or a function reading a file. */
  private static final List<String> HIDDEN = List.of(" ; copy t from $q$/nonexistent/%s$q$ ; -- ",
      " , pg_read_file($q$/nonexistent/%s$q$) -- ");

  interface Send {
    void send(Connection connection, String change, String exploit) throws SQLException;
  }

  private static final List<Send> SENDS = List.of(
      (c, change, exploit) -> {
        try (Statement s = c.createStatement()) {
          s.addBatch(change);
          s.addBatch(exploit);
          s.executeBatch();
        }
      },
      (c, change, exploit) -> {
        try (Statement s = c.createStatement()) {
          s.addBatch("select 1");
          s.addBatch(change);
          s.addBatch(exploit);
          s.executeLargeBatch();
        }
      },
      (c, change, exploit) -> {
        try (Statement s = c.createStatement()) {
          s.execute(change + "; " + exploit);
        }
      },
      (c, change, exploit) -> {
        try (PreparedStatement s = c.prepareStatement(change + "; " + exploit)) {
          s.execute();
        }
      });

  @BeforeAll
  static void createTableAndProcedure() throws SQLException {
    try (Connection setup = POSTGRES.redshiftConnection(false, null); Statement statement = setup.createStatement()) {
      statement.execute("create table if not exists t (a text)");
      statement.execute("create or replace procedure to_encoding(e text) language plpgsql as"
          + " $$ begin perform set_config('client_encoding', e, false); end $$");
      statement.execute("create schema if not exists \"caf\u00e9\"");
    }
  }

  private static boolean ran(String marker) {
    // the closing quote too: marker 1 is not marker 12
    return POSTGRES.serverLog().contains("could not open file \"/nonexistent/" + marker + "\"");
  }

  private static void backslashQuoteOn(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("set backslash_quote = on");
    }
  }

  @Test
  void anEncodingSwitchedEarlierInTheSameExecutionHidesNothing() throws SQLException {
    List<String> ran = new ArrayList<>();
    List<String> rawRan = new ArrayList<>();
    int n = 0;
    for (String mode : new String[] {null, "simple"}) {
      for (Map.Entry<String, String> encoding : ENCODINGS.entrySet()) {
        for (String changeForm : CHANGES) {
          String change = changeForm.formatted(encoding.getKey());
          for (int way = 0; way < SENDS.size(); way++) {
            for (int form = 0; form < HIDDEN.size(); form++) {
              String marker = "inside" + (++n);
              String exploit = "select 'a" + encoding.getValue() + "\\\\', '" + HIDDEN.get(form).formatted(marker) + "'";
              String what = mode + " mode, " + change + ", way " + way + ", form " + form;
              try (Connection guarded = POSTGRES.redshiftConnection(true, mode)) {
                backslashQuoteOn(guarded);
                SENDS.get(way).send(guarded, change, exploit);
              } catch (SQLException refusedOrFailed) {
                // the log tells
              }
              if (ran(marker)) {
                ran.add(what);
              }
              try (Connection raw = POSTGRES.redshiftConnection(false, mode)) {
                backslashQuoteOn(raw);
                SENDS.get(way).send(raw, change, exploit.replace(marker, "raw" + marker));
              } catch (SQLException failed) {
                // the log tells
              }
              if (ran("raw" + marker)) {
                rawRan.add(what);
              }
            }
          }
        }
      }
    }
    assertThat(ran).as("hidden statements that ran through the guard").isEmpty();
    // the premise: in every encoding the raw driver runs a hidden statement, in both query modes
    for (String encoding : ENCODINGS.keySet()) {
      assertThat(rawRan).as("the raw driver in " + encoding).anyMatch(w -> w.startsWith("simple") && w.contains(encoding));
      assertThat(rawRan).as("the raw driver in " + encoding).anyMatch(w -> w.startsWith("null") && w.contains(encoding));
    }
  }

  @Test
  void textsBeyondAsciiThatReadAlikeInEveryEncodingStillRun() throws SQLException {
    for (String mode : new String[] {null, "simple"}) {
      try (Connection guarded = POSTGRES.redshiftConnection(true, mode); Statement statement = guarded.createStatement()) {
        statement.execute("create temp table names (a text)");
        statement.addBatch("insert into names values ('caf\u00e9')");
        statement.addBatch("insert into names values ('a\\\\b \u4e01 \u00e9 \\\\')");
        statement.executeBatch();
        statement.execute("insert into names values ('\u0101'); insert into names values ('x\\\\y')");
        try (PreparedStatement insert = guarded.prepareStatement("insert into names values (?)")) {
          for (String value : new String[] {"Zo\u00eb", "\u4e01\u4e21", "\u00e9 \u00e9"}) {
            insert.setString(1, value);
            insert.addBatch();
          }
          insert.executeBatch();
        }
        assertThat(names(statement)).as(mode + " mode").containsExactlyInAnyOrder("caf\u00e9", "a\\b \u4e01 \u00e9 \\", "\u0101", "x\\y",
            "Zo\u00eb", "\u4e01\u4e21", "\u00e9 \u00e9");
      }
    }
  }

  @Test
  void aCharBeyondAsciiBeforeABackslashIsRefusedWhereAnEarlierStatementMaySwitchTheEncoding() throws SQLException {
    for (String mode : new String[] {null, "simple"}) {
      try (Connection guarded = POSTGRES.redshiftConnection(true, mode); Statement statement = guarded.createStatement()) {
        statement.execute("create temp table names (a text)");
        statement.addBatch("insert into names values ('plain')");
        statement.addBatch("insert into names values ('caf\u00e9\\\\')");
        assertThatThrownBy(statement::executeBatch).isInstanceOf(SQLException.class)
            .hasMessageContaining("directly before a backslash").hasMessageContaining("nothing was sent")
            .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(GuardSqlStates.NOT_SUPPORTED);
        assertThatThrownBy(() -> statement.execute("insert into names values ('x'); insert into names values ('\u00e9\\\\')"))
            .hasMessageContaining("directly before a backslash");
        // the same text on its own is asked about just before it is sent: it runs
        statement.execute("insert into names values ('caf\u00e9\\\\')");
        assertThat(names(statement)).as("nothing of a refused batch or text was sent").containsExactly("caf\u00e9\\");
      }
    }
  }

  @Test
  void valuesTheDriverWritesIntoItsOwnStatementsAreCheckedInAnotherEncoding() throws SQLException {
    List<String> ran = new ArrayList<>();
    List<String> rawRan = new ArrayList<>();
    int n = 0;
    for (String mode : new String[] {null, "simple"}) {
      for (int way = 0; way < 3; way++) {
        String marker = "own" + (++n);
        String value = "\u00a5'; copy public.t from $q$/nonexistent/" + marker + "$q$; --";
        try (Connection guarded = POSTGRES.redshiftConnection(true, mode)) {
          backslashQuoteOn(guarded);
          switchToSjis(guarded);
          int w = way;
          assertThatThrownBy(() -> own(guarded, w, value)).isInstanceOf(SQLException.class)
              .hasMessageContaining("client_encoding is SJIS").hasMessageContaining("nothing was sent");
        }
        if (ran(marker)) {
          ran.add(mode + " mode, way " + way);
        }
        try (Connection raw = POSTGRES.redshiftConnection(false, mode)) {
          backslashQuoteOn(raw);
          switchToSjis(raw);
          own(raw, way, value.replace(marker, "raw" + marker));
        } catch (SQLException failed) {
          // the log tells
        }
        if (ran("raw" + marker)) {
          rawRan.add(mode + " mode, way " + way);
        }
      }
    }
    assertThat(ran).as("hidden statements that ran through the guard").isEmpty();
    // (in the extended query mode the server refuses the two commands the driver's statement then holds)
    assertThat(rawRan).as("the premise: the raw driver runs the hidden COPY through setSchema and setClientInfo")
        .contains("simple mode, way 0", "simple mode, way 1", "simple mode, way 2");
    // in UTF8 the driver's own quoting holds: the same calls run
    try (Connection guarded = POSTGRES.redshiftConnection(true, null)) {
      guarded.setSchema("caf\u00e9");
      guarded.setClientInfo("ApplicationName", "caf\u00e9 \u00a5"); // the server keeps ASCII only: '?' for the others
      assertThat(guarded.getClientInfo("ApplicationName")).startsWith("caf");
      guarded.setClientInfo("ApplicationName", "nightly-load");
      assertThat(guarded.getClientInfo("ApplicationName")).isEqualTo("nightly-load");
      assertThat(guarded.getSchema()).isEqualTo("caf\u00e9");
    }
  }

  private static List<String> names(Statement statement) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery("select a from names")) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    return names;
  }

  private static void switchToSjis(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("set client_encoding to 'SJIS'");
    }
  }

  private static void own(Connection connection, int way, String value) throws SQLException {
    switch (way) {
      case 0 -> connection.setSchema(value);
      case 1 -> connection.setClientInfo("ApplicationName", value);
      default -> {
        Properties info = new Properties();
        info.setProperty("ApplicationName", value);
        connection.setClientInfo(info);
      }
    }
  }
}
