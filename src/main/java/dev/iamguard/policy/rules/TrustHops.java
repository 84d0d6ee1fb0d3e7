package dev.iamguard.policy.rules;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.DbUsers;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.sql.Frozen;
import java.util.ArrayList;
import java.util.List;

/**
 * The trust side of every hop of the IAM_ROLE and CATALOG_ROLE chains: whether the first role
 * trusts Redshift in the cluster's region, each later role the role before it, and each role the
 * database user (sts:ExternalId). Worked out once per statement for the four rules that judge it;
 * a hop from or to an unknown role, or across partitions, is left out (other rules say why).
 *
 * @param hops the hops that were checked, IAM_ROLE's first
 * @param dbUserArn the database user's ARN as trust policies see it; null without a cluster or user,
 *     or when no role's trust names users
 */
record TrustHops(List<Hop> hops, String dbUserArn) {
  /**
   * One role and how its trust came out.
   *
   * @param previous the role before it in the chain; null for the first role, which Redshift assumes
   */
  record Hop(RoleConfig role, RoleArn previous, RoleAccess.Trust trust) {}

  /**
   * The hops whose caller is not trusted: the first role's, whose caller is Redshift, when
   * {@code first}; else the later roles', whose caller is the role before. Usually none.
   */
  List<Hop> untrustedCallers(boolean first) {
    List<Hop> untrusted = List.of();
    for (int i = 0; i < hops.size(); i++) { // indexed, and nothing allocated when all is trusted
      Hop hop = hops.get(i);
      if (hop.trust() == RoleAccess.Trust.CALLER_NOT_TRUSTED && (hop.previous() == null) == first) {
        untrusted = untrusted.isEmpty() ? new ArrayList<>(2) : untrusted;
        untrusted.add(hop);
      }
    }
    return untrusted;
  }

  /** The hops whose trust (sts:ExternalId) excludes the database user, or would if it is unknown. */
  List<Hop> untrustedUsers() {
    List<Hop> untrusted = List.of();
    for (int i = 0; i < hops.size(); i++) {
      Hop hop = hops.get(i);
      if (hop.trust() == RoleAccess.Trust.USER_NOT_TRUSTED) {
        untrusted = untrusted.isEmpty() ? new ArrayList<>(2) : untrusted;
        untrusted.add(hop);
      }
    }
    return untrusted;
  }

  static TrustHops of(Inspection in) {
    // the user's ARN costs a string per statement: built only when a role's trust can name users
    String dbUserArn = in.cluster() != null && in.session.user() != null
        && (namesUsers(in.resolved.chain()) || namesUsers(in.resolved.catalog()))
        ? DbUsers.arn(in.cluster(), in.session.user()) : null;
    List<Hop> hops = new ArrayList<>(in.resolved.chain().size() + in.resolved.catalog().size());
    add(hops, in, in.resolved.chain(), dbUserArn);
    add(hops, in, in.resolved.catalog(), dbUserArn);
    return new TrustHops(Frozen.copy(hops), dbUserArn); // immutable: a ChainMemo may share it
  }

  /** Whether a role of {@code chain} may name database users in its trust (any IAM trust document may). */
  private static boolean namesUsers(Resolution.Chain chain) {
    for (int i = 0; i < chain.size(); i++) {
      RoleConfig role = chain.role(i);
      if (role != null && (role.trust().isEmpty() || role.trust().get().dbUsers().isPresent())) {
        return true;
      }
    }
    return false;
  }

  private static void add(List<Hop> hops, Inspection in, Resolution.Chain chain, String dbUserArn) {
    List<RoleArn> arns = chain.arns();
    for (int i = 0; i < chain.size(); i++) {
      RoleConfig role = chain.role(i);
      if (role == null || i > 0 && (chain.role(i - 1) == null || chain.crossesPartition(i - 1))) {
        continue; // an unknown role, or a hop across partitions (CHAIN_NOT_PERMITTED says why)
      }
      RoleAccess.Trust trust = i == 0
          ? RoleAccess.trustsRedshift(role, in.cluster().region(), dbUserArn, in.requests())
          : RoleAccess.trustsRole(role, arns.get(i - 1), chain.role(i - 1), dbUserArn, in.requests());
      hops.add(new Hop(role, i == 0 ? null : arns.get(i - 1), trust));
    }
  }
}
