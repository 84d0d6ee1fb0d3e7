package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.util.List;

/**
 * {@link RuleId#CHAIN_FORMAT}: "The entire role chain is enclosed in single quotes and must not
 * contain spaces." Also an empty element ({@code ,,} or a comma at either end). {@link Resolver}
 * reads no further into such a chain.
 */
final class DenyBadChainFormat extends Rule {
  private static final String REMEDY = "write the chain as one single-quoted string of ARNs joined by "
      + "commas, without spaces: 'arn:aws:iam::<account>:role/<A>,arn:aws:iam::<account>:role/<B>'";

  DenyBadChainFormat() {
    super(RuleId.CHAIN_FORMAT, Commands.AUTH_CARRYING, Fact.ROLES);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    String problem = in.resolved.formatProblem();
    return problem == null ? List.of() : List.of(in.finding(id(), in.command.auth().roleText(), problem, REMEDY));
  }
}
