package dev.iamguard.policy.rules;

import dev.iamguard.policy.Replacement;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.Registry;
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
public final class StatementInspector {
  private static final List<Rule> READABLE = List.of(new DenyUnparseableClause(), new DenyBindParameter());
  private static final List<Rule> KEYS = List.of(new DenyStaticKeys(), new DenyLongTermKeys());
  /** What key-based credentials touch: bound by policy.keys, since keys name no role. */
  private static final List<Rule> KEY_RESOURCES = List.of(new DenyS3OutsidePrefixes(), new DenyUnpermittedSource());
  private static final Rule FORMAT = new DenyBadChainFormat();
  private static final List<Rule> RESOLUTION = List.of(new DenyMissingDefaultRole(), new DenyMalformedArn(),
      new DenySessionRole());
  private static final List<Rule> ROLES = List.of(
      new DenyUnknownRole(), new DenyUnattachedRole(), new DenyUntrustedAssumption(),
      new DenyUnpermittedChain(), new DenyUngrantedAssumeRole(), new DenyS3OutsidePrefixes(),
      new DenyUnpermittedSource(), new DenyUnpermittedLambda(), new DenyUnpermittedCatalog());
  private static final Rule CONFLICT = new DenyConflictingCredentials();
  /** External tables: their locations, against the external schema's role. */
  private static final Rule EXTERNAL = new DenyExternalLocation();
  /** COPY JOB management: what Redshift refuses of JOB CREATE, and RUN of a job the guard cannot see. */
  private static final List<Rule> JOBS = List.of(new DenyRefusedCopyJob(), new DenyCopyJobRun());
  private static final Rule LENGTH = new DenyLongChain();

  private final Registry registry;

  public StatementInspector(Registry registry) {
    this.registry = registry;
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
    Inspection in = new Inspection(statement, session, registry, cluster(session), outer);
    List<StatementDecision> nested = List.of();
    if (!run(in, READABLE)) {
      switch (command.kind()) {
        case CREATE_PROCEDURE -> nested = procedure(in, replacements);
        case GRANT_ASSUMEROLE, REVOKE_ASSUMEROLE -> GrantRoles.check(in);
        case OTHER, SET_SESSION_AUTHORIZATION -> { }
        case CREATE_EXTERNAL_TABLE, ALTER_EXTERNAL_TABLE, INSERT_EXTERNAL_TABLE -> run(in, EXTERNAL);
        case COPY -> {
          if (!run(in, JOBS)) {
            authCarrying(in);
          }
        }
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
    return new StatementDecision(statement, verdict, in.findings, sql, nested, in.chain);
  }

  private void authCarrying(Inspection in) {
    if (IdentityFindings.changedInText(in) || run(in, CONFLICT)) {
      return;
    }
    if (in.command.auth().usesKeys()) {
      // no role to check: keys name no role, so policy.keys bounds what they touch
      if (!run(in, KEYS)) {
        run(in, KEY_RESOURCES);
      }
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
      in.add(RuleId.AUTH_DYNAMIC, "dynamic SQL", "the procedure body builds an auth clause in dynamic SQL, "
              + "which cannot be verified before it runs",
          "write the COPY/UNLOAD literally in the body so it is checked, or check the generated SQL at run time",
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
