package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.AssumeRoleGrants;
import dev.iamguard.sql.AssumeRoleGrant;
import dev.iamguard.sql.CommandKind;

/**
 * GRANT/REVOKE ASSUMEROLE statements: every role they name must be a valid role ARN
 * ({@link RuleId#ARN_MALFORMED}) that the registry knows ({@link RuleId#ROLE_UNKNOWN}), or the
 * grant would silently cover nothing; and {@code GRANT ASSUMEROLE ON ALL TO PUBLIC} while grants
 * are enforced is {@link RuleId#GRANT_ALL_TO_PUBLIC}: it undoes the lockdown for every user.
 */
final class GrantRoles {
  private GrantRoles() {}

  static void check(Inspection in) {
    AssumeRoleGrant grant = in.command.grant();
    if (in.command.kind() == CommandKind.GRANT_ASSUMEROLE && grant.onAll() && grant.grantees().stream()
        .anyMatch(g -> g.equalsIgnoreCase("PUBLIC")) && AssumeRoleGrants.of(in.registry, in.session.grants()).enforced()) {
      in.add(RuleId.GRANT_ALL_TO_PUBLIC, "ON ALL TO PUBLIC", "GRANT ASSUMEROLE ON ALL TO PUBLIC gives every user "
              + "every IAM role attached to the cluster, undoing the grants " + in.registryFile()
              + " enforces for everyone at once",
          "grant the chains each user needs to that user, group or role (GRANT ASSUMEROLE ON '<chain>' TO <user> FOR"
              + " <command>), and list them under grants: in " + in.registryFile());
    }
    for (String chain : grant.roles()) {
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
