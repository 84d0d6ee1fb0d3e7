package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.util.List;

/**
 * {@link RuleId#CHAIN_NOT_TRUSTED}: each role after the first must trust the role before it (or
 * that role's account) as an AWS principal, in the IAM_ROLE and CATALOG_ROLE chains alike.
 */
final class DenyUntrustedChain extends Rule {
  DenyUntrustedChain() {
    super(RuleId.CHAIN_NOT_TRUSTED, Commands.AUTH_CARRYING);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    List<Finding> found = List.of();
    List<TrustHops.Hop> hops = in.trust().hops();
    for (int i = 0; i < hops.size(); i++) { // indexed: no iterator on the hot path
      TrustHops.Hop hop = hops.get(i);
      if (hop.previous() != null && hop.trust() == RoleAccess.Trust.CALLER_NOT_TRUSTED) {
        found = Inspection.append(found, in.finding(id(), hop.role().arn().toString(), "role " + hop.role().arn()
                + " does not trust the role before it in the chain, " + hop.previous(),
            "add " + hop.previous() + " (or arn:aws:iam::" + hop.previous().account()
                + ":root) as a trusted AWS principal of " + hop.role().arn().name() + " (trust.principals in "
                + in.registryFile() + ")"));
      }
    }
    return found;
  }
}
