package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.AuthCommands.Received;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PreparedTransactionEndServerTest's case for a CALL: a transaction end before a CALL of a SECURITY
 * INVOKER procedure in the same text or batch, once the identity has changed inside a transaction,
 * brings back who ran the connection before the transaction began, and the body's command runs as
 * that user. A CALL's bodies are judged from the server's catalog for who calls; the CALL after such
 * an end must be judged for an unknown user, as an auth-carrying statement after it is. Logged in as
 * user1 (whom the role trusts), a member of r3 (whom it does not): {@code set role r3}, {@code begin},
 * back to user1 in the transaction, then the end and the CALL: as a text sent afresh, as a statement
 * prepared before the change, and as batch entries added before and after it. Found by
 * JdbcSequencesServerTest on seed 31 (sequence 100: {@code end, call cp_inv()} in a batch, judged for
 * user1). The control: the same steps but those that change the identity run the body as user1.
 */
class TransactionEndBeforeCallServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /** The ways of sending the end and the CALL, each after the steps of an undo. */
  private static final List<String> FACES = List.of("text sent afresh", "prepared before the change",
      "batch added before the change", "batch added after the change");
  /** Bodies running a command whose decision depends on who runs it: written in the body, or by EXECUTE. */
  private static final List<String> BODIES = AuthCommands.invokerBodies();

  @Test
  void aCallAfterATransactionEndIsJudgedForWhoeverTheEndBringsBack() throws Exception {
    PreparedTransactionEndServerTest.createObjects(POSTGRES);
    List<String> failures = new ArrayList<>();
    int cases = 0;
    List<String> controlsNotRun = new ArrayList<>();
    List<PreparedTransactionEndServerTest.Undo> undoes = PreparedTransactionEndServerTest.UNDOES;
    for (int u = 0; u < undoes.size(); u++) {
      PreparedTransactionEndServerTest.Undo undo = undoes.get(u);
      for (String face : FACES) {
        String body = BODIES.get((u + FACES.indexOf(face)) % BODIES.size()); // each body in every face
        for (boolean change : new boolean[] {true, false}) {
          cases++;
          String call = "call " + body + "()";
          String label = String.join(", ", undo.before()) + " | " + face + ": " + undo.end() + "; " + call
              + (change ? "" : " (control: no change)");
          int logFrom = POSTGRES.serverLog().length();
          int pid;
          try (Connection connection = PreparedTransactionEndServerTest.user1(POSTGRES, "transaction-end-call")) {
            pid = JdbcAuthCommandsServerTest.backendPid(connection);
            try {
              send(connection, face, undo, change, call);
            } catch (SQLException e) {
              // refused by the guard, or the server's syntax error at the body's auth-carrying statement
            }
          }
          List<Received> received = AuthCommands.received(POSTGRES.serverLog().substring(logFrom), Set.of(pid));
          for (Received r : received) {
            if (!JdbcSequencesServerTest.TRUSTED.contains(r.ranAs())) {
              failures.add(label + ": " + r.word() + " in " + r.body() + " ran as " + r.ranAs());
            }
          }
          if (!change && received.stream().noneMatch(r -> "user1".equals(r.ranAs()))) {
            controlsNotRun.add(label);
          }
        }
      }
    }
    assertThat(failures).as(failures.size() + " failures in " + cases + " cases").isEmpty();
    assertThat(controlsNotRun).as("controls whose body did not run as user1").isEmpty();
  }

  private static void send(Connection connection, String face, PreparedTransactionEndServerTest.Undo undo,
      boolean change, String call) throws SQLException {
    switch (face) {
      case "text sent afresh" -> {
        PreparedTransactionEndServerTest.steps(connection, undo, change);
        connection.createStatement().execute(undo.end() + "; " + call);
      }
      case "prepared before the change" -> {
        PreparedStatement prepared = connection.prepareStatement(undo.end() + "; " + call);
        PreparedTransactionEndServerTest.steps(connection, undo, change);
        prepared.execute();
      }
      case "batch added before the change" -> {
        Statement batch = connection.createStatement();
        batch.addBatch(undo.end());
        batch.addBatch(call);
        PreparedTransactionEndServerTest.steps(connection, undo, change);
        batch.executeBatch();
      }
      default -> {
        PreparedTransactionEndServerTest.steps(connection, undo, change);
        Statement batch = connection.createStatement();
        batch.addBatch(undo.end());
        batch.addBatch(call);
        batch.executeBatch();
      }
    }
  }
}
