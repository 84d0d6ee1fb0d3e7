package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;

/**
 * The findings about who runs a statement: {@link RuleId#IDENTITY_UNKNOWN} where a check needs the
 * database user and the guard does not know it, {@link RuleId#IDENTITY_CHANGED_IN_TEXT} where an
 * earlier statement of the same execution may have changed it.
 */
final class IdentityFindings {
  private IdentityFindings() {}

  /** Adds IDENTITY_UNKNOWN: the guard cannot tell {@code what} without the user. */
  static void unknown(Inspection in, String subject, String what) {
    String why = in.session.note() == null ? "no user is known for the session" : in.session.note();
    in.add(RuleId.IDENTITY_UNKNOWN, subject, "the database user running the statement is unknown (" + why
            + "), so the guard cannot tell " + what,
        "connect to a target that reports its user (Redshift, PostgreSQL), or on H2 give the user (user or "
            + "iamguard.user); the guard never decides such a check without the user");
  }

  /** Adds IDENTITY_CHANGED_IN_TEXT when the session says an earlier statement may have changed the user. */
  static boolean changedInText(Inspection in) {
    if (in.session.origin() != Session.Origin.CHANGED) {
      return false;
    }
    in.add(RuleId.IDENTITY_CHANGED_IN_TEXT, in.session.note(), in.session.note() + " of the same execution may "
            + "change the session identity (SET SESSION AUTHORIZATION, set_config, SET ROLE, CALL, ...), so who runs "
            + "this statement cannot be known before it is sent",
        "send the identity change and this statement in separate executions (separate execute calls, not one "
            + "text or batch); the guard then asks the server who runs it");
    return true;
  }
}
