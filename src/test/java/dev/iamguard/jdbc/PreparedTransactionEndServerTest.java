package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.AuthCommands.Command;
import dev.iamguard.jdbc.AuthCommands.Dependence;
import dev.iamguard.jdbc.AuthCommands.Received;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A statement prepared while nothing had changed the identity, whose text ends a transaction
 * before its auth-carrying statement ({@code rollback; COPY ...}), executed after the identity
 * changed inside a transaction: the end brings back who ran the connection before it began, and
 * the statement after it runs as that user. A text decided afresh treats a transaction end as a
 * possible change of identity once the identity has changed on the connection; the decision made
 * again for a prepared statement's execution must too. Logged in as user1 (whom the role trusts),
 * a member of r3 (whom it does not): {@code set role r3}, {@code begin}, back to user1 in the
 * transaction, then the prepared text, whose end makes its COPY run as r3. Ends of every kind, back
 * to user1 in several ways, every command whose decision depends on who runs it; the server says
 * who ran each statement ({@code ran_as}). The control: the same prepared text, after the same
 * steps but those that change the identity, runs its command as user1.
 */
class PreparedTransactionEndServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /** How the transaction comes to run as user1 after r3, and the end in the prepared text that undoes it. */
  record Undo(List<String> before, String end) {}

  static final List<Undo> UNDOES = List.of(
      new Undo(List.of("set role r3", "begin", "reset role"), "rollback"),
      new Undo(List.of("set role r3", "begin", "set role none"), "abort"),
      new Undo(List.of("set role r3", "begin", "set role user1"), "rollback work"),
      new Undo(List.of("set role r3", "begin", "select set_config('role', 'none', false)"), "rollback transaction"),
      new Undo(List.of("set role r3", "begin", "set local role none"), "commit"),
      new Undo(List.of("set role r3", "begin", "select set_config('role', 'none', true)"), "end"),
      new Undo(List.of("set role r3", "begin", "savepoint s", "reset role"), "rollback to savepoint s"));

  @Test
  void aPreparedTextsTransactionEndIsReadAsAChangeOfIdentityWhenItRuns() throws Exception {
    everyCase("prepared", (connection, undo, change, command, marker) -> {
      PreparedStatement prepared = connection.prepareStatement(
          undo.end() + "; select ran_as('" + marker + "'); " + command.text(marker));
      steps(connection, undo, change);
      prepared.execute();
    });
  }

  /**
   * The same end as a batch entry before the command's entry, all added before the change: the
   * batch runs as one execution, its end bringing r3 back for the entries after it. An INSERT entry
   * between them makes the server say who runs them ({@code ran_as}, which a batch may call where it
   * may not hold a query).
   */
  @Test
  void aBatchEntryAfterATransactionEndIsReadAfterAChangeOfIdentityWhenTheBatchRuns() throws Exception {
    everyCase("batch", (connection, undo, change, command, marker) -> {
      Statement batch = connection.createStatement();
      batch.addBatch(undo.end());
      batch.addBatch("insert into h_t values (ran_as('" + marker + "'))");
      batch.addBatch(command.text(marker));
      steps(connection, undo, change);
      batch.executeBatch();
    });
  }

  /** One way of sending the end and the command after the steps of {@code undo} (all of them: {@code change}). */
  private interface Way {
    void send(Connection connection, Undo undo, boolean change, Command command, String marker) throws SQLException;
  }

  /**
   * Runs {@code way} for every command and end, with the change and without (the control), and
   * asserts that no command ran as a user the role does not trust, and that every control's ran as user1.
   */
  private static void everyCase(String wayName, Way way) throws SQLException {
    if (!created) { // once for both tests: one server
      createObjects(POSTGRES);
      created = true;
    }
    List<Command> commands = AuthCommands.COMMANDS.stream().filter(c -> c.dependence() == Dependence.USER).toList();
    List<String> failures = new ArrayList<>();
    int cases = 0;
    int controlsRun = 0;
    for (Command command : commands) {
      for (Undo undo : UNDOES) {
        for (boolean change : new boolean[] {true, false}) {
          cases++;
          String marker = "pte" + wayName.charAt(0) + cases;
          String label = String.join(", ", undo.before()) + " | " + wayName + ": " + undo.end() + ", "
              + command.label() + (change ? "" : " (control: no change)");
          int logFrom = POSTGRES.serverLog().length();
          int pid;
          try (Connection connection = user1(POSTGRES, "prepared-transaction-end")) {
            pid = JdbcAuthCommandsServerTest.backendPid(connection);
            try {
              way.send(connection, undo, change, command, marker);
            } catch (SQLException e) {
              // refused by the guard, or the server's syntax error at the auth-carrying statement
            }
          }
          List<Received> received = AuthCommands.received(POSTGRES.serverLog().substring(logFrom), Set.of(pid));
          for (Received r : received) {
            if (!JdbcSequencesServerTest.TRUSTED.contains(r.ranAs())) {
              failures.add(label + ": " + r.word() + " ran as " + r.ranAs());
            }
          }
          if (!change && received.stream().anyMatch(r -> "user1".equals(r.ranAs()))) {
            controlsRun++;
          }
        }
      }
    }
    assertThat(failures).as(failures.size() + " failures in " + cases + " cases").isEmpty();
    assertThat(controlsRun).as("controls whose command ran as user1").isEqualTo(cases / 2);
  }

  static void steps(Connection connection, Undo undo, boolean change) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String step : undo.before()) {
        if (change || step.equals("begin") || step.startsWith("savepoint")) {
          statement.execute(step);
        }
      }
    }
  }

  private static boolean created;

  /** The objects of {@link AuthCommands#createObjects}, and r3, a role user1 may SET ROLE to and the role does not trust. */
  static void createObjects(LocalPostgres postgres) throws SQLException {
    AuthCommands.createObjects(postgres);
    try (Connection admin = DriverManager.getConnection(postgres.redshiftUrl(), postgres.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("create role r3; grant r3 to user1");
    }
  }

  /** A guarded connection of the Redshift driver logged in as user1 (extended query mode), audited as {@code source}. */
  static Connection user1(LocalPostgres postgres, String source) throws SQLException {
    Properties properties = AuthCommands.guardProperties(postgres, source, "extended");
    properties.setProperty("user", "user1");
    properties.setProperty("password", "pw1");
    return DriverManager.getConnection("jdbc:iamguard:" + postgres.redshiftUrl().substring("jdbc:".length()),
        properties);
  }
}
