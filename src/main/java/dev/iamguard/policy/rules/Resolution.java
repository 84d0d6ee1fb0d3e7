package dev.iamguard.policy.rules;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.sql.Frozen;
import java.util.List;

/**
 * The auth clause of one statement as {@link Resolver} read it: the roles it names as ARNs with
 * their registry entries, the rewrite the guard would send, whose permissions bound the
 * resources, and what could not be resolved and why. Immutable; judging it is the rules' job.
 *
 * @param cluster the session's cluster; null when the session names none the registry knows
 * @param keys the clause supplies access keys: no role is resolved, and {@code policy.keys} bounds
 *     what they touch
 * @param clusterMissing the clause names roles but there is no cluster to check them on: nothing
 *     else was resolved
 * @param formatProblem what makes the written chain unreadable (spaces, several literals, an empty
 *     element), or null; nothing else was resolved when it is set
 * @param usedDefault {@code IAM_ROLE DEFAULT} was written
 * @param defaultMissing DEFAULT was written but the cluster has no default role
 * @param sessionIdentity {@code IAM_ROLE 'SESSION'} where it is accepted: the caller's own identity
 * @param catalogSession {@code CATALOG_ROLE 'SESSION'}
 * @param unresolved the elements that name no role, in the order written
 * @param chain the IAM_ROLE (or CREDENTIALS aws_iam_role) chain; empty when none or unresolved
 * @param catalog the CATALOG_ROLE chain; empty when none, 'SESSION' or unresolved
 * @param granted the roles a GRANT or REVOKE ASSUMEROLE names, every chain's in order
 * @param rewrite the replacement text for the auth clause's value, or null when nothing is rewritten
 * @param grantee whose permissions bound the resources: the access keys, an external table's schema
 *     role, else the last role of the chain; null when none is known
 * @param unknownSchema an external table whose schema's role is not known, or null
 * @param sharedChain {@code chain} is the instance a {@link ChainMemo} keeps for its text, so what is
 *     worked out from it alone (the trust of its hops) may be kept with it
 */
record Resolution(ClusterConfig cluster, boolean keys, boolean clusterMissing, String formatProblem, boolean usedDefault,
    boolean defaultMissing, boolean sessionIdentity, boolean catalogSession, List<Unresolved> unresolved,
    Chain chain, Chain catalog, Chain granted, String rewrite, Grantee grantee, UnknownSchema unknownSchema,
    boolean sharedChain) {

  Resolution {
    unresolved = List.copyOf(unresolved);
  }

  /** The last role of the chain when it is known, else null: resource checks use it. */
  RoleConfig lastRole() {
    return chain.last();
  }

  /**
   * Roles as resolved: the ARNs, and each one's registry entry (null where the registry does not
   * know the role). Immutable.
   */
  static final class Chain {
    static final Chain EMPTY = new Chain(List.of(), new RoleConfig[0]);

    private final List<RoleArn> arns;
    private final RoleConfig[] roles;

    /** {@code roles} is handed over: the caller keeps no reference to it. */
    Chain(List<RoleArn> arns, RoleConfig[] roles) {
      this.arns = Frozen.copy(arns);
      this.roles = roles;
    }

    /** The ARNs, in chain order. */
    List<RoleArn> arns() {
      return arns;
    }

    int size() {
      return roles.length;
    }

    boolean isEmpty() {
      return roles.length == 0;
    }

    RoleArn arn(int i) {
      return arns.get(i);
    }

    /** The registry entry of role {@code i}; null where the registry does not know it. */
    RoleConfig role(int i) {
      return roles[i];
    }

    /**
     * Whether the hop from role {@code i} to role {@code i + 1} leaves the AWS partition
     * ({@code aws}, {@code aws-cn}, {@code aws-us-gov}): partitions have separate IAM, so no
     * policy of one lets a role assume a role of another.
     */
    boolean crossesPartition(int i) {
      return !arns.get(i).partition().equals(arns.get(i + 1).partition());
    }

    /** The registry entry of the last role; null when the chain is empty or the role unknown. */
    RoleConfig last() {
      return roles.length == 0 ? null : roles[roles.length - 1];
    }
  }

  /** An element of a chain that names no role, and why. */
  record Unresolved(String subject, Reason reason, String detail) {}

  /** Why an element names no role; {@code detail} says more. */
  enum Reason {
    /** Neither a role ARN nor (with rewrite_aliases) an alias or chain name; detail: the ARN problem. */
    NOT_A_ROLE,
    /** A GRANT/REVOKE ASSUMEROLE element that is not a role ARN (grants take ARNs only); detail: the ARN problem. */
    NOT_AN_ARN,
    /** An alias where the guard cannot rewrite it; detail: why not. */
    ALIAS_NOT_REWRITTEN,
    /**
     * An alias, chain name or DEFAULT (with rewrite_default_role) whose ARNs hold a quote, a
     * backslash, a dollar sign or a comma: written into the SQL text they could end the literal (or the
     * procedure body's dollar quote) or split the chain elsewhere, and change the statement; detail: the ARN.
     */
    REWRITE_UNSAFE,
    /**
     * An alias, chain name or DEFAULT whose rewritten text would not read back as exactly its ARNs, or would
     * drop bytes of the statement ({@link RewriteReadBack}); detail: why.
     */
    REWRITE_UNREADABLE,
    /** {@code IAM_ROLE 'SESSION'} in a command that does not accept it; detail: the command. */
    SESSION_NOT_ACCEPTED
  }

  /**
   * An external table whose location is read or written with its schema's role, when that role is
   * not known.
   *
   * @param table the table as written
   * @param schema its schema, or null when the name has none
   * @param sessionIdentity the schema uses IAM_ROLE 'SESSION'
   * @param location the first location of the statement
   */
  record UnknownSchema(String table, String schema, boolean sessionIdentity, String location) {}
}
