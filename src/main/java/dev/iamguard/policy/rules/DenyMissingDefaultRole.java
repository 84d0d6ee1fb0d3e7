package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.util.List;

/**
 * {@link RuleId#DEFAULT_ROLE_MISSING}: {@code IAM_ROLE DEFAULT} on a cluster without a default role.
 * Otherwise {@link Resolver} resolves DEFAULT to the cluster's default role (rewritten to its ARN
 * with {@code rewrite_default_role}, so the statement no longer depends on what the default is
 * when it runs).
 */
final class DenyMissingDefaultRole extends Rule {
  DenyMissingDefaultRole() {
    super(RuleId.DEFAULT_ROLE_MISSING, Commands.AUTH_CARRYING, Fact.ROLES);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    if (!in.resolved.defaultMissing()) {
      return List.of();
    }
    String cluster = in.cluster().id();
    return List.of(in.finding(id(), "DEFAULT", "IAM_ROLE DEFAULT is used but cluster " + cluster
        + " has no default role", "name the role: IAM_ROLE '<role ARN>', or set default_role for cluster "
        + cluster + " in " + in.registryFile()));
  }
}
