package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.registry.PolicySettings;

/**
 * {@link RuleId#LONG_TERM_KEYS}: access keys without a session token are long-term credentials,
 * which the seed marks "(Not recommended)". Allowed only with {@code credentials: any}.
 */
final class DenyLongTermKeys implements Rule {
  @Override
  public void check(Inspection in) {
    if (in.command.auth().usesKeys() && !in.command.auth().sessionToken()
        && in.registry.settings().credentials() != PolicySettings.Credentials.ANY) {
      in.add(RuleId.LONG_TERM_KEYS, "access keys",
          "access keys are given without a session token: long-term credentials",
          "use IAM_ROLE '<role ARN>', or temporary credentials with SESSION_TOKEN");
    }
  }
}
