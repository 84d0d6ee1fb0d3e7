package dev.iamguard.policy;

import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the rules know about one statement while it is being inspected, and the findings
 * they add. Created per auth-carrying statement; never shared between threads.
 */
final class Inspection {
  final SqlStatement statement;
  final RedshiftCommand command;
  final Session session;
  final Registry registry;
  /** The session's cluster; null when the session names none the registry knows. */
  final ClusterConfig cluster;
  /** How reports name the enclosing statement of a procedure body, or null at top level. */
  private final String outer;
  private String where;
  private String dbUserArn;

  /** The auth clause's roles, resolved to ARNs (aliases, chain names and DEFAULT expanded). */
  List<RoleArn> chain = List.of();
  /** The registry entry of each role of {@link #chain}; null where a role is unknown. */
  List<RoleConfig> roles = List.of();
  /** {@code IAM_ROLE DEFAULT} was written. */
  boolean usedDefault;
  /** {@code IAM_ROLE 'SESSION'}: no role is assumed, the caller's own identity is used. */
  boolean sessionIdentity;
  /** Replacement text for the auth clause's value span, or null when nothing is rewritten. */
  String rewrite;
  /** CATALOG_ROLE chain, resolved; empty for none or 'SESSION'. */
  List<RoleArn> catalogChain = List.of();
  List<RoleConfig> catalogRoles = List.of();

  final List<Finding> findings = new ArrayList<>(2);

  Inspection(SqlStatement statement, Session session, Registry registry, ClusterConfig cluster,
      String outer) {
    this.statement = statement;
    this.command = statement.command();
    this.session = session;
    this.registry = registry;
    this.cluster = cluster;
    this.outer = outer;
  }

  /** Adds a finding: {@code problem} says what is wrong with {@code subject}, {@code remedy} the fix. */
  void add(RuleId rule, String subject, String problem, String remedy, int offset) {
    String message = "iamguard: " + rule + " in " + where() + ": " + problem + ". Remedy: " + remedy;
    Severity severity = rule == RuleId.AUTH_DYNAMIC
        && registry.settings().dynamicSql() == PolicySettings.DynamicSql.WARN ? Severity.WARNING : rule.severity();
    findings.add(new Finding(rule, message, subject, remedy, offset, severity));
  }

  /** Adds a finding located at the auth clause (or the statement when there is none). */
  void add(RuleId rule, String subject, String problem, String remedy) {
    int offset = command.auth().span() != null ? command.auth().span().start() : statement.start();
    add(rule, subject, problem, remedy, offset);
  }

  /** How reports name the statement: "statement 2 (line 7, UNLOAD)"; built only for findings. */
  String where() {
    if (where == null) {
      where = Guard.where(statement, outer);
    }
    return where;
  }

  /** The database user's ARN, as trust policies see it in sts:ExternalId; null without a cluster. */
  String dbUserArn() {
    if (dbUserArn == null && cluster != null && session.user() != null) {
      dbUserArn = DbUsers.arn(cluster, session.user());
    }
    return dbUserArn;
  }

  boolean denied() {
    for (Finding finding : findings) {
      if (finding.severity() == Severity.ERROR) {
        return true;
      }
    }
    return false;
  }

  /** The last role of the chain when it is known, else null: resource checks use it. */
  RoleConfig lastRole() {
    return roles.isEmpty() ? null : roles.get(roles.size() - 1);
  }

  /** The registry file, for remedies that say where to change something. */
  String registryFile() {
    return registry.source();
  }
}
