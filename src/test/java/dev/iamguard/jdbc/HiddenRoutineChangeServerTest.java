package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DDL that only the server's reading shows, before a CALL every reading shows. A CALL's bodies are
 * looked up in the server's catalog before the text runs; PostgreSQL with
 * {@code standard_conforming_strings=on} runs the {@code create or replace procedure} (or the
 * renames) of {@code select 'x\'; <ddl>; -- '} first, and the CALL on the next line then runs a body
 * the guard never judged; so does the Redshift driver, which splits {@code select 1 /}{@code *}{@code /
 * ' *}{@code / -- ' ; <ddl>} at the {@code ;} the guard and the server read in a line comment. Shown on the raw driver with a body that marks a table (the premise), then
 * refused through the guard in each form and way of sending, nothing of it reaching the server.
 * user1 owns the schema {@code hd}, whose {@code q} is harmless and whose {@code q2} marks.
 */
class HiddenRoutineChangeServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String MARKING = "language plpgsql as $q$ begin insert into hd.marks values (1); end $q$";
  private static final List<String> CHANGES = List.of("create or replace procedure hd.q() " + MARKING,
      "alter procedure hd.q() rename to q_old; alter procedure hd.q2() rename to q",
      "drop procedure hd.q(); alter procedure hd.q2() rename to q");
  private static final List<String> FORMS = List.of("select 'x\\'; %s; -- ';\ncall hd.q()",
      "select 'x\\'; %s; /* ' */; call hd.q()", "select 1 /*/ ' */ -- ' ; %s\n; call hd.q()");

  @BeforeAll
  static void createObjects() throws SQLException {
    AuthCommands.createObjects(POSTGRES);
    try (Connection admin = DriverManager.getConnection(POSTGRES.redshiftUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("create schema hd authorization user1; create table hd.marks (id int);"
          + " grant insert, delete, select on hd.marks to user1");
    }
  }

  /** q harmless, q2 marking, both owned by user1; no mark. */
  @BeforeEach
  void resetRoutines() throws SQLException {
    try (Connection admin = DriverManager.getConnection(POSTGRES.redshiftUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("drop procedure if exists hd.q(); drop procedure if exists hd.q_old();"
          + " drop procedure if exists hd.q2(); delete from hd.marks;"
          + " create procedure hd.q() language plpgsql as $q$ begin perform 1; end $q$;"
          + " create procedure hd.q2() " + MARKING + "; alter procedure hd.q() owner to user1;"
          + " alter procedure hd.q2() owner to user1");
    }
  }

  @Test
  void theServerRunsTheChangedBodyOfTheCall() throws SQLException {
    List<String> notMarked = new ArrayList<>();
    for (String change : CHANGES) {
      for (String form : FORMS) {
        resetRoutines();
        String text = form.formatted(change);
        try (Connection raw = POSTGRES.redshiftConnection(false, null); Statement statement = raw.createStatement()) {
          login(statement);
          statement.execute(text);
        }
        if (marks() == 0) {
          notMarked.add(text);
        }
      }
    }
    assertThat(notMarked).as("texts whose CALL did not run the changed body").isEmpty();
  }

  @Test
  void theChangeIsRefusedAndNothingOfTheTextIsSent() throws SQLException {
    List<String> failures = new ArrayList<>();
    int cases = 0;
    for (String change : CHANGES) {
      for (String form : FORMS) {
        for (String face : List.of("statement", "prepared", "batch")) {
          cases++;
          String text = form.formatted(change);
          int logFrom = POSTGRES.serverLog().length();
          boolean refused = false;
          try (Connection connection = user1(); Statement statement = connection.createStatement()) {
            switch (face) {
              case "statement" -> statement.execute(text);
              case "prepared" -> connection.prepareStatement(text).execute();
              default -> {
                statement.addBatch(text);
                statement.executeBatch();
              }
            }
          } catch (SQLException e) {
            refused = e.getMessage().startsWith("iamguard:");
          }
          if (!refused || marks() > 0 || POSTGRES.serverLog().substring(logFrom).contains("hd.q2")) {
            failures.add(face + ": " + text + (refused ? "" : " (not refused)"));
            resetRoutines();
          }
        }
      }
    }
    assertThat(failures).as(failures.size() + " failures in " + cases + " cases").isEmpty();
  }

  private static Connection user1() throws SQLException {
    return AuthCommands.standardStrings(PreparedTransactionEndServerTest.user1(POSTGRES, "hidden-routine-change"));
  }

  /** Acts as user1 on a raw connection, reading literals as PostgreSQL does by default. */
  private static void login(Statement statement) throws SQLException {
    statement.execute("set session authorization user1");
    statement.execute("set standard_conforming_strings = on");
  }

  private static int marks() throws SQLException {
    try (Connection admin = DriverManager.getConnection(POSTGRES.redshiftUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement(); ResultSet rows = statement.executeQuery("select count(*) from hd.marks")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
