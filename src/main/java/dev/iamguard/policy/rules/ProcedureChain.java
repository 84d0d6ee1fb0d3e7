package dev.iamguard.policy.rules;

import dev.iamguard.policy.ScriptProcedures;
import dev.iamguard.policy.Session;
import dev.iamguard.sql.RoutineCalls;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bodies of the script's procedures that a {@code CALL} (or a {@code DO} block) runs, down every
 * procedure those bodies call, each with who runs it: a SECURITY INVOKER body as whoever runs the
 * body that calls it, a SECURITY DEFINER one as its owner ({@link Session#ownedBy}), and one whose
 * runner a SET clause of its definition, its own code or a body it calls may change as a user no
 * statement names ({@link Session#changedBy}). One walk for every reader that must agree on who runs
 * a body: check's decision ({@link ProcedureCalls}), whether a body may make procedures, and the
 * bodies {@code suggest} takes for their runners; three walks of their own had each chosen the
 * runner their own way.
 */
public final class ProcedureChain {
  /** How deep procedures may call procedures before the walk stops reading (as on a connection). */
  public static final int MAX_NESTING = 16;

  /** What a body that sets its own runner is run as in messages: no statement names that user. */
  public static final String UNNAMED_USER = "a user the script does not name";

  /**
   * One body the call reaches.
   *
   * @param procedure the procedure whose body runs
   * @param path the names from the call down to it, as messages name it ({@code p0 -> p1})
   * @param runner who runs the body (its identity unknown when the script cannot tell)
   * @param who the runner as messages name it: its user, or {@link #UNNAMED_USER}
   */
  public record Body(ScriptProcedures.Procedure procedure, String path, Session runner, String who) {}

  /** What a walk reaches: every body once for each runner, and where it had to stop reading. */
  public interface Visitor {
    /** A body reached, in the order the calls reach it; the walk then goes down what it calls. */
    void body(Body body);

    /**
     * A procedure whose name cannot be read (built at run time, or in Unicode escapes) is called by
     * {@code caller} (a path), or by the statement itself when null.
     */
    void unreadableName(String caller);

    /** The chain down to {@code path} is deeper than {@link #MAX_NESTING}: not read further. */
    void tooDeep(String path);
  }

  private final ScriptProcedures procedures;
  private final Visitor visitor;
  /**
   * Who each body was reached for, by its CREATE statement itself: a CREATE of another text (an
   * earlier execution, an earlier script of check) shares the statement's number and offset, and
   * its body was then passed over as reached already (p1's COPY, created alone like p0, which calls
   * it, ran as user3 unjudged).
   */
  private final Map<SqlStatement, Set<String>> reached = new IdentityHashMap<>();

  private ProcedureChain(ScriptProcedures procedures, Visitor visitor) {
    this.procedures = procedures;
    this.visitor = visitor;
  }

  /**
   * The names of the procedures {@code statement} calls: the one a CALL names (an empty name when it
   * cannot be read), or every one a DO block's code calls; null for any other statement.
   */
  public static List<List<String>> calledBy(SqlStatement statement) {
    List<String> called = statement.calledProcedure();
    if (called != null) {
      return List.of(called);
    }
    return statement.startsDoBlock() ? RoutineCalls.in(statement.text()) : null;
  }

  /**
   * Walks what {@code names} (as {@link #calledBy} gives them) run of {@code procedures}, called by
   * {@code caller}, telling {@code visitor}.
   */
  public static void walk(List<List<String>> names, ScriptProcedures procedures, Session caller, Visitor visitor) {
    ProcedureChain chain = new ProcedureChain(procedures, visitor);
    for (List<String> name : names) {
      chain.follow(name, caller, null, 0);
    }
  }

  private void follow(List<String> name, Session caller, String path, int depth) {
    if (name.isEmpty()) {
      visitor.unreadableName(path);
      return;
    }
    String here = path == null ? String.join(".", name) : path + " -> " + String.join(".", name);
    for (ScriptProcedures.Procedure procedure : procedures.named(name)) {
      if (depth >= MAX_NESTING) {
        visitor.tooDeep(here);
        return;
      }
      String change = identityChange(procedure, here, depth);
      for (Session runs : runners(procedure, caller)) {
        Session session = change == null ? runs : runs.changedBy(change);
        String who = session.identityKnown() ? session.user() : UNNAMED_USER;
        if (!reached.computeIfAbsent(procedure.definition(), d -> new HashSet<>()).add(who)) {
          continue; // reached for this user already: a procedure that calls itself, or a cycle
        }
        visitor.body(new Body(procedure, here, session, who));
        for (List<String> next : RoutineCalls.in(procedure.body())) {
          follow(next, session, here, depth + 1);
        }
      }
    }
  }

  /** Who may run {@code procedure}'s body when {@code caller} runs the body that calls it. */
  private static List<Session> runners(ScriptProcedures.Procedure procedure, Session caller) {
    List<Session> runners = new ArrayList<>(2);
    if (procedure.invoker()) {
      runners.add(caller);
    }
    if (procedure.definer()) {
      for (String owner : procedure.owners()) {
        runners.add(caller.ownedBy(owner, String.join(".", procedure.name())));
      }
    }
    return runners;
  }

  /**
   * What may change who runs the body, as messages name it, or null: a SET clause of the procedure's
   * own sets it for all of the body (PostgreSQL ran its COPY as r3); a change in the body or in a
   * body it calls holds for what runs after it (a loop runs the body again after its own change).
   */
  private String identityChange(ScriptProcedures.Procedure procedure, String here, int depth) {
    if (procedure.identitySetting() != null) {
      return "'" + procedure.identitySetting() + "' of the definition of " + here;
    }
    String own = RoutineCalls.identityChangeIn(procedure.body());
    return own != null ? own + " of the body of " + here
        : RoutineCalls.identityChangeDown(RoutineCalls.in(procedure.body()), this::bodiesOf, depth + 1, MAX_NESTING);
  }

  /** The bodies of the script's procedures of a name, for {@link RoutineCalls#identityChangeDown}. */
  private List<String> bodiesOf(List<String> name) {
    List<String> bodies = new ArrayList<>();
    for (ScriptProcedures.Procedure procedure : procedures.named(name)) {
      bodies.add(procedure.body());
    }
    return bodies;
  }
}
