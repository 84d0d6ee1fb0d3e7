package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.RoleArn;
import java.util.List;
import java.util.Optional;

/**
 * A Redshift cluster (or serverless workgroup) as the registry describes it.
 *
 * @param id the cluster identifier, or the workgroup name when {@code serverless}
 * @param account the 12-digit account id that owns it
 * @param region e.g. {@code us-west-2}
 * @param attachedRoles the roles associated with it; the first role of any chain must be one
 * @param defaultRole the role {@code IAM_ROLE default} stands for, one of {@code attachedRoles}
 * @param line where the entry starts in the registry file
 */
public record ClusterConfig(String id, String account, String region, List<RoleArn> attachedRoles,
    Optional<RoleArn> defaultRole, boolean serverless, int line) {

  public ClusterConfig {
    attachedRoles = List.copyOf(attachedRoles);
  }

  /** Whether {@code role} is attached (role names compare ignoring case, see {@link RoleArn}). */
  public boolean isAttached(RoleArn role) {
    return role != null && attachedRoles.contains(role);
  }
}
