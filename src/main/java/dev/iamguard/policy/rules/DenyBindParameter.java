package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;
import dev.iamguard.sql.Problem;

/** {@link RuleId#AUTH_PARAMETER}: a bind parameter where a role, key or S3 location must be. */
final class DenyBindParameter implements Rule {
  @Override
  public void check(Inspection in) {
    for (Problem problem : in.command.problems()) {
      if (problem.kind() == Problem.Kind.PARAMETER) {
        in.add(RuleId.AUTH_PARAMETER, "bind parameter", problem.reason(),
            "write the role, key or location in the SQL text so it can be checked before it is sent",
            problem.offset());
      }
    }
  }
}
