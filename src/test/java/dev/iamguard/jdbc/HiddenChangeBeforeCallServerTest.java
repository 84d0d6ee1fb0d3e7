package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A CALL the guard sees after an identity change only the server's reading shows. PostgreSQL with
 * {@code standard_conforming_strings=on} runs the {@code set role r3} of
 * {@code select 'x\'; set role r3; -- ';} (a literal and a comment to Redshift), and a CALL of a
 * SECURITY INVOKER procedure after it, on the next line, runs its body as r3. The CALL's body is
 * judged from the server's catalog: it must be judged for an unknown user, as a statement after a
 * change every reading shows is. Logged in as user1 (whom the role trusts), a member of r3 (whom it
 * does not); each change (SET ROLE, set_config, and a ROLLBACK once the identity has changed on the
 * connection), two hiding forms, five ways of sending. The control: a harmless statement where the
 * change stood, and the body runs as user1.
 */
class HiddenChangeBeforeCallServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /** Hiding forms: the change, then the CALL, both shown to the server, the CALL alone to Redshift. */
  private static final List<String> FORMS = List.of("select 'x\\'; %s; -- ';\n%s", "select 'x\\'; %s; /* ' */; %s");
  /** A change and the steps before it; the last undoes a reset in a transaction, bringing r3 back. */
  private record Change(List<String> before, String change) {}

  private static final List<Change> CHANGES = List.of(new Change(List.of(), "set role r3"),
      new Change(List.of(), "select set_config('role', 'r3', false)"),
      new Change(List.of("set role r3", "begin", "reset role"), "rollback"));
  private static final List<String> FACES = List.of("statement", "prepared", "batch", "two batch entries",
      "two statements");
  private static final List<String> BODIES = AuthCommands.invokerBodies();

  @BeforeAll
  static void createObjects() throws SQLException {
    PreparedTransactionEndServerTest.createObjects(POSTGRES);
  }

  @Test
  void aCallAfterAChangeOnlyTheServerReadsIsJudgedForAnUnknownUser() throws SQLException {
    List<String> failures = new ArrayList<>();
    List<String> controlsNotRun = new ArrayList<>();
    int cases = 0;
    for (Change change : CHANGES) {
      for (String form : FORMS) {
        for (String face : FACES) {
          for (boolean changes : new boolean[] {true, false}) {
            String call = "call " + BODIES.get(cases / 2 % BODIES.size()) + "()";
            cases++;
            String label = change.before() + " | " + face + ": " + form.formatted(change.change(), call)
                + (changes ? "" : " (control)");
            int logFrom = POSTGRES.serverLog().length();
            int pid;
            try (Connection connection = user1()) {
              pid = JdbcAuthCommandsServerTest.backendPid(connection);
              try (Statement statement = connection.createStatement()) {
                for (String step : change.before()) {
                  statement.execute(step);
                }
                send(connection, statement, face, form, changes ? change.change() : "select 2", call);
              } catch (SQLException e) {
                // refused by the guard, or the server's syntax error at the body's Redshift statement
              }
            }
            List<Received> received = AuthCommands.received(POSTGRES.serverLog().substring(logFrom), Set.of(pid));
            for (Received r : received) {
              if (!JdbcSequencesServerTest.TRUSTED.contains(r.ranAs())) {
                failures.add(label + ": " + r.word() + " in " + r.body() + " ran as " + r.ranAs());
              }
            }
            if (!changes && change.before().isEmpty() && received.stream().noneMatch(r -> "user1".equals(r.ranAs()))) {
              controlsNotRun.add(label);
            }
          }
        }
      }
    }
    assertThat(failures).as(failures.size() + " failures in " + cases + " cases").isEmpty();
    assertThat(controlsNotRun).as("controls whose body did not run as user1").isEmpty();
  }

  /** user1 through the guard ({@link AuthCommands#standardStrings}). */
  private static Connection user1() throws SQLException {
    return AuthCommands.standardStrings(PreparedTransactionEndServerTest.user1(POSTGRES, "hidden-change-call"));
  }

  private static void send(Connection connection, Statement statement, String face, String form, String change,
      String call) throws SQLException {
    String text = form.formatted(change, call);
    String hidingOnly = form.formatted(change, "select 3");
    switch (face) {
      case "statement" -> statement.execute(text);
      case "prepared" -> connection.prepareStatement(text).execute();
      case "batch" -> {
        statement.addBatch(text);
        statement.executeBatch();
      }
      case "two batch entries" -> {
        statement.addBatch(hidingOnly);
        statement.addBatch(call);
        statement.executeBatch();
      }
      default -> {
        statement.execute(hidingOnly);
        statement.execute(call);
      }
    }
  }
}
