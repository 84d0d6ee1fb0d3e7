package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.ScriptProcedures;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Severity;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.sql.ProcedureChanges;
import dev.iamguard.sql.RoutineCalls;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a {@code CALL} (or a {@code DO} block) of procedures the script created, where no catalog
 * can be asked ({@code check}): a procedure's body was judged for its creator when it was created,
 * but a SECURITY INVOKER body runs its COPY as whoever calls it, and a SECURITY DEFINER one as its
 * owner at the CALL (red-team review: {@code create procedure p2 ... COPY ...; set session
 * authorization user3; call p2();} passed check, and the server ran the COPY as user3). So every
 * body the CALL may run ({@link ScriptProcedures#named}) is judged again for who runs it then, and
 * in turn every procedure of the script those bodies call ({@link RoutineCalls}), as who runs that
 * body: its caller's runner for an invoker, its owner for a definer. A name that cannot be read, or
 * a chain deeper than {@link #MAX_NESTING}, is refused. A procedure the script did not create is
 * not judged: what it runs only the server knows.
 */
public final class ProcedureCalls {
  /** How deep procedures may call procedures before the guard stops reading and refuses (as on a connection). */
  public static final int MAX_NESTING = 16;

  private final StatementInspector inspector;
  private final SqlStatement call;
  private final ScriptProcedures procedures;
  /** What denies the CALL: the findings of the bodies denied for who runs them, and the refusals. */
  private final List<Finding> findings = new ArrayList<>(0);
  /**
   * The users each procedure's body was judged for, by its CREATE statement: not by that statement's
   * number and offset, which a CREATE of another text (an earlier execution, an earlier script of
   * check) shares, and whose body was then passed over as judged already (p1's COPY, created alone
   * like p0, which calls it, ran as user3 unjudged).
   */
  private final Map<SqlStatement, Set<String>> judged = new IdentityHashMap<>();

  private ProcedureCalls(StatementInspector inspector, SqlStatement call, ScriptProcedures procedures) {
    this.inspector = inspector;
    this.call = call;
    this.procedures = procedures;
  }

  /**
   * The decision on {@code statement} run by {@code runner}, when it is a CALL or a DO block; null
   * for any other statement. Denied when a body it may run is denied for who runs it.
   */
  public static StatementDecision decide(StatementInspector inspector, SqlStatement statement, Session runner,
      ScriptProcedures procedures) {
    List<List<String>> names;
    List<String> called = statement.calledProcedure();
    if (called != null) {
      names = List.of(called);
    } else if (statement.startsDoBlock()) {
      names = RoutineCalls.in(statement.text()); // a DO block's body, as a procedure's: what it may call
    } else {
      return null;
    }
    ProcedureCalls calls = new ProcedureCalls(inspector, statement, procedures);
    if (procedures.changedByCall() != null && !names.isEmpty()) {
      // red-team review: call maker(), whose body EXECUTEs a CREATE PROCEDURE p() ... COPY ..., then
      // set session authorization user3 and call p(): p was no statement of the script, and its COPY
      // ran as user3 unjudged
      calls.refuse("an earlier CALL or DO block (" + procedures.changedByCall() + ", in this text or an earlier one)"
          + " ran a body that may create or change procedures with SQL the script does not write as statements"
          + " (a CREATE or ALTER of a procedure, function or schema in its code or in a text it EXECUTEs), so what"
          + " this CALL runs cannot be read from the script",
          "create and change procedures with statements of the script itself, or decide the CALL against the"
          + " server (the driver on a server that reports who runs it)");
    }
    for (List<String> name : names) {
      calls.judge(name, runner, null, 0);
    }
    if (calls.findings.isEmpty()) {
      return new StatementDecision(statement, Verdict.ALLOW, List.of(), null, List.of());
    }
    return new StatementDecision(statement, Verdict.DENY, calls.findings, null, List.of());
  }

  private void judge(List<String> name, Session runner, String path, int depth) {
    if (name.isEmpty()) {
      refuse((path == null ? "the procedure it calls" : path + " calls a procedure whose name") + " cannot be read"
          + " (a name built at run time, or written in Unicode escapes), so what it runs cannot be judged for who"
          + " runs it", "call it by its name written plainly");
      return;
    }
    String here = path == null ? String.join(".", name) : path + " -> " + String.join(".", name);
    for (ScriptProcedures.Procedure procedure : procedures.named(name)) {
      if (depth >= MAX_NESTING) {
        refuse(here + " nests procedures more than " + MAX_NESTING + " deep, beyond what the guard reads to judge"
            + " them for who runs them", "call fewer procedures deep");
        return;
      }
      List<Session> runners = new ArrayList<>(2);
      if (procedure.invoker()) {
        runners.add(runner);
      }
      if (procedure.definer()) {
        for (String owner : procedure.owners()) {
          runners.add(runner.ownedBy(owner, String.join(".", procedure.name())));
        }
      }
      String own = RoutineCalls.identityChangeIn(procedure.body());
      // a loop runs the body again after its own change, and what it calls may run after a called one's;
      // a SET clause of the procedure's own sets who runs all of its body (PostgreSQL ran its COPY as r3)
      String change = procedure.identitySetting() != null ? "'" + procedure.identitySetting() + "' of the definition of " + here
          : own != null ? own + " of the body of " + here
          : RoutineCalls.identityChangeDown(RoutineCalls.in(procedure.body()), this::bodiesOf, depth + 1, MAX_NESTING);
      for (Session runs : runners) {
        Session session = change == null ? runs : runs.changedBy(change);
        String who = session.identityKnown() ? session.user() : "a user the script does not name";
        if (!judged.computeIfAbsent(procedure.definition(), d -> new HashSet<>()).add(who)) {
          continue; // judged for this user already: a procedure that calls itself, or a cycle
        }
        String outer = "the procedure " + here + " that statement " + call.index() + " (line " + call.line()
            + ") calls, which runs as " + who;
        StatementDecision decision = inspector.inspect(procedure.definition(), session, outer, new ArrayList<>(0));
        if (decision.verdict() == Verdict.DENY) {
          for (Finding finding : decision.allFindings()) {
            if (finding.severity() == Severity.ERROR) {
              // placed at the CALL, which a report names: the body may stand in an earlier script
              findings.add(new Finding(finding.rule(), finding.message(), finding.subject(), finding.remedy(),
                  call.start(), finding.severity(), finding.role()));
            }
          }
        }
        for (List<String> next : RoutineCalls.in(procedure.body())) {
          judge(next, session, here, depth + 1);
        }
      }
    }
  }

  /**
   * Whether {@code statement}, a CALL or a DO block, runs a body that may create or change
   * procedures with SQL the script does not write as statements ({@link ProcedureChanges#mayChangeRoutines}):
   * the DO block's own code, or the body of a procedure of the script it calls, down the chain.
   */
  public static boolean changesRoutines(SqlStatement statement, ScriptProcedures procedures) {
    List<String> called = statement.calledProcedure();
    if (called == null && !statement.startsDoBlock()) {
      return false;
    }
    if (called == null) {
      String code = statement.doBlockCode(); // the block's code: the DO statement itself counts as one that may
      if (code == null || ProcedureChanges.mayChangeRoutines(code)) {
        return true;
      }
    }
    List<List<String>> names = called != null ? List.of(called) : RoutineCalls.in(statement.text());
    return changesRoutines(names, procedures, java.util.Collections.newSetFromMap(new IdentityHashMap<>()), 0);
  }

  private static boolean changesRoutines(List<List<String>> names, ScriptProcedures procedures, Set<SqlStatement> seen,
      int depth) {
    for (List<String> name : names) {
      if (name.isEmpty()) {
        continue; // a name built at run time: the CALL is refused for it (judge)
      }
      for (ScriptProcedures.Procedure procedure : procedures.named(name)) {
        if (depth >= MAX_NESTING || !seen.add(procedure.definition())) {
          continue;
        }
        if (ProcedureChanges.mayChangeRoutines(procedure.body())
            || changesRoutines(RoutineCalls.in(procedure.body()), procedures, seen, depth + 1)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The bodies of the script's procedures of a name, for {@link RoutineCalls#identityChangeDown}. */
  private List<String> bodiesOf(List<String> name) {
    List<String> bodies = new ArrayList<>();
    for (ScriptProcedures.Procedure procedure : procedures.named(name)) {
      bodies.add(procedure.body());
    }
    return bodies;
  }

  private void refuse(String problem, String remedy) {
    findings.add(new Finding(RuleId.AUTH_UNPARSEABLE, "iamguard: " + RuleId.AUTH_UNPARSEABLE + " in statement "
        + call.index() + " (line " + call.line() + ", CALL): " + problem + ". Remedy: " + remedy, "CALL", remedy,
        call.start()));
  }
}
