package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Severity;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.PolicySettings;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.sql.QuotedSecrets;
import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.SecretText;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What every rule is given about one statement: the statement, the session, the registry and the
 * auth clause as {@link Resolver} resolved it. Immutable to the rules; the trust of the chain's
 * hops, which four rules read, is worked out once on first use. Never shared between threads.
 */
final class Inspection {
  final SqlStatement statement;
  final RedshiftCommand command;
  final Session session;
  final Registry registry;
  final Resolution resolved;
  /** How reports name the enclosing statement of a procedure body, or null at top level. */
  private final String outer;
  /** Where the trust of a chain resolved before is kept; null: worked out for this statement alone. */
  private final ChainMemo memo;
  private TrustHops trust;
  /** The secret values of the statement ({@link QuotedSecrets}), found on the first finding; null until then. */
  private List<String> secrets;
  /**
   * The session's groups and roles as a grant check reads them ({@link AssumeRoleCheck}), worked out on
   * the first grant to a group or role and kept for the others: worked out again for every such
   * grant, thousands of grants to Redshift roles or groups cost a statement time quadratic in them
   * (4,000: 2.2 s per COPY; 8,000: 9.1 s). Null until then.
   */
  private Set<String> heldGroups;
  private Set<String> heldRoles;

  Inspection(SqlStatement statement, Session session, Registry registry, Resolution resolved, String outer,
      ChainMemo memo) {
    this.memo = memo;
    this.statement = statement;
    this.command = statement.command();
    this.session = session;
    this.registry = registry;
    this.resolved = resolved;
    this.outer = outer;
  }

  /** A finding at the auth clause (or the statement when there is none), of the rule's default severity. */
  Finding finding(RuleId rule, String subject, String problem, String remedy) {
    return finding(rule, subject, problem, remedy, authOffset());
  }

  /** A finding at {@code offset}: {@code problem} says what is wrong with {@code subject}, {@code remedy} the fix. */
  Finding finding(RuleId rule, String subject, String problem, String remedy, int offset) {
    return finding(rule, subject, problem, remedy, offset, rule.severity());
  }

  /** A finding whose severity a registry switch decided. */
  Finding finding(RuleId rule, String subject, String problem, String remedy, int offset, Severity severity) {
    // the head is ours and quotes nothing of the statement: masked, a short value read out of an
    // odd statement (three characters or more, "iam" say) would mangle "iamguard:", which tools match
    String maskedRemedy = masked(remedy);
    String message = "iamguard: " + rule + " in " + where() + ": " + masked(problem) + ". Remedy: " + maskedRemedy;
    return new Finding(rule, message, masked(subject), maskedRemedy, offset, severity);
  }

  /**
   * {@code text} with every secret value of the statement masked as the redactor masks it in the
   * statement: a rule quotes what stands where a role or location belongs ({@code IAM_ROLE}'s literal,
   * a location's user info), and a finding's sentence reaches the audit line, the exception and the
   * reports beside the redacted statement; Finding's own net knows credential shapes only, so a
   * password such as {@code p4ss word} in {@code s3://id:p4ss word@bucket} was printed there whole.
   */
  /** The session's groups, as {@code derive} works them out once for this statement. */
  Set<String> heldGroups(Function<Inspection, Set<String>> derive) {
    if (heldGroups == null) {
      heldGroups = derive.apply(this);
    }
    return heldGroups;
  }

  /** The session's roles, with those granted to them, as {@code derive} works them out once for this statement. */
  Set<String> heldRoles(Function<Inspection, Set<String>> derive) {
    if (heldRoles == null) {
      heldRoles = derive.apply(this);
    }
    return heldRoles;
  }

  private String masked(String text) {
    if (secrets == null) {
      secrets = QuotedSecrets.after(null, statement.text());
    }
    return QuotedSecrets.masked(text, secrets, SecretText.MASK);
  }

  /** {@code found} with {@code finding} added: rules start from {@code List.of()} and allocate only when they find. */
  static List<Finding> append(List<Finding> found, Finding finding) {
    List<Finding> more = found.isEmpty() ? new ArrayList<>(2) : found;
    more.add(finding);
    return more;
  }

  /** The severity of a finding under a registry switch; null for ALLOW (no finding). */
  static Severity severity(PolicySettings.Switch setting) {
    return setting == PolicySettings.Switch.DENY ? Severity.ERROR
        : setting == PolicySettings.Switch.WARN ? Severity.WARNING : null;
  }

  /** Where the auth clause starts, or the statement when there is none. */
  int authOffset() {
    return command.auth().span() != null ? command.auth().span().start() : statement.start();
  }

  /** How reports name the statement: "statement 2 (line 7, UNLOAD)"; built only for findings. */
  String where() {
    return StatementDecision.where(statement, outer);
  }

  /** The session's cluster; null when the session names none the registry knows. */
  ClusterConfig cluster() {
    return resolved.cluster();
  }

  /** Where the statement's AWS requests come from: the session's cluster and database user. */
  RequestScope requests() {
    return RequestScope.of(cluster(), session.user(), command);
  }

  /** Whether each hop of the chains trusts its caller, worked out on first use. */
  TrustHops trust() {
    if (trust == null) {
      // the hops depend on the chain, the cluster and the user alone: kept for a chain the memo shares
      boolean shared = memo != null && resolved.sharedChain() && resolved.catalog().isEmpty();
      trust = shared ? memo.trust(resolved.chain(), cluster(), session.user()) : null;
      if (trust == null) {
        trust = TrustHops.of(this);
        if (shared) {
          memo.trust(resolved.chain(), cluster(), session.user(), trust);
        }
      }
    }
    return trust;
  }

  /** The region AWS resources of the statement live in: its REGION clause, else the cluster's. */
  String resourceRegion() {
    String region = command.resources().region();
    return region != null ? region : cluster() != null ? cluster().region() : null;
  }

  /** The registry file, for remedies that say where to change something. */
  String registryFile() {
    return registry.source();
  }
}
