package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.RedshiftRequests;
import dev.iamguard.policy.iam.RequestContext;

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
 * @param requestContext what the registry states of condition keys the guard cannot know, for
 *     every request the cluster's statements make ({@code request_context})
 * @param line where the entry starts in the registry file
 * @param workgroupId a serverless workgroup's id ({@code workgroup_id}, the last part of its ARN),
 *     which its database users' ARNs hold; empty when the registry does not state it
 */
public record ClusterConfig(String id, String account, String region, List<RoleArn> attachedRoles,
    Optional<RoleArn> defaultRole, boolean serverless, RequestContext requestContext, int line,
    Optional<String> workgroupId) {

  public ClusterConfig {
    attachedRoles = LookupList.of(attachedRoles);
  }

  /** A cluster, or a workgroup whose id the registry does not state. */
  public ClusterConfig(String id, String account, String region, List<RoleArn> attachedRoles,
      Optional<RoleArn> defaultRole, boolean serverless, RequestContext requestContext, int line) {
    this(id, account, region, attachedRoles, defaultRole, serverless, requestContext, line, Optional.empty());
  }

  /** A cluster that states no request context. */
  public ClusterConfig(String id, String account, String region, List<RoleArn> attachedRoles,
      Optional<RoleArn> defaultRole, boolean serverless, int line) {
    this(id, account, region, attachedRoles, defaultRole, serverless, RequestContext.UNKNOWN_ALL, line);
  }

  /**
   * The cluster's ARN, {@code aws:SourceArn} of Redshift's requests; null for a serverless
   * workgroup, whose ARN holds an id the registry does not know (state it in
   * {@code request_context}).
   */
  public String sourceArn() {
    return serverless ? null
        : RedshiftRequests.clusterArn(DbUsers.partition(region), region, account, id);
  }

  /** Whether {@code role} is attached (role names compare ignoring case, see {@link RoleArn}). */
  public boolean isAttached(RoleArn role) {
    return role != null && attachedRoles.contains(role);
  }
}
