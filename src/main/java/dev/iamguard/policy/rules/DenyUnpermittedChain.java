package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.RoleConfig;
import java.util.List;

/**
 * {@link RuleId#CHAIN_NOT_PERMITTED}: each role but the last needs "the Allow effect on the
 * sts:AssumeRole action and the Amazon Resource Name (ARN) of the next role in a Resource element".
 * A hop into another AWS partition ({@code aws}, {@code aws-cn}, {@code aws-us-gov}; facts 5:
 * "partitions aws, aws-cn, aws-us-gov") is never permitted: partitions have separate IAM, so no
 * policy of one can let a role assume a role of another.
 */
final class DenyUnpermittedChain extends Rule {
  DenyUnpermittedChain() {
    super(RuleId.CHAIN_NOT_PERMITTED, Commands.AUTH_CARRYING, Fact.ROLES);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    return hops(in, hops(in, List.of(), in.resolved.chain()), in.resolved.catalog());
  }

  private List<Finding> hops(Inspection in, List<Finding> found, Resolution.Chain resolved) {
    List<RoleArn> chain = resolved.arns();
    for (int i = 0; i + 1 < resolved.size(); i++) {
      RoleConfig role = resolved.role(i);
      RoleArn next = chain.get(i + 1);
      if (resolved.crossesPartition(i)) {
        found = Inspection.append(found, in.finding(id(), chain.get(i).toString(), "role " + chain.get(i)
                + " (partition " + chain.get(i).partition() + ") cannot assume " + next + " (partition "
                + next.partition() + "): AWS partitions have separate IAM, so a chain never crosses them",
            "chain roles of one partition only"));
      } else if (role != null && !RoleAccess.mayAssume(role, next, resolved.role(i + 1), in.requests())) {
        found = Inspection.append(found, in.finding(id(), role.arn().toString(), "role " + role.arn()
                + " may not assume the next role of the chain, " + next,
            "allow sts:AssumeRole on " + next + " in the permissions of " + role.arn().name()
                + " (allow.assume in " + in.registryFile() + ")"));
      }
    }
    return found;
  }
}
