package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.registry.PolicySettings;
import java.util.List;

/**
 * {@link RuleId#LONG_TERM_KEYS}: access keys without a session token are long-term credentials,
 * which the seed marks "(Not recommended)". Allowed only with {@code credentials: any}.
 */
final class DenyLongTermKeys extends Rule {
  DenyLongTermKeys() {
    super(RuleId.LONG_TERM_KEYS, Commands.AUTH_CARRYING, Fact.KEYS);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    if (in.command.auth().sessionToken()
        || in.registry.settings().credentials() == PolicySettings.Credentials.ANY) {
      return List.of();
    }
    return List.of(in.finding(id(), "access keys",
        "access keys are given without a session token: long-term credentials",
        "use IAM_ROLE '<role ARN>', or temporary credentials with SESSION_TOKEN"));
  }
}
