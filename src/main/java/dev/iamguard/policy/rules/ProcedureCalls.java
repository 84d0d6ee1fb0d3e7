package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.ScriptProcedures;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Severity;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.sql.ProcedureChanges;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a {@code CALL} (or a {@code DO} block) of procedures the script created, where no catalog
 * can be asked ({@code check}): a procedure's body was judged for its creator when it was created,
 * but a SECURITY INVOKER body runs its COPY as whoever calls it, and a SECURITY DEFINER one as its
 * owner at the CALL (red-team review: {@code create procedure p2 ... COPY ...; set session
 * authorization user3; call p2();} passed check, and the server ran the COPY as user3). So every
 * body the CALL may run, down the procedures of the script those bodies call, is judged again for
 * who runs it then ({@link ProcedureChain}). A name that cannot be read, or a chain deeper than
 * {@link ProcedureChain#MAX_NESTING}, is refused. A procedure the script did not create is not
 * judged: what it runs only the server knows.
 */
public final class ProcedureCalls {
  private ProcedureCalls() {
  }

  /**
   * The decision on {@code statement} run by {@code runner}, when it is a CALL or a DO block; null
   * for any other statement. Denied when a body it may run is denied for who runs it.
   */
  public static StatementDecision decide(StatementInspector inspector, SqlStatement statement, Session runner,
      ScriptProcedures procedures) {
    List<List<String>> names = ProcedureChain.calledBy(statement);
    if (names == null) {
      return null;
    }
    Judgement calls = new Judgement(inspector, statement);
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
    ProcedureChain.walk(names, procedures, runner, calls);
    if (calls.findings.isEmpty()) {
      return new StatementDecision(statement, Verdict.ALLOW, List.of(), null, List.of());
    }
    return new StatementDecision(statement, Verdict.DENY, calls.findings, null, List.of());
  }

  /** The judgement of one CALL: every body it reaches judged for who runs it. */
  private static final class Judgement implements ProcedureChain.Visitor {
    private final StatementInspector inspector;
    private final SqlStatement call;
    /** What denies the CALL: the findings of the bodies denied for who runs them, and the refusals. */
    private final List<Finding> findings = new ArrayList<>(0);

    private Judgement(StatementInspector inspector, SqlStatement call) {
      this.inspector = inspector;
      this.call = call;
    }

    /** Judges a body the CALL reaches for who runs it; its errors deny the CALL. */
    @Override
    public void body(ProcedureChain.Body body) {
      String outer = "the procedure " + body.path() + " that statement " + call.index() + " (line " + call.line()
          + ") calls, which runs as " + body.who();
      StatementDecision decision = inspector.inspect(body.procedure().definition(), body.runner(), outer,
          new ArrayList<>(0));
      if (decision.verdict() == Verdict.DENY) {
        for (Finding finding : decision.allFindings()) {
          if (finding.severity() == Severity.ERROR) {
            // placed at the CALL, which a report names: the body may stand in an earlier script
            findings.add(new Finding(finding.rule(), finding.message(), finding.subject(), finding.remedy(),
                call.start(), finding.severity(), finding.role()));
          }
        }
      }
    }

    @Override
    public void unreadableName(String caller) {
      refuse((caller == null ? "the procedure it calls" : caller + " calls a procedure whose name") + " cannot be read"
          + " (a name built at run time, or written in Unicode escapes), so what it runs cannot be judged for who"
          + " runs it", "call it by its name written plainly");
    }

    @Override
    public void tooDeep(String path) {
      refuse(path + " nests procedures more than " + ProcedureChain.MAX_NESTING + " deep, beyond what the guard reads"
          + " to judge them for who runs them", "call fewer procedures deep");
    }

    private void refuse(String problem, String remedy) {
      findings.add(new Finding(RuleId.AUTH_UNPARSEABLE, "iamguard: " + RuleId.AUTH_UNPARSEABLE + " in statement "
          + call.index() + " (line " + call.line() + ", CALL): " + problem + ". Remedy: " + remedy, "CALL", remedy,
          call.start()));
    }
  }

  /**
   * Whether {@code statement}, a CALL or a DO block, runs a body that may create or change
   * procedures with SQL the script does not write as statements ({@link ProcedureChanges#mayChangeRoutines}):
   * the DO block's own code, or the body of a procedure of the script it calls, down the chain.
   */
  public static boolean changesRoutines(SqlStatement statement, ScriptProcedures procedures) {
    List<List<String>> names = ProcedureChain.calledBy(statement);
    if (names == null) {
      return false;
    }
    if (statement.calledProcedure() == null) {
      String code = statement.doBlockCode(); // the block's code: the DO statement itself counts as one that may
      if (code == null || ProcedureChanges.mayChangeRoutines(code)) {
        return true;
      }
    }
    boolean[] changes = {false};
    ProcedureChain.walk(names, procedures, Session.of(null, null), new ProcedureChain.Visitor() {
      @Override
      public void body(ProcedureChain.Body body) {
        changes[0] = changes[0] || ProcedureChanges.mayChangeRoutines(body.procedure().body());
      }

      @Override
      public void unreadableName(String caller) {
        // the CALL is refused for it (decide)
      }

      @Override
      public void tooDeep(String path) {
        // the CALL is refused for it (decide)
      }
    });
    return changes[0];
  }
}
