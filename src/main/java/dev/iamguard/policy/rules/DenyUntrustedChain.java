package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.iam.RoleArn;
import java.util.List;

/**
 * {@link RuleId#CHAIN_NOT_TRUSTED}: each role after the first must trust the role before it (or
 * that role's account) as an AWS principal, in the IAM_ROLE and CATALOG_ROLE chains alike.
 */
final class DenyUntrustedChain extends Rule {
  DenyUntrustedChain() {
    super(RuleId.CHAIN_NOT_TRUSTED, Commands.AUTH_CARRYING, Fact.ROLES);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    List<Finding> found = List.of();
    List<TrustHops.Hop> all = in.trust().untrustedCallers(false);
    for (int at = 0; at < all.size(); at++) {
      TrustHops.Hop hop = all.get(at);
      RoleArn role = hop.role().arn();
      found = Inspection.append(found, in.finding(id(), role.toString(), "role " + role
              + " does not trust the role before it in the chain, " + hop.previous(),
          "add " + hop.previous() + " (or arn:aws:iam::" + hop.previous().account()
              + ":root) as a trusted AWS principal of " + role.name() + " (trust.principals in "
              + in.registryFile() + ")"));
    }
    return found;
  }
}
