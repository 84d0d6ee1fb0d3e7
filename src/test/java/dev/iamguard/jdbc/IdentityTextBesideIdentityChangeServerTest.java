package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.AuthCommands.Command;
import dev.iamguard.jdbc.AuthCommands.Dependence;
import dev.iamguard.jdbc.AuthCommands.Received;
import dev.iamguard.jdbc.CallBesideIdentityChangeServerTest.Hook;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A text holding an auth-carrying statement and a change of identity, on a connection shared by
 * threads, judged for user1 while another thread's identity change runs between that judgement and
 * the sending (suspected by the fyK red-team, JdbcThreadsServerTest): the statement must not run as
 * a user it was not judged for. A text that changes the identity was never decided again under the
 * connection's checked lock, as a text that does not is ({@link ConnectionPolicy#stillHolds}). The
 * other thread's change is made to run in that window for certain: the audit of the text's decision
 * (made before the text is sent) runs it on the same connection and waits for it. Every command
 * whose decision depends on who runs it, changes of several kinds after it in the text, and other
 * threads' changes plain and prepared; the server says who ran each statement ({@code ran_as}).
 */
class IdentityTextBesideIdentityChangeServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /** The changes the text makes after its auth-carrying statement (they never run: the statement fails first). */
  private static final List<String> OWN_CHANGES = List.of(
      "select set_config('session_authorization', 'user1', false)",
      "set session authorization user2",
      "reset session authorization",
      "select set_config('role', 'none', false)",
      "call b_copy_role_p_inv()");

  /** The changes another thread of user1's connection can make (user1 may not SET ROLE user3). */
  private static final List<String> OTHER_CHANGES = List.of(
      "reset session authorization", "set session authorization user3");

  @Test
  void anAuthStatementBeforeAChangeInItsTextNeverRunsAsAUserAnotherThreadSwitchedToAfterItWasJudged()
      throws Exception {
    AuthCommands.createObjects(POSTGRES);
    List<Command> commands = AuthCommands.COMMANDS.stream().filter(c -> c.dependence() == Dependence.USER).toList();
    List<String> failures = new ArrayList<>();
    int cases = 0;
    int windows = 0;
    for (Command command : commands) {
      for (String own : OWN_CHANGES) {
        for (String other : OTHER_CHANGES) {
          for (boolean prepared : new boolean[] {false, true}) {
            cases++;
            String marker = "itb" + cases;
            String text = "select ran_as('" + marker + "'); " + command.text(marker) + "; " + own;
            String label = command.label() + " ; " + own + " | other thread: " + other + (prepared ? " (prepared)" : "");
            AtomicBoolean ranInWindow = new AtomicBoolean();
            int pid = run(text, other, prepared, "identity-text-beside-" + cases, ranInWindow, failures, label);
            if (ranInWindow.get()) {
              windows++;
            } else {
              failures.add(label + ": the guard did not allow the statement for user1, so the other thread's change"
                  + " never ran in the window");
            }
            String log = POSTGRES.serverLog();
            for (Received received : AuthCommands.received(log.substring(logFrom), Set.of(pid))) {
              if (!JdbcSequencesServerTest.TRUSTED.contains(received.ranAs())) {
                failures.add(label + ": " + received.word() + " ran as " + received.ranAs());
              }
            }
          }
        }
      }
    }
    assertThat(failures).as(failures.size() + " failures in " + cases + " cases").isEmpty();
    assertThat(windows).isEqualTo(cases);
  }

  private int logFrom;

  private int run(String text, String other, boolean prepared, String source, AtomicBoolean ranInWindow,
      List<String> failures, String label) throws SQLException {
    Properties properties = AuthCommands.guardProperties(POSTGRES, source, "extended");
    properties.setProperty("iamguard.audit-sink", Hook.class.getName()); // ALLOW for user1
    properties.setProperty("enableFetchRingBuffer", "false");
    logFrom = POSTGRES.serverLog().length();
    try (Connection connection = DriverManager.getConnection(
        "jdbc:iamguard:" + POSTGRES.redshiftUrl().substring("jdbc:".length()), properties);
        Statement statement = connection.createStatement()) {
      statement.execute("set session authorization user1");
      int pid = JdbcAuthCommandsServerTest.backendPid(connection);
      Runnable change = CallBesideIdentityChangeServerTest.otherThreadRuns(connection, other, prepared,
          () -> failures.add(label + ": the other thread's change did not run"));
      Hook.NEXT.set(() -> {
        change.run();
        ranInWindow.set(true);
      });
      try {
        statement.execute(text);
      } catch (SQLException e) {
        // refused by the guard, or the server's syntax error at the auth-carrying statement
      }
      Hook.NEXT.set(null);
      return pid;
    }
  }
}
