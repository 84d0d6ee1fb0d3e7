package dev.iamguard.policy;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;

/**
 * A registry of one cluster {@code c1} (account 123456789012, us-west-2) with one attached role
 * described by IAM documents: a trust of the Redshift service and one permission policy holding the
 * statements given (YAML flow, comma-separated), and optionally a boundary.
 */
public final class DocumentRoleRegistry {
  private DocumentRoleRegistry() {}

  public static Registry of(String role, String statements, Path dir) throws RegistryException {
    return of(role, statements, "", dir);
  }

  /** Also a permissions boundary holding {@code boundaryStatements}, unless that is empty. */
  public static Registry of(String role, String statements, String boundaryStatements, Path dir)
      throws RegistryException {
    String boundary = boundaryStatements.isEmpty() ? ""
        : "\n      boundary: {Version: \"2012-10-17\", Statement: [" + boundaryStatements + "]}";
    return RegistryLoader.parse("""
        version: 1
        clusters:
          - { id: c1, account: "123456789012", region: us-west-2, attached_roles: [%1$s] }
        roles:
          - arn: %1$s
            policy_files:
              trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: redshift.amazonaws.com},
                Action: "sts:AssumeRole"}]}
              permissions: [{Version: "2012-10-17", Statement: [%2$s]}]%3$s
        """.formatted(role, statements, boundary), "r.yaml", dir);
  }
}
