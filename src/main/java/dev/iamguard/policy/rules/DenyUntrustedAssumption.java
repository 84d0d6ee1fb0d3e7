package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.RoleConfig;
import java.util.List;

/**
 * The trust side of every hop of the chain:
 * {@link RuleId#REGION_NOT_TRUSTED} when the first role does not trust Redshift in the cluster's
 * region, {@link RuleId#CHAIN_NOT_TRUSTED} when role i+1 does not trust role i (or its account),
 * and {@link RuleId#DB_USER_NOT_TRUSTED} when a role's sts:ExternalId condition excludes the
 * session's database user ({@link RuleId#IDENTITY_UNKNOWN} when that user is not known). Applies
 * to the CATALOG_ROLE chain as well.
 */
final class DenyUntrustedAssumption implements Rule {
  @Override
  public void check(Inspection in) {
    hops(in, in.chain, in.roles);
    hops(in, in.catalogChain, in.catalogRoles);
  }

  private static void hops(Inspection in, List<RoleArn> chain, List<RoleConfig> roles) {
    for (int i = 0; i < roles.size(); i++) {
      RoleConfig role = roles.get(i);
      if (role == null || i > 0 && (roles.get(i - 1) == null || DenyUnpermittedChain.crossesPartition(chain, i - 1))) {
        continue; // an unknown role, or a hop across partitions (CHAIN_NOT_PERMITTED says why)
      }
      RoleAccess.Trust trust = i == 0
          ? RoleAccess.trustsRedshift(role, in.cluster.region(), in.dbUserArn())
          : RoleAccess.trustsRole(role, chain.get(i - 1), in.dbUserArn());
      if (trust == RoleAccess.Trust.USER_NOT_TRUSTED && !in.session.identityKnown()) {
        IdentityFindings.unknown(in, role.arn().toString(), "whether role " + role.arn()
            + " trusts it (its sts:ExternalId condition names database users)");
      } else if (trust == RoleAccess.Trust.USER_NOT_TRUSTED) {
        in.add(RuleId.DB_USER_NOT_TRUSTED, role.arn().toString(), "role " + role.arn()
                + " does not trust database user " + in.dbUserArn() + " (its sts:ExternalId condition excludes it)",
            "run as a user the role trusts, or add " + in.dbUserArn() + " to the role's trust ("
                + where(role) + ") in IAM and in " + in.registryFile());
      } else if (trust == RoleAccess.Trust.CALLER_NOT_TRUSTED && i == 0
          && role.trust().map(t -> !t.trustsRedshiftService()).orElse(false)) {
        in.add(RuleId.REGION_NOT_TRUSTED, role.arn().toString(), "role " + role.arn()
                + " trusts only the AWS principals of its trust (trust.principals), not the Redshift service, so"
                + " Redshift cannot assume it as the first role of a chain",
            "start the chain with a role that trusts Redshift, or add trust.regions (\"*\" for every region) to "
                + role.arn().name() + " in " + in.registryFile() + " if its IAM trust policy also names redshift.amazonaws.com");
      } else if (trust == RoleAccess.Trust.CALLER_NOT_TRUSTED && i == 0) {
        in.add(RuleId.REGION_NOT_TRUSTED, role.arn().toString(), "role " + role.arn()
                + " does not trust Redshift in region " + in.cluster.region(),
            "add redshift." + in.cluster.region() + ".amazonaws.com to the role's trust policy (trust.regions in "
                + in.registryFile() + "), or use a role that trusts this region");
      } else if (trust == RoleAccess.Trust.CALLER_NOT_TRUSTED) {
        in.add(RuleId.CHAIN_NOT_TRUSTED, role.arn().toString(), "role " + role.arn()
                + " does not trust the role before it in the chain, " + chain.get(i - 1),
            "add " + chain.get(i - 1) + " (or arn:aws:iam::" + chain.get(i - 1).account()
                + ":root) as a trusted AWS principal of " + role.arn().name() + " (trust.principals in "
                + in.registryFile() + ")");
      }
    }
  }

  private static String where(RoleConfig role) {
    return role.trust().isPresent() ? "trust.db_users" : role.trustPolicy().get().source();
  }
}
