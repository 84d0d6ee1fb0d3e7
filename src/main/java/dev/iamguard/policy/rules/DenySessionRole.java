package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Severity;
import java.util.List;

/**
 * {@link RuleId#SESSION_ROLE}: {@code IAM_ROLE 'SESSION'} (or {@code CATALOG_ROLE 'SESSION'})
 * makes Redshift act with the federated caller's own identity (facts 3: CREATE/ALTER EXTERNAL
 * SCHEMA and CREATE DATABASE accept {@code 'SESSION'}). No registry role describes what that
 * identity may touch, so nothing of it can be checked: denied unless the registry says
 * {@code policy.session_role: allow} (or {@code warn}).
 */
final class DenySessionRole extends Rule {
  DenySessionRole() {
    super(RuleId.SESSION_ROLE, Commands.AUTH_CARRYING, Fact.ROLES);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    Severity severity = Inspection.severity(in.registry.settings().sessionRole());
    if (!in.resolved.sessionIdentity() && !in.resolved.catalogSession() || severity == null) {
      return List.of();
    }
    String clause = in.resolved.sessionIdentity() ? "IAM_ROLE 'SESSION'" : "CATALOG_ROLE 'SESSION'";
    return List.of(in.finding(id(), "SESSION", clause + " uses the caller's own federated identity, whose permissions"
            + " no registry role describes, so the guard cannot check what it touches",
        "name a registry role ARN, or set policy.session_role: allow in " + in.registryFile()
            + " if the team relies on federated identities", in.authOffset(), severity));
  }
}
