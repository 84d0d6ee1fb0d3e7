package dev.iamguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A declared identity (the CLI's {@code --user}, a target that cannot report its user) follows SET
 * SESSION AUTHORIZATION as the text spells it; any other statement that may change who runs what
 * follows ({@code set_config('session_authorization', ...)}, SET ROLE and RESET ROLE in every
 * spelling, RESET ALL, DISCARD, CALL, DO, a JDBC call escape) names no user the guard could follow.
 * Before the fix the statements after one were judged as the declared user, in the same text and in
 * the texts after it (the next piece of a script, the next execution); now an auth-carrying
 * statement after one is denied as IDENTITY_CHANGED_IN_TEXT, as it is where the server reports the
 * identity.
 */
class DeclaredIdentityChangeTest {
  private static final Guard GUARD = SampleGuard.load();
  private static final String COPY = IdentityParameterSpellingTest.COPY;

  private static Session declared() {
    return Session.of("user1", null);
  }

  /** Every way the scan knows to change the identity without naming the new one in SET SESSION AUTHORIZATION. */
  static List<String> unfollowableChanges() {
    List<String> changes = new ArrayList<>();
    for (String call : List.of("set_config", "SET_CONFIG", "\"set_config\"", "pg_catalog.set_config")) {
      changes.add("select " + call + "('session_authorization', 'user3', false)");
      changes.add("select 1 from venue where " + call + "('role', 'user3', false) is not null");
    }
    for (String role : List.of("role", "ROLE", "\"role\"", "\"Role\"")) {
      for (String scope : List.of("", "session ", "local ")) {
        changes.add("set " + scope + role + " to user3");
        changes.add("set " + scope + role + " = 'user3'");
      }
      changes.add("reset " + role);
    }
    changes.addAll(List.of("reset all", "RESET ALL", "discard all", "call refresh_sales()", "CALL p(1, 'x')",
        "do $$ begin perform 1; end $$", "{call refresh_sales()}"));
    return changes;
  }

  private static List<RuleId> rules(Decision decision) {
    return IdentityParameterSpellingTest.rules(decision);
  }

  @Test
  void theControlsAreAllowed() {
    assertThat(GUARD.inspect(COPY, declared()).verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(GUARD.inspect("select 1;\n" + COPY, declared()).verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void anAuthCarryingStatementAfterTheChangeIsDenied() {
    List<String> changes = unfollowableChanges();
    assertThat(changes).hasSize(8 + 28 + 7);
    for (String change : changes) {
      for (String text : List.of(change + ";\n" + COPY, "select 1; " + change + "; select 2;\n" + COPY,
          "set session authorization 'user1'; " + change + ";\n" + COPY)) {
        Decision decision = GUARD.inspect(text, declared());
        assertThat(decision.verdict()).as(text).isEqualTo(Verdict.DENY);
        assertThat(rules(decision)).as(text).contains(RuleId.IDENTITY_CHANGED_IN_TEXT);
      }
    }
  }

  @Test
  void theTextsAfterTheChangeAreDeniedToo() {
    for (String change : unfollowableChanges()) {
      for (String text : List.of(change, COPY + ";\n" + change)) {
        Decision first = GUARD.inspect(text, declared());
        assertThat(first.verdict()).as(text).isNotEqualTo(Verdict.DENY); // what ran before the change was the declared user's
        Session after = first.sessionAfter();
        assertThat(after.origin()).as(text).isEqualTo(Session.Origin.CHANGED);
        Decision next = GUARD.inspect(COPY, after);
        assertThat(next.verdict()).as(change).isEqualTo(Verdict.DENY);
        assertThat(rules(next)).as(change).containsExactly(RuleId.IDENTITY_CHANGED_IN_TEXT);
        // a SET SESSION AUTHORIZATION cannot bring the identity back: the change before it is unknown
        assertThat(GUARD.inspect("set session authorization 'user1';\n" + COPY, after).verdict())
            .as(change).isEqualTo(Verdict.DENY);
      }
    }
  }

  @Test
  void setSessionAuthorizationIsStillFollowed() {
    Decision decision = GUARD.inspect("set session authorization 'user3';\nselect 1;\n" + COPY, declared());
    assertThat(rules(decision)).doesNotContain(RuleId.IDENTITY_CHANGED_IN_TEXT).contains(RuleId.DB_USER_NOT_TRUSTED);
    assertThat(decision.sessionAfter().origin()).isEqualTo(Session.Origin.GIVEN);
    assertThat(decision.sessionAfter().user()).isEqualTo("user3");
    Decision back = GUARD.inspect("reset session authorization;\n" + COPY, decision.sessionAfter());
    assertThat(back.verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void aStatementThatMerelyMentionsTheWordsChangesNothing() {
    for (String text : List.of("select 'set role user3'", "-- call p()\nselect 1", "select role from venue",
        "select * from set_config_log", "comment on table venue is 'reset all'")) {
      Decision decision = GUARD.inspect(text + ";\n" + COPY, declared());
      assertThat(decision.verdict()).as(text).isEqualTo(Verdict.ALLOW);
      assertThat(decision.sessionAfter().origin()).as(text).isEqualTo(Session.Origin.GIVEN);
    }
  }
}
