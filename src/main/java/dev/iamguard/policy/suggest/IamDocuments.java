package dev.iamguard.policy.suggest;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.DbUsers;
import dev.iamguard.policy.registry.S3Prefix;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The IAM policy documents of one suggested role, as {@code aws iam put-role-policy} and
 * {@code aws iam update-assume-role-policy} take them, built as trees of maps, lists and strings
 * (the command line writes them as JSON). They grant what the short form grants, for the requests
 * the guard evaluates:
 * <ul>
 *   <li>trust: {@code sts:AssumeRole} for the Redshift service of the cluster's region (a role that
 *       starts a chain) and for the role before it in each chain, each with an {@code sts:ExternalId}
 *       condition listing the database users who come through that caller (start a chain at the
 *       role, or run a chain with that hop);</li>
 *   <li>permissions: {@code s3:GetObject} on the read and written key spaces and {@code s3:ListBucket}
 *       on their buckets limited by {@code s3:prefix}, {@code s3:PutObject} on the written ones
 *       (UNLOAD needs GET, LIST and PUT), {@code s3:DeleteObject} on those an UNLOAD with CLEANPATH
 *       empties first,
 *       {@code lambda:InvokeFunction}, {@code glue:GetDatabase}/{@code GetTable(s)} and the partition
 *       reads ({@code GetPartition(s)}, {@code BatchGetPartition}) on the catalog, its databases and their tables, {@code sts:AssumeRole} on the next role of each chain,
 *       {@code dynamodb:Scan}/{@code DescribeTable} and {@code elasticmapreduce:ListInstances};
 *       {@code kms:GenerateDataKey}, {@code kms:Encrypt} and {@code kms:Decrypt} on a KMS key an UNLOAD
 *       or a model names by ARN, {@code glue:CreateDatabase} and {@code glue:CreateTable} on the
 *       catalog, database and table an external schema or table creates; for a model trained in
 *       SageMaker the training actions on every resource and {@code iam:PassRole} of the role itself to
 *       {@code sagemaker.amazonaws.com} only, {@code sagemaker:InvokeEndpoint} on a SAGEMAKER endpoint,
 *       {@code secretsmanager:GetSecretValue} on a federated schema's secret, {@code bedrock:InvokeModel}
 *       on an external model's foundation model;</li>
 *   <li>trust, beside: {@code sts:AssumeRole} for {@code sagemaker.amazonaws.com} (a role a model is
 *       trained as) and {@code bedrock.amazonaws.com} (a Bedrock model's role), only where needed.</li>
 * </ul>
 *
 * @param role the role
 * @param trust the trust policy document
 * @param permissions the permissions policy document, or null when the role needs no permission
 *     suggest models (an external schema from Kinesis, a library from https): IAM refuses a document
 *     without statements, and so does the registry
 */
public record IamDocuments(RoleArn role, Map<String, Object> trust, Map<String, Object> permissions) {
  private static final String VERSION = "2012-10-17";

  /** The documents of {@code role} on {@code cluster}. */
  public static IamDocuments of(SuggestedRole role, ClusterConfig cluster) {
    return new IamDocuments(role.arn(), trust(role, cluster), permissions(role, cluster));
  }

  /** The name of the inline permissions policy: {@code iamguard-<role name>}. */
  public String policyName() {
    return "iamguard-" + role.name();
  }

  private static Map<String, Object> trust(SuggestedRole role, ClusterConfig cluster) {
    List<Object> statements = new ArrayList<>();
    if (role.trustsRedshift()) {
      String region = cluster.region();
      String suffix = DbUsers.partition(region).equals("aws-cn") ? ".amazonaws.com.cn" : ".amazonaws.com";
      // a workgroup's role must trust both services, named as the Management Guide writes them
      // ("contains redshift-serverless.amazonaws.com and redshift.amazonaws.com")
      statements.add(assume(Map.of("Service", cluster.serverless()
          ? List.of("redshift-serverless" + suffix, "redshift" + suffix) : "redshift." + region + suffix),
          role.dbUsers().map(all -> role.redshiftUsers())));
    }
    // each caller for the users who come through it ("Restricting access to IAM roles": sts:ExternalId
    // lists the users who may use the role; "Chaining IAM roles": the same condition restricts the
    // chaining), callers with the same users in one statement
    Map<Set<String>, List<RoleArn>> byUsers = new LinkedHashMap<>();
    for (RoleArn principal : role.principals()) {
      List<String> users = role.principalUsers().getOrDefault(principal, role.dbUsers().orElse(List.of()));
      byUsers.computeIfAbsent(new LinkedHashSet<>(users), u -> new ArrayList<>()).add(principal);
    }
    byUsers.forEach((users, principals) -> statements.add(assume(Map.of("AWS", strings(principals)),
        role.dbUsers().map(all -> List.copyOf(users)))));
    if (!role.services().isEmpty()) {
      // SageMaker runs the training jobs of CREATE MODEL as the role, Bedrock is named for CREATE EXTERNAL
      // MODEL ("Cluster setup for using Amazon Redshift ML"; the CREATE EXTERNAL MODEL prerequisites): they
      // pass no sts:ExternalId, so no user condition
      statements.add(assume(Map.of("Service", role.services().stream().map(IamDocuments::servicePrincipal).toList()),
          Optional.empty()));
    }
    return document(statements);
  }

  /**
   * A service's principal, as the Redshift ML pages write it in every partition (the China pages too
   * name {@code sagemaker.amazonaws.com}); also the {@code iam:PassedToService} value.
   */
  static String servicePrincipal(String service) {
    return service + ".amazonaws.com";
  }

  /** {@code users}: the database user ARNs the sts:ExternalId condition lists; empty for no condition. */
  private static Map<String, Object> assume(Map<String, Object> principal, Optional<List<String>> users) {
    Map<String, Object> statement = statement("Allow", principal, "sts:AssumeRole", null);
    // a condition value takes policy variables: a user named "${aws:SourceAccount}" would be another user
    users.ifPresent(known -> statement.put("Condition",
        Map.of("StringEquals", Map.of("sts:ExternalId", known.stream().map(IamDocuments::literal).toList()))));
    return statement;
  }

  private static Map<String, Object> permissions(SuggestedRole role, ClusterConfig cluster) {
    String partition = role.arn().partition();
    List<Object> statements = new ArrayList<>();
    // a write is a read plus PutObject: "For UNLOAD to Amazon S3, GET, LIST, and PUT permissions"
    List<KeyPattern> readOrWritten = KeyPattern.merge(concat(role.readObjects(), role.writeObjects()));
    if (!readOrWritten.isEmpty()) {
      statements.add(allow("s3:GetObject", objects(readOrWritten, partition)));
      Map<String, List<String>> byBucket = new LinkedHashMap<>();
      for (KeyPattern pattern : readOrWritten) {
        List<String> keys = byBucket.computeIfAbsent(pattern.bucket(), b -> new ArrayList<>());
        if (pattern.wholeBucket()) {
          keys.clear();
          keys.add("*"); // the whole bucket: the listing gets no s3:prefix condition, whatever else is listed
        } else if (!keys.contains("*")) {
          keys.add(keyPattern(pattern));
        }
      }
      byBucket.forEach((bucket, keys) -> {
        Map<String, Object> list = allow("s3:ListBucket", List.of("arn:" + partition + ":s3:::" + bucket));
        if (!keys.contains("*")) {
          list.put("Condition", Map.of("StringLike", Map.of("s3:prefix", keys)));
        }
        statements.add(list);
      });
    }
    if (!role.writeObjects().isEmpty()) {
      statements.add(allow("s3:PutObject", objects(role.writeObjects(), partition)));
    }
    if (!role.deleteObjects().isEmpty()) {
      statements.add(allow("s3:DeleteObject", objects(role.deleteObjects(), partition)));
    }
    if (!role.lambda().isEmpty()) {
      statements.add(allow("lambda:InvokeFunction", new ArrayList<>(role.lambda().values())));
    }
    if (!role.glue().isEmpty()) {
      List<String> resources = new ArrayList<>();
      for (String database : role.glue().values()) {
        // arn:<partition>:glue:<region>:<account>:database/<name>
        int slash = database.indexOf(":database/");
        String prefix = database.substring(0, slash);
        String catalog = prefix + ":catalog";
        String name = database.substring(slash + ":database/".length());
        // the name as written and as the Data Catalog stores it (lower case): the guard asks about both
        // literally, as keys are: a $ would start a policy variable (suggest refuses * and ? in the name)
        for (String spelled : new java.util.LinkedHashSet<>(List.of(literal(name),
            literal(name.toLowerCase(java.util.Locale.ROOT))))) {
          for (String arn : List.of(catalog, prefix + ":database/" + spelled, prefix + ":table/" + spelled + "/*")) {
            if (!resources.contains(arn)) {
              resources.add(arn);
            }
          }
        }
      }
      // Spectrum reads a partitioned table's partitions from the catalog: the partition reads of the
      // "minimum permissions" policy of "IAM policies for Amazon Redshift Spectrum" (corpus
      // spectrum-glue-s3-minimal.json: GetPartition, GetPartitions, BatchGetPartition; which one Redshift
      // calls is not said), on the resources the table reads are granted on (spectrum-glue-catalog-arns.json)
      statements.add(allow(List.of("glue:BatchGetPartition", "glue:GetDatabase", "glue:GetPartition",
          "glue:GetPartitions", "glue:GetTable", "glue:GetTables"), resources));
    }
    if (!role.assume().isEmpty()) {
      // a role path takes * ? and $ (IAM: any printable ASCII): in a Resource they would reach other roles
      statements.add(allow("sts:AssumeRole", strings(role.assume()).stream().map(IamDocuments::literal).toList()));
    }
    if (!role.passRoleTo().isEmpty()) {
      // the role passes itself, and only to the services named: "iam:PassRole ... iam:PassedToService"
      // (Redshift ML's cluster setup page), so no other role and no other service
      Map<String, Object> pass = allow("iam:PassRole", List.of(literal(role.arnText())));
      pass.put("Condition", Map.of("StringEquals", Map.of("iam:PassedToService",
          role.passRoleTo().stream().map(IamDocuments::servicePrincipal).toList())));
      statements.add(pass);
    }
    if (!role.dynamodb().isEmpty()) {
      statements.add(allow(List.of("dynamodb:Scan", "dynamodb:DescribeTable"), new ArrayList<>(role.dynamodb().values())));
    }
    if (!role.emr().isEmpty()) {
      statements.add(allow("elasticmapreduce:ListInstances", new ArrayList<>(role.emr().values())));
    }
    // one statement per set of actions, naming only the resources that need exactly those
    Map<List<String>, List<String>> byActions = new LinkedHashMap<>();
    role.other().forEach((resource, actions) -> byActions.computeIfAbsent(actions.stream().sorted().toList(),
        a -> new ArrayList<>()).add(resource));
    byActions.forEach((actions, resources) -> statements.add(allow(actions.size() == 1 ? actions.get(0) : actions,
        resources)));
    return statements.isEmpty() ? null : document(statements);
  }

  /** The objects, as ARNs: one key, or (ending in {@code *}) the keys starting with one. */
  private static List<String> objects(List<KeyPattern> patterns, String partition) {
    List<String> arns = new ArrayList<>();
    for (KeyPattern pattern : patterns) {
      arns.add("arn:" + partition + ":s3:::" + pattern.bucket() + "/" + keyPattern(pattern));
    }
    return arns;
  }

  /** The key as IAM reads it literally, followed by {@code *} for the keys starting with it. */
  private static String keyPattern(KeyPattern pattern) {
    return literal(pattern.key()) + (pattern.prefix() ? "*" : "");
  }

  private static List<KeyPattern> concat(List<KeyPattern> a, List<KeyPattern> b) {
    List<KeyPattern> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * A key as IAM reads it literally in a Resource or StringLike value: S3 keys may hold {@code *},
   * {@code ?} and {@code $}, which a Version 2012-10-17 document would read as wildcards and policy
   * variables and so grant keys beside the prefix; written {@code ${*}}, {@code ${?}}, {@code ${$}}
   * (IAM User Guide, "Special characters" of policy variables) they are the characters themselves.
   */
  static String literal(String key) {
    StringBuilder out = new StringBuilder(key.length() + 8);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '*' || c == '?' || c == '$') {
        out.append("${").append(c).append('}');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }


  private static Map<String, Object> allow(Object action, List<String> resources) {
    return statement("Allow", null, action, resources);
  }

  private static Map<String, Object> statement(String effect, Map<String, Object> principal, Object action,
      List<String> resources) {
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Effect", effect);
    if (principal != null) {
      statement.put("Principal", principal);
    }
    statement.put("Action", action);
    if (resources != null) {
      statement.put("Resource", resources);
    }
    return statement;
  }

  private static Map<String, Object> document(List<Object> statements) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("Version", VERSION);
    document.put("Statement", statements);
    return document;
  }

  private static List<String> strings(Collection<RoleArn> roles) {
    return roles.stream().map(RoleArn::toString).toList();
  }
}
