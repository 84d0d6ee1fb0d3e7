package dev.iamguard.policy;

import dev.iamguard.sql.AuthForm;
import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.Span;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the rules to one statement, in stages: what cannot be read, conflicting credentials,
 * keys, role resolution (format, DEFAULT, ARNs and aliases), chain length, and then every check on
 * the resolved roles (registry, cluster, trust, permissions, grants, resources), so a user sees all
 * that is wrong with a chain at once. A stage that denies ends the inspection: later stages would
 * reason about roles that could not be established.
 */
final class StatementInspector {
  private static final List<Rule> READABLE = List.of(new DenyUnparseableClause(), new DenyBindParameter());
  private static final List<Rule> KEYS = List.of(new DenyStaticKeys(), new DenyLongTermKeys());
  private static final Rule FORMAT = new DenyBadChainFormat();
  private static final List<Rule> RESOLUTION = List.of(new DenyMissingDefaultRole(), new DenyMalformedArn());
  private static final List<Rule> ROLES = List.of(
      new DenyUnknownRole(), new DenyUnattachedRole(), new DenyUntrustedAssumption(),
      new DenyUnpermittedChain(), new DenyUngrantedAssumeRole(), new DenyS3OutsidePrefixes(),
      new DenyUnpermittedLambda(), new DenyUnpermittedCatalog());
  private static final Rule CONFLICT = new DenyConflictingCredentials();
  private static final Rule LENGTH = new DenyLongChain();

  private final Registry registry;

  StatementInspector(Registry registry) {
    this.registry = registry;
  }

  /**
   * Decides on one statement; {@code outer} names the enclosing statement of a procedure body
   * (null at top level) and {@code replacements} collects the rewrites of the whole text.
   */
  StatementDecision inspect(SqlStatement statement, Session session, String outer, List<Replacement> replacements) {
    int earlier = replacements.size(); // replacements of earlier statements, not this one's
    RedshiftCommand command = statement.command();
    if (command == RedshiftCommand.OTHER) {
      return new StatementDecision(statement, Verdict.ALLOW, List.of(), null, List.of());
    }
    Inspection in = new Inspection(statement, session, registry, cluster(session), outer);
    List<StatementDecision> nested = List.of();
    if (!run(in, READABLE)) {
      switch (command.kind()) {
        case CREATE_PROCEDURE -> nested = procedure(in, replacements);
        case GRANT_ASSUMEROLE, REVOKE_ASSUMEROLE -> GrantRoles.check(in);
        case OTHER, SET_SESSION_AUTHORIZATION -> { }
        default -> authCarrying(in);
      }
    }
    Verdict verdict = in.denied() ? Verdict.DENY : Verdict.ALLOW;
    for (StatementDecision inner : nested) {
      verdict = verdict.worst(inner.verdict());
    }
    List<Replacement> own = new ArrayList<>(1);
    if (verdict != Verdict.DENY && in.rewrite != null) {
      Span value = command.auth().valueSpan();
      own.add(new Replacement(value.start(), value.end(), in.rewrite));
      verdict = Verdict.REWRITE;
    }
    for (StatementDecision inner : nested) {
      if (verdict == Verdict.ALLOW && inner.verdict() == Verdict.REWRITE) {
        verdict = Verdict.REWRITE;
      }
    }
    if (verdict == Verdict.REWRITE) {
      replacements.addAll(own);
    }
    List<Replacement> mine = verdict == Verdict.REWRITE ? replacements.subList(earlier, replacements.size()) : List.of();
    String sql = mine.isEmpty() ? null : Replacement.apply(statement.source(), statement.start(), statement.end(), mine);
    return new StatementDecision(statement, verdict, in.findings, sql, nested);
  }

  private void authCarrying(Inspection in) {
    if (run(in, CONFLICT)) {
      return;
    }
    if (in.command.auth().usesKeys()) {
      run(in, KEYS); // no role to check: keys name no role and no registry entry
      return;
    }
    if (in.command.auth().form() == AuthForm.NONE) {
      return;
    }
    if (in.cluster == null) {
      in.add(RuleId.ROLE_NOT_ATTACHED, String.valueOf(in.session.cluster()), noCluster(in.session),
          "set the cluster (iamguard.cluster for the driver, --cluster for the CLI) to one of "
              + registry.clusters().stream().map(ClusterConfig::id).toList());
      return;
    }
    if (run(in, FORMAT) || run(in, RESOLUTION) || run(in, LENGTH)) {
      return;
    }
    run(in, ROLES);
  }

  /** Runs the rules; true when the statement is denied afterwards. */
  private static boolean run(Inspection in, List<Rule> rules) {
    for (Rule rule : rules) {
      rule.check(in);
    }
    return in.denied();
  }

  private static boolean run(Inspection in, Rule rule) {
    rule.check(in);
    return in.denied();
  }

  private List<StatementDecision> procedure(Inspection in, List<Replacement> replacements) {
    List<StatementDecision> nested = new ArrayList<>(in.command.body().size());
    List<Replacement> inner = new ArrayList<>(0);
    for (SqlStatement statement : in.command.body()) {
      nested.add(inspect(statement, in.session, in.where(), inner));
    }
    if (nested.stream().noneMatch(n -> n.verdict() == Verdict.DENY)) {
      replacements.addAll(inner);
    }
    for (Span dynamic : in.command.dynamicAuth()) {
      in.add(RuleId.AUTH_DYNAMIC, "dynamic SQL", "the procedure body runs dynamic SQL (EXECUTE of a text that "
              + "is not constant), whose statements and auth clauses cannot be verified before it runs",
          "write the statement literally in the body, or EXECUTE a constant text (literals joined by ||) so it "
              + "is checked; policy.dynamic_sql: warn in " + in.registryFile() + " lets such procedures through",
          dynamic.start());
    }
    return nested;
  }

  private ClusterConfig cluster(Session session) {
    if (session.cluster() != null) {
      return registry.cluster(session.cluster()).orElse(null);
    }
    return registry.clusters().size() == 1 ? registry.clusters().get(0) : null;
  }

  private String noCluster(Session session) {
    return session.cluster() != null
        ? "cluster " + session.cluster() + " is not in the registry " + registry.source()
        : "the session names no cluster and the registry has " + registry.clusters().size()
            + " clusters, so no role can be checked";
  }
}
