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
    List<Problem> problems = in.command.problems();
    for (int at = 0; at < problems.size(); at++) {
      Problem problem = problems.get(at);
      if (problem.kind() == Problem.Kind.PARAMETER) {
        found = Inspection.append(found, in.finding(id(), "bind parameter", problem.reason(),
            "write the role, key or location in the SQL text so it can be checked before it is sent",
            problem.offset()));
      }
    }
    return found;
  }
}
