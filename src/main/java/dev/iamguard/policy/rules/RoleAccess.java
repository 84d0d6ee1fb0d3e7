package dev.iamguard.policy.rules;

import dev.iamguard.policy.iam.AwsResourceArns;
import dev.iamguard.policy.iam.IamDecision;
import dev.iamguard.policy.iam.IamEffect;
import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.IamStatement;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.iam.TrustRequest;
import dev.iamguard.policy.iam.Wildcards;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.policy.registry.S3Prefix;
import dev.iamguard.policy.registry.S3Prefixes;
import dev.iamguard.policy.registry.TrustConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Answers what a registry role trusts and may do, whether it was written in the registry's short
 * form ({@code trust:} / {@code allow:}) or as real IAM policy documents ({@code policy_files:}).
 * Rules ask here and never care which form a role uses.
 */
final class RoleAccess {
  /** How a trust check came out. */
  enum Trust {
    TRUSTED,
    /** The caller (Redshift in that region, or the previous role) is not a trusted principal. */
    CALLER_NOT_TRUSTED,
    /** The caller is trusted, but the sts:ExternalId condition excludes the database user. */
    USER_NOT_TRUSTED
  }

  private static final String ASSUME_ROLE = "sts:AssumeRole";

  private RoleAccess() {}

  /** Whether Redshift in {@code region}, for {@code dbUserArn}, may assume {@code role}. */
  static Trust trustsRedshift(RoleConfig role, String region, String dbUserArn) {
    if (role.trust().isPresent()) {
      TrustConfig trust = role.trust().get();
      if (!trust.trustsRegion(region)) {
        return Trust.CALLER_NOT_TRUSTED;
      }
      return trust.trustsDbUser(dbUserArn) ? Trust.TRUSTED : Trust.USER_NOT_TRUSTED;
    }
    return fromDocument(role.trustPolicy().get(), TrustRequest.fromRedshift(region, dbUserArn));
  }

  /** Whether {@code previous}, acting for {@code dbUserArn}, may assume {@code role}. */
  static Trust trustsRole(RoleConfig role, RoleArn previous, String dbUserArn) {
    if (role.trust().isPresent()) {
      TrustConfig trust = role.trust().get();
      if (!trust.trustsRole(previous)) {
        return Trust.CALLER_NOT_TRUSTED;
      }
      return trust.trustsDbUser(dbUserArn) ? Trust.TRUSTED : Trust.USER_NOT_TRUSTED;
    }
    return fromDocument(role.trustPolicy().get(), TrustRequest.fromRole(previous, dbUserArn));
  }

  private static Trust fromDocument(IamPolicy policy, TrustRequest request) {
    IamDecision decision = policy.decideTrust(request);
    if (decision.effect().allowed()) {
      return Trust.TRUSTED;
    }
    if (decision.effect() == IamEffect.DENY) {
      return decision.statement().map(IamStatement::hasConditions).orElse(false)
          ? Trust.USER_NOT_TRUSTED : Trust.CALLER_NOT_TRUSTED;
    }
    return policy.namesCaller(request) ? Trust.USER_NOT_TRUSTED : Trust.CALLER_NOT_TRUSTED;
  }

  /** Whether {@code role} may assume {@code next} (sts:AssumeRole on its ARN). */
  static boolean mayAssume(RoleConfig role, RoleArn next) {
    if (role.allow().isPresent()) {
      return role.allow().get().mayAssume(next);
    }
    return permits(role, ASSUME_ROLE, next.toString(), false);
  }

  /**
   * Whether {@code role} may read every object the command can touch at {@code uri} (a checked
   * s3:// location): every key starting with it when {@code keyPrefix}, else the one key.
   */
  static boolean mayRead(RoleConfig role, String uri, boolean keyPrefix) {
    if (role.allow().isPresent()) {
      return S3Prefixes.covered(role.allow().get().s3Read(), uri, keyPrefix);
    }
    String partition = role.arn().partition();
    // ListBucket carries the listed key as s3:prefix, which a policy may limit
    return permits(role, "s3:GetObject", objectArn(partition, uri), keyPrefix)
        && permits(role, "s3:ListBucket", "arn:" + partition + ":s3:::" + dev.iamguard.sql.S3Location.bucket(uri), false,
            Map.of(IamPolicy.LIST_PREFIX, dev.iamguard.sql.S3Location.key(uri)));
  }

  /** Whether {@code role} may write every object the command can touch at {@code uri}. */
  static boolean mayWrite(RoleConfig role, String uri, boolean keyPrefix) {
    if (role.allow().isPresent()) {
      return S3Prefixes.covered(role.allow().get().s3Write(), uri, keyPrefix);
    }
    return permits(role, "s3:PutObject", objectArn(role.arn().partition(), uri), keyPrefix);
  }

