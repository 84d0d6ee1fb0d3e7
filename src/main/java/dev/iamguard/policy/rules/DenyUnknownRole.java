package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.sql.CommandKind;
import java.util.List;

/**
 * {@link RuleId#ROLE_UNKNOWN}: a role the registry does not describe cannot be verified, so it is
 * denied (fail closed): every role of the IAM_ROLE and CATALOG_ROLE chains, and every role a GRANT
 * or REVOKE ASSUMEROLE names (a grant on a role the guard does not know would cover nothing it can
 * check).
 */
final class DenyUnknownRole extends Rule {
  DenyUnknownRole() {
    super(RuleId.ROLE_UNKNOWN, Commands.union(Commands.AUTH_CARRYING, Commands.GRANTS));
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    List<Finding> found = unknown(in, List.of(), in.resolved.chain());
    found = unknown(in, found, in.resolved.catalog());
    return unknown(in, found, in.resolved.granted());
  }

  private List<Finding> unknown(Inspection in, List<Finding> found, Resolution.Chain chain) {
    for (int i = 0; i < chain.size(); i++) {
      if (chain.role(i) == null) {
        String arn = chain.arn(i).toString();
        found = Inspection.append(found, in.finding(id(), arn, "role " + arn + " is not in the registry",
            remedy(in)));
      }
    }
    return found;
  }

  private static String remedy(Inspection in) {
    CommandKind kind = in.command.kind();
    return kind == CommandKind.GRANT_ASSUMEROLE || kind == CommandKind.REVOKE_ASSUMEROLE
        ? "add the role to " + in.registryFile() + " (or correct the ARN)"
        : "add the role with its trust and permissions to " + in.registryFile() + " (or correct the ARN)";
  }
}
