package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.registry.PolicySettings;
import java.util.List;

/**
 * {@link RuleId#STATIC_KEYS}: with {@code credentials: roles-only} (the default) no key-based
 * credentials are accepted: "The preferred method to supply security credentials is to specify an
 * AWS Identity and Access Management (IAM) role."
 */
final class DenyStaticKeys extends Rule {
  DenyStaticKeys() {
    super(RuleId.STATIC_KEYS, Commands.AUTH_CARRYING, Fact.KEYS);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    if (in.registry.settings().credentials() != PolicySettings.Credentials.ROLES_ONLY) {
      return List.of();
    }
    return List.of(in.finding(id(), "access keys",
        "key-based credentials are not accepted (registry policy credentials: roles-only)",
        "use IAM_ROLE '<role ARN>' with a role attached to the cluster, or set policy.credentials in "
            + in.registryFile()));
  }
}
