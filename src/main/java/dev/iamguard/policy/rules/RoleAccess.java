package dev.iamguard.policy.rules;

import dev.iamguard.policy.iam.AwsResourceArns;
import dev.iamguard.policy.iam.IamDecision;
import dev.iamguard.policy.iam.IamEffect;
import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.IamRequest;
import dev.iamguard.policy.iam.IamStatement;
import dev.iamguard.policy.iam.RedshiftRequests;
import dev.iamguard.policy.iam.RequestContext;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.iam.TrustRequest;
import dev.iamguard.policy.iam.Wildcards;
import dev.iamguard.policy.registry.NameList;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.policy.registry.S3Prefix;
import dev.iamguard.policy.registry.S3Prefixes;
import dev.iamguard.policy.registry.TrustConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Answers what a registry role trusts and may do, whether it was written in the registry's short
 * form ({@code trust:} / {@code allow:}) or as real IAM policy documents ({@code policy_files:}).
 * Rules ask here and never care which form a role uses.
 *
 * <p>Documents are asked with the request context Redshift's request carries
 * ({@link RedshiftRequests}): the keys the guard computes (the cluster's account and ARN, the
 * database user's ARN as {@code sts:ExternalId} on every hop, the role session's principal keys,
 * {@code s3:prefix} of a ListBucket) over what the registry states in {@code request_context};
 * every other key is unknown and judged conservatively.
 */
final class RoleAccess {
  // how mayInvoke and mayUseCatalog read a long allow list's entries (AwsResourceArns.lambdaPattern)
  private static final NameList.Reading LAMBDA_ARNS = new NameList.Reading(entry -> entry.startsWith("arn:"), false);
  private static final NameList.Reading LAMBDA_PARTIAL_ARNS =
      new NameList.Reading(entry -> !entry.startsWith("arn:") && entry.contains(":function:"), false);
  private static final NameList.Reading LAMBDA_NAMES =
      new NameList.Reading(entry -> !entry.startsWith("arn:") && !entry.contains(":function:"), false);
  private static final NameList.Reading GLUE_ARNS = new NameList.Reading(entry -> entry.startsWith("arn:"), true);
  private static final NameList.Reading GLUE_NAMES = new NameList.Reading(entry -> !entry.startsWith("arn:"), true);

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
  static Trust trustsRedshift(RoleConfig role, String region, String dbUserArn, RequestScope scope) {
    if (role.trust().isPresent()) {
      TrustConfig trust = role.trust().get();
      if (!trust.trustsRegion(region)) {
        return Trust.CALLER_NOT_TRUSTED;
      }
      return trust.trustsDbUser(dbUserArn) ? Trust.TRUSTED : Trust.USER_NOT_TRUSTED;
    }
    Trust worst = Trust.TRUSTED;
    for (String service : services(scope)) {
      Trust trust = trustsService(role, service, region, dbUserArn, scope);
      if (trust == Trust.CALLER_NOT_TRUSTED) {
        return trust;
      }
      worst = trust == Trust.USER_NOT_TRUSTED ? trust : worst;
    }
    return worst;
  }

  /**
   * The service principals of Redshift's own sts:AssumeRole that {@code role}'s trust document
   * does not trust in {@code region}, e.g. {@code [redshift-serverless.amazonaws.com]}; empty
   * for a short-form role. Asked only on the denial path, for the remedy.
   */
  static List<String> untrustedServices(RoleConfig role, String region, String dbUserArn, RequestScope scope) {
    if (role.trust().isPresent()) {
      return List.of();
    }
    return services(scope).stream()
        .filter(s -> trustsService(role, s, region, dbUserArn, scope) == Trust.CALLER_NOT_TRUSTED)
        .map(s -> s + ".amazonaws.com").toList();
  }

