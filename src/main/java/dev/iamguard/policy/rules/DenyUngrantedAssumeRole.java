package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.util.List;

/**
 * {@link RuleId#ASSUMEROLE_NOT_GRANTED}: the user does not hold ASSUMEROLE on the chain (or
 * DEFAULT) for the command, once grants are enforced ({@link AssumeRoleCheck} says how grants are
 * read). Where the user is unknown, {@link DenyUnknownIdentity} reports it instead: a decision that
 * needs the user is never made without it.
 */
final class DenyUngrantedAssumeRole extends Rule {
  DenyUngrantedAssumeRole() {
    super(RuleId.ASSUMEROLE_NOT_GRANTED, AssumeRoleCheck.COMMANDS.keySet(), Fact.ROLES, Fact.USER_KNOWN);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    AssumeRoleCheck.Missing missing = AssumeRoleCheck.missing(in);
    if (missing == null) {
      return List.of();
    }
    String user = in.session.user();
    return List.of(in.finding(id(), missing.chain(), "user " + user + " does not have ASSUMEROLE permission on "
            + missing.target() + " for " + missing.command().sql(),
        "GRANT ASSUMEROLE ON '" + missing.chain() + "' TO " + user + " FOR " + missing.command().sql()
            + " (and add the grant to " + in.registryFile() + ")"));
  }
}
