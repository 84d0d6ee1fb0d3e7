package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.sql.AuthClause;
import java.util.List;

/**
 * {@link RuleId#AUTH_CONFLICT}: IAM_ROLE, CREDENTIALS and access keys are mutually exclusive; a
 * clause may not be given twice; a session token needs both keys, and a key id needs its secret.
 */
final class DenyConflictingCredentials extends Rule {
  private static final String REMEDY = "supply credentials one way only: IAM_ROLE '<role ARN>' "
      + "(preferred), or ACCESS_KEY_ID, SECRET_ACCESS_KEY and SESSION_TOKEN together";

  DenyConflictingCredentials() {
    super(RuleId.AUTH_CONFLICT, Commands.AUTH_CARRYING);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    String[] conflict = AuthConflicts.conflict(in.command.auth());
    return conflict == null ? List.of() : List.of(in.finding(id(), conflict[0], conflict[1], REMEDY));
  }
}
