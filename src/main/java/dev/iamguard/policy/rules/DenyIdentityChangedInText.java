package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import java.util.List;

/**
 * {@link RuleId#IDENTITY_CHANGED_IN_TEXT}: an earlier statement of the same execution may have
 * changed who runs this one (the session says which), so no check that needs the user can be
 * decided before the text is sent.
 */
final class DenyIdentityChangedInText extends Rule {
  DenyIdentityChangedInText() {
    super(RuleId.IDENTITY_CHANGED_IN_TEXT, Commands.AUTH_CARRYING, Fact.USER_CHANGED);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    if (in.session.origin() != Session.Origin.CHANGED) {
      return List.of();
    }
    String by = in.session.note();
    if (by.contains(Session.ON_CONNECTION)) {
      return List.of(in.finding(id(), by, by + " may have changed the session identity in a way only the server could"
              + " report (set_config, SET ROLE, RESET ALL, DISCARD, CALL, ...), and this target cannot report its user,"
              + " so who runs this statement cannot be known",
          "send it on a connection that has sent no such change; where the target cannot report its user, change"
              + " the identity only with SET SESSION AUTHORIZATION, which the guard follows"));
    }
    if (by.endsWith(Session.CHANGES_GRANTS)) {
      String where = by.substring(0, by.length() - Session.CHANGES_GRANTS.length());
      return List.of(in.finding(id(), by, where + " of the same execution changes the ASSUMEROLE grants, the group"
              + " and role memberships or the superuser flag (GRANT or REVOKE ASSUMEROLE, ALTER GROUP, GRANT ROLE, DROP"
              + " GROUP, ALTER USER ... NOSUPERUSER, ...) this statement is decided by, so whether its user may assume its roles cannot be known before it is sent",
          "send the change and this statement in separate executions (separate execute calls, not one text or"
              + " batch); the guard then decides it with the grants and memberships after the change"));
    }
    boolean earlierScript = by.contains(Session.OF_SCRIPT);
    return List.of(in.finding(id(), by, by + (earlierScript ? ", an earlier script of the same run," : " of the same "
            + "execution") + " may change the session identity (SET SESSION AUTHORIZATION, set_config, SET ROLE, CALL, "
            + "...), so who runs this statement cannot be known before it is sent",
        earlierScript ? "the scripts are read as one connection runs them, in order: check this script apart from that "
            + "one to start it as the user given, or end that script with the identity change undone"
            : "send the identity change and this statement in separate executions (separate execute calls, not one "
            + "text or batch); the guard then asks the server who runs it"));
  }
}
