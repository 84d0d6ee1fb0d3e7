package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.util.List;

/**
 * {@link RuleId#IDENTITY_UNKNOWN}: a check needs the database user and the guard does not know it:
 * a role whose trust (sts:ExternalId) names database users, and the ASSUMEROLE grants once they are
 * enforced. The guard never decides such a check without the user.
 */
final class DenyUnknownIdentity extends Rule {
  DenyUnknownIdentity() {
    super(RuleId.IDENTITY_UNKNOWN, Commands.AUTH_CARRYING, Fact.ROLES, Fact.USER_UNKNOWN);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    List<Finding> found = List.of();
    List<TrustHops.Hop> all = in.trust().untrustedUsers();
    for (int at = 0; at < all.size(); at++) {
      TrustHops.Hop hop = all.get(at);
      found = Inspection.append(found, unknown(in, hop.role().arn().toString(), "whether role " + hop.role().arn()
          + " trusts it (its sts:ExternalId condition names database users)"));
    }
    AssumeRoleCheck.Missing missing = AssumeRoleCheck.missing(in);
    if (missing != null) {
      found = Inspection.append(found, unknown(in, missing.chain(), "whether it holds ASSUMEROLE on "
          + missing.target() + " for " + missing.command().sql()));
    }
    return found;
  }

  private Finding unknown(Inspection in, String subject, String what) {
    String why = in.session.note() == null ? "no user is known for the session" : in.session.note();
    return in.finding(id(), subject, "the database user running the statement is unknown (" + why
            + "), so the guard cannot tell " + what,
        "connect to a target that reports its user (Redshift, PostgreSQL), or on H2 give the user (user or "
            + "iamguard.user); the guard never decides such a check without the user");
  }
}
