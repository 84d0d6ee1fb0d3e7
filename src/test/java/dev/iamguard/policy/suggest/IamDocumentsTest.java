package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.IamEffect;
import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.iam.TrustRequest;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.DbUsers;
import dev.iamguard.policy.registry.S3Prefix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The IAM documents of a suggested role grant what the role needs and nothing beside it: each is
 * read back by iamguard's own IAM evaluator (as {@code aws iam put-role-policy} would store it) and
 * asked for the requests Redshift makes, inside and just outside what the short form grants.
 */
class IamDocumentsTest {
  private static final String ACCOUNT = "123456789012";
  private static final RoleArn ROLE_A = RoleArn.of("arn:aws:iam::" + ACCOUNT + ":role/RoleA");
  private static final RoleArn ROLE_B = RoleArn.of("arn:aws:iam::210987654321:role/RoleB");
  private static final RoleArn ROLE_C = RoleArn.of("arn:aws:iam::210987654321:role/RoleC");
  private static final ClusterConfig CLUSTER =
      new ClusterConfig("my-cluster", ACCOUNT, "us-west-2", List.of(ROLE_A), Optional.empty(), false, 1);
  private static final String USER1 = DbUsers.arn(CLUSTER, "user1");
  private static final String USER2 = DbUsers.arn(CLUSTER, "user2");
  private static final String LAMBDA = "arn:aws:lambda:us-west-2:" + ACCOUNT + ":function:score";
  private static final String GLUE_DB = "arn:aws:glue:us-west-2:" + ACCOUNT + ":database/sales";
  private static final String GLUE_DB2 = "arn:aws:glue:us-west-2:" + ACCOUNT + ":database/web";
  private static final String DYNAMO = "arn:aws:dynamodb:us-west-2:" + ACCOUNT + ":table/Orders";
  private static final String EMR = "arn:aws:elasticmapreduce:us-west-2:" + ACCOUNT + ":cluster/j-1ABC";

  private static S3Prefix s3(String text) {
    return S3Prefix.parse(text).location().orElseThrow();
  }

  /** A role that starts a chain: Redshift assumes it for two users, it reads, writes and calls everything. */
  private static SuggestedRole full() {
    return new SuggestedRole(ROLE_A, Optional.of("loader"), List.of("us-west-2"), Optional.of(List.of(USER1, USER2)),
        List.of(), List.of(s3("s3://bkt/data/"), s3("s3://bkt/file.csv"), s3("s3://whole")),
        List.of(s3("s3://out/unload/part")), Map.of("score", LAMBDA), orderedMap("sales", GLUE_DB, "web", GLUE_DB2),
        List.of(ROLE_B), Map.of("Orders", DYNAMO), Map.of("j-1ABC", EMR));
  }

  /** A role later in a chain: only RoleA may assume it, it needs nothing itself. */
  private static SuggestedRole middle(Optional<List<String>> users) {
    return new SuggestedRole(ROLE_B, Optional.empty(), List.of(), users, List.of(ROLE_A), List.of(), List.of(),
        Map.of(), Map.of(), List.of(ROLE_C), Map.of(), Map.of());
  }

