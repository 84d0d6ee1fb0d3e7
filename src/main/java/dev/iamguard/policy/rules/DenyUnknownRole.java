package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.RoleConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RuleId#ROLE_UNKNOWN}: a role the registry does not describe cannot be verified, so it is
 * denied (fail closed). Fills in the registry entries the later rules read.
 */
final class DenyUnknownRole implements Rule {
  @Override
  public void check(Inspection in) {
    in.roles = lookUp(in, in.chain);
    in.catalogRoles = lookUp(in, in.catalogChain);
  }

  private static List<RoleConfig> lookUp(Inspection in, List<RoleArn> chain) {
    if (chain.isEmpty()) {
      return List.of();
    }
    List<RoleConfig> roles = new ArrayList<>(chain.size());
    for (RoleArn arn : chain) {
      RoleConfig role = in.registry.role(arn).orElse(null);
      if (role == null) {
        in.add(RuleId.ROLE_UNKNOWN, arn.toString(), "role " + arn + " is not in the registry",
            "add the role with its trust and permissions to " + in.registryFile()
                + " (or correct the ARN)");
      }
      roles.add(role);
    }
    return roles;
  }
}
