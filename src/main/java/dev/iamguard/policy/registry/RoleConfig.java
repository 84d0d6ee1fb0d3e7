package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.PermissionSet;
import dev.iamguard.policy.iam.RequestContext;
import dev.iamguard.policy.iam.RoleArn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A role of the registry. Each side is described either in short form or by real IAM
 * documents: exactly one of {@link #trust()} and {@link #trustPolicy()} is present, and either
 * {@link #allow()} is present or the role has permission documents (inline
 * {@link #permissionPolicies()} or attached {@link #managedPolicies()}). A role written with
 * neither form gets {@link TrustConfig#DEFAULT} and {@link AllowConfig#NONE}.
 *
 * @param alias a name SQL may use instead of the ARN ({@code IAM_ROLE 'copy-unload'})
 * @param trustPolicy the {@code policy_files.trust} document
 * @param permissionPolicies the {@code policy_files.permissions} documents (inline policies)
 * @param managedPolicies the {@code policy_files.managed} policies, attached by ARN
 * @param boundary the {@code policy_files.boundary} permissions boundary
 * @param requestContext what the registry states of keys the guard cannot know, for the requests
 *     this role's sessions make ({@code request_context}); overrides the cluster's
 * @param line where the entry starts in the registry file
 */
public record RoleConfig(RoleArn arn, Optional<String> alias, Optional<TrustConfig> trust,
    Optional<IamPolicy> trustPolicy, Optional<AllowConfig> allow,
    List<IamPolicy> permissionPolicies, List<ManagedPolicy> managedPolicies, Optional<IamPolicy> boundary,
    RequestContext requestContext, int line) {

  public RoleConfig {
    permissionPolicies = List.copyOf(permissionPolicies);
    managedPolicies = List.copyOf(managedPolicies);
    if (trust.isPresent() == trustPolicy.isPresent()) {
      throw new IllegalArgumentException(arn + ": give exactly one of trust and trustPolicy");
    }
    boolean documents = !permissionPolicies.isEmpty() || !managedPolicies.isEmpty();
    if (allow.isPresent() == documents) {
      throw new IllegalArgumentException(arn + ": give exactly one of allow and permission documents");
    }
    if (boundary.isPresent() && !documents) {
      throw new IllegalArgumentException(arn + ": a permissions boundary needs permission documents");
    }
  }

  /** A role with inline permission documents only (or the short form), no boundary, no stated context. */
  public RoleConfig(RoleArn arn, Optional<String> alias, Optional<TrustConfig> trust,
      Optional<IamPolicy> trustPolicy, Optional<AllowConfig> allow, List<IamPolicy> permissionPolicies, int line) {
    this(arn, alias, trust, trustPolicy, allow, permissionPolicies, List.of(), Optional.empty(),
        RequestContext.UNKNOWN_ALL, line);
  }

  /**
   * Its identity-based policies (inline, then managed) and boundary, as IAM evaluates them; only
   * for a role described by documents ({@link #allow()} empty).
   */
  public PermissionSet permissions() {
    List<IamPolicy> identity = new ArrayList<>(permissionPolicies.size() + managedPolicies.size());
    identity.addAll(permissionPolicies);
    managedPolicies.forEach(m -> identity.add(m.policy()));
    return new PermissionSet(identity, boundary);
  }
}
