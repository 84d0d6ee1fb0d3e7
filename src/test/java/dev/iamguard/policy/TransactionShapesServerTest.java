package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.LocalPostgres;
import dev.iamguard.jdbc.SimpleQueryWire;
import dev.iamguard.sql.SessionEffects;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import dev.iamguard.sql.TransactionControl;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server is the oracle for what a transaction statement does: for every shape built from the
 * heads of BEGIN, START, COMMIT, END, ROLLBACK, ABORT, SAVEPOINT, RELEASE, ROLLBACK TO and the
 * two-phase statements, the optional WORK or TRANSACTION, and what may follow them (modes, AND
 * CHAIN, a word, a comma, comments), in both cases and with comments between the words,
 * PostgreSQL 15 runs it inside {@code begin; savepoint s; revoke ...} and says (its transaction
 * status and the privilege afterwards) whether it committed, rolled back, rolled back to the
 * savepoint, left the transaction open or aborted it. The guard's {@link TransactionControl} must
 * say the same: it decides whether a REVOKE ASSUMEROLE in the transaction stays.
 *
 * <p>Not compared here: a refusal for the transaction's state rather than the shape:
 * {@code ROLLBACK TO} or {@code RELEASE} of a savepoint never set, and
 * {@code SET TRANSACTION ISOLATION LEVEL} or {@code DEFERRABLE} after the first query or a
 * SAVEPOINT, also as BEGIN ISOLATION LEVEL inside a transaction (each aborts the transaction on
 * the server), nor READ WRITE after READ ONLY in one SET TRANSACTION: the guard follows those by
 * the transaction's state, which {@link TransactionStateServerTest} compares with the server.
 *
 * <p>Shapes with AND CHAIN are left out: PostgreSQL 12 and later run them, Redshift (of PostgreSQL
 * 8.0) refuses them as syntax errors (probe 23d F5), so PostgreSQL is no oracle there.
 */
class TransactionShapesServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /** What a statement did to the transaction it ran in, as the server shows it. */
  enum Outcome { OPEN, COMMIT, ROLLBACK, ROLLBACK_TO_SAVEPOINT, ABORTED }

  private static final String[] BETWEEN = {" ", "/* c */", " -- c\n", "\n", "/**/"};

  static List<String> shapes() {
    List<String> heads = new ArrayList<>();
    for (String template : List.of("begin{w}", "commit{w}", "end{w}", "rollback{w}", "abort{w}", "rollback{w} to s",
        "rollback{w} to savepoint s", "abort{w} to savepoint s", "abort{w} to s", "rollback{w} to savepoint nosuch",
        "commit{w} prepared 'x'", "rollback{w} prepared 'x'")) {
      for (String w : List.of("", " work", " transaction")) {
        heads.add(template.replace("{w}", w));
      }
    }
    heads.addAll(List.of("start transaction", "start", "start work", "savepoint s", "release s", "release savepoint s",
        "release savepoint nosuch", "prepare transaction 'x'", "set transaction read only", "set transaction read write",
        "set transaction isolation level serializable", "savepoint", "release", "end prepared 'x'", "savepoint select",
        "release select", "rollback to select", "savepoint \"select\"", "release \"select\"", "savepoint s.x",
        "prepare transaction 'x' 'y'"));
    // statements prepared under the name "transaction": a word after them breaks the SELECT, which
    // is any failing statement, not a transaction statement's shape
    List<String> prepared = List.of("prepare transaction as select 1", "prepare transaction(int) as select $1");
    List<String> shapes = new ArrayList<>();
    int n = 0;
    for (String head : prepared) {
      for (String tail : List.of("", " -- c", " /* c */")) {
        shapes.add(String.join(BETWEEN[n++ % BETWEEN.length], head.split(" ", -1)) + tail);
      }
    }
    for (String head : heads) {
      for (String tail : List.of("", " isolation level serializable", " read only", " read write", " x", ", x",
          " deferrable", " not deferrable", " to s", " -- c", " /* c */", " s", "()", " 'x'", " work", " transaction",
          " savepoint s", " isolation level read committed, read only")) {
        for (boolean upper : new boolean[] {false, true}) {
          String shape = String.join(BETWEEN[n++ % BETWEEN.length], head.split(" ", -1)) + tail;
          shapes.add(upper ? shape.toUpperCase(Locale.ROOT) : shape);
        }
      }
    }
    return shapes;
  }

  /** The shapes compared: all but those with AND CHAIN (see the class). */
  static List<String> comparedShapes() {
    return shapes().stream().filter(shape -> !shape.toLowerCase(Locale.ROOT).contains("chain")).toList();
  }

  /**
   * Whether the server's {@code error} refused a shape for the state of the transaction, not for
   * its words: a savepoint it does not have, an isolation level set after the first query or after
   * a SAVEPOINT ("must not be called in a subtransaction"), READ WRITE after READ ONLY (the guard
   * does not follow these, see the class: a GRANT after such a statement is counted by the guard,
   * refused by the server in the aborted transaction).
   */
  private static boolean refusedForState(String error) {
    return error != null && (error.contains("before any query") || error.contains("in a subtransaction")
        || error.matches("savepoint \".*\" does not exist")
        || error.contains("read-write mode inside a read-only transaction"));
  }

  private static final String PRIVILEGE = "select has_table_privilege('u_probe', 'gt', 'select')";

  /**
   * What the server did with {@code shape}, run after {@code begin; savepoint s; revoke ...}; null
   * when it refused it for the state of the transaction ({@link #refusedForState}).
   */
  private static Outcome serverOutcome(SimpleQueryWire server, String shape) throws Exception {
    server.query("rollback");
    server.query("grant select on gt to u_probe");
    server.query("begin");
    server.query("savepoint s");
    server.query("revoke select on gt from u_probe");
    if (refusedForState(server.query(shape + "\n").error())) {
      return null;
    }
    char status = server.transactionStatus();
    boolean undoneInside = status == 'T' && "t".equals(server.query(PRIVILEGE).values().get(0));
    server.query("rollback");
    boolean undone = "t".equals(server.query(PRIVILEGE).values().get(0));
    server.query("rollback prepared 'x'");
    server.query("deallocate all"); // a statement prepared by PREPARE transaction AS ... outlives its transaction
    return switch (status) {
      case 'E' -> Outcome.ABORTED;
      case 'I' -> undone ? Outcome.ROLLBACK : Outcome.COMMIT;
      default -> undoneInside ? Outcome.ROLLBACK_TO_SAVEPOINT : undone ? Outcome.OPEN : Outcome.COMMIT;
    };
  }

  private static Outcome guardOutcome(TransactionControl control) {
    return switch (control) {
      case NONE, BEGIN, BEGIN_READ_ONLY, READ_ONLY, SAVEPOINT, RELEASE_SAVEPOINT, SET_TRANSACTION -> Outcome.OPEN;
      case COMMIT -> Outcome.COMMIT;
      case ROLLBACK -> Outcome.ROLLBACK;
      case ROLLBACK_TO_SAVEPOINT -> Outcome.ROLLBACK_TO_SAVEPOINT;
      case ABORTS_A_TRANSACTION -> Outcome.ABORTED;
    };
  }

  @Test
  void theGuardReadsEachTransactionShapeAsTheServerRunsIt() throws Exception {
    List<String> disagreements = new ArrayList<>();
    java.util.Map<Outcome, Integer> seen = new java.util.EnumMap<>(Outcome.class);
    try (SimpleQueryWire server = SimpleQueryWire.redshiftLike(POSTGRES)) {
      server.query("create role u_probe");
      server.query("create table gt (x int)");
      for (String shape : comparedShapes()) {
        Outcome server1 = serverOutcome(server, shape);
        if (server1 == null) {
          continue;
        }
        seen.merge(server1, 1, Integer::sum);
        List<SqlStatement> statements = SqlScript.parse(shape).statements();
        if (statements.size() != 1) {
          disagreements.add(SimpleQueryWire.printable(shape) + " -> server " + server1 + ", guard reads "
              + statements.size() + " statements");
          continue;
        }
        Outcome guard = guardOutcome(TransactionControl.of(statements.get(0)));
        int effects = SqlScript.parse(shape).effects();
        boolean undoes = SessionEffects.has(effects, SessionEffects.UNDOES);
        if (guard != server1) {
          disagreements.add(SimpleQueryWire.printable(shape) + " -> server " + server1 + ", guard " + guard);
        } else if (server1 != Outcome.OPEN && server1 != Outcome.ABORTED && !undoes) {
          disagreements.add(SimpleQueryWire.printable(shape) + " -> server " + server1
              + ", guard's effects lack UNDOES (a SET SESSION AUTHORIZATION before it is kept)");
        }
      }
    }
    assertThat(disagreements).as("seen %s", seen).isEmpty();
    assertThat(seen.keySet()).containsExactlyInAnyOrder(Outcome.values());
  }

  private static final String CHAIN = "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'";
  private static final String COPY = "copy t from 's3://companyb/redshift/x/' iam_role " + CHAIN + ";";

  /** One script of the comparison: a GRANT (from none) or a REVOKE (from held), before or after the shape, and the end. */
  private record Case(boolean grant, boolean after, String end) {
    static final List<Case> ALL = List.of(new Case(true, false, "commit"), new Case(true, false, "rollback"),
        new Case(false, false, "commit"), new Case(false, false, "rollback"), new Case(true, true, "commit"),
        new Case(true, true, "rollback"), new Case(false, true, "commit"), new Case(false, true, "rollback"));

    String describe(String shape) {
      String change = grant ? "grant" : "revoke";
      return after ? "begin; savepoint s; " + SimpleQueryWire.printable(shape) + "; " + change + "; " + end
          : "begin; savepoint s; " + change + "; " + SimpleQueryWire.printable(shape) + "; " + end;
    }
  }

  /**
   * Whether the server holds the privilege after {@code begin; savepoint s;}, the change before or
   * after {@code shape}, and the end; null when it refused {@code shape} for the transaction's state.
   */
  private static Boolean serverHolds(SimpleQueryWire server, Case c, String shape) throws Exception {
    String change = c.grant() ? "grant select on gt to u_probe" : "revoke select on gt from u_probe";
    server.query("rollback");
    server.query(c.grant() ? "revoke select on gt from u_probe" : "grant select on gt to u_probe");
    server.query("begin");
    server.query("savepoint s");
    if (!c.after()) {
      server.query(change);
    }
    String error = server.query(shape + "\n").error();
    if (c.after()) {
      server.query(change); // refused in a transaction the shape aborted
    }
    server.query(c.end());
    Boolean holds = "t".equals(server.query(PRIVILEGE).values().get(0));
    server.query("rollback");
    server.query("rollback prepared 'x'");
    server.query("deallocate all");
    return refusedForState(error) ? null : holds;
  }

  /**
   * A ROLLBACK TO SAVEPOINT is followed strictly: the guard does not know where the savepoint was
   * set, so it takes back the grants of the transaction and keeps its revokes (GrantChanges).
   */
  private static boolean rollsBackToASavepoint(String shape) {
    List<SqlStatement> statements = SqlScript.parse(shape).statements();
    return statements.size() == 1 && TransactionControl.of(statements.get(0)) == TransactionControl.ROLLBACK_TO_SAVEPOINT;
  }

  /** Whether {@code check} allows the COPY after the same script, the grant or revoke one of ASSUMEROLE on a chain. */
  private static boolean guardAllows(Guard guard, Case c, String shape) {
    Session session = Session.of("user3", null);
    session = session.withGrants(session.grants().commit()); // as check starts a script: outside a transaction
    String change = c.grant() ? "grant assumerole on " + CHAIN + " to user3 for copy;"
        : "revoke assumerole on " + CHAIN + " from user3 for copy;";
    String script = (c.grant() ? "" : "grant assumerole on " + CHAIN + " to user3 for copy;\n") + "begin;\nsavepoint s;\n"
        + (c.after() ? "" : change + "\n") + shape + "\n;\n" + (c.after() ? change + "\n" : "") + c.end() + ";\n" + COPY;
    Decision decision = guard.inspect(SqlScript.parse(script), session);
    return decision.statements().stream().filter(d -> d.statement().command().kind() == CommandKind.COPY)
        .findFirst().orElseThrow().verdict() == Verdict.ALLOW;
  }

  /**
   * {@code check} of a script with a GRANT or REVOKE ASSUMEROLE in a transaction, before or after
   * the shape, a COMMIT or ROLLBACK, then a COPY through the chain: it allows the COPY exactly where the server,
   * running the same script with a table privilege in place of ASSUMEROLE, holds the privilege.
   * Allowing where the server does not hold it passes what the cluster refuses. (Before the fix,
   * with a shape the server refuses read as leaving the transaction open, a GRANT made before it
   * and committed allowed the COPY, and so did one made after it, which the server refused in the
   * aborted transaction.)
   */
  @Test
  void checkAllowsTheCopyAfterEachShapeExactlyWhereTheServerHoldsThePrivilege() throws Exception {
    Guard guard = new Guard(RegistryLoader.load(Path.of("samples/registry.yaml")));
    List<String> allowedNotHeld = new ArrayList<>();
    List<String> deniedHeld = new ArrayList<>();
    int compared = 0;
    try (SimpleQueryWire server = SimpleQueryWire.redshiftLike(POSTGRES)) {
      server.query("create role u_probe");
      server.query("create table gt (x int)");
      for (String shape : comparedShapes()) {
        for (Case c : Case.ALL) {
          Boolean holds = serverHolds(server, c, shape);
          if (holds == null) {
            continue;
          }
          compared++;
          boolean allows = guardAllows(guard, c, shape);
          if (allows && !holds) {
            allowedNotHeld.add(c.describe(shape));
          } else if (!allows && holds && !rollsBackToASavepoint(shape) && !(c.after() && c.end().equals("rollback"))) {
            // (a change after a shape that ended the transaction, then a ROLLBACK outside one: its grants
            // are taken back and its revokes kept, the strict reading the README describes)
            deniedHeld.add(c.describe(shape));
          }
        }
      }
    }
    assertThat(allowedNotHeld).as("check allows the COPY, the server holds no privilege").isEmpty();
    assertThat(deniedHeld).as("check denies the COPY, the server holds the privilege").isEmpty();
    assertThat(compared).isGreaterThan(6000);
  }
}
