package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Severity;

/**
 * {@link RuleId#SESSION_ROLE}: {@code IAM_ROLE 'SESSION'} (or {@code CATALOG_ROLE 'SESSION'})
 * makes Redshift act with the federated caller's own identity (facts 3: CREATE/ALTER EXTERNAL
 * SCHEMA and CREATE DATABASE accept {@code 'SESSION'}). No registry role describes what that
 * identity may touch, so nothing of it can be checked: denied unless the registry says
 * {@code policy.session_role: allow} (or {@code warn}).
 */
final class DenySessionRole implements Rule {
  @Override
  public void check(Inspection in) {
    boolean catalog = in.command.catalogRoles().size() == 1 && "SESSION".equalsIgnoreCase(in.command.catalogRoles().get(0));
    if (!in.sessionIdentity && !catalog) {
      return;
    }
    Severity severity = Inspection.severity(in.registry.settings().sessionRole());
    if (severity != null) {
      String clause = in.sessionIdentity ? "IAM_ROLE 'SESSION'" : "CATALOG_ROLE 'SESSION'";
      in.add(RuleId.SESSION_ROLE, "SESSION", clause + " uses the caller's own federated identity, whose permissions"
              + " no registry role describes, so the guard cannot check what it touches",
          "name a registry role ARN, or set policy.session_role: allow in " + in.registryFile()
              + " if the team relies on federated identities", in.authOffset(), severity);
    }
  }
}
