package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.RoleArn;
import java.util.List;
import java.util.Optional;

/**
 * A role of the registry. Each side is described either in short form or by real IAM
 * documents: exactly one of {@link #trust()} and {@link #trustPolicy()} is present, and either
 * {@link #allow()} is present or {@link #permissionPolicies()} is non-empty. A role written with
 * neither form gets {@link TrustConfig#DEFAULT} and {@link AllowConfig#NONE}.
 *
 * @param alias a name SQL may use instead of the ARN ({@code IAM_ROLE 'copy-unload'})
 * @param trustPolicy the {@code policy_files.trust} document
 * @param permissionPolicies the {@code policy_files.permissions} documents, evaluated together
 * @param line where the entry starts in the registry file
 */
public record RoleConfig(RoleArn arn, Optional<String> alias, Optional<TrustConfig> trust,
    Optional<IamPolicy> trustPolicy, Optional<AllowConfig> allow,
    List<IamPolicy> permissionPolicies, int line) {

  public RoleConfig {
    permissionPolicies = List.copyOf(permissionPolicies);
    if (trust.isPresent() == trustPolicy.isPresent()) {
      throw new IllegalArgumentException(arn + ": give exactly one of trust and trustPolicy");
    }
    if (allow.isPresent() == !permissionPolicies.isEmpty()) {
      throw new IllegalArgumentException(arn + ": give exactly one of allow and permissionPolicies");
    }
  }
}
