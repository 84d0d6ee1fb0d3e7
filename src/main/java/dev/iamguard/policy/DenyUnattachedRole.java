package dev.iamguard.policy;

/**
 * {@link RuleId#ROLE_NOT_ATTACHED}: "The first role in the chain must be a role attached to the
 * cluster."
 */
final class DenyUnattachedRole implements Rule {
  @Override
  public void check(Inspection in) {
    if (in.chain.isEmpty() || in.usedDefault) {
      return;
    }
    RoleArn first = in.chain.get(0);
    if (!in.cluster.isAttached(first)) {
      in.add(RuleId.ROLE_NOT_ATTACHED, first.toString(), "role " + first + " is not attached to cluster "
              + in.cluster.id() + (in.chain.size() > 1 ? " (the first role of a chain must be)" : ""),
          "associate the role with the cluster and list it under attached_roles of " + in.cluster.id()
              + " in " + in.registryFile() + ", or start the chain with an attached role");
    }
  }
}
