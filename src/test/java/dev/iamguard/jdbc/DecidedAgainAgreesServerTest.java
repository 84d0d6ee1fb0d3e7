package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.AuthCommands.Command;
import dev.iamguard.jdbc.AuthCommands.Dependence;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link DecidedAgainAgreesTest} where the server reports who runs the connection (the Redshift
 * driver on PostgreSQL, logged in as user1, a member of r3 whom the role does not trust): a text
 * prepared (or added to a batch) early and executed after a drawn sequence of role changes,
 * transaction ends and savepoints is decided again at its execution (a batch holding it whole or a
 * statement per entry, at executeBatch); the same text sent plainly (or the same batch filled)
 * after the same sequence on a twin connection, which prepared (or batched) it too, is decided
 * afresh. The guard must send both or neither. The sequence runs on the server, so both
 * connections are in the same state when the text is decided. Before the fix of decideAgain (and
 * of a batch's entries decided again), {@code rollback; COPY ...} prepared early was sent after
 * {@code set role r3; begin; reset role} where the same text sent afresh was denied. Seeded:
 * {@code -Diamguard.decidedAgain.seed}, {@code -Diamguard.decidedAgain.serverRounds}.
 */
class DecidedAgainAgreesServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final long SEED = Long.getLong("iamguard.decidedAgain.seed", 20261206L);
  private static final int ROUNDS = Integer.getInteger("iamguard.decidedAgain.serverRounds", 160);

  /** What user1 can do to who runs the connection, and transaction ends and savepoints. */
  private static final List<String> STEPS = List.of(
      "set role r3", "reset role", "set role none", "set role user1", "select set_config('role', 'r3', false)",
      "set local role r3", "set local role none", "begin", "commit", "rollback", "end", "abort", "savepoint s",
      "rollback to savepoint s", "release savepoint s", "select 1");

  /** The ends or changes written before the command in the text prepared early ("" for none). */
  private static final List<String> BEFORE = List.of("", "rollback; ", "commit; ", "end; ", "abort; ",
      "rollback to savepoint s; ", "select 1; rollback; ", "reset role; ", "set role r3; ");

  @Test
  void aTextDecidedAgainAtItsExecutionIsDecidedAsTheSameTextSentAfreshThen() throws Exception {
    PreparedTransactionEndServerTest.createObjects(POSTGRES);
    List<Command> commands = AuthCommands.COMMANDS.stream().filter(c -> c.dependence() == Dependence.USER).toList();
    Random random = new Random(SEED);
    Map<String, Integer> differences = new TreeMap<>();
    List<String> examples = new ArrayList<>();
    int decidedAgain = 0;
    int bothSent = 0;
    for (int n = 0; n < ROUNDS; n++) {
      Command command = commands.get(random.nextInt(commands.size()));
      String before = BEFORE.get(random.nextInt(BEFORE.size()));
      List<String> steps = new ArrayList<>();
      for (int i = 1 + random.nextInt(4); i > 0; i--) {
        steps.add(STEPS.get(random.nextInt(STEPS.size())));
      }
      Way way = Way.values()[random.nextInt(Way.values().length)];
      String marker = "dag" + n;
      String text = before + command.text(marker);
      Boolean again = sent(text, steps, way, false);
      if (again == null) {
        continue; // denied when prepared or added: nothing to decide again
      }
      decidedAgain++;
      boolean fresh = Boolean.TRUE.equals(sent(text, steps, way, true));
      if (again != fresh) {
        String key = way.name().toLowerCase(java.util.Locale.ROOT) + ": " + before + command.label() + (again ? " sent" : " denied")
            + " decided again, " + (fresh ? "sent" : "denied") + " afresh";
        differences.merge(key, 1, Integer::sum);
        if (examples.size() < 8) {
          examples.add(String.join("; ", steps) + " | " + key);
        }
      } else if (again) {
        bothSent++;
      }
    }
    assertThat(decidedAgain).as("rounds decided again").isGreaterThan(ROUNDS / 2);
    assertThat(bothSent).as("rounds in which both sent the text").isGreaterThan(decidedAgain / 10);
    assertThat(differences).as("%s; seed %s, %s rounds decided again", examples, SEED, decidedAgain).isEmpty();
  }

  /** How the text is decided early: prepared, one batch entry, or a batch entry per statement. */
  private enum Way { PREPARED, BATCH, SPLIT_BATCH }

  /** The entries of a batch holding {@code text} in {@code way}. */
  private static List<String> entries(String text, Way way) {
    return way == Way.SPLIT_BATCH ? List.of(text.split("; ")) : List.of(text);
  }

  /**
   * Whether the guard sent {@code text} at the end (not refused: the server's syntax error counts as
   * sent), or null when it was denied when prepared or added to the batch.
   */
  private static Boolean sent(String text, List<String> steps, Way way, boolean fresh) throws SQLException {
    boolean batch = way != Way.PREPARED;
    try (Connection connection = PreparedTransactionEndServerTest.user1(POSTGRES, "decided-again")) {
      PreparedStatement prepared;
      Statement batched = connection.createStatement();
      try {
        prepared = connection.prepareStatement(text);
        if (batch) {
          for (String entry : entries(text, way)) {
            batched.addBatch(entry);
          }
        }
      } catch (GuardDeniedException denied) {
        return null;
      }
      for (String step : steps) {
        try (Statement statement = connection.createStatement()) {
          statement.execute(step);
        } catch (SQLException e) {
          // refused by the server (no savepoint, no transaction) or the guard: alike on both connections
        }
      }
      try {
        DecidedAgainAgreesTest.execute(connection, text, fresh, batch ? entries(text, way) : null, batched, prepared);
      } catch (GuardDeniedException denied) {
        return false;
      } catch (SQLException e) {
        if (e.getCause() instanceof GuardDeniedException || e.getSQLState() != null
            && e.getSQLState().equals(GuardDeniedException.SQLSTATE)) {
          return false;
        }
        // the server's syntax error at the auth-carrying statement: it was sent
      }
      return true;
    }
  }
}
