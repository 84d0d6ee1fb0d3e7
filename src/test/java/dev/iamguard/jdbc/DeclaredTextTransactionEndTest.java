package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A declared identity (a target that cannot report its user) changed by SET SESSION AUTHORIZATION
 * sent through the guard, then a transaction end or EXECUTE sent in an execution of its own. The
 * README: a declared identity "follows SET SESSION AUTHORIZATION as written ..., but not past a later
 * COMMIT, END, ROLLBACK, ABORT, PREPARE or EXECUTE (which may undo it ...)", "even after a change
 * back to the login user (SET SESSION AUTHORIZATION user1; BEGIN; SET SESSION AUTHORIZATION DEFAULT;
 * ROLLBACK brings user1 back, each sent on its own)". Such a text needs no decision, so it was sent
 * with nothing recorded, and a later COPY was decided for the user the texts last named (found by
 * ScriptFacesAgreeTest, where {@code check} denied it). Generated: changes (to bob; to bob and back
 * with DEFAULT; to the login by name) x the statements that may undo them (case and forms varied,
 * alone or after another statement of the text) x the ways a text is sent; every later
 * auth-carrying statement is refused with IDENTITY_CHANGED_IN_TEXT, nothing of it sent. The
 * control: with no change before, the same texts leave the login user (etl, whom the Loader role
 * trusts, hand-checked against the test registry) known.
 */
class DeclaredTextTransactionEndTest {
  private static final String COPY = "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "'";
  private static final List<List<String>> CHANGES = List.of(List.of("SET SESSION AUTHORIZATION bob"),
      List.of("set session authorization bob", "begin", "set session authorization default"),
      List.of("set session authorization 'etl'"));
  private static final List<String> UNDOES = List.of("rollback", "ROLLBACK WORK", "abort", "rollback to savepoint s",
      "commit", "END", "end transaction", "select 1; commit", "EXECUTE p", "prepare transaction 'x'");

  /** The ways of sending a text on its own (DeclaredUnfollowedChangeTest's), these of them. */
  private static final Map<String, DeclaredUnfollowedChangeTest.Way> WAYS = new LinkedHashMap<>();

  static {
    for (String way : List.of("execute", "executeUpdate", "prepared execute", "prepared batch", "batch")) {
      WAYS.put(way, DeclaredUnfollowedChangeTest.WAYS.get(way));
    }
  }

  private final List<String> sent = new CopyOnWriteArrayList<>();

  @Test
  void anAuthCarryingStatementAfterATransactionEndOnItsOwnIsRefusedOnceTheIdentityChanged() throws SQLException {
    List<String> failed = new ArrayList<>();
    int rounds = 0;
    for (List<String> change : CHANGES) {
      for (int u = 0; u < UNDOES.size(); u++) {
        for (Map.Entry<String, DeclaredUnfollowedChangeTest.Way> way : WAYS.entrySet()) {
          if (way.getKey().contains("batch") && UNDOES.get(u).startsWith("select")) {
            continue; // a batch holds no query
          }
          Connection connection = TestRegistry.guarded(RecordingTarget.of(sent));
          for (String piece : change) {
            connection.createStatement().execute(piece);
          }
          way.getValue().send(connection, UNDOES.get(u));
          sent.clear();
          rounds++;
          SQLException refused = refusal(connection);
          if (refused == null || !sent.isEmpty() || !refused.getMessage().contains("IDENTITY_CHANGED_IN_TEXT")) {
            failed.add(change + " then " + way.getKey() + " '" + UNDOES.get(u) + "': "
                + (refused == null ? "sent " + sent : refused.getMessage()));
          }
        }
      }
    }
    assertThat(rounds).isEqualTo(3 * (9 * 5 + 3));
    assertThat(failed).as("%s of %s rounds sent a COPY after an undo", failed.size(), rounds).isEmpty();
  }

  @Test
  void theRefusalNamesAnEarlierExecution() throws SQLException {
    Connection connection = TestRegistry.guarded(RecordingTarget.of(sent));
    connection.createStatement().execute("set session authorization bob");
    connection.createStatement().execute("rollback");
    assertThat(refusal(connection).getMessage()).contains("IDENTITY_CHANGED_IN_TEXT",
        "a transaction end or EXECUTE of an earlier execution on this connection");
  }

  @Test
  void withoutAChangeATransactionEndLeavesTheLoginUserKnown() throws SQLException {
    List<String> failed = new ArrayList<>();
    for (String undo : UNDOES) {
      for (Map.Entry<String, DeclaredUnfollowedChangeTest.Way> way : WAYS.entrySet()) {
        if (way.getKey().contains("batch") && undo.startsWith("select")) {
          continue;
        }
        Connection connection = TestRegistry.guarded(RecordingTarget.of(sent));
        way.getValue().send(connection, undo);
        sent.clear();
        SQLException refused = refusal(connection);
        if (refused != null || !sent.equals(List.of(COPY))) {
          failed.add(way.getKey() + " '" + undo + "': " + (refused == null ? "sent " + sent : refused.getMessage()));
        }
      }
    }
    assertThat(failed).isEmpty();
  }

  private static SQLException refusal(Connection connection) {
    try {
      connection.createStatement().execute(COPY);
      return null;
    } catch (SQLException e) {
      return e;
    }
  }
}
