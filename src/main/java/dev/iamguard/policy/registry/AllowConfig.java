package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.RoleArn;
import java.util.List;

/**
 * The registry's short form of a role's permissions.
 *
 * @param s3Read locations COPY, manifests and CREATE LIBRARY may read
 * @param s3Write locations UNLOAD may write
 * @param lambda Lambda functions (names or ARNs) CREATE EXTERNAL FUNCTION may invoke
 * @param glueDatabases catalog databases CREATE EXTERNAL SCHEMA may use
 * @param assume roles this role may assume next in a chain
 * @param dynamodbTables DynamoDB tables COPY may scan (names, {@code *} and {@code ?} wildcards)
 * @param emrClusters EMR cluster ids COPY may read from (wildcards as above)
 */
public record AllowConfig(List<S3Prefix> s3Read, List<S3Prefix> s3Write, List<String> lambda,
    List<String> glueDatabases, List<RoleArn> assume, List<String> dynamodbTables, List<String> emrClusters) {

  /** What a role without an {@code allow} entry gets: nothing. */
  public static final AllowConfig NONE =
      new AllowConfig(List.of(), List.of(), List.of(), List.of(), List.of());

  /** The first five lists; no DynamoDB table and no EMR cluster. */
  public AllowConfig(List<S3Prefix> s3Read, List<S3Prefix> s3Write, List<String> lambda,
      List<String> glueDatabases, List<RoleArn> assume) {
    this(s3Read, s3Write, lambda, glueDatabases, assume, List.of(), List.of());
  }

  public AllowConfig {
    dynamodbTables = NameList.of(dynamodbTables);
    emrClusters = NameList.of(emrClusters);
    s3Read = S3PrefixList.of(s3Read);
    s3Write = S3PrefixList.of(s3Write);
    lambda = NameList.of(lambda);
    glueDatabases = NameList.of(glueDatabases);
    assume = LookupList.of(assume);
  }

  /** Whether this role may assume {@code next} (role names compare ignoring case). */
  public boolean mayAssume(RoleArn next) {
    return next != null && assume.contains(next);
  }
}
