package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iamguard.jdbc.AuthCommands.Received;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A CALL that only the server's reading shows. PostgreSQL with {@code standard_conforming_strings=on}
 * (its default, or set by the session) reads a backslash in a literal as itself, so where Redshift's
 * reading has one literal ({@code select 'x\'; call p(); select '1'}) the server runs three
 * statements, the CALL among them, and the procedure's body runs its COPY or UNLOAD. A CALL's body is
 * judged from the server's catalog only where the guard's reading shows the CALL; one that another
 * reading shows must be refused, as an auth-carrying statement there is. Logged in as user1, whose
 * role the registry trusts, then {@code set role r3} (a role it does not trust), so that a body run
 * as the caller would be denied. Each hiding form, each spelling of the CALL (a JDBC escape too),
 * both query modes and three ways of sending. The premise is shown first on the raw driver: the
 * server does run the hidden CALL's body.
 */
class HiddenCallServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /** Redshift reads each as one statement (a literal, a comment); the server with standard strings sees the CALL. */
  private static final List<String> FORMS = List.of("select 'x\\'; %s; select '1'",
      "select 'x\\' as a; %s; select 1 as b -- '", "select 'a\\'' /* ' ; %s; -- */",
      "select 'a\\'' -- ' ; %s; select 1 as b\n");
  /** The bodies: a COPY written in a SECURITY INVOKER body, and an UNLOAD run by EXECUTE. */
  private static final List<String> BODIES = AuthCommands.invokerBodies();
  private static final List<String> SPELLINGS = List.of("call %s()", "CALL public.%s()", "call \"%s\" ()", "{call %s()}");

  /** Every text: each form with each spelling, the bodies taken in turn. */
  private static List<String> texts() {
    List<String> texts = new ArrayList<>();
    for (String form : FORMS) {
      for (String spelling : SPELLINGS) {
        String body = BODIES.get(texts.size() % BODIES.size());
        texts.add(String.format(form, String.format(spelling, body)));
      }
    }
    return texts;
  }

  @BeforeAll
  static void createObjects() throws SQLException {
    PreparedTransactionEndServerTest.createObjects(POSTGRES);
  }

  @Test
  void theServerRunsTheBodyOfACallHiddenInRedshiftsLiteral() throws SQLException {
    List<String> notRun = new ArrayList<>();
    int ran = 0;
    for (String text : texts()) {
      int logFrom = POSTGRES.serverLog().length();
      int pid;
      try (Connection raw = POSTGRES.redshiftConnection(false, null); Statement statement = raw.createStatement()) {
        pid = JdbcAuthCommandsServerTest.backendPid(raw);
        statement.execute("set standard_conforming_strings = on");
        try {
          statement.execute(text);
        } catch (SQLException e) {
          // the body's Redshift statement is a syntax error to PostgreSQL, once received
        }
      }
      if (AuthCommands.received(POSTGRES.serverLog().substring(logFrom), Set.of(pid)).isEmpty()) {
        notRun.add(text);
      } else {
        ran++;
      }
    }
    // the JDBC escape is the driver's to rewrite: where it does not, the server refuses the brace
    assertThat(notRun).as("hidden CALLs the server did not run (%d ran)", ran)
        .allSatisfy(text -> assertThat(text).contains("{call"));
    assertThat(ran).isGreaterThanOrEqualTo(FORMS.size() * (SPELLINGS.size() - 1));
  }

  @Test
  void aCallHiddenInRedshiftsLiteralIsRefusedAndNothingOfItRuns() throws SQLException {
    List<String> failures = new ArrayList<>();
    int cases = 0;
    for (String mode : List.of("extended", "simple")) {
      for (String text : texts()) {
        for (String face : List.of("statement", "prepared", "batch")) {
          cases++;
          int logFrom = POSTGRES.serverLog().length();
          int pid;
          boolean refused = false;
          try (Connection connection = asR3(mode); Statement statement = connection.createStatement()) {
            pid = JdbcAuthCommandsServerTest.backendPid(connection);
            try {
              send(connection, statement, face, text);
            } catch (SQLException e) {
              refused = e.getMessage().startsWith("iamguard:");
            }
          }
          List<Received> received = AuthCommands.received(POSTGRES.serverLog().substring(logFrom), Set.of(pid));
          if (!refused || !received.isEmpty()) {
            failures.add(mode + ", " + face + ": " + text + (refused ? "" : " (not refused)")
                + received.stream().map(r -> "; " + r.word() + " in " + r.body() + " ran as " + r.ranAs()).toList());
          }
        }
      }
    }
    assertThat(failures).as(failures.size() + " failures in " + cases + " cases").isEmpty();
  }

  @Test
  void theSameCallSeenByEveryReadingIsJudgedAsAnyCall() throws SQLException {
    for (String body : BODIES) {
      String text = "select 'x'; call " + body + "(); select '1'";
      try (Connection connection = asR3("extended"); Statement statement = connection.createStatement()) {
        SQLException refused = catchThrowableOfType(SQLException.class, () -> statement.execute(text));
        assertThat((Throwable) refused).as(text).hasMessageContaining("calls " + body).hasMessageContaining("r3");
      }
    }
  }

  /** user1 acting as r3 through the guard, the server reading literals as PostgreSQL does by default. */
  private static Connection asR3(String mode) throws SQLException {
    return AuthCommands.standardStrings(AuthCommands.guardedAsR3(POSTGRES, "hidden-call", mode));
  }

  private static void send(Connection connection, Statement statement, String face, String text) throws SQLException {
    switch (face) {
      case "statement" -> statement.execute(text);
      case "prepared" -> connection.prepareStatement(text).execute();
      default -> {
        statement.addBatch("select 1");
        statement.addBatch(text);
        statement.executeBatch();
      }
    }
  }
}
