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
    int identityChange = script.firstIdentityChange();
    // only the statements that need a decision: every other one is allowed as written
    for (SqlStatement statement : script.inspectable()) {
      if (identityChange > 0 && statement.index() > identityChange && current.origin() == Session.Origin.SERVER) {
        current = current.changedBy("statement " + identityChange); // the server knows who runs what follows
      }
      StatementDecision decision = inspector.inspect(statement, current, null, replacements);
      decisions.add(decision);
      verdict = verdict.worst(decision.verdict());
      if (decision.verdict() != Verdict.DENY) {
        current = after(statement, current);
      }
    }
    return new Decision(verdict, script, decisions, replacements, current);
  }

  /**
   * The session after {@code statement} ran: a declared identity follows SET SESSION AUTHORIZATION
   * (a reported one is asked again), and GRANT/REVOKE ASSUMEROLE change the grants checked later.
   */
  private static Session after(SqlStatement statement, Session session) {
    return switch (statement.command().kind()) {
      case SET_SESSION_AUTHORIZATION -> session.origin() == Session.Origin.GIVEN
          ? session.withUser(statement.command().sessionUser()) : session;
      case GRANT_ASSUMEROLE, REVOKE_ASSUMEROLE -> GrantChanges.of(
          statement.command().kind() == CommandKind.GRANT_ASSUMEROLE, statement.command().grant())
          .map(session::with).orElse(session);
      default -> session;
    };
  }

  /** How messages name a statement: "statement 2 (line 7, UNLOAD)". */
  static String where(SqlStatement statement, String outer) {
    String self = "statement " + statement.index() + " (line " + statement.line() + ", "
        + statement.command().kind() + ")";
    return outer == null ? self : self + " of the body of " + outer;
  }
}
