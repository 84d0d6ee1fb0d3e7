package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.AuthCommands.Received;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ways a procedure may change who runs its COPY, on PostgreSQL as the oracle: user1 (whom the
 * registry's role trusts) CALLs a procedure that makes r3 (whom it does not) the current role
 * before an EXECUTEd COPY. Two classes the guard missed before 2026-12-07, each run as r3 unjudged:
 * <ul>
 *   <li>the change spelt with a comment between its words ({@code SET /* c *}{@code / ROLE r3}, a
 *       line comment, a nested comment), which the server lexes as a blank, or inside an
 *       {@code EXECUTE}d literal, also one joined from pieces;</li>
 *   <li>the procedure's own {@code SET role = r3} clause, written in its {@code CREATE PROCEDURE}
 *       or added by {@code ALTER PROCEDURE}: the server sets it when the procedure is entered.</li>
 * </ul>
 * The premise first, on the raw driver: each COPY is received as r3. Through the guard, in both
 * query modes and sent as a statement or a prepared statement, each CALL is refused and nothing of
 * it is received. A control: a procedure that resets and sets settings other than the identity
 * ({@code RESET search_path}, {@code SET application_name}, and {@code RESET query_group}, which
 * Redshift's WLM documentation pairs with {@code SET query_group}) runs its COPY as user1.
 */
class IdentityChangeSpellingsServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String COPY = AuthCommands.command("copy-role").text("identity_spelling");
  private static final String SAYS = "raise warning $w$ran-as:%$w$, current_user; ";
  private static final String RUNS_COPY = SAYS + "execute $e$" + COPY + "$e$; ";

  /** Changes of the current role to r3 inside a body, each a spelling the server reads as one. */
  private static final List<String> CHANGES = List.of(
      "set /* c */ role r3;",
      "SET/**/ROLE r3;",
      "set -- c\n role r3;",
      "set /* a /* nested */ b */ role r3;",
      "set local /* c */ role r3;",
      "set session/**/role r3;",
      "set \"ROLE\" to r3;",
      "set/**/\"role\"/**/= r3;",
      "execute $x$set /**/ role r3$x$;",
      "execute 'set ' || 'role r3';",
      "execute 'set -- c' || chr(10) || 'role r3';");

  /** Definitions that set the role for the whole body: {@code NAME} is the procedure's name. */
  private static final List<String> SETTINGS = List.of(
      "create procedure NAME() language plpgsql set role = r3 as $$ begin " + RUNS_COPY + "end $$",
      "create procedure NAME() language plpgsql set \"ROLE\" to 'r3' as $$ begin " + RUNS_COPY + "end $$",
      "create procedure NAME() language plpgsql as $$ begin " + RUNS_COPY + "end $$ set role to r3",
      "create procedure NAME() language plpgsql as $$ begin " + RUNS_COPY + "end $$ ;;"
          + " alter procedure NAME() set role = r3");

  private static final String HARMLESS = "ics_harmless";

  @BeforeAll
  static void createObjects() throws SQLException {
    PreparedTransactionEndServerTest.createObjects(POSTGRES);
    try (Connection admin = DriverManager.getConnection(POSTGRES.redshiftUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("set check_function_bodies = off");
      for (int i = 0; i < CHANGES.size(); i++) {
        statement.execute("create procedure ics_change_" + i + "() language plpgsql as $$ begin " + CHANGES.get(i)
            + " " + RUNS_COPY + "end $$");
      }
      for (int i = 0; i < SETTINGS.size(); i++) {
        for (String part : SETTINGS.get(i).replace("NAME", "ics_setting_" + i).split(" ;; ")) {
          statement.execute(part);
        }
      }
      statement.execute("create procedure " + HARMLESS + "() language plpgsql as $$ begin reset search_path;"
          + " set application_name to $a$etl$a$; reset application_name; if false then reset query_group; end if; "
          + RUNS_COPY + "end $$");
    }
  }

  private static List<String> procedures() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < CHANGES.size(); i++) {
      names.add("ics_change_" + i);
    }
    for (int i = 0; i < SETTINGS.size(); i++) {
      names.add("ics_setting_" + i);
    }
    return names;
  }

  @Test
  void theServerRunsEveryProceduresCopyAsR3() throws SQLException {
    List<String> notAsR3 = new ArrayList<>();
    for (String procedure : procedures()) {
      List<Received> received = receivedRaw("call " + procedure + "()");
      if (received.isEmpty() || !"r3".equals(received.get(0).ranAs())) {
        notAsR3.add(procedure + " " + received);
      }
    }
    assertThat(notAsR3).isEmpty();
  }

  @Test
  void aCallOfAProcedureThatChangesTheRoleIsRefusedAndNothingOfItRuns() throws SQLException {
    List<String> failures = new ArrayList<>();
    int cases = 0;
    for (String mode : List.of("extended", "simple")) {
      for (boolean prepared : List.of(false, true)) {
        for (String procedure : procedures()) {
          cases++;
          int logFrom = POSTGRES.serverLog().length();
          int pid;
          boolean refused = false;
          try (Connection connection = guarded(mode); Statement statement = connection.createStatement()) {
            pid = JdbcAuthCommandsServerTest.backendPid(connection);
            try {
              if (prepared) {
                connection.prepareStatement("call " + procedure + "()").execute();
              } else {
                statement.execute("call " + procedure + "()");
              }
            } catch (SQLException e) {
              refused = e.getMessage() != null && e.getMessage().startsWith("iamguard:");
            }
          }
          List<Received> received = AuthCommands.received(POSTGRES.serverLog().substring(logFrom), Set.of(pid));
          if (!refused || !received.isEmpty()) {
            failures.add(mode + (prepared ? ", prepared: " : ", statement: ") + procedure + (refused ? "" : " (not refused)")
                + received.stream().map(r -> "; " + r.word() + " ran as " + r.ranAs()).toList());
          }
        }
      }
    }
    assertThat(failures).as(failures.size() + " failures in " + cases + " cases").isEmpty();
  }

  @Test
  void aProcedureThatResetsOtherSettingsRunsItsCopyAsTheCaller() throws SQLException {
    for (String mode : List.of("extended", "simple")) {
      int logFrom = POSTGRES.serverLog().length();
      int pid;
      try (Connection connection = guarded(mode); Statement statement = connection.createStatement()) {
        pid = JdbcAuthCommandsServerTest.backendPid(connection);
        try {
          statement.execute("call " + HARMLESS + "()");
        } catch (SQLException e) {
          assertThat(e.getMessage()).as(mode).doesNotStartWith("iamguard:"); // the COPY is a syntax error to PostgreSQL
        }
      }
      List<Received> received = AuthCommands.received(POSTGRES.serverLog().substring(logFrom), Set.of(pid));
      assertThat(received).as(mode).hasSize(1);
      assertThat(received.get(0).ranAs()).as(mode).isEqualTo("user1");
    }
  }

  /** What the server received of {@code sql} sent by user1 on the raw driver. */
  private static List<Received> receivedRaw(String sql) throws SQLException {
    return AuthCommands.receivedFromUser1(POSTGRES, sql, false);
  }

  /** user1 through the guard, the server reading literals as PostgreSQL does by default. */
  private static Connection guarded(String mode) throws SQLException {
    return AuthCommands.guardedUser1(POSTGRES, "identity-spelling", mode);
  }
}
