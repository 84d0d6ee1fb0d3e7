package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.registry.RoleConfig;
import java.util.List;

/**
 * {@link RuleId#DB_USER_NOT_TRUSTED}: a role's sts:ExternalId condition excludes the session's
 * database user (when that user is not known, {@link DenyUnknownIdentity} says so instead).
 */
final class DenyUntrustedDbUser extends Rule {
  DenyUntrustedDbUser() {
    super(RuleId.DB_USER_NOT_TRUSTED, Commands.AUTH_CARRYING, Fact.ROLES, Fact.USER_KNOWN);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    List<Finding> found = List.of();
    String user = in.trust().dbUserArn();
    List<TrustHops.Hop> all = in.trust().untrustedUsers();
    for (int at = 0; at < all.size(); at++) {
      TrustHops.Hop hop = all.get(at);
      RoleConfig role = hop.role();
      found = Inspection.append(found, in.finding(id(), role.arn().toString(), "role " + role.arn()
              + " does not trust database user " + user + " (its sts:ExternalId condition excludes it)",
          "run as a user the role trusts, or add " + user + " to the role's trust (" + where(role)
              + ") in IAM and in " + in.registryFile()));
    }
    return found;
  }

  private static String where(RoleConfig role) {
    return role.trust().isPresent() ? "trust.db_users" : role.trustPolicy().get().source();
  }
}
