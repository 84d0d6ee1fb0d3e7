package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The sections of a registry beyond the common case: what a role may not combine, partitions, managed
 * policies and boundaries, empty grant lists, policy keys, cluster ARNs and ids, each problem named
 * with its path.
 */
class RegistrySectionsTest {
  private static final String A = "arn:aws:iam::123456789012:role/RoleA";
  private static final String CLUSTER = """
      version: 1
      clusters:
        - id: c1
          account: "123456789012"
          region: us-west-2
          attached_roles: [%s]
      """.formatted(A);

  private static List<String> problems(String yaml) {
    try {
      RegistryLoader.parse(yaml, "r.yaml", null);
    } catch (RegistryException e) {
      return e.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }
    throw new AssertionError("loaded:\n" + yaml);
  }

  private static Registry load(String yaml) throws RegistryException {
    return RegistryLoader.parse(yaml, "r.yaml", null);
  }

  private static String role(String body) {
    return CLUSTER + "roles:\n  - arn: " + A + "\n" + body.indent(4);
  }

  @Test
  void aRoleIsDefinedOnceIgnoringCase() {
    assertThat(problems(CLUSTER + "roles:\n  - arn: " + A + "\n  - arn: " + A.replace("RoleA", "ROLEA") + "\n"))
        .containsExactly("roles[1].arn: duplicate role " + A.replace("RoleA", "ROLEA") + ": " + A
            + " is already defined at line 8 (role names are unique per account, ignoring case)");
  }

  @Test
  void aRoleTakesShortFormOrPolicyFilesForEachPartNotBoth() {
    assertThat(problems(role("trust: {regions: [us-west-2]}\npolicy_files: {trust: t.json}")))
        .contains("roles[0].trust: a role takes either trust or policy_files.trust, not both; keep the one that"
            + " describes the role");
    assertThat(problems(role("allow: {s3_read: [\"s3://bucket1/\"]}\npolicy_files: {permissions: [p.json]}")))
        .contains("roles[0].allow: a role takes either allow or policy_files.permissions, not both; keep the one"
            + " that describes the role");
    assertThat(problems(role("allow: {s3_read: [\"s3://bucket1/\"]}\npolicy_files: {managed: [\"arn:aws:iam::aws:policy/X\"]}")))
        .contains("roles[0].allow: a role takes either allow or policy_files.managed, not both; keep the one"
            + " that describes the role");
    // trust in short form and permissions from a file describe different parts: only the file is missing
    assertThat(problems(role("trust: {regions: [us-west-2]}\npolicy_files: {permissions: [p.json]}")))
        .noneMatch(p -> p.contains("not both"));
  }

  @Test
  void aRoleNeitherTrustsNorAssumesARoleOfAnotherPartition() {
    assertThat(problems(role("trust: {principals: [\"arn:aws-cn:iam::123456789012:role/Cn\"]}")))
        .containsExactly("roles[0].trust.principals[0]: \"arn:aws-cn:iam::123456789012:role/Cn\" is in partition"
            + " aws-cn but the role is in aws; AWS partitions have separate IAM, so a role cannot trust a role of"
            + " another partition");
    assertThat(problems(role("allow: {assume: [\"arn:aws-us-gov:iam::123456789012:role/Gov\"]}")))
        .containsExactly("roles[0].allow.assume[0]: \"arn:aws-us-gov:iam::123456789012:role/Gov\" is in partition"
            + " aws-us-gov but the role is in aws; AWS partitions have separate IAM, so a role cannot assume a role"
            + " of another partition");
  }

  @Test
  void aRoleOfTheSamePartitionIsTrustedAndAssumed() throws Exception {
    Registry registry = load(role("trust: {principals: [\"arn:aws:iam::210987654321:role/B\", \"210987654321\"]}\n"
        + "allow: {assume: [\"arn:aws:iam::210987654321:role/B\"]}"));
    RoleConfig role = registry.roles().iterator().next();
    assertThat(role.trust().orElseThrow().principals()).hasSize(2);
    assertThat(role.allow().orElseThrow().assume()).hasSize(1);
  }

  @Test
  void managedPoliciesAndBoundariesMustBeDeclared() {
    assertThat(problems(role("trust: {regions: [us-west-2]}\npolicy_files: {managed: []}")))
        .contains("roles[0].policy_files.managed: empty list: name at least one managed policy ARN, or remove the key");
    assertThat(problems(role("trust: {regions: [us-west-2]}\n"
        + "policy_files: {boundary: \"arn:aws:iam::123456789012:policy/Boundary\"}")))
        .containsExactly("roles[0].policy_files.boundary: permissions boundary arn:aws:iam::123456789012:policy/Boundary"
            + " is not under managed_policies; add it there with its document (a file or the document inline)");
  }

  @Test
  void grantListsMustNotBeEmpty() {
    String grants = role("trust: {regions: [us-west-2]}") + "grants:\n";
    assertThat(problems(grants + "  - {on: [\"" + A + "\"], to: [], for: [COPY]}\n"))
        .containsExactly("grants[0].to: empty list: a grant needs at least one entry here");
    assertThat(problems(grants + "  - {on: [\"" + A + "\"], to: [u1], for: []}\n"))
        .containsExactly("grants[0].for: empty list: a grant needs at least one entry here");
    assertThat(problems(grants + "  - {on: [], to: [u1], for: [COPY]}\n"))
        .containsExactly("grants[0].on: empty list: a grant needs at least one entry here");
  }

