package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.DbUsers;
import java.util.List;

/**
 * {@link RuleId#ROLE_NOT_ATTACHED}: "The first role in the chain must be a role attached to the
 * cluster"; the cluster assumes the first role of IAM_ROLE and of CATALOG_ROLE alike. The default role is
 * attached by definition. A first role of another AWS partition than the cluster's region is refused
 * whatever the registry lists: partitions have separate IAM, so the cluster cannot assume it. Without a cluster the guard knows, no role can be checked at all.
 */
final class DenyUnattachedRole extends Rule {
  DenyUnattachedRole() {
    super(RuleId.ROLE_NOT_ATTACHED, Commands.AUTH_CARRYING, Fact.ROLES);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    if (in.resolved.clusterMissing()) {
      return List.of(noCluster(in));
    }
    List<Finding> found = List.of();
    if (!in.resolved.usedDefault()) {
      found = firstAttached(in, found, in.resolved.chain().arns(), "role ");
    }
    return firstAttached(in, found, in.resolved.catalog().arns(), "catalog role ");
  }

  private List<Finding> firstAttached(Inspection in, List<Finding> found, List<RoleArn> chain, String what) {
    if (chain.isEmpty()) {
      return found;
    }
    RoleArn first = chain.get(0);
    String cluster = in.cluster().id();
    String partition = DbUsers.partition(in.cluster().region());
    if (!first.partition().equals(partition)) {
      // asked before attachment: a registry read elsewhere than ClusterReader (which refuses it) may list such a
      // role as attached, and "attach it" would be advice no one can follow
      return Inspection.append(found, in.finding(id(), first.toString(), what + first + " (partition "
              + first.partition() + ") cannot be assumed by cluster " + cluster + " in " + in.cluster().region()
              + " (partition " + partition + "): AWS partitions have separate IAM, so a chain never crosses them",
          "name a role of partition " + partition + " (arn:" + partition + ":iam::...) attached to " + cluster));
    }
    if (in.cluster().isAttached(first)) {
      return found;
    }
    return Inspection.append(found, in.finding(id(), first.toString(), what + first + " is not attached to cluster "
            + cluster + (chain.size() > 1 ? " (the first role of a chain must be)" : ""),
        "associate the role with the cluster and list it under attached_roles of " + cluster
            + " in " + in.registryFile() + ", or start the chain with an attached role"));
  }

  private Finding noCluster(Inspection in) {
    String named = in.session.cluster();
    List<ClusterConfig> clusters = in.registry.clusters();
    String problem = named != null ? "cluster " + named + " is not in the registry " + in.registryFile()
        : "the session names no cluster and the registry has " + clusters.size()
            + " clusters, so no role can be checked";
    return in.finding(id(), String.valueOf(named), problem, "set the cluster (iamguard.cluster for the driver, "
        + "--cluster for the CLI) to one of " + clusters.stream().map(ClusterConfig::id).toList());
  }
}
