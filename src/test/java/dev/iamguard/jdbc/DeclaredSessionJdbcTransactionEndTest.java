package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A declared identity (a target that cannot report its user) changed by SET SESSION AUTHORIZATION
 * sent through the guard, then a transaction ended through JDBC ({@code commit()}, {@code
 * rollback()}, {@code rollback(savepoint)}) rather than in text: as a COMMIT or ROLLBACK in text
 * (DeclaredIdentityUndoTest), the end may bring back another user than the texts name, so the
 * identity is no longer known. Generated: changes (to user1, and to user1 then back to the login)
 * x the three ways a transaction ends; the control: without a change, a transaction end leaves the
 * declared user known.
 */
class DeclaredSessionJdbcTransactionEndTest {
  private static final Session LOGIN = new Session("postgres", List.of("etl"), List.of(), "local-cluster");

  @Test
  void aTransactionEndThroughJdbcAfterAChangeLeavesTheDeclaredUserUnknown() throws Exception {
    Guard guard = new Guard(RegistryLoader.load(Path.of("src/test/resources/jdbc/identity-registry.yaml")));
    List<List<String>> changes = List.of(List.of("set session authorization user1"),
        List.of("set session authorization user1", "SET SESSION AUTHORIZATION DEFAULT"),
        List.of("set session_authorization = 'user2'", "reset session authorization"));
    int cases = 0;
    for (List<String> change : changes) {
      for (SessionState.Outcome outcome : SessionState.Outcome.values()) {
        SessionState state = SessionState.declared(LOGIN, false);
        for (String piece : change) {
          Decision decision = guard.inspect(piece, state.forDecision(true));
          assertThat(decision.allowed()).as(piece).isTrue();
          state.executed(decision.sessionAfter(), true, false);
        }
        long epoch = state.epoch();
        state.transactionEnded(outcome);
        assertThat(state.forDecision(true).identityKnown()).as(change + " | " + outcome).isFalse();
        assertThat(state.epoch()).as("prepared decisions are made again").isGreaterThan(epoch);
        cases++;
      }
    }
    for (SessionState.Outcome outcome : SessionState.Outcome.values()) {
      SessionState state = SessionState.declared(LOGIN, false);
      state.transactionEnded(outcome);
      assertThat(state.forDecision(true)).as("no change: " + outcome).isEqualTo(LOGIN);
      cases++;
    }
    assertThat(cases).isEqualTo(3 * 3 + 3);
  }
}
