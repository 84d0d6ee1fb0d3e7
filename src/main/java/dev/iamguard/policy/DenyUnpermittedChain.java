package dev.iamguard.policy;

import java.util.List;

/**
 * {@link RuleId#CHAIN_NOT_PERMITTED}: each role but the last needs "the Allow effect on the
 * sts:AssumeRole action and the Amazon Resource Name (ARN) of the next role in a Resource element".
 */
final class DenyUnpermittedChain implements Rule {
  @Override
  public void check(Inspection in) {
    hops(in, in.chain, in.roles);
    hops(in, in.catalogChain, in.catalogRoles);
  }

  private static void hops(Inspection in, List<RoleArn> chain, List<RoleConfig> roles) {
    for (int i = 0; i + 1 < roles.size(); i++) {
      RoleConfig role = roles.get(i);
      if (role != null && !RoleAccess.mayAssume(role, chain.get(i + 1))) {
        in.add(RuleId.CHAIN_NOT_PERMITTED, role.arn().toString(), "role " + role.arn()
                + " may not assume the next role of the chain, " + chain.get(i + 1),
            "allow sts:AssumeRole on " + chain.get(i + 1) + " in the permissions of " + role.arn().name()
                + " (allow.assume in " + in.registryFile() + ")");
      }
    }
  }
}
