package dev.iamguard.policy;


/**
 * GRANT/REVOKE ASSUMEROLE statements: every role they name must be a valid role ARN
 * ({@link RuleId#ARN_MALFORMED}) that the registry knows ({@link RuleId#ROLE_UNKNOWN}), or the
 * grant would silently cover nothing.
 */
final class GrantRoles {
  private GrantRoles() {}

  static void check(Inspection in) {
    for (String chain : in.command.grant().roles()) {
      for (String element : RoleArn.splitChain(chain)) {
        RoleArn.Parsed parsed = RoleArn.parse(element);
        if (parsed.arn().isEmpty()) {
          in.add(RuleId.ARN_MALFORMED, element, "'" + element + "' is not a role ARN ("
              + parsed.problem().orElse("malformed") + ")", "write arn:aws:iam::<12-digit account>:role/<name>");
        } else if (in.registry.role(parsed.arn().get()).isEmpty()) {
          in.add(RuleId.ROLE_UNKNOWN, element, "role " + element + " is not in the registry",
              "add the role to " + in.registryFile() + " (or correct the ARN)");
        }
      }
    }
  }
}
