package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.registry.AssumeRoleGrants;
import dev.iamguard.policy.registry.GrantChanges;
import dev.iamguard.sql.AssumeRoleGrant;
import dev.iamguard.sql.CommandKind;
import java.util.List;
import java.util.Set;

/**
 * {@link RuleId#GRANT_ALL_TO_PUBLIC}: {@code GRANT ASSUMEROLE ON ALL TO PUBLIC} while grants are
 * enforced undoes the lockdown for every user at once.
 */
final class DenyGrantAllToPublic extends Rule {
  DenyGrantAllToPublic() {
    super(RuleId.GRANT_ALL_TO_PUBLIC, Set.of(CommandKind.GRANT_ASSUMEROLE));
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    AssumeRoleGrant grant = in.command.grant();
    if (!grant.onAll() || grant.grantees().stream()
        .noneMatch(g -> g.kind() == AssumeRoleGrant.Grantee.Kind.PUBLIC || GrantChanges.quotedPublic(g))
        || !AssumeRoleGrants.of(in.registry, in.session.grants()).enforced()) {
      return List.of();
    }
    return List.of(in.finding(id(), "ON ALL TO PUBLIC", "GRANT ASSUMEROLE ON ALL TO PUBLIC gives every user "
            + "every IAM role attached to the cluster, undoing the grants " + in.registryFile()
            + " enforces for everyone at once",
        "grant the chains each user needs to that user, group or role (GRANT ASSUMEROLE ON '<chain>' TO <user> FOR"
            + " <command>), and list them under grants: in " + in.registryFile()));
  }
}