  /**
   * Whether COPY may scan the DynamoDB table with {@code role}: "dynamodb:Scan" and
   * "dynamodb:DescribeTable" on {@code arn:...:dynamodb:region:account:table/name} (the COPY usage
   * notes: "To load data from ... Amazon DynamoDB ... your cluster must have permission to access
   * the resource").
   */
  static boolean mayScanTable(RoleConfig role, String table, String region, String account) {
    if (role.allow().isPresent()) {
      return Wildcards.anyMatches(role.allow().get().dynamodbTables(), table);
    }
    String arn = "arn:" + role.arn().partition() + ":dynamodb:" + region + ":" + account + ":table/" + table;
    return permits(role, "dynamodb:Scan", arn, false) && permits(role, "dynamodb:DescribeTable", arn, false);
  }

  /** Whether COPY may read from the EMR cluster: "elasticmapreduce:ListInstances" on its ARN. */
  static boolean mayReadCluster(RoleConfig role, String cluster, String region, String account) {
    if (role.allow().isPresent()) {
      return Wildcards.anyMatches(role.allow().get().emrClusters(), cluster);
    }
    String arn = "arn:" + role.arn().partition() + ":elasticmapreduce:" + region + ":" + account + ":cluster/" + cluster;
    return permits(role, "elasticmapreduce:ListInstances", arn, false);
  }

  /**
   * Whether {@code role} may invoke the Lambda function {@code functionArn} (resolved by
   * {@link AwsResourceArns#lambda}): a short-form entry names the cluster's account and region
   * unless it is an ARN, so a function of another account or region matches only an entry that
   * names it.
   */
  static boolean mayInvoke(RoleConfig role, String functionArn, String region, String account) {
    if (role.allow().isPresent()) {
      String partition = role.arn().partition();
      return role.allow().get().lambda().stream().anyMatch(allowed ->
          Wildcards.matches(AwsResourceArns.lambdaPattern(allowed, partition, region, account), functionArn));
    }
    return permits(role, "lambda:InvokeFunction", functionArn, false);
  }

  /**
   * Whether {@code role} may use the Glue Data Catalog database {@code databaseArn} of
   * {@code catalogAccount}: a short-form entry that is a name allows that database in the
   * cluster's own account (any region), an ARN entry exactly what it names (wildcards allowed),
   * so a catalog of another account passes only where the registry names it.
   */
  static boolean mayUseCatalog(RoleConfig role, String databaseArn, String database, String catalogAccount,
      String clusterAccount) {
    if (role.allow().isPresent()) {
      return role.allow().get().glueDatabases().stream().anyMatch(allowed -> allowed.startsWith("arn:")
          ? Wildcards.matchesIgnoringCase(allowed, databaseArn)
          : catalogAccount.equals(clusterAccount) && Wildcards.matchesIgnoringCase(allowed, database));
    }
    return permits(role, "glue:GetDatabase", databaseArn, false);
  }

  /** What the registry allows the role, for messages. */
  static String describeS3(RoleConfig role, boolean write) {
    if (role.allow().isEmpty()) {
      return "its permission policies " + sources(role);
    }
    List<S3Prefix> prefixes = write ? role.allow().get().s3Write() : role.allow().get().s3Read();
    return prefixes.isEmpty() ? "it has no " + (write ? "s3_write" : "s3_read") + " prefixes"
        : "its " + (write ? "s3_write" : "s3_read") + " prefixes are " + prefixes;
  }

  static String sources(RoleConfig role) {
    List<String> sources = new ArrayList<>();
    role.permissionPolicies().forEach(p -> sources.add(p.source()));
    return sources.toString();
  }

  private static boolean permits(RoleConfig role, String action, String resource, boolean prefix) {
    return permits(role, action, resource, prefix, Map.of());
  }

  private static boolean permits(RoleConfig role, String action, String resource, boolean prefix,
      Map<String, String> context) {
    List<IamDecision> decisions = new ArrayList<>(role.permissionPolicies().size());
    for (IamPolicy policy : role.permissionPolicies()) {
      decisions.add(prefix ? policy.decideForPrefix(action, resource, context)
          : policy.decide(action, resource, context));
    }
    return IamDecision.combine(decisions).effect().allowed();
  }

  private static String objectArn(String partition, String uri) {
    return "arn:" + partition + ":s3:::" + dev.iamguard.sql.S3Location.bucket(uri) + "/" + dev.iamguard.sql.S3Location.key(uri);
  }
}
