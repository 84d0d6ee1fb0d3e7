package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A decision made again equals the decision made afresh at the same moment. A text prepared (or
 * added to a batch) early and executed after a drawn sequence of texts (identity changes the
 * declared identity follows or cannot, transaction ends, GRANT and REVOKE ASSUMEROLE) is decided
 * again at its execution; the same text sent plainly after the same sequence, on a twin connection
 * that prepared (or batched) it too, is decided afresh. Both must send the same text, or both send
 * nothing. Generalises PreparedTransactionEndServerTest's finding (a decision made again read a
 * transaction end in the text, or in an earlier batch entry, as no change of identity where the
 * first decision read one) to every way the two decisions can differ, on a declared identity; its
 * twin where the server reports the identity is {@link DecidedAgainAgreesServerTest}. (That finding
 * did not show here: on a declared identity the guard's rules themselves do not follow a changed
 * user past an end; a decision never made again shows here, as hundreds of differences.) By design, counted apart: a
 * prepared text the registry would now rewrite otherwise is refused ({@code prepare it again}).
 * Seeded: {@code -Diamguard.decidedAgain.seed}, {@code -Diamguard.decidedAgain.rounds}.
 */
class DecidedAgainAgreesTest {
  private static final long SEED = Long.getLong("iamguard.decidedAgain.seed", 20261206L);
  private static final int ROUNDS = Integer.getInteger("iamguard.decidedAgain.rounds", 1500);

  private static final String COPY = "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "'";
  private static final String COPY_ALIAS = "COPY t FROM 's3://lake/in/t/' IAM_ROLE 'loader'";
  private static final String UNLOAD = "UNLOAD ('select 1') TO 's3://lake/out/u_' IAM_ROLE default";

  /** Texts of the sequence between the prepare and the execution. */
  private static final List<String> STEPS = List.of(
      "set session authorization sa", "set session authorization bob", "set session authorization etl",
      "reset session authorization", "set session authorization default", "begin", "commit", "rollback",
      "end", "abort", "start transaction", "savepoint s", "rollback to savepoint s", "select 1",
      "select set_config('role', 'x', false)", "set role x",
      "revoke assumerole on all from public for all",
      "grant assumerole on '" + TestRegistry.LOADER + "' to etl for copy",
      "grant assumerole on '" + TestRegistry.LOADER + "' to bob for all",
      "revoke assumerole on '" + TestRegistry.LOADER + "' from etl for copy",
      "begin; set session authorization bob", "set session authorization sa; commit");

  /** The texts prepared early: auth-carrying statements with and around transaction ends and changes. */
  private static final List<String> TEXTS = List.of(
      COPY, COPY_ALIAS, UNLOAD, "rollback; " + COPY, "commit; " + COPY, "end; " + UNLOAD, "abort; " + COPY_ALIAS,
      COPY + "; rollback", "begin; " + COPY + "; commit", "set session authorization sa; " + COPY,
      "rollback to savepoint s; " + COPY, "select 1; rollback; select 2; " + UNLOAD,
      "grant assumerole on '" + TestRegistry.LOADER + "' to etl for copy; " + COPY,
      "revoke assumerole on all from public for all; " + COPY,
      "begin; grant assumerole on '" + TestRegistry.LOADER + "' to etl for copy; rollback; " + COPY);

  @Test
  void aPreparedTextIsDecidedAtItsExecutionAsAFreshTextIsThen() throws SQLException {
    Random random = new Random(SEED);
    Map<String, Integer> differences = new TreeMap<>();
    List<String> examples = new ArrayList<>();
    int rounds = 0;
    int sent = 0;
    int refusedByDesign = 0;
    for (int n = 0; n < ROUNDS; n++) {
      String text = TEXTS.get(random.nextInt(TEXTS.size()));
      List<String> steps = new ArrayList<>();
      for (int i = random.nextInt(5); i > 0; i--) {
        steps.add(STEPS.get(random.nextInt(STEPS.size())));
      }
      boolean batch = random.nextInt(3) == 0;
      Outcome again = outcome(text, steps, batch, false);
      if (again == null) {
        continue; // denied when prepared or added: nothing to decide again
      }
      Outcome fresh = outcome(text, steps, batch, true);
      rounds++;
      if (again.refusedByDesign()) {
        refusedByDesign++;
        continue;
      }
      if (!again.sent().equals(fresh.sent())) {
        String key = (batch ? "batch " : "prepared ") + text.replaceAll("'[^']*'", "'..'");
        differences.merge(key, 1, Integer::sum);
        if (examples.size() < 10) {
          examples.add(steps + " then " + text + (batch ? " (batch)" : "") + ": decided again sent " + again.sent()
              + ", afresh sent " + fresh.sent());
        }
      } else if (!again.sent().isEmpty()) {
        sent++;
      }
    }
    assertThat(rounds).as("rounds decided again").isGreaterThan(ROUNDS / 2);
    assertThat(sent).as("rounds in which both sent the text").isGreaterThan(rounds / 5);
    assertThat(differences).as("%s; seed %s, %s rounds (%s refused by design)", examples, SEED, rounds, refusedByDesign)
        .isEmpty();
  }

