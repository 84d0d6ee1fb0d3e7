package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.registry.RoleConfig;
import java.util.List;

/**
 * {@link RuleId#REGION_NOT_TRUSTED}: Redshift assumes the first role of a chain (IAM_ROLE and
 * CATALOG_ROLE alike), so that role must trust the Redshift service in the cluster's region.
 */
final class DenyUntrustedRegion extends Rule {
  DenyUntrustedRegion() {
    super(RuleId.REGION_NOT_TRUSTED, Commands.AUTH_CARRYING, Fact.ROLES);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    List<Finding> found = List.of();
    List<TrustHops.Hop> all = in.trust().untrustedCallers(true);
    for (int at = 0; at < all.size(); at++) {
      TrustHops.Hop hop = all.get(at);
      found = Inspection.append(found, untrusted(in, hop.role()));
    }
    return found;
  }

  private Finding untrusted(Inspection in, RoleConfig role) {
    String region = in.cluster().region();
    if (role.trust().map(t -> !t.trustsRedshiftService()).orElse(false)) {
      return in.finding(id(), role.arn().toString(), "role " + role.arn()
              + " trusts only the AWS principals of its trust (trust.principals), not the Redshift service, so"
              + " Redshift cannot assume it as the first role of a chain",
          "start the chain with a role that trusts Redshift, or add trust.regions (\"*\" for every region) to "
              + role.arn().name() + " in " + in.registryFile() + " if its IAM trust policy also names redshift.amazonaws.com");
    }
    if (in.cluster().serverless()) {
      List<String> missing = RoleAccess.untrustedServices(role, region, in.trust().dbUserArn(), in.requests());
      if (!missing.isEmpty()) {
        return in.finding(id(), role.arn().toString(), "role " + role.arn() + " does not trust "
                + String.join(" and ", missing) + " in region " + region + ": a serverless workgroup's role must"
                + " trust both redshift-serverless.amazonaws.com and redshift.amazonaws.com",
            "add " + String.join(" and ", missing) + " to the role's trust policy, or use a role that trusts both");
      }
    }
    return in.finding(id(), role.arn().toString(), "role " + role.arn() + " does not trust Redshift in region "
            + region,
        "add redshift." + region + ".amazonaws.com to the role's trust policy (trust.regions in "
            + in.registryFile() + "), or use a role that trusts this region");
  }
}
