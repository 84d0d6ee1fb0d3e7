package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.iam.RoleArn;
import java.util.List;

/**
 * {@link RuleId#ROLE_NOT_ATTACHED}: "The first role in the chain must be a role attached to the
 * cluster."
 */
final class DenyUnattachedRole implements Rule {
  @Override
  public void check(Inspection in) {
    if (!in.usedDefault) {
      firstAttached(in, in.chain, "role ");
    }
    firstAttached(in, in.catalogChain, "catalog role ");
  }

  /** The cluster assumes the first role of a chain itself (IAM_ROLE and CATALOG_ROLE alike). */
  private static void firstAttached(Inspection in, List<RoleArn> chain, String what) {
    if (chain.isEmpty()) {
      return;
    }
    RoleArn first = chain.get(0);
    if (!in.cluster.isAttached(first)) {
      in.add(RuleId.ROLE_NOT_ATTACHED, first.toString(), what + first + " is not attached to cluster "
              + in.cluster.id() + (chain.size() > 1 ? " (the first role of a chain must be)" : ""),
          "associate the role with the cluster and list it under attached_roles of " + in.cluster.id()
              + " in " + in.registryFile() + ", or start the chain with an attached role");
    }
  }
}
