package dev.iamguard.policy.rules;

import dev.iamguard.policy.iam.RequestContext;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.DbUsers;
import dev.iamguard.policy.registry.RoleConfig;

/**
 * Where the AWS requests of a statement come from: the session's cluster and database user. The
 * request context of each request starts from what the registry states ({@code request_context}
 * of the cluster, overridden by the role whose session asks) and adds the keys the guard computes
 * ({@link dev.iamguard.policy.iam.RedshiftRequests}).
 *
 * @param cluster the session's cluster; null when the session names none the registry knows
 * @param user the database user; null when unknown
 */
record RequestScope(ClusterConfig cluster, String user) {

  /** No cluster, no user: every key but those of the role's session stays unknown. */
  static final RequestScope NONE = new RequestScope(null, null);

  /** What the registry states for requests of {@code role}'s session (the cluster's, then the role's). */
  RequestContext declared(RoleConfig role) {
    RequestContext cluster = clusterDeclared();
    if (role.requestContext().knownKeys().isEmpty()) {
      return cluster;
    }
    return cluster.toBuilder().putAll(role.requestContext()).build();
  }

  /** What the registry states for Redshift's own requests (assuming the first role). */
  RequestContext clusterDeclared() {
    return cluster == null ? RequestContext.UNKNOWN_ALL : cluster.requestContext();
  }

  /** The database user's ARN, Redshift's {@code sts:ExternalId}; null when unknown. */
  String dbUserArn() {
    return cluster == null || user == null ? null : DbUsers.arn(cluster, user);
  }
}
