package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.registry.PolicySettings;

/**
 * {@link RuleId#STATIC_KEYS}: with {@code credentials: roles-only} (the default) no key-based
 * credentials are accepted: "The preferred method to supply security credentials is to specify an
 * AWS Identity and Access Management (IAM) role."
 */
final class DenyStaticKeys implements Rule {
  @Override
  public void check(Inspection in) {
    if (in.command.auth().usesKeys()
        && in.registry.settings().credentials() == PolicySettings.Credentials.ROLES_ONLY) {
      in.add(RuleId.STATIC_KEYS, "access keys",
          "key-based credentials are not accepted (registry policy credentials: roles-only)",
          "use IAM_ROLE '<role ARN>' with a role attached to the cluster, or set policy.credentials in "
              + in.registryFile());
    }
  }
}
