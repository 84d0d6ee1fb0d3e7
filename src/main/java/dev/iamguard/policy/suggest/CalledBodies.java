package dev.iamguard.policy.suggest;

import dev.iamguard.policy.ScriptProcedures;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.rules.ProcedureChain;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of the scripts' procedures that a CALL (or a DO block) runs, down every procedure
 * they call, each with who runs it, as {@code check} judges them: a SECURITY INVOKER body as
 * whoever runs the body that calls it, a SECURITY DEFINER one as its owner, and one that sets who
 * runs it (a SET clause of role or session_authorization, or such a change in the body) as a user
 * no script names. {@code suggest} took a body's statements as its creator's only, so the registry
 * it wrote let user1, who created {@code p1}, load with its role, and {@code check} then denied
 * user3's {@code call p1()} (the role did not trust user3), though suggest said every statement was
 * covered.
 */
final class CalledBodies implements ProcedureChain.Visitor {
  /**
   * One body to take: {@code procedure}'s, run by {@code users} (empty when the runner is not
   * known), or, when {@code unknown} is not null, by a user the scripts do not name, for that reason.
   */
  record Run(ScriptProcedures.Procedure procedure, List<String> users, String unknown) {}

  private final List<Run> runs = new ArrayList<>();
  private String refusal;

  private CalledBodies() {
  }

  /**
   * What {@code statement} runs of the procedures on record in {@code caller}, who runs the
   * statement; empty for any other statement. The bodies and their runners are those check judges
   * ({@link ProcedureChain}).
   */
  static CalledBodies of(SqlStatement statement, Session caller) {
    CalledBodies bodies = new CalledBodies();
    List<List<String>> names = ProcedureChain.calledBy(statement);
    if (names != null && !caller.procedures().isEmpty()) {
      ProcedureChain.walk(names, caller.procedures(), caller, bodies);
    }
    return bodies;
  }

  /** The bodies to take, in the order the calls reach them, each once for the same runner. */
  List<Run> runs() {
    return runs;
  }

  /** Why what the statement runs cannot all be followed (an unreadable name, too deep a chain), or null. */
  String refusal() {
    return refusal;
  }

  @Override
  public void body(ProcedureChain.Body body) {
    Session runner = body.runner();
    runs.add(runner.identityKnown() ? new Run(body.procedure(), List.of(runner.user()), null)
        : new Run(body.procedure(), List.of(), runner.note() == null ? "the user is not known" : runner.note()));
  }

  @Override
  public void unreadableName(String caller) {
    refusal = "it calls a procedure whose name cannot be read (built at run time, or in Unicode escapes)";
  }

  @Override
  public void tooDeep(String path) {
    refusal = "it runs procedures nested more than " + ProcedureChain.MAX_NESTING + " deep";
  }
}
