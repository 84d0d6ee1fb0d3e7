package dev.iamguard.policy.iam;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The AWS requests Redshift makes for a statement, and the request context the guard builds for
 * each: which actions it asks IAM about and which condition keys it knows. Everything else is
 * unknown, and a condition on it is judged conservatively (see {@link RequestContext}).
 *
 * <p>Requests (Database Developer Guide, "IAM permissions for COPY, UNLOAD, and CREATE LIBRARY":
 * "For COPY from Amazon S3, permission to LIST the Amazon S3 bucket and GET the Amazon S3 objects
 * that are being loaded, and the manifest file"; JSONPaths files "LIST and GET"; "For UNLOAD to
 * Amazon S3, GET, LIST, and PUT permissions"; "For CREATE LIBRARY from Amazon S3, permission to
 * LIST the Amazon S3 bucket and GET the Amazon S3 objects"):
 * <ul>
 *   <li>Redshift (the service principal {@code redshift.amazonaws.com}) calls {@code sts:AssumeRole}
 *       on the first role of a chain, each role on the next;</li>
 *   <li>a read of S3 (COPY, CREATE LIBRARY, a model artifact, an external table) is
 *       {@code s3:ListBucket} on the bucket with {@code s3:prefix} the location's key, and
 *       {@code s3:GetObject} on each object (every key under a prefix, or the one object);</li>
 *   <li>a write (UNLOAD, CREATE MODEL's bucket, CETAS) is the same plus {@code s3:PutObject};</li>
 *   <li>UNLOAD's CLEANPATH is {@code s3:DeleteObject} on every key under the target ("removes existing
 *       files located in the Amazon S3 path specified in the TO clause before unloading");</li>
 *   <li>{@code lambda:InvokeFunction}, {@code glue:GetDatabase} on the catalog and the database,
 *       {@code dynamodb:Scan} and {@code DescribeTable}, {@code elasticmapreduce:ListInstances}.</li>
 * </ul>
 */
public final class RedshiftRequests {

  /** The actions the guard asks IAM about. */
  public static final Set<String> REQUESTED_ACTIONS = Set.of(
      "sts:AssumeRole", "s3:GetObject", "s3:ListBucket", "s3:PutObject", "s3:DeleteObject",
      "lambda:InvokeFunction", "glue:GetDatabase", "dynamodb:Scan", "dynamodb:DescribeTable", "elasticmapreduce:ListInstances");

  /**
   * The actions whose statements are read and checked: those requested, and the ones Redshift
   * asks for in settings the guard does not model (session tags and context of IAM Identity
   * Center propagation, the KMS key of an encrypted UNLOAD or COPY, Spectrum's table reads). A
   * statement that covers none of them is skipped: kept, reported by validate, never evaluated.
   */
  public static final Set<String> EVALUATED_ACTIONS = Set.of(
      "sts:AssumeRole", "sts:TagSession", "sts:SetContext",
      "s3:GetObject", "s3:ListBucket", "s3:PutObject", "s3:DeleteObject",
      "lambda:InvokeFunction",
      "glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartitions",
      "kms:Decrypt", "kms:GenerateDataKey",
      "dynamodb:Scan", "dynamodb:DescribeTable", "elasticmapreduce:ListInstances");

  static final String EXTERNAL_ID = "sts:ExternalId";
  static final String SOURCE_ACCOUNT = "aws:SourceAccount";
  static final String SOURCE_ARN = "aws:SourceArn";
  static final String PRINCIPAL_ARN = "aws:PrincipalArn";
  static final String PRINCIPAL_ACCOUNT = "aws:PrincipalAccount";
  static final String PRINCIPAL_TYPE = "aws:PrincipalType";
  static final String USERNAME = "aws:username";
  static final String PRINCIPAL_IS_SERVICE = "aws:PrincipalIsAWSService";
  static final String PRINCIPAL_SERVICE = "aws:PrincipalServiceName";
  static final String SECURE_TRANSPORT = "aws:SecureTransport";
  static final String S3_PREFIX = "s3:prefix";

  /**
   * The keys the guard computes itself; a registry may not state them ({@code request_context}).
   * {@code aws:SourceArn} is computed for provisioned clusters only: a serverless workgroup's ARN
   * holds an id the registry does not know, so it may be stated there.
   */
  public static final Set<String> COMPUTED_KEYS = lower(Set.of(EXTERNAL_ID, SOURCE_ACCOUNT, PRINCIPAL_ARN,
      PRINCIPAL_ACCOUNT, PRINCIPAL_TYPE, USERNAME, PRINCIPAL_IS_SERVICE, PRINCIPAL_SERVICE, SECURE_TRANSPORT,
      S3_PREFIX));

  private static final Set<String> SERVICE_HOP = lower(Set.of(EXTERNAL_ID, SOURCE_ACCOUNT, SOURCE_ARN,
      PRINCIPAL_IS_SERVICE, PRINCIPAL_SERVICE));
  private static final Set<String> ROLE_SESSION = lower(Set.of(PRINCIPAL_ARN, PRINCIPAL_ACCOUNT, PRINCIPAL_TYPE,
      USERNAME, PRINCIPAL_IS_SERVICE, PRINCIPAL_SERVICE));
  private static final Map<String, Set<String>> BY_ACTION = Map.of(
      "sts:assumerole", union(union(SERVICE_HOP, ROLE_SESSION), lower(Set.of(EXTERNAL_ID))),
      "s3:getobject", union(ROLE_SESSION, lower(Set.of(SECURE_TRANSPORT, S3_PREFIX))),
      "s3:putobject", union(ROLE_SESSION, lower(Set.of(SECURE_TRANSPORT, S3_PREFIX))),
      "s3:deleteobject", union(ROLE_SESSION, lower(Set.of(SECURE_TRANSPORT, S3_PREFIX))),
      "s3:listbucket", union(ROLE_SESSION, lower(Set.of(SECURE_TRANSPORT, S3_PREFIX))),
      "dynamodb:scan", union(ROLE_SESSION, lower(Set.of(SECURE_TRANSPORT))),
      "dynamodb:describetable", union(ROLE_SESSION, lower(Set.of(SECURE_TRANSPORT))));

  /**
   * Keys only a service principal's own request carries: "only available when the call to your
   * resource is made directly by an AWS service principal" (IAM User Guide, global condition
   * keys). A registry states them for Redshift's sts:AssumeRole; the role session's requests
   * never carry them.
   */
  private static final Set<String> SERVICE_PRINCIPAL_KEYS = lower(Set.of(SOURCE_ACCOUNT, SOURCE_ARN,
      "aws:SourceOrgID", "aws:SourceOrgPaths"));
  /**
   * Keys of the network path: stated for the role session's S3 traffic (through the cluster's VPC
   * endpoint, from its addresses). Whether an sts:AssumeRole, Redshift's or a role's, takes that
   * path is not documented, so there they stay unknown.
   */
  private static final Set<String> NETWORK_KEYS = lower(Set.of("aws:SourceVpce", "aws:SourceIp",
      "aws:VpcSourceIp", "aws:SourceVpc"));
  /**
   * Keys of the calling IAM principal and of its role session (IAM User Guide, global condition
   * keys, "Properties of the principal" and "Properties of a role session"), besides the
   * {@code aws:Principal*} ones: stated for the role sessions that call, they do not describe
   * Redshift's own sts:AssumeRole, whose caller is a service principal (no organization, no
   * tags: {@code aws:PrincipalOrgID} "is included in the request context only if the principal is a
   * member of an organization").
   */
  private static final Set<String> CALLER_KEYS = lower(Set.of("aws:userid", "aws:username",
      "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:TokenIssueTime", "aws:FederatedProvider",
      "aws:SourceIdentity", "aws:AssumedRoot", "aws:Ec2InstanceSourceVpc", "aws:Ec2InstanceSourcePrivateIPv4",
      "aws:ChatbotSourceArn"));

  /** Whether the stated (lower-cased) {@code key} describes the calling IAM principal or its session. */
  private static boolean describesCaller(String key) {
    return key.startsWith("aws:principal") || CALLER_KEYS.contains(key);
  }

  /** What a role session's S3 request cannot carry as stated. */
  private static final Set<String> NOT_ON_S3 = SERVICE_PRINCIPAL_KEYS;
  /** What a role session's other requests cannot carry as stated (built once: every COPY's hops ask). */
  private static final Set<String> NOT_OFF_THE_S3_PATH = union(SERVICE_PRINCIPAL_KEYS, NETWORK_KEYS);

  private RedshiftRequests() {}

  /** What the registry states, with {@code keys} forgotten: the request cannot carry them as stated. */
  private static RequestContext.Builder declaredWithout(RequestContext declared, Set<String> keys) {
    RequestContext.Builder b = RequestContext.builder().putAll(declared);
    keys.forEach(b::unknown);
    return b;
  }

  /** The keys (lower case) the guard fills, for some request, when it asks about {@code action}. */
  public static Set<String> suppliedKeys(String action) {
    String lower = action.toLowerCase(Locale.ROOT);
    Set<String> keys = BY_ACTION.get(lower);
    if (keys != null) {
      return keys;
    }
    return REQUESTED_ACTIONS.stream().anyMatch(a -> a.equalsIgnoreCase(action)) ? ROLE_SESSION : Set.of();
  }

  /** A provisioned cluster's ARN, {@code arn:aws:redshift:<region>:<account>:cluster:<id>}. */
  public static String clusterArn(String partition, String region, String account, String clusterId) {
    return "arn:" + partition + ":redshift:" + region + ":" + account + ":cluster:" + clusterId;
  }

  /**
   * Redshift assuming the first role: the caller is the service, {@code aws:SourceAccount} the
   * cluster's account, {@code aws:SourceArn} the cluster's ARN (confused-deputy keys of the IAM
   * User Guide), {@code sts:ExternalId} the database user's ARN.
   *
   * @param sourceArn the cluster's ARN; null when unknown (a serverless workgroup)
   * @param dbUserArn null when the user is unknown
   * @param declared what the registry states for keys the guard cannot know
   */
  public static RequestContext redshiftAssumes(String account, String sourceArn, String dbUserArn,
      RequestContext declared) {
    return redshiftAssumes("redshift", account, sourceArn, dbUserArn, declared);
  }

  /**
   * As {@link #redshiftAssumes(String, String, String, RequestContext)}, with the calling service
   * named: {@code redshift} or, for a serverless workgroup, also {@code redshift-serverless}.
   */
  public static RequestContext redshiftAssumes(String service, String account, String sourceArn, String dbUserArn,
      RequestContext declared) {
    RequestContext.Builder b = declaredWithout(declared, NETWORK_KEYS);
    for (String key : declared.knownKeys()) {
      if (describesCaller(key)) {
        b.unknown(key);
      }
    }
    b.put(SOURCE_ACCOUNT, account)
        .put(PRINCIPAL_IS_SERVICE, "true")
        .put(PRINCIPAL_SERVICE, service + ".amazonaws.com");
    if (sourceArn != null) {
      b.put(SOURCE_ARN, sourceArn);
    }
    if (dbUserArn != null) {
      b.put(EXTERNAL_ID, dbUserArn);
    }
    return b.build();
  }

  /**
   * A role of a chain assuming the next: the caller is a session of {@code caller}; Redshift passes
   * the database user's ARN as {@code sts:ExternalId} on every hop. The same context applies to the
   * caller's permission policy ({@code sts:AssumeRole} on the next role) and to the next role's trust.
   */
  public static RequestContext roleAssumes(RoleArn caller, String dbUserArn, RequestContext declared) {
    RequestContext.Builder b = session(caller, declared, NOT_OFF_THE_S3_PATH);
    if (dbUserArn != null) {
      b.put(EXTERNAL_ID, dbUserArn);
    }
    return b.build();
  }

  /**
   * A request the role's session makes (Lambda, Glue): the principal keys of an assumed-role
   * session. {@code aws:username} is absent: "requests that are made using ... IAM roles don't
   * include this key".
   */
  public static RequestContext roleSession(RoleArn role, RequestContext declared) {
    return session(role, declared, NOT_OFF_THE_S3_PATH).build();
  }

  /**
   * An S3 request of the role's session: Redshift "uses hardware accelerated SSL to
   * communicate with Amazon S3 or Amazon DynamoDB for COPY, UNLOAD, backup, and restore
   * operations", so {@code aws:SecureTransport} is true.
   *
   * @param listPrefix the {@code s3:prefix} of a ListBucket request; null for other requests, which do
   *     not carry the key (IAM evaluates it as absent there); empty (the whole bucket) leaves it unknown
   */
  public static RequestContext s3(RoleArn role, String listPrefix, RequestContext declared) {
    RequestContext.Builder b = session(role, declared, NOT_ON_S3).put(SECURE_TRANSPORT, "true");
    if (listPrefix != null && listPrefix.isEmpty()) {
      // a whole-bucket listing: whether S3 sends an empty prefix or none is not documented, and
      // the two readings decide a Deny on Null s3:prefix and one on s3:prefix "" oppositely
      b.unknown(S3_PREFIX);
    } else if (listPrefix != null) {
      b.put(S3_PREFIX, listPrefix);
    } else {
      b.absent(S3_PREFIX); // a key of ListBucket alone: absent from object requests, as IAM evaluates them
    }
    return b.build();
  }

  /**
   * A DynamoDB request of the role's session (over TLS, as S3's). The network keys a registry
   * states stand for the S3 path; whether DynamoDB traffic takes it is not documented.
   */
  public static RequestContext dynamodb(RoleArn role, RequestContext declared) {
    return session(role, declared, NOT_OFF_THE_S3_PATH).put(SECURE_TRANSPORT, "true").build();
  }

  /** The role session's keys over what the registry states, but for {@code unknown}. */
  private static RequestContext.Builder session(RoleArn role, RequestContext declared, Set<String> unknown) {
    return declaredWithout(declared, unknown)
        .put(PRINCIPAL_ARN, role.toString())
        .put(PRINCIPAL_ACCOUNT, role.account())
        .put(PRINCIPAL_TYPE, "AssumedRole")
        .absent(USERNAME)
        .put(PRINCIPAL_IS_SERVICE, "false")
        .absent(PRINCIPAL_SERVICE);
  }

  private static Set<String> lower(Set<String> keys) {
    return keys.stream().map(k -> k.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    java.util.Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
