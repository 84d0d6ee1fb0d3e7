package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.sql.Span;
import java.util.List;

/**
 * {@link RuleId#DEFAULT_ROLE_MISSING}: {@code IAM_ROLE DEFAULT} on a cluster without a default role.
 * Otherwise resolves DEFAULT to the cluster's default role, and with {@code rewrite_default_role}
 * rewrites it to that ARN so the statement no longer depends on what the default is when it runs.
 */
final class DenyMissingDefaultRole implements Rule {
  @Override
  public void check(Inspection in) {
    if (!in.command.auth().isDefault()) {
      return;
    }
    in.usedDefault = true;
    if (in.cluster.defaultRole().isEmpty()) {
      in.add(RuleId.DEFAULT_ROLE_MISSING, "DEFAULT", "IAM_ROLE DEFAULT is used but cluster "
          + in.cluster.id() + " has no default role", "name the role: IAM_ROLE '<role ARN>', or set "
          + "default_role for cluster " + in.cluster.id() + " in " + in.registryFile());
      return;
    }
    RoleArn role = in.cluster.defaultRole().get();
    in.chain = List.of(role);
    Span value = in.command.auth().valueSpan();
    if (in.registry.settings().rewriteDefaultRole() && value != null && in.statement.rewritable()) {
      in.rewrite = "'" + role + "'";
    }
  }
}