  /**
   * Found by the test above on other seeds: with auto-commit on, a grant made after the text was
   * prepared (or batched) is committed, and an end in the text cannot take it back; the decision
   * made at the execution read it as pending and denied the COPY that the same text sent afresh
   * was allowed to run. Every end, prepared and batched (hand-checked: etl holds the grant REVOKE
   * ASSUMEROLE ON ALL FROM PUBLIC left it to rely on, committed when it ran).
   */
  @Test
  void aGrantAutoCommitCommittedIsNotTakenBackByAnEndInATextDecidedAgain() throws SQLException {
    List<String> steps = List.of("revoke assumerole on all from public for all",
        "grant assumerole on '" + TestRegistry.LOADER + "' to etl for copy");
    List<String> failed = new ArrayList<>();
    int cases = 0;
    for (String end : List.of("abort", "rollback", "rollback work", "rollback to savepoint s", "end", "commit")) {
      for (String copy : List.of(COPY, COPY_ALIAS)) {
        for (boolean batch : new boolean[] {false, true}) {
          cases++;
          String text = end + "; " + copy;
          Outcome again = outcome(text, steps, batch, false);
          Outcome fresh = outcome(text, steps, batch, true);
          if (again == null || again.sent().isEmpty() || fresh.sent().isEmpty()) {
            failed.add(text + (batch ? " (batch)" : "") + ": decided again sent " + (again == null ? "nothing (denied"
                + " when prepared)" : again.sent()) + ", afresh sent " + fresh.sent());
          }
        }
      }
    }
    assertThat(failed).as("%s of %s cases", failed.size(), cases).isEmpty();
  }

  /** What was sent of the text at the end, or null when it was denied when prepared (or added to the batch). */
  private record Outcome(List<String> sent, boolean refusedByDesign) {}

  private static Outcome outcome(String text, List<String> steps, boolean batch, boolean fresh) throws SQLException {
    List<String> sent = new CopyOnWriteArrayList<>();
    Connection connection = TestRegistry.guarded(RecordingTarget.of(sent));
    PreparedStatement prepared;
    Statement batched = connection.createStatement();
    try {
      prepared = connection.prepareStatement(text); // the twin prepares it too: preparing may count as a change
      if (batch) {
        batched.addBatch(text);
      }
    } catch (SQLException denied) {
      return null;
    }
    for (String step : steps) {
      try {
        connection.createStatement().execute(step);
      } catch (SQLException denied) {
        // the same on both connections
      }
    }
    sent.clear();
    try {
      execute(connection, text, fresh, batch ? List.of(text) : null, batched, prepared);
    } catch (SQLException e) {
      boolean byDesign = e.getMessage() != null && e.getMessage().contains("prepare it again");
      return new Outcome(List.copyOf(sent), byDesign);
    }
    return new Outcome(List.copyOf(sent), false);
  }

  /**
   * Sends {@code text} at the end: {@code fresh}, as a batch of {@code entries} filled now (or, with
   * no entries, plainly); else {@code batched}, filled early with them, or {@code prepared}.
   */
  static void execute(Connection connection, String text, boolean fresh, List<String> entries, Statement batched,
      PreparedStatement prepared) throws SQLException {
    if (fresh && entries != null) {
      Statement statement = connection.createStatement();
      for (String entry : entries) {
        statement.addBatch(entry);
      }
      statement.executeBatch();
    } else if (fresh) {
      connection.createStatement().execute(text);
    } else if (entries != null) {
      batched.executeBatch();
    } else {
      prepared.execute();
    }
  }
}
