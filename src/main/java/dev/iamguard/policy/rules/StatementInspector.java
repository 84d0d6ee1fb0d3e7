package dev.iamguard.policy.rules;

import dev.iamguard.policy.Replacement;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.RoutineCalls;
import dev.iamguard.sql.Span;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides on one statement: {@link Resolver} reads its auth clause, the {@link RuleBook} judges it
 * phase by phase, and the statements of a procedure body are decided one by one. A rewrite (an
 * alias or DEFAULT replaced by ARNs) is kept only when nothing denies.
 */
public final class StatementInspector {
  private final Registry registry;
  private final RuleBook rules;
  /** The chains this registry resolved for earlier statements, and their trust. */
  private final ChainMemo memo = new ChainMemo();

  /** An inspector enforcing {@code registry}. */
  public StatementInspector(Registry registry) {
    this(registry, RuleBook.ALL);
  }

  StatementInspector(Registry registry, RuleBook rules) {
    this.registry = registry;
    this.rules = rules;
  }

  /**
   * Decides on one statement; {@code outer} names the enclosing statement of a procedure body
   * (null at top level) and {@code replacements} collects the rewrites of the whole text.
   */
  public StatementDecision inspect(SqlStatement statement, Session session, String outer, List<Replacement> replacements) {
    int earlier = replacements.size(); // replacements of earlier statements, not this one's
    RedshiftCommand command = statement.command();
    if (command == RedshiftCommand.OTHER) {
      return new StatementDecision(statement, Verdict.ALLOW, List.of(), null, List.of());
    }
    Inspection in = new Inspection(statement, session, registry, Resolver.resolve(statement, session, registry, memo),
        outer, memo);
    RuleBook.Outcome outcome = rules.run(in);
    // a body is inspected once the procedure's own text could be read, whatever else it is denied for
    List<StatementDecision> nested = (command.kind() == CommandKind.CREATE_PROCEDURE
        || command.kind() == CommandKind.DO_BLOCK) && outcome.passed(RuleBook.Phase.SHAPE) ? body(in, replacements)
        : List.of();
    Verdict verdict = outcome.denied() ? Verdict.DENY : Verdict.ALLOW;
    for (int at = 0; at < nested.size(); at++) {
      StatementDecision inner = nested.get(at);
      verdict = verdict.worst(inner.verdict());
    }
    List<Replacement> own = List.of(); // most statements rewrite nothing
    if (verdict != Verdict.DENY && in.resolved.rewrite() != null) {
      Span value = command.auth().valueSpan();
      own = List.of(new Replacement(value.start(), value.end(), in.resolved.rewrite()));
      verdict = Verdict.REWRITE;
    }
    for (int at = 0; at < nested.size(); at++) {
      StatementDecision inner = nested.get(at);
      if (verdict == Verdict.ALLOW && inner.verdict() == Verdict.REWRITE) {
        verdict = Verdict.REWRITE;
      }
    }
    if (verdict == Verdict.REWRITE) {
      replacements.addAll(own);
    }
    List<Replacement> mine = verdict == Verdict.REWRITE ? replacements.subList(earlier, replacements.size()) : List.of();
    String sql = mine.isEmpty() ? null : Replacement.apply(statement.source(), statement.start(), statement.end(), mine);
    return new StatementDecision(statement, verdict, outcome.findings(), sql, nested, in.resolved.chain().arns(),
        in.resolved.grantee());
  }

  /**
   * The decisions on a procedure body's statements, in the body's order; their rewrites count only
   * when none is denied. An INSERT into an external table is decided as the write it is, the
   * tables known being the session's and those the body itself created before it.
   */
  private List<StatementDecision> body(Inspection in, List<Replacement> replacements) {
    List<SqlStatement> body = in.command.body();
    List<SqlStatement> inserts = in.command.bodyInserts();
    List<StatementDecision> nested = new ArrayList<>(body.size());
    List<Replacement> inner = new ArrayList<>(0);
    Session session = in.session;
    if (in.command.kind() == CommandKind.DO_BLOCK) {
      // the block runs now, as the session's user, unless its own code changes who that is: what
      // follows the change (or all of it, in a loop) runs as a user the guard cannot know
      String change = RoutineCalls.identityChangeIn(in.statement.text());
      if (change != null) {
        session = session.changedBy("the DO block's " + change);
      }
    }
    int b = 0;
    int i = 0;
    while (b < body.size() || i < inserts.size()) {
      if (i < inserts.size() && (b == body.size() || before(inserts.get(i), body.get(b)))) {
        SqlStatement external = session.externalCatalog().asExternalInsert(inserts.get(i++));
        if (external != null) {
          nested.add(inspect(external, session, in.where(), inner));
        }
        continue;
      }
      SqlStatement statement = body.get(b++);
      StatementDecision decision = inspect(statement, session, in.where(), inner);
      nested.add(decision);
      CommandKind kind = statement.command().kind();
      if (decision.verdict() != Verdict.DENY
          && (kind == CommandKind.CREATE_EXTERNAL_TABLE || kind == CommandKind.ALTER_EXTERNAL_TABLE)) {
        session = session.withExternalCatalog(session.externalCatalog().after(statement.command()));
      }
    }
    if (nested.stream().noneMatch(n -> n.verdict() == Verdict.DENY)) {
      replacements.addAll(inner);
    }
    return nested;
  }

  /** Whether {@code a} stands before {@code b} in the body (statements run by one EXECUTE share its place). */
  private static boolean before(SqlStatement a, SqlStatement b) {
    if (a.source() == b.source()) {
      return a.start() < b.start();
    }
    return a.line() < b.line() || a.line() == b.line() && a.column() < b.column();
  }
}
