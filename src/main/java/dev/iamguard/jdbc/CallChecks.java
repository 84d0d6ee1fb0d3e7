package dev.iamguard.jdbc;

import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.registry.PolicySettings.Mode;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.ProcedureChanges;
import dev.iamguard.sql.RoutineCalls;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Judges the bodies the {@code CALL}s of one execution (a text, or a batch's entries) run, as who
 * runs them, with what the server's catalog says they run: {@link ConnectionPolicy#checkCalls(List)}
 * makes one for each execution that holds a CALL, on a connection whose server reports its identity.
 * Its own class because it is a walk of its own: down the routines each body calls, with the
 * look-ups it makes on the way kept for that one CALL.
 */
final class CallChecks {
  /** Records a decision on a body in the connection's audit (an audit that fails stops the execution). */
  @FunctionalInterface
  interface Auditor {
    void audit(Decision decision, Session session, Mode mode) throws SQLException;
  }

  private final SessionState identity;
  private final Guard current;
  private final Mode mode;
  private final Auditor auditor;

  /**
   * @param identity the connection's identity now (who calls, and the catalog look-ups)
   * @param current the registry's guard in force for this execution
   * @param mode the mode in force (not {@code OFF})
   * @param auditor where a decision on a body is recorded
   */
  CallChecks(SessionState identity, Guard current, Mode mode, Auditor auditor) {
    this.identity = identity;
    this.current = current;
    this.mode = mode;
    this.auditor = auditor;
  }

  /**
   * Judges the CALLs of one execution (a text, or a batch's entries in order) already parsed, on a
   * connection whose server reports its identity. The catalog is read before the
   * execution runs, so what a statement before a CALL may change is taken into account (red-team
   * review: each ran a COPY as user3 unjudged): a CALL of a routine, or a body running one, that an
   * earlier statement may create, replace, rename, re-own or make SECURITY DEFINER, and any CALL
   * after a {@code DO} block, an {@code ALTER SCHEMA} or a CALL whose routines may do such DDL
   * ({@link ProcedureChanges#mayChangeRoutines}), is refused; after any earlier statement (a
   * {@code SET search_path}, an identity change, whose {@code "$user"} schema may hold a namesake)
   * an unqualified name counts in every schema, and after one that may change the identity (a CALL
   * too, as in one text; a transaction end or EXECUTE once the identity has changed on the
   * connection, as for any statement) the CALL is judged for an unknown user.
   */
  void check(List<SqlScript> scripts) throws SQLException {
    int position = 0; // the statement's place in the whole execution
    int change = 0; // the execution's first statement that may change the identity, by place
    Map<String, String> changed = null; // routine name (lower case) -> where a statement before may change it
    String changesAny = null; // where a statement before may change any routine
    for (int entry = 0; entry < scripts.size(); entry++) {
      SqlScript script = scripts.get(entry);
      // once the identity has changed on the connection, a transaction end may bring back another user
      // (TransactionEndBeforeCallServerTest: rollback; call p() ran p's COPY as r3, judged for user1);
      // so may a change that only the server's reading shows (HiddenChangeBeforeCallServerTest:
      // select 'x\'; set role r3; -- ';\ncall p() ran p's COPY as r3 on standard_conforming_strings=on)
      int firstChange = ConnectionPolicy.identityChangeAt(script, identity,
          script.identityChangeOtherReadingsShow(identity.transactionsMayChangeIdentity()));
      for (SqlStatement statement : script.statements()) {
        position++;
        if (change == 0 && statement.index() == firstChange) {
          change = position;
        }
        List<String> name = statement.calledProcedure();
        boolean block = name == null && statement.startsDoBlock();
        List<String> routines = ProcedureChanges.routinesChanged(statement);
        if (name == null && !block && routines.isEmpty()) {
          continue; // most statements of a text that holds a CALL: nothing to name
        }
        String where = scripts.size() == 1 ? "statement " + statement.index()
            : "batch entry " + (entry + 1) + (script.statements().size() > 1 ? " statement " + statement.index() : "");
        if (name != null) {
          if (name.isEmpty()) {
            throw new SQLException("iamguard: the name of the procedure " + where + " calls cannot be read, so its"
                + " body cannot be judged for the caller; nothing was sent: write the name plainly",
                GuardSqlStates.NOT_SUPPORTED);
          }
          if (changesAny != null) {
            throw changedBefore(where, String.join(".", name), changesAny, "may change what any routine runs");
          }
          String changing = changed == null ? null : changed.get(foldedKey(name));
          if (changing != null) {
            throw changedBefore(where, String.join(".", name), changing, "may create or change");
          }
          // after a statement of the same execution the search path or the user ("$user") may differ
          Nesting nesting = new Nesting(changed, position > 1 && name.size() == 1);
          if (!bodies(name, nesting, nesting.everySchema).isEmpty()) {
            judgeCalled(where, name, callerAt(change, position, scripts.size()), nesting, String.join(".", name), 0);
            if (nesting.changesRoutines && changesAny == null) {
              changesAny = where; // a later CALL may run what this one creates or replaces
            }
          } // else the CALL fails on the server: no caller to ask about
        }
        if (block) {
          judgeBlock(where, statement, callerAt(change, position, scripts.size()), changed, changesAny);
        }
        for (String routine : routines) {
          if (routine.equals(ProcedureChanges.ANY_ROUTINE)) {
            changesAny = changesAny == null ? where : changesAny;
          } else {
            (changed == null ? changed = new HashMap<>() : changed).putIfAbsent(routine.toLowerCase(Locale.ROOT), where);
          }
        }
      }
    }
  }

  /**
   * Who runs a routine the statement at {@code position} of the execution calls: the connection's
   * identity, or a user the guard cannot know after the statement at {@code change} (0: none) that
   * may change it; {@code entries}, the execution's texts, says how a message names that statement.
   */
  private Session callerAt(int change, int position, int entries) {
    Session caller = identity.forDecision(true);
    if (change > 0 && change < position) {
      caller = caller.changedBy(entries == 1 ? "statement " + change : "an earlier batch entry");
    }
    return caller;
  }

  /**
   * Judges what a {@code DO} block calls, as a CALL's body is judged: its code runs at once as
   * {@code caller}, and every routine it may run ({@link RoutineCalls#in}) runs as that user (a
   * SECURITY INVOKER one) or its owner (fyQ's control on PostgreSQL: {@code do $d$ begin call p();
   * end $d$} ran p's COPY as r3, unjudged). The block's own statements are the decision's to judge;
   * a block that may create or change routines (which the catalog, read before it runs, cannot
   * show) or that calls routines after a statement that may, is refused, and so is one whose own
   * statements hold what the guard judges when a routine it calls may change who runs them.
   */
  private void judgeBlock(String where, SqlStatement block, Session caller, Map<String, String> changed,
      String changesAny) throws SQLException {
    String code = block.doBlockCode();
    List<List<String>> calls = code == null ? List.of() : RoutineCalls.in(code);
    if (calls.isEmpty()) {
      return; // code the guard cannot read is denied by the decision on the block itself
    }
    String at = "the DO block of " + where;
    if (changesAny != null) {
      throw changedBefore(at, "routines", changesAny, "may change what any routine runs");
    }
    if (ProcedureChanges.mayChangeRoutines(code)) {
      throw new SQLException("iamguard: " + at + " may create or change routines and calls routines: the server's"
          + " catalog is read before the block runs and cannot say what they will run then, so their bodies cannot"
          + " be judged for who runs them; nothing was sent: create or change the routines in a statement of their"
          + " own, then run the block", GuardSqlStates.NOT_SUPPORTED);
    }
    Nesting nesting = new Nesting(changed, true); // the block may set its own search path before it calls
    askAtOnce(calls, nesting, at);
    String own = RoutineCalls.identityChangeIn(code);
    String change = own != null ? "the DO block's " + own
        : RoutineCalls.identityChangeDown(calls, bodiesIn(nesting), 1, MAX_NESTING);
    if (own == null && change != null && block.command().kind() == CommandKind.DO_BLOCK) {
      throw new SQLException("iamguard: " + at + " calls a routine that may change the identity (" + change
          + "), and its own statements, judged for " + caller.user() + ", may then run as another user; nothing"
          + " was sent: change the identity and run the block in separate executions", GuardSqlStates.NOT_SUPPORTED);
    }
    Session runner = change == null ? caller : caller.changedBy(change);
    for (List<String> called : calls) {
      if (called.isEmpty()) {
        throw new SQLException("iamguard: " + at + " calls a procedure whose name it builds at run time (or writes so"
            + " that it cannot be read), so what that runs cannot be judged for who runs it; nothing was sent: call"
            + " it by its name written plainly", GuardSqlStates.NOT_SUPPORTED);
      }
      String changing = changed == null ? null : changed.get(foldedKey(called));
      if (changing != null) {
        throw changedBefore(at, String.join(".", called), changing, "may create or change");
      }
      judgeCalled(at, called, runner, nesting, String.join(".", called), 0);
    }
  }

  /** True when the decision found an EXECUTE of a text built at run time (allowed under {@code dynamic_sql: warn}), which may run any DDL. */
  private static boolean runsBuiltText(Decision decision) {
    for (Finding finding : decision.findings()) {
      if (finding.rule() == RuleId.AUTH_DYNAMIC) {
        return true;
      }
    }
    return false;
  }

  /** A routine name's key in the names statements before a CALL may change: either case, so a near namesake counts too. */
  private static String foldedKey(List<String> name) {
    return name.get(name.size() - 1).toLowerCase(Locale.ROOT);
  }

  /** The refusal of a CALL whose routines a statement before it in the same execution may change. */
  private static SQLException changedBefore(String where, String name, String changer, String what) {
    return new SQLException("iamguard: " + where + " calls " + name + ", and " + changer + " of the same "
        + (where.startsWith("batch") ? "batch" : "text") + " " + what + (what.endsWith("runs") ? "" : " that routine")
        + ": the server's catalog is read before the text runs and cannot say what it will run then, so its body"
        + " cannot be judged for who calls it; nothing was sent: send the CALL as a statement of its own",
        GuardSqlStates.NOT_SUPPORTED);
  }

  /**
   * How deep routines may call routines before the guard stops reading and refuses: PostgreSQL
   * nests until its stack runs out, so a chain the guard has not read to its end is not sent.
   */
  static final int MAX_NESTING = 16;

  /**
   * What one CALL's judging has asked and judged: the bodies of each name, asked once (the names
   * one body calls in one round trip), and which names were judged for which user (a routine that calls itself, or
   * two that call each other, are judged once for each user that runs them).
   */
  private static final class Nesting {
    /** By name, apart for a name a body calls (every schema's namesake) and one the CALL names (the visible ones). */
    final Map<List<Object>, List<ServerIdentity.Body>> bodies = new HashMap<>();
    final Set<String> judged = new HashSet<>();
    /** The routines statements before the CALL may change (by {@link #foldedKey}), where; null when none. */
    final Map<String, String> changed;
    /** The CALL's own unqualified name counts in every schema: a statement before it may change the search path. */
    final boolean everySchema;
    /** Some body judged may create, replace or alter a routine ({@link ProcedureChanges#mayChangeRoutines}). */
    boolean changesRoutines;

    Nesting(Map<String, String> changed, boolean everySchema) {
      this.changed = changed;
      this.everySchema = everySchema;
    }
  }

  /**
   * The bodies {@code name} may run, asked from the server once per CALL; {@code nested}: named in
   * a body, whose routine runs under the search path it sets for itself, so every schema's
   * namesake of an unqualified name counts.
   */
  private List<ServerIdentity.Body> bodies(List<String> name, Nesting nesting, boolean nested) throws SQLException {
    List<Object> key = List.of(nested, name);
    List<ServerIdentity.Body> bodies = nesting.bodies.get(key);
    if (bodies == null) {
      try {
        bodies = identity.calledBodies(name, nested);
      } catch (SQLException e) {
        throw new SQLException("iamguard: the server could not say what procedure " + String.join(".", name)
            + " runs, so its body cannot be judged for the caller; nothing was sent: "
            + Redactor.redact(String.valueOf(e.getMessage())) + identity.ownQueryFailed(),
            GuardSqlStates.IDENTITY_UNKNOWN);
      }
      nesting.bodies.put(key, bodies);
    }
    return bodies;
  }

  /**
   * Asks the server, in one round trip, the bodies of every name in {@code calls} (the names one
   * body runs) not asked yet in this CALL, and keeps them for {@link #bodies} to answer from: a
   * body writing thirty names before {@code (} cost thirty round trips. A name that cannot be read
   * is left for the caller to refuse.
   */
  private void askAtOnce(List<List<String>> calls, Nesting nesting, String path) throws SQLException {
    List<List<String>> unasked = new ArrayList<>();
    for (List<String> called : calls) {
      if (!called.isEmpty() && !nesting.bodies.containsKey(List.of(true, called))) {
        unasked.add(called);
      }
    }
    if (unasked.isEmpty()) {
      return;
    }
    Map<List<String>, List<ServerIdentity.Body>> found;
    try {
      found = identity.calledBodies(unasked);
    } catch (SQLException e) {
      throw new SQLException("iamguard: the server could not say what the routines " + path
          + " runs run, so their bodies cannot be judged for who runs them; nothing was sent: "
          + Redactor.redact(String.valueOf(e.getMessage())) + identity.ownQueryFailed(),
          GuardSqlStates.IDENTITY_UNKNOWN);
    }
    for (List<String> called : unasked) {
      nesting.bodies.put(List.of(true, called), found.get(called));
    }
  }

  /**
   * Judges the bodies {@code name} may run for {@code runner} (the caller of an invoker body, the
   * owner of a definer one), and then, as who runs each body, every routine that body may run in
   * turn ({@link RoutineCalls}): a SECURITY INVOKER procedure or function called from a body runs
   * as whoever runs that body, a SECURITY DEFINER one as its own owner (red-team review: only the
   * body a CALL names was judged, and a harmless {@code p1} whose body called {@code p2}, which
   * runs a COPY, ran that COPY as a caller the role does not trust). A name the body builds at run
   * time, or a chain deeper than {@link #MAX_NESTING}, is refused. {@code path}: the names from
   * the CALL's down to this one, which a refusal names.
   */
  private void judgeCalled(String where, List<String> name, Session runner, Nesting nesting, String path, int depth)
      throws SQLException {
    for (ServerIdentity.Body body : bodies(name, nesting, depth > 0 || nesting.everySchema)) {
      if (body.unread() != null) {
        // PL/Python, PL/Perl, ... may run a COPY of their own (red-team review: such a routine ran it unjudged)
        throw new SQLException("iamguard: " + where + " calls "
            + (depth > 0 ? path.substring(0, path.indexOf(" -> ")) + ", which runs " + path : path)
            + ", a routine written in " + body.unread() + ", whose body the guard does not read, so what it runs"
            + " cannot be judged for who runs it; nothing was sent", GuardSqlStates.NOT_SUPPORTED);
      }
      Session session = body.definer() == null ? runner : ownerSession(runner, body.definer(), name);
      String own = RoutineCalls.identityChangeIn(body.source());
      if (body.identitySetting() != null) {
        // its own SET role = r3 (CREATE or ALTER PROCEDURE) sets who runs all of it: PostgreSQL ran its COPY as r3
        session = session.changedBy("'" + body.identitySetting() + "' of the definition of " + path);
      } else if (own != null) {
        // a loop (or a call of itself) runs its statements again after the change (red-team review: for i in
        // 1..2 loop COPY; set_config('session_authorization', 'user3', false) ran the second COPY as user3)
        session = session.changedBy(own + " of the body of " + path);
      }
      if (!nesting.judged.add(String.join("\u0000", name) + "\u0000" + session.user() + "\u0000" + body.source())) {
        continue; // judged for this user already: a routine that calls itself, or a cycle
      }
      Decision decision = current.inspect(SqlScript.parse(CalledBody.asProcedure(name, body.source())), session);
      if (!nesting.changesRoutines && (ProcedureChanges.mayChangeRoutines(body.source()) || runsBuiltText(decision))) {
        nesting.changesRoutines = true;
      }
      if (decision.inspected()) {
        auditor.audit(decision, session, mode);
      }
      if (!decision.allowed() && mode == Mode.ENFORCE) {
        throw new GuardDeniedException("iamguard: " + where + " calls "
            + (depth > 0 ? path.substring(0, path.indexOf(" -> ")) + ", which runs " + path : path)
            + (body.definer() == null && depth == 0 ? ", a SECURITY INVOKER procedure whose body runs as the caller, "
                : body.definer() == null ? ", a SECURITY INVOKER routine whose body runs as whoever runs the body that calls it, "
                : ", a SECURITY DEFINER procedure whose body runs as its owner, ")
            + (session.origin() == Session.Origin.CHANGED
                ? "who may no longer be " + session.user() + " (" + session.note() + " may change the identity), and is"
                    + " denied for a user the guard cannot know; nothing was sent:"
                : session.user() + ", and is denied for that user; nothing was sent:"), decision);
      }
      List<List<String>> calls = RoutineCalls.in(body.source());
      if (!calls.isEmpty() && depth + 1 < MAX_NESTING) {
        askAtOnce(calls, nesting, path);
      }
      String change = null; // the body's own change is in session already
      if (own == null && !calls.isEmpty() && depth + 1 < MAX_NESTING) {
        // a routine it calls may change the identity, and another (or the same one, again in a loop) run after it
        change = RoutineCalls.identityChangeDown(calls, bodiesIn(nesting), depth + 1, MAX_NESTING);
      }
      Session caller = change == null ? session : session.changedBy(change);
      for (List<String> called : calls) {
        if (called.isEmpty()) {
          throw new SQLException("iamguard: " + where + " calls " + path
              + ", whose body calls a procedure whose name it builds at run time (or writes so that it cannot be"
              + " read), so what that runs cannot be judged for who runs it; nothing was sent: call it by its"
              + " name written plainly", GuardSqlStates.NOT_SUPPORTED);
        }
        if (depth + 1 >= MAX_NESTING) {
          throw new SQLException("iamguard: " + where + " calls " + path
              + ", which runs routines nested more than " + MAX_NESTING + " deep, beyond what the guard reads to"
              + " judge them for who runs them; nothing was sent", GuardSqlStates.NOT_SUPPORTED);
        }
        String changing = nesting.changed == null ? null : nesting.changed.get(foldedKey(called));
        if (changing != null) {
          throw changedBefore(where, path + ", which runs " + String.join(".", called), changing, "may create or change");
        }
        judgeCalled(where, called, caller, nesting, path + " -> " + String.join(".", called), depth + 1);
      }
    }
  }

  /**
   * The look-ups of one CALL's judging as {@link RoutineCalls#identityChangeDown} walks them: the
   * bodies judging asks anyway, the names one body runs asked in one round trip.
   */
  private RoutineCalls.Bodies<SQLException> bodiesIn(Nesting nesting) {
    return new RoutineCalls.Bodies<>() {
      @Override
      public List<String> of(List<String> name) throws SQLException {
        List<String> sources = new ArrayList<>();
        for (ServerIdentity.Body body : bodies(name, nesting, true)) {
          sources.add(body.source());
        }
        return sources;
      }

      @Override
      public void ahead(List<String> caller, List<List<String>> names) throws SQLException {
        askAtOnce(names, nesting, String.join(".", caller));
      }
    };
  }

  /**
   * Who a SECURITY DEFINER body runs as: its owner now, whose groups and roles the server reports
   * (the owner may have changed since the body was judged at its creation, {@code ALTER PROCEDURE
   * ... OWNER TO}), for the caller's cluster and grant changes.
   */
  private Session ownerSession(Session caller, String owner, List<String> name) throws SQLException {
    try {
      return identity.ownerSession(caller, owner);
    } catch (SQLException e) {
      throw new SQLException("iamguard: the server could not say who owns procedure " + String.join(".", name)
          + ", whose body runs as its owner, so that body cannot be judged; nothing was sent: "
          + Redactor.redact(String.valueOf(e.getMessage())) + identity.ownQueryFailed(),
          GuardSqlStates.IDENTITY_UNKNOWN);
    }
  }

}