  @Test
  void policyKeysAreReadAndAPolicyThatIsNoMappingIsRefused() throws Exception {
    Registry registry = load(CLUSTER + "policy:\n  keys: {s3_read: [\"s3://bucket1/r/\"], s3_write: [\"s3://bucket2/w/\"],"
        + " dynamodb_tables: [Orders], emr_clusters: [j-1ABC]}\n");
    PolicySettings.KeyGrants keys = registry.settings().keys();
    assertThat(keys.s3Read()).extracting(S3Prefix::toString).containsExactly("s3://bucket1/r/");
    assertThat(keys.s3Write()).extracting(S3Prefix::toString).containsExactly("s3://bucket2/w/");
    assertThat(keys.emrClusters()).containsExactly("j-1ABC");
    assertThat(keys.dynamodbTables()).containsExactly("Orders");
    assertThat(problems(CLUSTER + "policy: [enforce]\n")).singleElement().asString().startsWith("policy: ");
  }

  @Test
  void aClustersArnIsItsSourceArnAServerlessWorkgroupHasNone() {
    ClusterConfig cluster = new ClusterConfig("c1", "123456789012", "cn-north-1", List.of(), Optional.empty(), false, 1);
    assertThat(cluster.sourceArn()).isEqualTo("arn:aws-cn:redshift:cn-north-1:123456789012:cluster:c1");
    ClusterConfig gov = new ClusterConfig("c1", "123456789012", "us-gov-west-1", List.of(), Optional.empty(), false, 1);
    assertThat(gov.sourceArn()).isEqualTo("arn:aws-us-gov:redshift:us-gov-west-1:123456789012:cluster:c1");
    ClusterConfig workgroup = new ClusterConfig("wg-1", "123456789012", "us-west-2", List.of(), Optional.empty(), true, 1);
    assertThat(workgroup.sourceArn()).isNull();
    assertThat(DbUsers.partition("us-west-2")).isEqualTo("aws");
  }

  @Test
  void clusterIdsHoldAtMost63Characters() throws Exception {
    String id63 = "c" + "1".repeat(62);
    assertThat(load(CLUSTER.replace("id: c1", "id: " + id63)).clusters().get(0).id()).isEqualTo(id63);
    assertThat(problems(CLUSTER.replace("id: c1", "id: " + id63 + "2"))).singleElement().asString()
        .startsWith("clusters[0].id: cluster id \"" + id63 + "2\" must be 1-63 lowercase letters,");
  }

  @Test
  void requestContextValuesAreValuesOrLists() {
    assertThat(problems(CLUSTER + "    request_context: {\"aws:SourceVpc\": {a: 1}}\n")).singleElement().asString()
        .endsWith(": expected a value, a list of values, or null for a key the requests do not carry; got a mapping");
  }

  @Test
  void s3PrefixesNameTheirProblem() {
    assertThat(S3Prefix.parse("s3:///k").problem()).contains("bucket name missing");
    assertThat(S3Prefix.parse("s3://bucket1/a/../b").problem())
        .contains("key prefix \"a/../b\" must not contain a . or .. segment");
    assertThat(S3Prefix.parse("s3://bucket1/a//b").problem())
        .contains("key prefix \"a//b\" must not contain an empty segment (//)");
    assertThat(new S3Prefix("bucket1", "k/").objectArn("aws-cn")).isEqualTo("arn:aws-cn:s3:::bucket1/k/");
  }

  @Test
  void aRegistrySaysWhatItHolds() throws Exception {
    assertThat(load(role("trust: {regions: [us-west-2]}"))).hasToString("registry r.yaml (1 clusters, 1 roles, 0 chains)");
  }

  @Test
  void keysArePlainNames() {
    assertThat(problems("version: 1\n[a, b]: 1\n")).singleElement().asString()
        .endsWith("a key must be a plain name, got a list");
    assertThat(problems("version: 1\nnull: 1\n")).singleElement().asString()
        .endsWith("a key must be a plain name, got no value");
  }

  @Test
  void chainAndSchemaNamesFoldToLowerCase() {
    String roles = role("trust: {regions: [us-west-2]}");
    assertThat(problems(roles + "chains:\n  rk: [" + A + "]\n  RK: [" + A + "]\n"))
        .containsExactly("chains.RK: chain name \"RK\" differs only in case from \"rk\" (line 11)");
    assertThat(problems(roles + "external_schemas:\n  spectrum: {iam_role: \"" + A + "\"}\n"
        + "  Spectrum: {iam_role: \"" + A + "\"}\n"))
        .containsExactly("external_schemas.Spectrum: external schema \"Spectrum\" differs only in case from"
            + " \"spectrum\" (line 11); Redshift folds names to lower case");
    assertThat(problems(roles + "external_schemas:\n  spectrum: {iam_role: []}\n"))
        .containsExactly("external_schemas.spectrum.iam_role: no role: write the IAM_ROLE of the schema's CREATE"
            + " EXTERNAL SCHEMA");
  }
}
