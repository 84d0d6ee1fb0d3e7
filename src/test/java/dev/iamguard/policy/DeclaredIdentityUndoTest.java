package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A declared identity (the CLI's {@code --user}, H2) follows SET SESSION AUTHORIZATION as written,
 * but a later transaction end may undo the change (PostgreSQL, as Redshift: a rollback restores
 * the user the transaction began with, a commit ends SET LOCAL; TransactionEndInTextIdentityTest
 * shows it on the server), so the text no longer says who runs what follows. Generated: changes
 * to user1 (4 spellings) x statements that undo them (6, case varied) x separators x the script
 * read whole, split into pieces inspected one after another (as the CLI reads long scripts), and
 * statement by statement (as {@code iamguard run} sends them). The login, admin, is not trusted by
 * TrustsUsers (user1 and user2 only): the COPY must never be allowed as user1.
 */
class DeclaredIdentityUndoTest {
  private static final Guard GUARD = guard();
  private static final Session ADMIN = new Session("admin", List.of(), List.of(), "local-cluster");
  private static final String COPY = "COPY id_t FROM 's3://iamguard-identity/in/part-0.csv' IAM_ROLE "
      + "'arn:aws:iam::123456789012:role/TrustsUsers' CSV";
  private static final List<String> CHANGES = List.of("set session authorization user1",
      "SET SESSION AUTHORIZATION 'user1'", "set local session authorization user1", "set session_authorization = user1");
  private static final List<String> UNDOS = List.of("rollback", "ROLLBACK WORK", "abort", "rollback to savepoint s",
      "commit", "end");
  private static final List<String> SEPARATORS = List.of(";", " ;\n", "; /* c */ ", ";-- c\n");

  @Test
  void aCopyAfterAStatementThatMayUndoAFollowedChangeIsNotAllowedAsTheChangedUser() {
    List<String> failures = new ArrayList<>();
    int cases = 0;
    for (String change : CHANGES) {
      for (int u = 0; u < UNDOS.size(); u++) {
        String undo = u % 2 == 0 ? UNDOS.get(u) : UNDOS.get(u).toUpperCase(Locale.ROOT);
        String sep = SEPARATORS.get((u + change.length()) % SEPARATORS.size());
        List<String> statements = List.of("begin", "savepoint s", change, undo, COPY);
        for (int split = 0; split <= statements.size() - 1; split++) {
          Decision copy = run(statements, sep, split);
          cases++;
          if (copy.allowed()) {
            failures.add(change + " | " + undo + " | split " + split + ": allowed");
          } else {
            assertThat(Fixture.rules(copy)).as(change + " | " + undo).containsExactly(RuleId.IDENTITY_CHANGED_IN_TEXT);
          }
        }
      }
    }
    assertThat(cases).isEqualTo(4 * 6 * 5);
    assertThat(failures).as(failures.size() + " of " + cases).isEmpty();
  }

  /**
   * The controls: nothing that may undo the change stands between it and the COPY, which runs as
   * user1. But SET LOCAL is not followed: sent on its own outside a transaction block it changes
   * nothing (DeclaredIdentityPiecesServerTest shows it on the server), and which block is open the
   * guard does not track, so the COPY after it is denied (stricter since adv4).
   */
  @Test
  void aCopyAfterAFollowedChangeWithNothingThatMayUndoItIsCheckedAsTheChangedUser() {
    int cases = 0;
    for (String change : CHANGES) {
      boolean local = change.contains("local");
      for (String between : List.of("begin", "savepoint s", "release savepoint s", "START TRANSACTION", "select 1")) {
        for (int split = 0; split <= 2; split++) {
          Decision copy = run(List.of(change, between, COPY), ";\n", split);
          if (local) {
            assertThat(Fixture.rules(copy)).as(change + " | " + between + " | split " + split)
                .containsExactly(RuleId.IDENTITY_CHANGED_IN_TEXT);
          } else {
            assertThat(copy.allowed()).as(change + " | " + between + " | split " + split + ": " + copy.findings()).isTrue();
          }
          cases++;
        }
      }
      // nothing changed by text: a rollback changes nothing the declared user says
      Decision plain = run(List.of("begin", "rollback", COPY.replace("TrustsUsers", "Granted")), ";", 0);
      assertThat(Fixture.rules(plain)).doesNotContain(RuleId.IDENTITY_CHANGED_IN_TEXT);
    }
    assertThat(cases).isEqualTo(4 * 5 * 3);
  }

  private static Guard guard() {
    try {
      return new Guard(RegistryLoader.load(Path.of("src/test/resources/jdbc/identity-registry.yaml")));
    } catch (dev.iamguard.policy.registry.RegistryException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code statements} as one text ({@code split} 0), or in pieces: the first {@code split}
   * statements one by one, the rest as one text, each piece with the session the previous left;
   * returns the decision on the piece holding the COPY (the last).
   */
  private static Decision run(List<String> statements, String separator, int split) {
    Session session = ADMIN;
    Decision last = null;
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < split; i++) {
      pieces.add(statements.get(i));
    }
    pieces.add(String.join(separator, statements.subList(split, statements.size())));
    for (String piece : pieces) {
      last = GUARD.inspect(piece, session);
      session = last.sessionAfter();
    }
    return last;
  }
}