  private static Map<String, String> orderedMap(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static IamPolicy read(Map<String, Object> document, String name) throws Exception {
    return IamPolicy.parse(json(document), name);
  }

  @Test
  void theTrustPolicyLetsRedshiftOfTheRegionAssumeTheRoleForTheUsersSeen() throws Exception {
    IamDocuments docs = IamDocuments.of(full(), CLUSTER);
    IamPolicy trust = read(docs.trust(), "RoleA.trust.json");
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", USER1))).isEqualTo(IamEffect.ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", USER2))).isEqualTo(IamEffect.ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", DbUsers.arn(CLUSTER, "intruder"))))
        .isNotEqualTo(IamEffect.ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-east-1", USER1))).isNotEqualTo(IamEffect.ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRole(ROLE_C, USER1))).isNotEqualTo(IamEffect.ALLOW);
    assertThat(docs.trust()).containsEntry("Version", "2012-10-17");
    assertThat(statements(docs.trust())).singleElement().satisfies(s -> {
      assertThat(s).containsEntry("Principal", Map.of("Service", "redshift.us-west-2.amazonaws.com"));
      assertThat(s).containsEntry("Condition", Map.of("StringEquals", Map.of("sts:ExternalId", List.of(USER1, USER2))));
      assertThat(s).doesNotContainKey("Resource");
    });
  }

  @Test
  void aRoleLaterInAChainTrustsTheRoleBeforeIt() throws Exception {
    IamDocuments docs = IamDocuments.of(middle(Optional.of(List.of(USER1))), CLUSTER);
    IamPolicy trust = read(docs.trust(), "RoleB.trust.json");
    assertThat(trust.evaluateTrust(TrustRequest.fromRole(ROLE_A, USER1))).isEqualTo(IamEffect.ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRole(ROLE_A, USER2))).isNotEqualTo(IamEffect.ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRole(ROLE_C, USER1))).isNotEqualTo(IamEffect.ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", USER1))).isNotEqualTo(IamEffect.ALLOW);
    assertThat(statements(docs.trust())).singleElement()
        .satisfies(s -> assertThat(s).containsEntry("Principal", Map.of("AWS", List.of(ROLE_A.toString()))));
    // it needs nothing but the next role of its chain
    IamPolicy permissions = read(docs.permissions(), "RoleB.json");
    assertThat(permissions.evaluate("sts:AssumeRole", ROLE_C.toString(), Map.of())).isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("sts:AssumeRole", ROLE_A.toString(), Map.of())).isNotEqualTo(IamEffect.ALLOW);
    assertThat(statements(docs.permissions())).singleElement()
        .satisfies(s -> assertThat(s).containsEntry("Action", "sts:AssumeRole"));
  }

  @Test
  void withoutKnownUsersTheTrustHasNoExternalIdCondition() throws Exception {
    IamDocuments docs = IamDocuments.of(middle(Optional.empty()), CLUSTER);
    IamPolicy trust = read(docs.trust(), "RoleB.trust.json");
    assertThat(trust.evaluateTrust(TrustRequest.fromRole(ROLE_A, DbUsers.arn(CLUSTER, "anyone"))))
        .isEqualTo(IamEffect.ALLOW);
    assertThat(statements(docs.trust())).singleElement().satisfies(s -> assertThat(s).doesNotContainKey("Condition"));
  }

  @Test
  void aRoleBothStartingAndInsideChainsTrustsRedshiftAndTheRoleBefore() throws Exception {
    SuggestedRole both = new SuggestedRole(ROLE_B, Optional.empty(), List.of("us-west-2"), Optional.empty(),
        List.of(ROLE_A), List.of(), List.of(), Map.of(), Map.of(), List.of(), Map.of(), Map.of());
    IamDocuments docs = IamDocuments.of(both, CLUSTER);
    IamPolicy trust = read(docs.trust(), "RoleB.trust.json");
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", USER1))).isEqualTo(IamEffect.ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRole(ROLE_A, USER1))).isEqualTo(IamEffect.ALLOW);
    assertThat(statements(docs.trust())).hasSize(2);
    // no permission: no document (IAM, and the registry, refuse one without statements)
    assertThat(docs.permissions()).isNull();
  }

  @Test
  void readPrefixesGrantTheirObjectsAndListingUnderThem() throws Exception {
    IamPolicy permissions = read(IamDocuments.of(full(), CLUSTER).permissions(), "RoleA.json");
    // a folder: what starts with it
    assertThat(permissions.evaluate("s3:GetObject", "arn:aws:s3:::bkt/data/2024/x.csv", Map.of())).isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("s3:GetObject", "arn:aws:s3:::bkt/datax", Map.of())).isNotEqualTo(IamEffect.ALLOW);
    // a key: the key itself and the keys under it as a folder, not its siblings sharing the start
    assertThat(permissions.evaluate("s3:GetObject", "arn:aws:s3:::bkt/file.csv", Map.of())).isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("s3:GetObject", "arn:aws:s3:::bkt/file.csv/part1", Map.of())).isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("s3:GetObject", "arn:aws:s3:::bkt/file.csv.bak", Map.of())).isNotEqualTo(IamEffect.ALLOW);
    // a whole bucket
    assertThat(permissions.evaluate("s3:GetObject", "arn:aws:s3:::whole/any/key", Map.of())).isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("s3:GetObject", "arn:aws:s3:::other/any", Map.of())).isNotEqualTo(IamEffect.ALLOW);
    // listing: limited by s3:prefix on bkt, unlimited on the whole bucket
    assertThat(permissions.evaluate("s3:ListBucket", "arn:aws:s3:::bkt", Map.of("s3:prefix", "data/2024/")))
        .isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("s3:ListBucket", "arn:aws:s3:::bkt", Map.of("s3:prefix", "file.csv")))
        .isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("s3:ListBucket", "arn:aws:s3:::bkt", Map.of("s3:prefix", "secret/")))
        .isNotEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("s3:ListBucket", "arn:aws:s3:::whole", Map.of("s3:prefix", "anything/")))
        .isEqualTo(IamEffect.ALLOW);
    // reading is not writing
    assertThat(permissions.evaluate("s3:PutObject", "arn:aws:s3:::bkt/data/x", Map.of())).isNotEqualTo(IamEffect.ALLOW);
  }

  @Test
  void theStatementsOfAFullRoleInOrder() {
    List<Map<String, Object>> statements = statements(IamDocuments.of(full(), CLUSTER).permissions());
    assertThat(statements).extracting(s -> s.get("Action")).containsExactly("s3:GetObject", "s3:ListBucket",
        "s3:ListBucket", "s3:ListBucket", "s3:PutObject", "lambda:InvokeFunction",
        List.of("glue:BatchGetPartition", "glue:GetDatabase", "glue:GetPartition", "glue:GetPartitions", "glue:GetTable",
            "glue:GetTables"), "sts:AssumeRole",
        List.of("dynamodb:Scan", "dynamodb:DescribeTable"), "elasticmapreduce:ListInstances");
    // a written prefix is read and listed too: "For UNLOAD to Amazon S3, GET, LIST, and PUT permissions"
    assertThat(statements.get(0)).containsEntry("Resource", List.of("arn:aws:s3:::bkt/data/*", "arn:aws:s3:::bkt/file.csv",
        "arn:aws:s3:::bkt/file.csv/*", "arn:aws:s3:::whole/*", "arn:aws:s3:::out/unload/part",
        "arn:aws:s3:::out/unload/part/*"));
    assertThat(statements.get(1)).containsEntry("Resource", List.of("arn:aws:s3:::bkt"))
        .containsEntry("Condition", Map.of("StringLike", Map.of("s3:prefix", List.of("data/*", "file.csv", "file.csv/*"))));
    assertThat(statements.get(2)).containsEntry("Resource", List.of("arn:aws:s3:::whole")).doesNotContainKey("Condition");
    assertThat(statements.get(3)).containsEntry("Resource", List.of("arn:aws:s3:::out"))
        .containsEntry("Condition", Map.of("StringLike", Map.of("s3:prefix", List.of("unload/part", "unload/part/*"))));
    assertThat(statements.get(4)).containsEntry("Resource", List.of("arn:aws:s3:::out/unload/part",
        "arn:aws:s3:::out/unload/part/*"));
    // one catalog for both databases of the same account and region
    assertThat(statements.get(6)).containsEntry("Resource", List.of("arn:aws:glue:us-west-2:" + ACCOUNT + ":catalog",
        GLUE_DB, "arn:aws:glue:us-west-2:" + ACCOUNT + ":table/sales/*", GLUE_DB2,
        "arn:aws:glue:us-west-2:" + ACCOUNT + ":table/web/*"));
    assertThat(statements).allSatisfy(s -> assertThat(s).containsEntry("Effect", "Allow").doesNotContainKey("Principal"));
  }

  @Test
  void writtenPrefixesCallsAndCatalogsAreGrantedAndNothingNextToThem() throws Exception {
    IamPolicy permissions = read(IamDocuments.of(full(), CLUSTER).permissions(), "RoleA.json");
    assertThat(permissions.evaluate("s3:PutObject", "arn:aws:s3:::out/unload/part", Map.of())).isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("s3:PutObject", "arn:aws:s3:::out/unload/part/000", Map.of())).isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("s3:PutObject", "arn:aws:s3:::out/unload/other", Map.of())).isNotEqualTo(IamEffect.ALLOW);
    // a write reads and lists too (UNLOAD needs GET, LIST and PUT), and no more than where it writes
    assertThat(permissions.evaluate("s3:GetObject", "arn:aws:s3:::out/unload/part/000", Map.of())).isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("s3:ListBucket", "arn:aws:s3:::out", Map.of("s3:prefix", "unload/part/")))
        .isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("s3:GetObject", "arn:aws:s3:::out/unload/other", Map.of())).isNotEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("s3:ListBucket", "arn:aws:s3:::out", Map.of("s3:prefix", "unload/other")))
        .isNotEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("lambda:InvokeFunction", LAMBDA, Map.of())).isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("lambda:InvokeFunction", LAMBDA + "2", Map.of())).isNotEqualTo(IamEffect.ALLOW);
    String catalog = "arn:aws:glue:us-west-2:" + ACCOUNT + ":catalog";
    for (String action : List.of("glue:GetDatabase", "glue:GetTable", "glue:GetTables")) {
      assertThat(permissions.evaluate(action, catalog, Map.of())).isEqualTo(IamEffect.ALLOW);
      assertThat(permissions.evaluate(action, GLUE_DB, Map.of())).isEqualTo(IamEffect.ALLOW);
      assertThat(permissions.evaluate(action, "arn:aws:glue:us-west-2:" + ACCOUNT + ":table/web/clicks", Map.of()))
          .isEqualTo(IamEffect.ALLOW);
      assertThat(permissions.evaluate(action, "arn:aws:glue:us-west-2:" + ACCOUNT + ":database/hr", Map.of()))
          .isNotEqualTo(IamEffect.ALLOW);
      assertThat(permissions.evaluate(action, "arn:aws:glue:us-west-2:" + ACCOUNT + ":table/hr/pay", Map.of()))
          .isNotEqualTo(IamEffect.ALLOW);
    }
    assertThat(permissions.evaluate("glue:DeleteTable", GLUE_DB, Map.of())).isNotEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("sts:AssumeRole", ROLE_B.toString(), Map.of())).isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("sts:AssumeRole", ROLE_C.toString(), Map.of())).isNotEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("dynamodb:Scan", DYNAMO, Map.of())).isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("dynamodb:DescribeTable", DYNAMO, Map.of())).isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("dynamodb:PutItem", DYNAMO, Map.of())).isNotEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("elasticmapreduce:ListInstances", EMR, Map.of())).isEqualTo(IamEffect.ALLOW);
    assertThat(permissions.evaluate("elasticmapreduce:ListInstances", EMR + "X", Map.of())).isNotEqualTo(IamEffect.ALLOW);
  }

  @Test
  void aWholeBucketReadMakesItsListingUnlimitedWhicheverComesFirst() {
    for (List<S3Prefix> reads : List.of(List.of(s3("s3://bkt/a/"), s3("s3://bkt"), s3("s3://bkt/b/")),
        List.of(s3("s3://bkt"), s3("s3://bkt/a/")))) {
      SuggestedRole role = new SuggestedRole(ROLE_A, Optional.empty(), List.of("us-west-2"), Optional.empty(), List.of(),
          reads, List.of(), Map.of(), Map.of(), List.of(), Map.of(), Map.of());
      List<Map<String, Object>> statements = statements(IamDocuments.of(role, CLUSTER).permissions());
      assertThat(statements).filteredOn(s -> s.get("Action").equals("s3:ListBucket")).singleElement()
          .satisfies(s -> assertThat(s).doesNotContainKey("Condition")
              .containsEntry("Resource", List.of("arn:aws:s3:::bkt")));
    }
  }

  @Test
  void chinaRegionsUseTheirPartitionAndServiceSuffix() throws Exception {
    RoleArn role = RoleArn.of("arn:aws-cn:iam::" + ACCOUNT + ":role/Loader");
    ClusterConfig cluster =
        new ClusterConfig("cn-cluster", ACCOUNT, "cn-north-1", List.of(role), Optional.empty(), false, 1);
    SuggestedRole needs = new SuggestedRole(role, Optional.empty(), List.of("cn-north-1"), Optional.empty(),
        List.of(), List.of(s3("s3://bkt/in/")), List.of(), Map.of(), Map.of(), List.of(), Map.of(), Map.of());
    IamDocuments docs = IamDocuments.of(needs, cluster);
    assertThat(statements(docs.trust())).singleElement()
        .satisfies(s -> assertThat(s).containsEntry("Principal", Map.of("Service", "redshift.cn-north-1.amazonaws.com.cn")));
    assertThat(statements(docs.permissions()).get(0)).containsEntry("Resource", List.of("arn:aws-cn:s3:::bkt/in/*"));
    assertThat(statements(docs.permissions()).get(1)).containsEntry("Resource", List.of("arn:aws-cn:s3:::bkt"));
    assertThat(read(docs.trust(), "Loader.trust.json").evaluateTrust(TrustRequest.fromRedshift("cn-north-1", null)))
        .isEqualTo(IamEffect.ALLOW);
    assertThat(docs.policyName()).isEqualTo("iamguard-Loader");
    assertThat(docs.role()).isEqualTo(role);
  }

  @Test
  void thePolicyIsNamedAfterTheRole() {
    assertThat(IamDocuments.of(full(), CLUSTER).policyName()).isEqualTo("iamguard-RoleA");
    assertThat(IamDocuments.of(middle(Optional.empty()), CLUSTER).policyName()).isEqualTo("iamguard-RoleB");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> statements(Map<String, Object> document) {
    return (List<Map<String, Object>>) document.get("Statement");
  }

  /** The document as JSON: maps, lists and strings are all it holds. */
  static String json(Object value) {
    if (value instanceof Map<?, ?> map) {
      StringBuilder out = new StringBuilder("{");
      map.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(json(k)).append(':').append(json(v)));
      return out.append('}').toString();
    }
    if (value instanceof List<?> list) {
      StringBuilder out = new StringBuilder("[");
      list.forEach(v -> out.append(out.length() > 1 ? "," : "").append(json(v)));
      return out.append(']').toString();
    }
    return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
