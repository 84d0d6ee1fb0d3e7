package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.util.List;

/** {@link RuleId#CHAIN_TOO_LONG}: more roles than {@code max_chain} (Redshift allows at most 10). */
final class DenyLongChain extends Rule {
  DenyLongChain() {
    super(RuleId.CHAIN_TOO_LONG, Commands.AUTH_CARRYING, Fact.ROLES);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    int max = in.registry.settings().maxChain();
    for (int size : new int[] {in.resolved.chain().size(), in.resolved.catalog().size()}) {
      if (size > max) {
        return List.of(in.finding(id(), size + " roles", "the role chain has " + size
            + " roles; at most " + max + " are allowed", "shorten the chain to " + max + " roles or fewer"));
      }
    }
    return List.of();
  }
}