  /**
   * The services that call sts:AssumeRole for the cluster. For a workgroup, the trust must name
   * both: "make sure that it contains redshift-serverless.amazonaws.com and redshift.amazonaws.com
   * as principal service names" (Management Guide, "Granting permissions to Amazon Redshift
   * Serverless"), so each must be trusted.
   */
  private static List<String> services(RequestScope scope) {
    return scope.cluster() != null && scope.cluster().serverless() ? WORKGROUP_SERVICES : CLUSTER_SERVICES;
  }

  private static final List<String> WORKGROUP_SERVICES = List.of("redshift-serverless", "redshift");
  private static final List<String> CLUSTER_SERVICES = List.of("redshift");

  private static Trust trustsService(RoleConfig role, String service, String region, String dbUserArn,
      RequestScope scope) {
    String account = scope.cluster() == null ? null : scope.cluster().account();
    String sourceArn = scope.cluster() == null ? null : scope.cluster().sourceArn();
    RequestContext context = account == null ? TrustRequest.fromRedshift(region, dbUserArn).context()
        : RedshiftRequests.redshiftAssumes(service, account, sourceArn, dbUserArn, scope.clusterDeclared());
    return fromDocument(role.trustPolicy().get(), new TrustRequest(
        new TrustRequest.ServiceCaller(service, Optional.of(region)), TrustRequest.ASSUME_ROLE, context));
  }

