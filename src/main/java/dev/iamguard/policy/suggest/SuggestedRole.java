package dev.iamguard.policy.suggest;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.S3Prefix;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One role as the scripts need it: its trust and its permissions, nothing more.
 *
 * @param arn the role
 * @param alias its alias in the given registry, kept so that scripts using it still resolve
 * @param regions the regions whose Redshift must assume it (the cluster's, for a role that starts a
 *     chain); empty for a role only later in chains
 * @param dbUsers the database user ARNs its sts:ExternalId condition lists; empty when no user is known
 * @param principals the roles before it in chains
 * @param s3Read the prefixes read (COPY sources, manifests, JSONPaths, libraries, external tables)
 * @param s3Write the prefixes written (UNLOAD targets, model buckets, external tables)
 * @param lambda short-form entry (a name, or an ARN for another account or region) to the function ARN
 * @param glue short-form entry (a name, or a database ARN for another account) to the database ARN
 * @param assume the next roles of its chains
 * @param dynamodb DynamoDB table name to its ARN
 * @param emr EMR cluster id to its ARN
 * @param s3Delete the written prefixes whose keys are deleted first (UNLOAD ... CLEANPATH:
 *     s3:DeleteObject in the IAM documents; the registry's s3_write prefixes grant it)
 * @param readObjects the objects read, as the IAM documents name them (a key, or the keys starting with one)
 * @param writeObjects the objects written, as the IAM documents name them
 * @param deleteObjects the objects deleted first, as the IAM documents name them
 * @param other resource ARN (as a Resource names it, literally) to the actions the statements need on
 *     it beyond those above: a KMS key's for an UNLOAD or a model encrypted with it, Glue's
 *     CreateDatabase and CreateTable for an external database or table the statements create
 * @param redshiftUsers of {@code dbUsers}, those who start a chain at the role: the trust lets Redshift
 *     assume it for them alone
 * @param principalUsers each of {@code principals} to those of {@code dbUsers} who run a chain with
 *     that hop: the trust lets that role pass them alone (a user who reaches the role only through
 *     another role, or only inside a chain, is not trusted for that hop)
 * @param services the services besides Redshift that assume the role, by their principal's first
 *     label ({@code sagemaker} for a model trained in SageMaker, {@code bedrock} for a Bedrock model)
 * @param passRoleTo the services the role passes itself to ({@code iam:PassRole} on its own ARN,
 *     limited by {@code iam:PassedToService}): {@code sagemaker} for the training jobs of CREATE MODEL
 */
public record SuggestedRole(RoleArn arn, Optional<String> alias, List<String> regions, Optional<List<String>> dbUsers,
    List<RoleArn> principals, List<S3Prefix> s3Read, List<S3Prefix> s3Write, Map<String, String> lambda,
    Map<String, String> glue, List<RoleArn> assume, Map<String, String> dynamodb, Map<String, String> emr,
    List<S3Prefix> s3Delete, List<KeyPattern> readObjects, List<KeyPattern> writeObjects,
    List<KeyPattern> deleteObjects, Map<String, List<String>> other, List<String> redshiftUsers,
    Map<RoleArn, List<String>> principalUsers, List<String> services, List<String> passRoleTo) {

  /** A role no service but Redshift assumes, which passes itself to none. */
  public SuggestedRole(RoleArn arn, Optional<String> alias, List<String> regions, Optional<List<String>> dbUsers,
      List<RoleArn> principals, List<S3Prefix> s3Read, List<S3Prefix> s3Write, Map<String, String> lambda,
      Map<String, String> glue, List<RoleArn> assume, Map<String, String> dynamodb, Map<String, String> emr,
      List<S3Prefix> s3Delete, List<KeyPattern> readObjects, List<KeyPattern> writeObjects,
      List<KeyPattern> deleteObjects, Map<String, List<String>> other, List<String> redshiftUsers,
      Map<RoleArn, List<String>> principalUsers) {
    this(arn, alias, regions, dbUsers, principals, s3Read, s3Write, lambda, glue, assume, dynamodb, emr, s3Delete,
        readObjects, writeObjects, deleteObjects, other, redshiftUsers, principalUsers, List.of(), List.of());
  }

  /** A role whose every caller is trusted for all of {@code dbUsers}. */
  public SuggestedRole(RoleArn arn, Optional<String> alias, List<String> regions, Optional<List<String>> dbUsers,
      List<RoleArn> principals, List<S3Prefix> s3Read, List<S3Prefix> s3Write, Map<String, String> lambda,
      Map<String, String> glue, List<RoleArn> assume, Map<String, String> dynamodb, Map<String, String> emr,
      List<S3Prefix> s3Delete, List<KeyPattern> readObjects, List<KeyPattern> writeObjects,
      List<KeyPattern> deleteObjects, Map<String, List<String>> other) {
    this(arn, alias, regions, dbUsers, principals, s3Read, s3Write, lambda, glue, assume, dynamodb, emr, s3Delete,
        readObjects, writeObjects, deleteObjects, other, dbUsers.orElse(List.of()), everyUser(principals, dbUsers));
  }

  private static Map<RoleArn, List<String>> everyUser(List<RoleArn> principals, Optional<List<String>> dbUsers) {
    Map<RoleArn, List<String>> users = new java.util.LinkedHashMap<>();
    principals.forEach(p -> users.put(p, dbUsers.orElse(List.of())));
    return users;
  }

  /** True when the role needs no permission suggest models: its permissions policy would hold no statement. */
  public boolean grantsNothing() {
    // the objects, not only the prefixes: a key prefix in a bucket's top level has no short-form prefix
    return s3Read.isEmpty() && s3Write.isEmpty() && s3Delete.isEmpty() && readObjects.isEmpty()
        && writeObjects.isEmpty() && lambda.isEmpty() && glue.isEmpty()
        && assume.isEmpty() && dynamodb.isEmpty() && emr.isEmpty() && other.isEmpty() && passRoleTo.isEmpty();
  }

  /** A role that needs no action beyond S3, Lambda, Glue reads, chains, DynamoDB and EMR. */
  public SuggestedRole(RoleArn arn, Optional<String> alias, List<String> regions, Optional<List<String>> dbUsers,
      List<RoleArn> principals, List<S3Prefix> s3Read, List<S3Prefix> s3Write, Map<String, String> lambda,
      Map<String, String> glue, List<RoleArn> assume, Map<String, String> dynamodb, Map<String, String> emr,
      List<S3Prefix> s3Delete, List<KeyPattern> readObjects, List<KeyPattern> writeObjects,
      List<KeyPattern> deleteObjects) {
    this(arn, alias, regions, dbUsers, principals, s3Read, s3Write, lambda, glue, assume, dynamodb, emr, s3Delete,
        readObjects, writeObjects, deleteObjects, Map.of());
  }

  /** A role whose IAM documents name the objects its registry prefixes grant (a prefix {@code s3://b/k}: k and k/...). */
  public SuggestedRole(RoleArn arn, Optional<String> alias, List<String> regions, Optional<List<String>> dbUsers,
      List<RoleArn> principals, List<S3Prefix> s3Read, List<S3Prefix> s3Write, Map<String, String> lambda,
      Map<String, String> glue, List<RoleArn> assume, Map<String, String> dynamodb, Map<String, String> emr,
      List<S3Prefix> s3Delete) {
    this(arn, alias, regions, dbUsers, principals, s3Read, s3Write, lambda, glue, assume, dynamodb, emr, s3Delete,
        KeyPattern.of(s3Read), KeyPattern.of(s3Write), KeyPattern.of(s3Delete));
  }

  /** A role that deletes nothing before writing. */
  public SuggestedRole(RoleArn arn, Optional<String> alias, List<String> regions, Optional<List<String>> dbUsers,
      List<RoleArn> principals, List<S3Prefix> s3Read, List<S3Prefix> s3Write, Map<String, String> lambda,
      Map<String, String> glue, List<RoleArn> assume, Map<String, String> dynamodb, Map<String, String> emr) {
    this(arn, alias, regions, dbUsers, principals, s3Read, s3Write, lambda, glue, assume, dynamodb, emr, List.of());
  }

  public SuggestedRole {
    s3Delete = List.copyOf(s3Delete);
    readObjects = List.copyOf(readObjects);
    writeObjects = List.copyOf(writeObjects);
    deleteObjects = List.copyOf(deleteObjects);
    regions = List.copyOf(regions);
    dbUsers = dbUsers.map(List::copyOf);
    principals = List.copyOf(principals);
    s3Read = List.copyOf(s3Read);
    s3Write = List.copyOf(s3Write);
    lambda = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(lambda));
    glue = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(glue));
    assume = List.copyOf(assume);
    dynamodb = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dynamodb));
    emr = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(emr));
    java.util.Map<String, List<String>> actions = new java.util.LinkedHashMap<>();
    other.forEach((resource, needed) -> actions.put(resource, List.copyOf(needed)));
    other = java.util.Collections.unmodifiableMap(actions);
    redshiftUsers = List.copyOf(redshiftUsers);
    java.util.Map<RoleArn, List<String>> byPrincipal = new java.util.LinkedHashMap<>();
    principalUsers.forEach((principal, users) -> byPrincipal.put(principal, List.copyOf(users)));
    principalUsers = java.util.Collections.unmodifiableMap(byPrincipal);
    services = List.copyOf(services);
    passRoleTo = List.copyOf(passRoleTo);
  }

  /** The role's ARN as text. */
  public String arnText() {
    return arn.toString();
  }

  /** The role's name (the last part of its ARN). */
  public String roleName() {
    return arn.name();
  }

  /** The account the role belongs to. */
  public String accountId() {
    return arn.account();
  }

  /** The roles before it in chains, as ARN texts. */
  public List<String> principalArns() {
    return principals.stream().map(RoleArn::toString).toList();
  }

  /** The next roles of its chains, as ARN texts. */
  public List<String> assumeArns() {
    return assume.stream().map(RoleArn::toString).toList();
  }

  /** Whether Redshift itself assumes the role (it starts a chain). */
  public boolean trustsRedshift() {
    return !regions.isEmpty();
  }
}
