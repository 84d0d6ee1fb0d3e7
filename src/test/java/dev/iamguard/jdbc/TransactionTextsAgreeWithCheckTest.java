package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.SqlScript;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script of transaction statements, GRANT and REVOKE ASSUMEROLE, statements that abort a
 * transaction block (VACUUM, which H2 refuses as Redshift refuses it in a block; a search_path naming
 * an external schema, which Redshift refuses and H2 does not know) or commit it
 * (TRUNCATE), and COPYs, sent through the driver in texts cut at random places, is allowed and
 * denied at each COPY as {@code check} decides the whole script (whose reading
 * {@code GrantTransactionsDifferentialTest} holds to PostgreSQL). Before, a BEGIN in one text and
 * the ROLLBACK, VACUUM or COMMIT in later ones were not followed (probe 23d F6, probe 23b F1): a
 * grant the server took back allowed the COPY.
 */
class TransactionTextsAgreeWithCheckTest {
  private static final String CHAIN = "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'";
  private static final String COPY = "copy t from 's3://companyb/redshift/x/' iam_role " + CHAIN;
  /** The sample registry: user3 holds no grant on the chain until a GRANT in the script. */
  private static final Path REGISTRY = Path.of("samples/registry.yaml");

  @TempDir
  Path dir;

  @Test
  void theDriverAllowsEachCopyAsCheckDoes() throws Exception {
    Guard guard = new Guard(RegistryLoader.load(REGISTRY));
    Random random = new Random(2026120323L);
    int probes = 0;
    int allowed = 0;
    for (int i = 0; i < 120; i++) {
      List<String> steps = script(random);
      List<Boolean> checked = checkAnswers(guard, steps);
      List<Boolean> driven = new ArrayList<>();
      List<String> texts = texts(steps, random);
      try (Connection connection = open(); Statement statement = connection.createStatement()) {
        statement.execute("create table t (x int)");
        for (String text : texts) {
          if (text.equals(COPY)) {
            driven.add(copyAllowed(statement));
            continue;
          }
          try {
            statement.execute(text);
          } catch (GuardDeniedException e) {
            throw new AssertionError("denied: " + text, e);
          } catch (SQLException e) {
            // VACUUM: refused in a transaction block (and by H2 anywhere); search_path: refused
          }
        }
      }
      assertThat(driven).as("case %d, texts:%n%s", i, String.join("\n", texts)).isEqualTo(checked);
      probes += checked.size();
      allowed += (int) checked.stream().filter(b -> b).count();
    }
    assertThat(probes).isGreaterThan(300);
    assertThat(allowed).as("some COPYs are allowed").isGreaterThan(30).isLessThan(probes - 30);
  }

  /**
   * A transaction a text's BEGIN opened (auto-commit then off) and a text's ROLLBACK ended, then a
   * GRANT in auto-commit, a text that fails, and a COMMIT outside any transaction: the grant stays,
   * as check says. Before, the BEGIN's mark outlived the rollback, so the failure was read as
   * aborting a transaction and the COMMIT took the grant back (found by the search_path steps).
   */
  @Test
  void aRolledBackTransactionLeavesNoMarkOnTheGrantsAfterIt() throws Exception {
    Guard guard = new Guard(RegistryLoader.load(REGISTRY));
    String grant = "grant assumerole on " + CHAIN + " to user3 for copy";
    for (String failing : List.of("vacuum t", "set search_path to spectrum", "select * from no_such_table")) {
      for (String end : List.of("abort transaction; truncate table t", "rollback", "abort")) {
        List<String> steps = List.of("start transaction", grant, end, grant, COPY, failing, COPY, "commit", COPY);
        List<Boolean> driven = new ArrayList<>();
        try (Connection connection = open(); Statement statement = connection.createStatement()) {
          statement.execute("create table t (x int)");
          for (String text : steps) {
            if (text.equals(COPY)) {
              driven.add(copyAllowed(statement));
            } else {
              try {
                statement.execute(text);
              } catch (GuardDeniedException e) {
                throw new AssertionError("denied: " + text, e);
              } catch (SQLException e) {
                // the failing text
              }
            }
          }
        }
        List<String> checked = new ArrayList<>(steps);
        checked.replaceAll(step -> step.startsWith("select") ? "vacuum t" : step); // check cannot know the table is missing
        assertThat(driven).as("%s / %s", end, failing).isEqualTo(checkAnswers(guard, checked))
            .containsExactly(true, true, true);
      }
    }
  }

