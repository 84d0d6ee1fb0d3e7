package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.sql.Problem;
import java.util.List;

/** {@link RuleId#AUTH_PARAMETER}: a bind parameter where a role, key or S3 location must be. */
final class DenyBindParameter extends Rule {
  DenyBindParameter() {
    super(RuleId.AUTH_PARAMETER, Commands.ALL);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    List<Finding> found = List.of();
    for (Problem problem : in.command.problems()) {
      if (problem.kind() == Problem.Kind.PARAMETER) {
        found = Inspection.append(found, in.finding(id(), "bind parameter", problem.reason(),
            "write the role, key or location in the SQL text so it can be checked before it is sent",
            problem.offset()));
      }
    }
    return found;
  }
}
