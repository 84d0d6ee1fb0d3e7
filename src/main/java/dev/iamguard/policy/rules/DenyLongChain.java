package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;

/** {@link RuleId#CHAIN_TOO_LONG}: more roles than {@code max_chain} (Redshift allows at most 10). */
final class DenyLongChain implements Rule {
  @Override
  public void check(Inspection in) {
    int max = in.registry.settings().maxChain();
    for (int size : new int[] {in.chain.size(), in.catalogChain.size()}) {
      if (size > max) {
        in.add(RuleId.CHAIN_TOO_LONG, size + " roles", "the role chain has " + size
            + " roles; at most " + max + " are allowed", "shorten the chain to " + max + " roles or fewer");
        return;
      }
    }
  }
}
