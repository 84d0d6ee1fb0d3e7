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
 * @param region the region the statement's REGION clause names when it is not the cluster's: the
 *     role session's requests to the statement's resources (S3, DynamoDB, Glue) go there; null otherwise
 */
record RequestScope(ClusterConfig cluster, String user, String region) {

  /** No cluster, no user: every key but those of the role's session stays unknown. */
  static final RequestScope NONE = new RequestScope(null, null, null);

  private static final String REQUESTED_REGION = "aws:RequestedRegion";

  /** The scope of {@code command}'s requests: to the region its REGION clause names, else the cluster's. */
  static RequestScope of(ClusterConfig cluster, String user, dev.iamguard.sql.RedshiftCommand command) {
    String region = command.resources().region();
    boolean elsewhere = region != null && cluster != null && !region.equalsIgnoreCase(cluster.region());
    return new RequestScope(cluster, user, elsewhere ? region.toLowerCase(java.util.Locale.ROOT) : null);
  }

  /**
   * What the registry states for the requests {@code role}'s session makes to the statement's
   * resources: as {@link #declared}, but a stated {@code aws:RequestedRegion} ("the AWS Region that
   * was called in the request") is the statement's REGION, where those requests go, when it names
   * another region than the cluster's.
   */
  RequestContext resourceRequests(RoleConfig role) {
    RequestContext declared = declared(role);
    if (region == null || declared.knowledge(REQUESTED_REGION) == RequestContext.Knowledge.UNKNOWN) {
      return declared;
    }
    return declared.toBuilder().put(REQUESTED_REGION, region).build();
  }

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