  private Connection open() throws Exception {
    // the COPY finds its object: a COPY that failed would abort the transaction, as in Redshift
    Path object = dir.resolve("s3/companyb/redshift/x/part.txt");
    java.nio.file.Files.createDirectories(object.getParent());
    java.nio.file.Files.writeString(object, "1\n");
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", REGISTRY.toString());
    properties.setProperty("iamguard.user", "user3");
    properties.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    return DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID(), properties);
  }

  private static boolean copyAllowed(Statement statement) throws SQLException {
    try {
      statement.execute(COPY);
      return true;
    } catch (GuardDeniedException e) {
      return false;
    }
  }

  private static final String[] BEGINS = {"begin", "begin /* c */ transaction", "start transaction",
      "start /* c */ transaction", "begin isolation level serializable", "begin read only",
      "start transaction read write, read only"};
  private static final String[] SEARCH_PATHS = {"set search_path to spectrum", "SET search_path = public, \"Spectrum\"",
      "set session search_path to '$user', spectrum"};
  private static final String[] COMMITS = {"commit", "commit /* c */ work", "end", "end transaction"};
  private static final String[] ROLLBACKS = {"rollback", "rollback -- c\n work", "abort", "abort transaction"};

  /** Statements in an order a session may send them (each a statement of its own, no semicolon). */
  private static List<String> script(Random random) {
    List<String> steps = new ArrayList<>();
    int length = 4 + random.nextInt(10);
    boolean inTransaction = false;
    boolean aborted = false;
    boolean readOnly = false;
    for (int n = 0; n < length; n++) {
      // in an aborted transaction the server runs nothing but its end (the driver reads the
      // statements there strictly, check as the transaction's)
      switch (aborted ? 4 + random.nextInt(2) : random.nextInt(13)) {
        case 0, 1 -> {
          steps.add("grant assumerole on " + CHAIN + " to user3 for copy");
          aborted = readOnly && inTransaction; // a GRANT fails in a read-only transaction
        }
        case 2 -> {
          steps.add("revoke assumerole on " + CHAIN + " from user3 for copy");
          aborted = readOnly && inTransaction;
        }
        // Redshift's spellings, which the emulation writes as H2's (probe 23e F4: H2 refused START
        // TRANSACTION, BEGIN with modes, END and ABORT, and a failed text opens no transaction)
        case 3 -> {
          if (!inTransaction) {
            String begin = BEGINS[random.nextInt(BEGINS.length)];
            steps.add(begin);
            readOnly = begin.endsWith("read only");
            inTransaction = true;
          }
        }
        case 4 -> {
          steps.add(COMMITS[random.nextInt(COMMITS.length)]);
          inTransaction = false;
          aborted = false;
          readOnly = false;
        }
        case 5 -> {
          // only in a transaction: check reads a ROLLBACK outside one strictly (it takes back the
          // grants since the last commit), where the driver knows auto-commit kept them
          if (inTransaction) {
            steps.add(ROLLBACKS[random.nextInt(ROLLBACKS.length)]);
            inTransaction = false;
            aborted = false;
            readOnly = false;
          }
        }
        case 6 -> {
          steps.add("vacuum t");
          aborted = inTransaction;
        }
        case 11 -> {
          // an external schema in search_path: Redshift refuses it (probe 23e F8), H2 has no such
          // setting and refuses it too
          steps.add(SEARCH_PATHS[random.nextInt(SEARCH_PATHS.length)]);
          aborted = inTransaction;
        }
        case 7 -> {
          // only outside a transaction: H2's BEGIN turns auto-commit off until a COMMIT or ROLLBACK,
          // so after a TRUNCATE committed the block H2 holds the next statements open, Redshift not
          if (!inTransaction) {
            steps.add("truncate table t");
          }
        }
        default -> steps.add(COPY);
      }
    }
    if (aborted) {
      steps.add("commit");
    }
    steps.add(COPY);
    return steps;
  }

  /**
   * The steps joined into texts at random cuts; a COPY always a text of its own, to read its
   * answer, and a VACUUM too: H2 refuses it anywhere, which would fail the statements beside it.
   */
  private static List<String> texts(List<String> steps, Random random) {
    List<String> texts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (String step : steps) {
      if (step.equals(COPY) || step.startsWith("vacuum") || step.toLowerCase(java.util.Locale.ROOT).contains("search_path")) {
        if (text.length() > 0) {
          texts.add(text.toString());
          text.setLength(0);
        }
        texts.add(step);
        continue;
      }
      text.append(text.length() > 0 ? "; " : "").append(step);
      if (random.nextInt(3) > 0) {
        texts.add(text.toString());
        text.setLength(0);
      }
    }
    if (text.length() > 0) {
      texts.add(text.toString());
    }
    return texts;
  }

  /** What {@code check} answers at each COPY of the whole script, read from outside a transaction. */
  private static List<Boolean> checkAnswers(Guard guard, List<String> steps) {
    Session session = Session.of("user3", null);
    session = session.withGrants(session.grants().commit());
    Decision decision = guard.inspect(SqlScript.parse(String.join(";\n", steps) + ";"), session);
    List<Boolean> answers = new ArrayList<>();
    for (StatementDecision d : decision.statements()) {
      if (d.statement().command().kind() == CommandKind.COPY) {
        answers.add(d.verdict() == Verdict.ALLOW);
      }
    }
    return answers;
  }
}
