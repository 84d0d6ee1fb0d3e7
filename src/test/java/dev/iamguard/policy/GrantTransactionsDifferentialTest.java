package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.LocalPostgres;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.sql.SqlScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server is the oracle of what a transaction does to a GRANT: PostgreSQL, as Redshift, keeps
 * a privilege granted or revoked in a transaction only if it commits, and psql runs a script in
 * auto-commit mode (a statement outside BEGIN commits at once; a ROLLBACK there changes nothing).
 * Generated scripts of BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT, SAVEPOINT, ROLLBACK
 * TO, VACUUM (which aborts a transaction it runs in), a search_path naming an external schema (which
 * Redshift refuses; a failing statement stands for it on PostgreSQL) and GRANT/REVOKE run twice: through psql against a throwaway PostgreSQL with GRANT SELECT on
 * a table, asking {@code has_table_privilege} at each probe, and through the guard with GRANT
 * ASSUMEROLE on a chain, asking whether a COPY through the chain is allowed at the same probe, cut
 * into chunks as {@code check} streams a script. Where the guard allows, the server holds the
 * privilege (a grant rolled back kept allowing the COPY: probe 22a F4); where the script is one the
 * guard follows exactly (no savepoint, no ROLLBACK outside a BEGIN), both agree at every probe.
 */
class GrantTransactionsDifferentialTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();
  private static final String CHAIN = "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'";

  @TempDir
  Path dir;

  /** One step of a script: what psql runs and what the guard reads, and whether it is a probe. */
  private record Step(String server, String guard, boolean probe) {}

  @Test
  void theGuardKeepsAGrantOnlyWhereTheServerDoes() throws Exception {
    Path setup = dir.resolve("setup.sql");
    Files.writeString(setup, "create role u_probe; create table gt (x int);\n");
    POSTGRES.psqlScript(setup);
    Guard guard = new Guard(RegistryLoader.load(Path.of("samples/registry.yaml")));
    Random random = new Random(20261202L);
    int exact = 0;
    int probes = 0;
    for (int i = 0; i < 200; i++) {
      List<Step> steps = script(random);
      // SAVEPOINT and ROLLBACK TO SAVEPOINT (however spelled) are followed strictly, not exactly
      boolean followedExactly = steps.stream().noneMatch(s -> s.guard().contains("savepoint"))
          && rollbacksFollowABegin(steps);
      List<Boolean> server = serverAnswers(steps, i);
      List<Integer> cuts = new ArrayList<>();
      List<Boolean> guarded = guardAnswers(guard, steps, random, cuts);
      assertThat(server).as("probes of case %d", i).hasSameSizeAs(guarded);
      for (int k = 0; k < server.size(); k++) {
        String context = "case " + i + " probe " + (k + 1) + ", chunks ending after steps " + cuts + ":\n" + String.join("\n", steps.stream().map(Step::guard).toList());
        if (guarded.get(k)) {
          assertThat(server.get(k)).as("the guard allows where the server holds no privilege, " + context).isTrue();
        }
        if (followedExactly) {
          assertThat(guarded.get(k)).as(context).isEqualTo(server.get(k));
        }
      }
      exact += followedExactly ? 1 : 0;
      probes += server.size();
    }
    assertThat(exact).as("scripts the guard follows exactly").isGreaterThan(30);
    assertThat(probes).isGreaterThan(300);
  }

  private static List<Step> script(Random random) {
    List<Step> steps = new ArrayList<>();
    boolean inTransaction = false;
    boolean aborted = false;
    boolean readOnly = false;
    int savepoints = 0;
    int length = 4 + random.nextInt(10);
    for (int n = 0; n < length; n++) {
      // in an aborted transaction the server runs nothing but its end, or a rollback to a savepoint
      int step = aborted ? (random.nextInt(3) == 0 ? 9 : 4 + random.nextInt(2)) : random.nextInt(12);
      if (step == 4 || step == 5) {
        aborted = false;
      }
      switch (step) {
        case 0, 1 -> {
          steps.add(new Step("grant select on gt to u_probe;", "grant assumerole on " + CHAIN + " to user3 for copy;",
              false));
          aborted = readOnly; // "cannot execute GRANT in a read-only transaction" (probe 23d F3)
        }
        case 2 -> {
          steps.add(new Step("revoke select on gt from u_probe;", "revoke assumerole on " + CHAIN
              + " from user3 for copy;", false));
          aborted = readOnly;
        }
        case 3 -> {
          String begin = spelled(random.nextBoolean() ? "begin" : random.nextBoolean() ? "start transaction"
              : "begin work", random);
          // a read-only transaction, by its BEGIN or by SET TRANSACTION after it (probe 23d F3)
          int mode = inTransaction ? 0 : random.nextInt(6);
          begin += mode == 1 ? " read only;" : mode == 2 ? ";\nset transaction read only;" : ";";
          steps.add(new Step(begin, begin, false));
          readOnly = readOnly || mode == 1 || mode == 2;
          inTransaction = true;
          savepoints = 0;
        }
        case 4 -> {
          String end = spelled(random.nextBoolean() ? "commit" : random.nextBoolean() ? "end" : "commit work", random)
              + ";";
          steps.add(new Step(end, end, false));
          inTransaction = false;
          readOnly = false;
        }
        case 5 -> {
          String rollback = spelled(random.nextBoolean() ? "rollback" : random.nextBoolean() ? "abort"
              : "rollback transaction", random) + ";";
          steps.add(new Step(rollback, rollback, false));
          inTransaction = false;
          readOnly = false;
        }
        case 6 -> {
          if (inTransaction) {
            savepoints++;
            steps.add(new Step("savepoint s" + savepoints + ";", "savepoint s" + savepoints + ";", false));
          }
        }
        case 7 -> {
          if (inTransaction && savepoints > 0) {
            // a savepoint that exists: an error would abort the transaction, which the guard does not model
            String to = spelled("rollback to savepoint s" + (1 + random.nextInt(savepoints)), random) + ";";
            steps.add(new Step(to, to, false));
          }
        }
        case 9 -> {
          // in an aborted transaction: a savepoint set before the abort recovers it, one never set (or
          // none) leaves it aborted; the guard keeps it aborted either way (probe 23d F2)
          int k = 1 + random.nextInt(savepoints + 1);
          String to = spelled("rollback to savepoint s" + k, random) + ";";
          steps.add(new Step(to, to, false));
          aborted = k > savepoints;
        }
        case 8 -> {
          // refused in a transaction block, which it aborts: the COMMIT after it rolls back (probe 22d F2)
          steps.add(new Step("vacuum gt;", "vacuum gt;", false));
          aborted = inTransaction;
        }
        case 10 -> {
          // Redshift refuses an external schema in search_path (probe 23e F8); PostgreSQL has no
          // external schemas, so a statement it refuses stands for it there: both fail, and in a
          // transaction both abort it
          steps.add(new Step("select 1/0;", spelled("set search_path to public, spectrum", random) + ";", false));
          aborted = inTransaction;
        }
        default -> steps.add(new Step("select has_table_privilege('u_probe', 'gt', 'select');",
            "copy t from 's3://companyb/redshift/x/' iam_role " + CHAIN + ";", true));
      }
    }
    if (aborted) {
      steps.add(new Step("commit;", "commit;", false));
    }
    steps.add(new Step("select has_table_privilege('u_probe', 'gt', 'select');",
        "copy t from 's3://companyb/redshift/x/' iam_role " + CHAIN + ";", true));
    return steps;
  }

  /** What PostgreSQL and Redshift both read as a separator between two words (probe 23d F1). */
  private static final String[] BETWEEN = {" ", " ", " ", "/* c */", "/**/", " /* a /* b */ c */ ", " -- c\n", "\n"};

  /** {@code words} with one of {@link #BETWEEN} between each two. */
  private static String spelled(String words, Random random) {
    return String.join(BETWEEN[random.nextInt(BETWEEN.length)], words.split(" "));
  }

  private static boolean rollbacksFollowABegin(List<Step> steps) {
    boolean open = false;
    for (Step step : steps) {
      String s = step.guard();
      if (s.startsWith("begin") || s.startsWith("start")) {
        open = true;
      } else if (s.startsWith("commit") || s.startsWith("end")) {
        open = false;
      } else if (s.startsWith("rollback") || s.startsWith("abort")) {
        if (!open) {
          return false;
        }
        open = false;
      }
    }
    return true;
  }

  private List<Boolean> serverAnswers(List<Step> steps, int i) throws Exception {
    Path file = dir.resolve("c" + i + ".sql");
    // each case starts from no privilege, committed
    Files.writeString(file, "revoke select on gt from u_probe;\n"
        + String.join("\n", steps.stream().map(Step::server).toList()) + "\nrollback;\n", StandardCharsets.UTF_8);
    return POSTGRES.psqlScript(file).lines().filter(line -> line.equals("t") || line.equals("f"))
        .map(line -> line.equals("t")).toList();
  }

  /** The guard's answer at each probe, the script cut into chunks read one after the other, as {@code check} streams it. */
  private static List<Boolean> guardAnswers(Guard guard, List<Step> steps, Random random, List<Integer> cuts) {
    List<Boolean> answers = new ArrayList<>();
    Session session = Session.of("user3", null);
    session = session.withGrants(session.grants().commit()); // as check starts a script: outside a transaction
    int at = 0;
    while (at < steps.size()) {
      int end = Math.min(steps.size(), at + 1 + random.nextInt(4));
      List<Step> chunk = steps.subList(at, end);
      Decision decision = guard.inspect(SqlScript.parse(String.join("\n", chunk.stream().map(Step::guard).toList())),
          session);
      List<StatementDecision> decided = decision.statements();
      int probe = 0;
      for (Step step : chunk) {
        if (step.probe()) {
          answers.add(decided.stream().filter(d -> d.statement().command().kind() == dev.iamguard.sql.CommandKind.COPY)
              .skip(probe++).findFirst().orElseThrow().verdict() == Verdict.ALLOW);
        }
      }
      session = decision.sessionAfter();
      at = end;
      cuts.add(end);
    }
    return answers;
  }
}
