package dev.iamguard.policy;

import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * The one policy engine behind every face: the JDBC driver, {@code iamguard check},
 * {@code rewrite} and {@code run}. Immutable and thread-safe; a registry change makes a new Guard.
 *
 * <p>A text whose statements carry no auth-related command costs one lexer pass and no rule.
 */
public final class Guard {
  private final Registry registry;
  private final StatementInspector inspector;

  /** A guard enforcing {@code registry}. */
  public Guard(Registry registry) {
    this.registry = registry;
    this.inspector = new StatementInspector(registry);
  }

  /** The registry this guard enforces. */
  public Registry registry() {
    return registry;
  }

  /** Decides on {@code sql} for {@code session}. Never throws on any SQL text. */
  public Decision inspect(String sql, Session session) {
    return inspect(SqlScript.parse(sql), session);
  }

  /** Decides on an already parsed script. */
  public Decision inspect(SqlScript script, Session session) {
    if (!script.needsInspection()) {
      return Decision.allowUnchanged(script, session);
    }
    Session current = session;
    Verdict verdict = Verdict.ALLOW;
    List<StatementDecision> decisions = new ArrayList<>(script.inspectable().size());
    List<Replacement> replacements = new ArrayList<>(0);
    // only the statements that need a decision: every other one is allowed as written
    for (SqlStatement statement : script.inspectable()) {
      StatementDecision decision = inspector.inspect(statement, current, null, replacements);
      decisions.add(decision);
      verdict = verdict.worst(decision.verdict());
      if (statement.command().kind() == CommandKind.SET_SESSION_AUTHORIZATION
          && decision.verdict() != Verdict.DENY) {
        current = current.withUser(statement.command().sessionUser());
      }
    }
    return new Decision(verdict, script, decisions, replacements, current);
  }

  /** How messages name a statement: "statement 2 (line 7, UNLOAD)". */
  static String where(SqlStatement statement, String outer) {
    String self = "statement " + statement.index() + " (line " + statement.line() + ", "
        + statement.command().kind() + ")";
    return outer == null ? self : self + " of the body of " + outer;
  }
}
