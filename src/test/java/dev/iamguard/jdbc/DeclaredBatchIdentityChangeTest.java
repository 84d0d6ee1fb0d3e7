package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A declared identity (a target that cannot report its user, checked as {@code iamguard.user} or the
 * login user) and a batch in which an entry that may change the identity comes before an
 * auth-carrying one. The README: "a text or batch in which a statement that may change the identity
 * comes before an auth-carrying one is denied". For a text it is (the declared identity follows SET
 * SESSION AUTHORIZATION within it); for a batch the later entry was decided for the user before the
 * change (etl) and sent after it: {@code addBatch("SET SESSION AUTHORIZATION bob"); addBatch(COPY)}
 * ran the COPY as bob, whom its role does not trust. The oracle is the README's rule: every such
 * batch is refused at the auth-carrying entry and nothing of it is sent; the same entries the other
 * way round (the change last) are sent whole.
 */
class DeclaredBatchIdentityChangeTest {
  private static final List<String> CHANGES = List.of("SET SESSION AUTHORIZATION bob",
      "set session authorization 'bob'", "SET SESSION AUTHORIZATION \"bob\"", "SET SESSION AUTHORIZATION DEFAULT",
      "RESET SESSION AUTHORIZATION", "SET SESSION AUTHORIZATION etl",
      "select set_config('session_authorization', 'bob', false)", "SET ROLE bob", "RESET ROLE", "RESET ALL",
      "DISCARD ALL", "CALL become('bob')", "SET LOCAL SESSION AUTHORIZATION bob");
  private static final List<String> AUTH = List.of(
      "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "'",
      "UNLOAD ('select 1') TO 's3://lake/out/x_' IAM_ROLE '" + TestRegistry.LOADER + "'",
      "COPY t FROM 's3://lake/in/t/' IAM_ROLE default");

  private final List<String> sent = new CopyOnWriteArrayList<>();

  private Connection open() throws SQLException {
    return TestRegistry.guarded(RecordingTarget.of(sent));
  }

  @Test
  void anAuthCarryingEntryAfterAnIdentityChangeRefusesTheBatch() throws SQLException {
    List<String> failed = new ArrayList<>();
    int batches = 0;
    for (String change : CHANGES) {
      for (String auth : AUTH) {
        for (boolean large : new boolean[] {false, true}) {
          sent.clear();
          Statement statement = open().createStatement();
          statement.addBatch("INSERT INTO t VALUES (1)");
          statement.addBatch(change);
          boolean refused = false;
          try {
            statement.addBatch(auth);
          } catch (GuardDeniedException denied) {
            refused = true;
            assertThat((Throwable) denied).hasMessageContaining("IDENTITY_CHANGED_IN_TEXT");
          }
          try {
            if (large) {
              statement.executeLargeBatch();
            } else {
              statement.executeBatch();
            }
          } catch (SQLException e) {
            refused = true;
          }
          batches++;
          if (!refused || !sent.isEmpty()) {
            failed.add(change + "; " + auth + " sent " + sent);
          }
        }
      }
    }
    assertThat(failed).as("batches of %s sent with an auth-carrying entry after a change of identity", batches)
        .isEmpty();
  }

  @Test
  void theChangeAfterTheEntryIsSentWhole() throws SQLException {
    for (String change : CHANGES) {
      for (String auth : AUTH) {
        sent.clear();
        Statement statement = open().createStatement();
        statement.addBatch(auth);
        statement.addBatch(change);
        statement.executeBatch();
        assertThat(sent).as(change).containsExactly(auth, change);
      }
    }
  }
}