  /**
   * Whether {@code previous}, acting for {@code dbUserArn}, may assume {@code role}.
   *
   * @param caller the registry's entry of {@code previous}, whose {@code request_context} the
   *     request carries
   */
  static Trust trustsRole(RoleConfig role, RoleArn previous, RoleConfig caller, String dbUserArn,
      RequestScope scope) {
    if (role.trust().isPresent()) {
      TrustConfig trust = role.trust().get();
      if (!trust.trustsRole(previous)) {
        return Trust.CALLER_NOT_TRUSTED;
      }
      return trust.trustsDbUser(dbUserArn) ? Trust.TRUSTED : Trust.USER_NOT_TRUSTED;
    }
    RequestContext declared = caller == null ? scope.clusterDeclared() : scope.declared(caller);
    // the session that calls is the registry's role, however the SQL spelled it (names are unique
    // ignoring case): aws:PrincipalArn is "the ARN of the principal that made the request"
    RoleArn session = caller == null ? previous : caller.arn();
    return fromDocument(role.trustPolicy().get(), new TrustRequest(new TrustRequest.RoleCaller(session),
        TrustRequest.ASSUME_ROLE, RedshiftRequests.roleAssumes(session, dbUserArn, declared)));
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

  /**
   * Whether {@code role} may assume {@code next} (sts:AssumeRole on its ARN). The request carries
   * the same context as the one the next role's trust sees, {@code sts:ExternalId} included.
   *
   * @param nextRole the registry's entry of {@code next}; null when the registry does not know it
   */
  static boolean mayAssume(RoleConfig role, RoleArn next, RoleConfig nextRole, RequestScope scope) {
    // The SQL may spell the next role in another case (or path) than IAM stores it. Whether IAM
    // matches the Resource against the ARN as requested or as stored is not documented, and ARN
    // matching is case-sensitive: an Allow must cover both, a Deny on either applies.
    // (two questions at most, without a list: every hop of every COPY asks)
    RoleArn stored = nextRole == null || nextRole.arn().toString().equals(next.toString()) ? null : nextRole.arn();
    if (role.allow().isPresent()) {
      return role.allow().get().mayAssume(next) && (stored == null || role.allow().get().mayAssume(stored));
    }
    RequestContext context = RedshiftRequests.roleAssumes(role.arn(), scope.dbUserArn(), scope.declared(role));
    return permits(role, IamRequest.of(ASSUME_ROLE, next.toString(), context))
        && (stored == null || permits(role, IamRequest.of(ASSUME_ROLE, stored.toString(), context)));
  }

  /**
   * Whether {@code role} may read every object the command can touch at {@code uri} (a checked
   * s3:// location): every key starting with it when {@code keyPrefix}, else the one key.
   */
  static boolean mayRead(RoleConfig role, String uri, boolean keyPrefix, RequestScope scope) {
    if (role.allow().isPresent()) {
      return S3Prefixes.covered(role.allow().get().s3Read(), uri, keyPrefix);
    }
    return permits(role, s3(role, "s3:GetObject", uri, keyPrefix, scope)) && mayList(role, uri, scope);
  }

  /** s3:ListBucket on the bucket, with {@code s3:prefix} the location's key. */
  private static boolean mayList(RoleConfig role, String uri, RequestScope scope) {
    String bucketArn = "arn:" + role.arn().partition() + ":s3:::" + dev.iamguard.sql.S3Location.bucket(uri);
    return permits(role, IamRequest.of("s3:ListBucket", bucketArn, RedshiftRequests.s3(role.arn(),
        dev.iamguard.sql.S3Location.key(uri), scope.resourceRequests(role))));
  }

  private static IamRequest s3(RoleConfig role, String action, String uri, boolean keyPrefix, RequestScope scope) {
    RequestContext context = RedshiftRequests.s3(role.arn(), null, scope.resourceRequests(role));
    String arn = objectArn(role.arn().partition(), uri);
    return keyPrefix ? IamRequest.prefix(action, arn, context) : IamRequest.of(action, arn, context);
  }

  /**
   * Whether {@code role} may write every object the command can touch at {@code uri}. Under IAM
   * documents a write is a read plus {@code s3:PutObject}: "For UNLOAD to Amazon S3, GET, LIST, and
   * PUT permissions" (see {@link RedshiftRequests}).
   */
  static boolean mayWrite(RoleConfig role, String uri, boolean keyPrefix, RequestScope scope) {
    if (role.allow().isPresent()) {
      return S3Prefixes.covered(role.allow().get().s3Write(), uri, keyPrefix);
    }
    return permits(role, s3(role, "s3:PutObject", uri, keyPrefix, scope)) && mayRead(role, uri, keyPrefix, scope);
  }

  /**
   * Whether {@code role} may delete every object the command can touch at {@code uri}
   * ({@code s3:DeleteObject}): UNLOAD's CLEANPATH "removes existing files located in the Amazon S3
   * path specified in the TO clause before unloading", which needs that permission. A registry's
   * {@code s3_write} prefixes grant it: they stand for what the role may change there.
   */
  static boolean mayDelete(RoleConfig role, String uri, boolean keyPrefix, RequestScope scope) {
    if (role.allow().isPresent()) {
      return S3Prefixes.covered(role.allow().get().s3Write(), uri, keyPrefix);
    }
    return permits(role, s3(role, "s3:DeleteObject", uri, keyPrefix, scope));
  }

  /**
   * Whether COPY may scan the DynamoDB table with {@code role}: "dynamodb:Scan" and
   * "dynamodb:DescribeTable" on {@code arn:...:dynamodb:region:account:table/name} (the COPY usage
   * notes: "To load data from ... Amazon DynamoDB ... your cluster must have permission to access
   * the resource"). The table is the role's own account's: DynamoDB looks a table's name up in the
   * caller's account, and through a chain the caller is its last role.
   */
  static boolean mayScanTable(RoleConfig role, String table, String region, RequestScope scope) {
    if (role.allow().isPresent()) {
      return NameList.anyMatches(role.allow().get().dynamodbTables(), table);
    }
    String arn = "arn:" + role.arn().partition() + ":dynamodb:" + region + ":" + role.arn().account() + ":table/" + table;
    RequestContext context = RedshiftRequests.dynamodb(role.arn(), scope.resourceRequests(role));
    return permits(role, IamRequest.of("dynamodb:Scan", arn, context))
        && permits(role, IamRequest.of("dynamodb:DescribeTable", arn, context));
  }

  /**
   * Whether COPY may read from the EMR cluster: "elasticmapreduce:ListInstances" on its ARN, a
   * cluster of the role's own account (an id is looked up in the caller's account).
   */
  static boolean mayReadCluster(RoleConfig role, String cluster, String region, RequestScope scope) {
    if (role.allow().isPresent()) {
      return NameList.anyMatches(role.allow().get().emrClusters(), cluster);
    }
    String arn = "arn:" + role.arn().partition() + ":elasticmapreduce:" + region + ":" + role.arn().account()
        + ":cluster/" + cluster;
    return permits(role, IamRequest.of("elasticmapreduce:ListInstances", arn, session(role, scope)));
  }

  /**
   * Whether {@code role} may invoke the Lambda function {@code functionArn} (resolved by
   * {@link AwsResourceArns#lambda}): a short-form entry names a function of the role's own account
   * in {@code region} (the cluster's) unless it is an ARN, so a function of another
   * account or region matches only an entry that names it.
   */
  static boolean mayInvoke(RoleConfig role, String functionArn, String region, RequestScope scope) {
    if (role.allow().isPresent()) {
      String partition = role.arn().partition();
      String account = role.arn().account();
      List<String> entries = role.allow().get().lambda();
      if (entries.size() > NameList.COMPARED_UP_TO && entries instanceof NameList list) {
        String regional = "arn:" + partition + ":lambda:" + region + ":";
        String own = regional + account + ":function:";
        if (own.indexOf('*') < 0 && own.indexOf('?') < 0) {
          // each entry's pattern is one of these literal heads and the entry (lambdaPattern): the
          // text's head is compared once, the entries looked up by what follows it
          return list.matches(LAMBDA_ARNS, functionArn)
              || functionArn.startsWith(regional) && list.matches(LAMBDA_PARTIAL_ARNS, functionArn.substring(regional.length()))
              || functionArn.startsWith(own) && list.matches(LAMBDA_NAMES, functionArn.substring(own.length()));
        }
      }
      return entries.stream().anyMatch(allowed ->
          Wildcards.matches(AwsResourceArns.lambdaPattern(allowed, partition, region, account), functionArn));
    }
    RequestContext context = session(role, scope);
    if (!permits(role, IamRequest.of("lambda:InvokeFunction", functionArn, context))) {
      return false;
    }
    // a version or alias (function:fn:prod): whether a Deny on the function itself stops it is not
    // documented, so such a Deny is taken to apply; the Allow was asked about the qualified ARN
    String[] fields = functionArn.split(":");
    return fields.length != 8 || role.permissions().decide(IamRequest.of("lambda:InvokeFunction",
        functionArn.substring(0, functionArn.lastIndexOf(':')), context)).effect() != IamEffect.DENY;
  }

  /**
   * Whether {@code role} may use the Glue Data Catalog database {@code databaseArn} of
   * {@code catalogAccount}: a short-form entry that is a name allows that database in the
   * cluster's own account (any region), an ARN entry exactly what it names (wildcards allowed),
   * so a catalog of another account passes only where the registry names it. Under IAM documents
   * {@code glue:GetDatabase} is asked on the catalog ARN and on the database ARN, as Glue does
   * (Glue developer guide, "Specifying AWS Glue resource ARNs": access to a database needs the
   * catalog too).
   */
  static boolean mayUseCatalog(RoleConfig role, String databaseArn, String database, String catalogAccount,
      String clusterAccount, RequestScope scope) {
    if (role.allow().isPresent()) {
      List<String> entries = role.allow().get().glueDatabases();
      if (entries.size() > NameList.COMPARED_UP_TO && entries instanceof NameList list) {
        return list.matches(GLUE_ARNS, databaseArn) || catalogAccount.equals(clusterAccount) && list.matches(GLUE_NAMES, database);
      }
      return entries.stream().anyMatch(allowed -> allowed.startsWith("arn:")
          ? Wildcards.matchesIgnoringCase(allowed, databaseArn)
          : catalogAccount.equals(clusterAccount) && Wildcards.matchesIgnoringCase(allowed, database));
    }
    RequestContext context = session(role, scope);
    int at = databaseArn.indexOf(":database/");
    String catalogArn = databaseArn.substring(0, at) + ":catalog";
    // the Data Catalog keeps database names in lower case, and whether IAM is asked about the name as
    // written or as stored is not documented: an Allow must cover both, a Deny on either applies
    String stored = databaseArn.substring(0, at) + databaseArn.substring(at).toLowerCase(java.util.Locale.ROOT);
    return permits(role, IamRequest.of("glue:GetDatabase", catalogArn, context))
        && permits(role, IamRequest.of("glue:GetDatabase", databaseArn, context))
        && (stored.equals(databaseArn) || permits(role, IamRequest.of("glue:GetDatabase", stored, context)));
  }

  /**
   * The first conservative judgement among the S3 requests of a read or write the role was
   * denied, e.g. a Deny on {@code aws:SourceVpce} taken to apply; null when there was none.
   * Asked only on the denial path.
   */
  static String conservativeS3(RoleConfig role, String uri, boolean keyPrefix, boolean write, RequestScope scope) {
    if (role.allow().isPresent()) {
      return null;
    }
    String bucketArn = "arn:" + role.arn().partition() + ":s3:::" + dev.iamguard.sql.S3Location.bucket(uri);
    IamRequest get = s3(role, "s3:GetObject", uri, keyPrefix, scope);
    IamRequest list = IamRequest.of("s3:ListBucket", bucketArn,
        RedshiftRequests.s3(role.arn(), dev.iamguard.sql.S3Location.key(uri), scope.resourceRequests(role)));
    // the requests mayRead and mayWrite ask: a write reads too
    List<IamRequest> requests = write ? List.of(s3(role, "s3:PutObject", uri, keyPrefix, scope), get, list)
        : List.of(get, list);
    for (IamRequest request : requests) {
      IamDecision decision = role.permissions().decide(request);
      if (!decision.effect().allowed() && decision.conservativeUsed()) {
        return decision.conservative().get(0).describe();
      }
    }
    return null;
  }

  /** What the registry allows the role, for messages. */
  static String describeS3(RoleConfig role, boolean write) {
    if (role.allow().isEmpty()) {
      return "its permission policies " + sources(role);
    }
    List<S3Prefix> prefixes = write ? role.allow().get().s3Write() : role.allow().get().s3Read();
    return prefixes.isEmpty() ? "it has no " + (write ? "s3_write" : "s3_read") + " prefixes"
        : "its " + (write ? "s3_write" : "s3_read") + " prefixes are " + S3Prefixes.listed(prefixes);
  }

  /** Its permission documents, for messages: inline ones by file, managed ones by ARN, the boundary. */
  static String sources(RoleConfig role) {
    List<String> sources = new ArrayList<>();
    role.permissionPolicies().forEach(p -> sources.add(p.source()));
    role.managedPolicies().forEach(m -> sources.add(m.arn()));
    role.boundary().ifPresent(b -> sources.add("boundary " + b.source()));
    return sources.toString();
  }

  private static RequestContext session(RoleConfig role, RequestScope scope) {
    return RedshiftRequests.roleSession(role.arn(), scope.resourceRequests(role));
  }

  /** Whether the role's policies and boundary allow {@code request}; a conservative guess never allows. */
  private static boolean permits(RoleConfig role, IamRequest request) {
    return role.permissions().decide(request).effect().allowed();
  }

  private static String objectArn(String partition, String uri) {
    return "arn:" + partition + ":s3:::" + dev.iamguard.sql.S3Location.bucket(uri) + "/" + dev.iamguard.sql.S3Location.key(uri);
  }
}
