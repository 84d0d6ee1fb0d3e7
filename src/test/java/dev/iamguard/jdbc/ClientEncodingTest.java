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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After the session's client encoding changes to SJIS, the Redshift driver sends {@code ¥} as the
 * byte of a backslash, so {@code select 'a¥', ' ; copy ... -- '} is two literals to the guard and,
 * where backslashes escape in literals, a SELECT and a COPY to the server (probe sq F6; the server
 * needs {@code backslash_quote = on} to take {@code \'} in SJIS). Against the throwaway PostgreSQL,
 * for every way of changing the encoding (SET, SET NAMES, set_config, a procedure, a DO block) and
 * every way of sending (plain, prepared, batch, a value the driver writes into the text), in both
 * query modes: the raw driver runs the COPY in some (the premise), the guard in none; ASCII texts
 * still run, and after RESET client_encoding every text does.
 */
class ClientEncodingTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final List<String> CHANGES = List.of("set client_encoding to 'SJIS'", "set names 'SJIS'",
      "SET SESSION client_encoding = sjis", "select set_config('client_encoding', 'SJIS', false)", "call to_sjis()",
      "do $$ begin perform set_config('client_encoding', 'SJIS', false); end $$");

  interface Send {
    void send(Connection connection, String marker) throws SQLException;
  }

  /** What the server reads after the literal the yen sign no longer ends: a COPY, or a function reading a file. */
  private static final List<String> HIDDEN = List.of(" ; copy t from $q$/nonexistent/%s$q$ -- ",
      " , pg_read_file($q$/nonexistent/%s$q$) -- ");

  private static String hiding(String marker) {
    String hidden = HIDDEN.get(marker.contains("copy") ? 0 : 1).formatted(marker);
    return "select 'a\u00a5', '" + hidden + "'";
  }

  /** As {@link #hiding}, for a value the driver writes into the text as {@code ('...')}. */
  private static String hidingPrepared(String marker) {
    return "select ?, ' )" + HIDDEN.get(marker.contains("copy") ? 0 : 1).formatted(marker) + "'";
  }

  private static final List<Send> SENDS = List.of(
      (c, marker) -> {
        try (Statement s = c.createStatement()) {
          s.execute(hiding(marker));
        }
      },
      (c, marker) -> {
        try (PreparedStatement s = c.prepareStatement(hiding(marker))) {
          s.execute();
        }
      },
      (c, marker) -> {
        try (Statement s = c.createStatement()) {
          s.addBatch(hiding(marker));
          s.executeBatch();
        }
      },
      (c, marker) -> {
        // the entry beyond ASCII between plain ones: the driver is asked once a batch, every entry searched
        try (Statement s = c.createStatement()) {
          s.addBatch("select 1");
          s.addBatch(hiding(marker));
          s.addBatch("select 2");
          s.executeBatch();
        }
      },
      (c, marker) -> {
        try (PreparedStatement s = c.prepareStatement(hidingPrepared(marker))) {
          s.setString(1, "a\u00a5");
          s.execute();
        }
      },
      (c, marker) -> {
        try (PreparedStatement s = c.prepareStatement(hidingPrepared(marker))) {
          s.setObject(1, "a\u00a5");
          s.addBatch();
          s.executeBatch();
        }
      });

  private static boolean copyRan(String marker) {
    return POSTGRES.serverLog().contains("could not open file \"/nonexistent/" + marker);
  }

  private static void changeEncoding(Connection connection, String change) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("set backslash_quote = on");
      statement.execute(change);
    }
  }

  @Test
  void aTextBeyondAsciiIsNotSentInAnotherEncoding() throws SQLException {
    try (Connection setup = POSTGRES.redshiftConnection(false, null); Statement statement = setup.createStatement()) {
      statement.execute("create table if not exists t (a text)");
      statement.execute("create or replace procedure to_sjis() language plpgsql as"
          + " $$ begin perform set_config('client_encoding', 'SJIS', false); end $$");
    }
    List<String> ran = new ArrayList<>();
    int rawRan = 0;
    int n = 0;
    for (String mode : new String[] {null, "simple"}) {
      for (String change : CHANGES) {
        try (Connection guarded = POSTGRES.redshiftConnection(true, mode);
            Connection raw = POSTGRES.redshiftConnection(false, mode)) {
          changeEncoding(guarded, change);
          changeEncoding(raw, change);
          for (int way = 0; way < SENDS.size(); way++) {
            for (String form : new String[] {"copy", "file"}) {
              String marker = form + (++n);
              try {
                SENDS.get(way).send(guarded, marker);
              } catch (SQLException refused) {
                // refused, or failed on the server: the log tells
              }
              if (copyRan(marker)) {
                ran.add(mode + " mode, " + change + ", way " + way + ", " + form);
              }
              try {
                SENDS.get(way).send(raw, "raw" + marker);
              } catch (SQLException failed) {
                // the log tells
              }
              rawRan += copyRan("raw" + marker) ? 1 : 0;
            }
          }
        }
      }
    }
    assertThat(ran).as("hidden statements that ran through the guard").isEmpty();
    assertThat(rawRan).as("the premise: the raw driver runs the hidden statement after the encoding changed").isGreaterThanOrEqualTo(CHANGES.size());
  }

  @Test
  void asciiTextsRunAndAResetEncodingLetsEveryTextRun() throws SQLException {
    for (String mode : new String[] {null, "simple"}) {
      try (Connection guarded = POSTGRES.redshiftConnection(true, mode); Statement statement = guarded.createStatement()) {
        changeEncoding(guarded, "set client_encoding to 'SJIS'");
        try (ResultSet rs = statement.executeQuery("select 'plain ascii'")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("plain ascii");
        }
        assertThatThrownBy(() -> statement.execute("select 'caf\u00e9'")).isInstanceOf(SQLException.class)
            .hasMessageContaining("client_encoding is SJIS").hasMessageContaining("nothing was sent")
            .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(GuardSqlStates.NOT_SUPPORTED);
        assertThatThrownBy(() -> guarded.getMetaData().getPrimaryKeys(LocalPostgres.DATABASE, "public", "%"))
            .hasMessageContaining("client_encoding is SJIS");
        statement.execute("reset client_encoding");
        try (ResultSet rs = statement.executeQuery("select 'caf\u00e9'")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("caf\u00e9");
        }
        try (PreparedStatement prepared = guarded.prepareStatement("select ?")) {
          prepared.setString(1, "\u00a5100");
          try (ResultSet rs = prepared.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("\u00a5100");
          }
        }
        try (ResultSet keys = guarded.getMetaData().getPrimaryKeys(LocalPostgres.DATABASE, "public", "%")) {
          assertThat(keys.getMetaData().getColumnCount()).isPositive();
        }
      }
    }
  }
}
