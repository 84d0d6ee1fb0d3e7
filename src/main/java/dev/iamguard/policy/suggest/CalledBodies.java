package dev.iamguard.policy.suggest;

import dev.iamguard.policy.ScriptProcedures;
import dev.iamguard.policy.rules.ProcedureCalls;
import dev.iamguard.sql.RoutineCalls;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
final class CalledBodies {
  /**
   * One body to take: {@code procedure}'s, run by {@code users} (empty when the runner is not
   * known), or, when {@code unknown} is not null, by a user the scripts do not name, for that reason.
   */
  record Run(ScriptProcedures.Procedure procedure, List<String> users, String unknown) {}

  private final ScriptProcedures procedures;
  private final List<Run> runs = new ArrayList<>();
  private final Map<SqlStatement, Set<List<Object>>> taken = new IdentityHashMap<>();
  private String refusal;

  private CalledBodies(ScriptProcedures procedures) {
    this.procedures = procedures;
  }

  /**
   * What {@code statement} runs of {@code procedures}, called by {@code callers} ({@code unknown}
   * not null: by a user the guard cannot know, for that reason); empty for any other statement.
   */
  static CalledBodies of(SqlStatement statement, ScriptProcedures procedures, List<String> callers, String unknown) {
    CalledBodies bodies = new CalledBodies(procedures);
    if (procedures.isEmpty()) {
      return bodies;
    }
    List<String> called = statement.calledProcedure();
    List<List<String>> names = called != null ? List.of(called)
        : statement.startsDoBlock() ? RoutineCalls.in(statement.text()) : List.of();
    for (List<String> name : names) {
      bodies.follow(name, callers, unknown, 0);
    }
    return bodies;
  }

  /** The bodies to take, in the order the calls reach them, each once for the same runners. */
  List<Run> runs() {
    return runs;
  }

  /** Why what the statement runs cannot all be followed (an unreadable name, too deep a chain), or null. */
  String refusal() {
    return refusal;
  }

  private void follow(List<String> name, List<String> callers, String unknown, int depth) {
    if (name.isEmpty()) {
      refusal = "it calls a procedure whose name cannot be read (built at run time, or in Unicode escapes)";
      return;
    }
    for (ScriptProcedures.Procedure procedure : procedures.named(name)) {
      if (depth >= ProcedureCalls.MAX_NESTING) {
        refusal = "it runs procedures nested more than " + ProcedureCalls.MAX_NESTING + " deep";
        return;
      }
      Set<String> users = new LinkedHashSet<>();
      String why = procedure.invoker() ? unknown : null; // a definer's body runs as its owner, whoever calls
      if (procedure.invoker()) {
        users.addAll(callers);
      }
      if (procedure.definer()) {
        for (String owner : procedure.owners()) {
          if (owner == null) {
            why = why != null ? why : String.join(".", procedure.name())
                + ", a SECURITY DEFINER procedure whose owner the scripts do not name,";
          } else {
            users.add(owner);
          }
        }
      }
      String own = RoutineCalls.identityChangeIn(procedure.body());
      if (procedure.identitySetting() != null) {
        why = "'" + procedure.identitySetting() + "' of the definition of " + String.join(".", procedure.name());
      } else if (own != null) {
        why = own + " of the body of " + String.join(".", procedure.name());
      }
      List<String> runners = List.copyOf(users);
      if (!taken.computeIfAbsent(procedure.definition(), d -> new LinkedHashSet<>())
          .add(java.util.Arrays.asList(runners, why))) {
        continue; // a procedure that calls itself, or a cycle
      }
      runs.add(new Run(procedure, runners, why));
      for (List<String> next : RoutineCalls.in(procedure.body())) {
        follow(next, runners, why, depth + 1);
      }
    }
  }
}
