package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.SharedFiles;
import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.IamPolicyException;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every IAM document of {@code ../shared/corpus/iam/docs} (policies written after the Redshift and
 * IAM documentation) loads, and in a registry decides Redshift statements as IAM would: for each
 * document at least one statement allowed and one denied, each for the reason the document gives
 * (its Resource, an {@code s3:prefix}, the confused-deputy keys, a Deny whose key the guard
 * cannot know, an ExternalId pattern, a chain's trust). The documents are embedded in the
 * registry inline, where they are read from the corpus (never copied into the project).
 */
class CorpusIamDocumentsTest {

  private static final String ACCOUNT = "123456789012";
  private static final String ROLE_A = "arn:aws:iam::" + ACCOUNT + ":role/RoleA";
  private static final String ROLE_B = "arn:aws:iam::210987654321:role/RoleB";
  private static final String ROLE_X = "arn:aws:iam::" + ACCOUNT + ":role/RoleX";
  private static final String BASIC_TRUST =
      "{Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {Service: redshift.amazonaws.com},"
          + " Action: \"sts:AssumeRole\"}]}";
  private static final String LIST_DEMO_BUCKET =
      "{Version: \"2012-10-17\", Statement: [{Effect: Allow, Action: \"s3:ListBucket\","
          + " Resource: \"arn:aws:s3:::amzn-s3-demo-bucket\"}]}";

  /**
   * One document's test: where it goes in the registry and two statements of user1.
   *
   * @param registry the registry YAML with {@code DOC} where the document goes
   * @param cluster the session's cluster for the allowed statement
   * @param allowed a statement IAM allows
   * @param deniedCluster the session's cluster for the denied statement
   * @param denied a statement IAM does not allow, and the rule that must say so
   */
  record Case(String doc, String registry, String cluster, String allowed, String deniedCluster, String denied,
      RuleId rule) {
    /** Both statements on my-cluster. */
    Case(String doc, String registry, String cluster, String allowed, String denied, RuleId rule) {
      this(doc, registry, cluster, allowed, cluster, denied, rule);
    }

    /** The same statement, allowed on my-cluster, denied on other-cluster. */
    static Case onOtherCluster(String doc, String registry, String statement, RuleId rule) {
      return new Case(doc, registry, "my-cluster", statement, "other-cluster", statement, rule);
    }

    @Override
    public String toString() {
      return doc;
    }
  }

  private static String copy(String from, String role) {
    return "copy t from '" + from + "' iam_role '" + role + "'";
  }

  private static String unload(String to, String role) {
    return "unload ('select 1') to '" + to + "' iam_role '" + role + "'";
  }

  /** Two clusters of the account (my-cluster, with {@code context}, and other-cluster); the roles after. */
  private static String registry(String context, String roles) {
    return """
        version: 1
        clusters:
          - id: my-cluster
            account: "123456789012"
            region: us-west-2
            attached_roles: [%1$s, %2$s]
        %3$s
          - id: other-cluster
            account: "123456789012"
            region: us-west-2
            attached_roles: [%1$s, %2$s]
        roles:
        %4$s
        """.formatted(ROLE_A, ROLE_X, context.isEmpty() ? "" : context.indent(4).stripTrailing(), roles.indent(2));
  }

  /** RoleA: the document as its trust, may read the demo bucket and assume RoleX (which trusts RoleA). */
  private static String asTrust() {
    return registry("", """
        - arn: %s
          policy_files: {trust: DOC}
          allow: {s3_read: ["s3://amzn-s3-demo-bucket/"], assume: [%s]}
        - arn: %s
          policy_files: {trust: DOC}
          allow: {s3_read: ["s3://amzn-s3-demo-bucket/"]}
        """.formatted(ROLE_A, ROLE_X, ROLE_X));
  }

  /** RoleA trusts Redshift; the document is its permission policy. */
  private static String asPermissions(String context, String moreDocs) {
    return registry(context, """
        - arn: %s
          policy_files: {trust: %s, permissions: [DOC%s]}
        - arn: %s
        """.formatted(ROLE_A, BASIC_TRUST, moreDocs, ROLE_X));
  }

  static Stream<Case> cases() {
    String bucket = "s3://amzn-s3-demo-bucket/";
    String anyCatalog = "create external schema s from data catalog database '%s' iam_role '" + ROLE_A + "'";
    String ownsChain = ROLE_A + "," + ROLE_X;
    return Stream.of(
        // trust documents of a role Redshift assumes: trusted from the cluster, a chain from RoleA is not
        new Case("redshift-trust-basic.json", asTrust(), "my-cluster", copy(bucket + "in/", ROLE_A),
            copy(bucket + "in/", ownsChain), RuleId.CHAIN_NOT_TRUSTED),
        new Case("redshift-ml-trust-bedrock.json", asTrust(), "my-cluster", copy(bucket + "in/", ROLE_A),
            copy(bucket + "in/", ownsChain), RuleId.CHAIN_NOT_TRUSTED),
        new Case("redshift-ml-trust-sagemaker.json", asTrust(), "my-cluster", copy(bucket + "in/", ROLE_A),
            copy(bucket + "in/", ownsChain), RuleId.CHAIN_NOT_TRUSTED),
        new Case("redshift-trust-serverless.json", asTrust(), "my-cluster", copy(bucket + "in/", ROLE_A),
            copy(bucket + "in/", ownsChain), RuleId.CHAIN_NOT_TRUSTED),
        new Case("redshift-trust-tagsession-identity-center.json", asTrust(), "my-cluster",
            copy(bucket + "in/", ROLE_A), copy(bucket + "in/", ownsChain), RuleId.CHAIN_NOT_TRUSTED),
        new Case("trust-notprincipal-deny.json", asTrust(), "my-cluster", copy(bucket + "in/", ROLE_A),
            copy(bucket + "in/", ownsChain), RuleId.CHAIN_NOT_TRUSTED),
        // confused-deputy keys: aws:SourceAccount is the cluster's account, aws:SourceArn its ARN
        new Case("redshift-trust-confused-deputy-sourceaccount.json", asTrust(), "my-cluster",
            copy(bucket + "in/", ROLE_A), copy(bucket + "in/", ownsChain), RuleId.CHAIN_NOT_TRUSTED),
        Case.onOtherCluster("redshift-trust-confused-deputy-sourcearn.json", asTrust(), copy(bucket + "in/", ROLE_A),
            RuleId.DB_USER_NOT_TRUSTED),
        // sts:ExternalId is the database user's ARN: my-cluster's users only
        Case.onOtherCluster("redshift-trust-externalid-dbuser-stringlike.json", asTrust(),
            copy(bucket + "in/", ROLE_A), RuleId.DB_USER_NOT_TRUSTED),
        // permission documents
        new Case("copy-unload-s3-kms.json", asPermissions("", ""), "my-cluster",
            unload(bucket + "out/", ROLE_A), copy("s3://other-bucket/in/", ROLE_A), RuleId.S3_NOT_PERMITTED),
        new Case("copy-unload-s3-prefix-condition.json", asPermissions("", ""), "my-cluster",
            copy(bucket + "redshift/in/", ROLE_A), copy(bucket + "redshiftx/in/", ROLE_A), RuleId.S3_NOT_PERMITTED),
        new Case("federated-query-secretsmanager.json", asPermissions("", ""), "my-cluster",
            "create external schema s from postgres database 'db' schema 'sc' uri 'h' port 5432 iam_role '"
                + ROLE_A + "' secret_arn 'arn:aws:secretsmanager:us-west-2:123456789012:secret:my-rds-secret-VNenFy'",
            copy(bucket + "in/", ROLE_A), RuleId.S3_NOT_PERMITTED),
        new Case("kinesis-streaming-ingestion.json", asPermissions("", ""), "my-cluster",
            "create external schema k from kinesis iam_role '" + ROLE_A + "'", copy(bucket + "in/", ROLE_A),
            RuleId.S3_NOT_PERMITTED),
        new Case("msk-streaming-ingestion-iam.json", asPermissions("", ""), "my-cluster",
            "create external schema m from msk iam_role '" + ROLE_A + "' authentication iam cluster_arn"
                + " 'arn:aws:kafka:us-west-2:0123456789:cluster/MyTestCluster/u'",
            copy(bucket + "in/", ROLE_A), RuleId.S3_NOT_PERMITTED),
        new Case("lambda-udf-invoke.json", asPermissions("", ""), "my-cluster",
            "create external function f(int) returns int volatile lambda 'exampleLambdaFunction' iam_role '"
                + ROLE_A + "'",
            "create external function f(int) returns int volatile lambda 'otherFunction' iam_role '" + ROLE_A + "'",
            RuleId.LAMBDA_NOT_PERMITTED),
        new Case("redshift-bedrock-invoke.json", asPermissions("", ""), "my-cluster",
            "create external model llm function llm_fn iam_role '" + ROLE_A + "' model_type bedrock"
                + " settings (model_id 'anthropic.claude-v2:1', prompt 'Summarize')",
            unload(bucket + "out/", ROLE_A), RuleId.S3_NOT_PERMITTED),
        new Case("redshift-ml-permissions.json", asPermissions("", ""), "my-cluster",
            unload(bucket + "out/", ROLE_A), unload("s3://other-bucket/out/", ROLE_A), RuleId.S3_NOT_PERMITTED),
        // aws:SecureTransport is true for Redshift's S3 requests: the Bool Deny does not apply
        new Case("s3-deny-insecure-transport.json", asPermissions("", ""), "my-cluster",
            copy(bucket + "in/", ROLE_A), unload(bucket + "out/", ROLE_A), RuleId.S3_NOT_PERMITTED),
        // aws:SourceVpce is unknown unless stated: the Deny applies on other-cluster, not on my-cluster
        Case.onOtherCluster("s3-deny-outside-vpce.json",
            asPermissions("request_context: {aws:SourceVpce: vpce-1a2b3c4d}", ""), copy(bucket + "in/", ROLE_A),
            RuleId.S3_NOT_PERMITTED),
        // the SSE header is unknown unless stated: the Null Deny applies on other-cluster
        Case.onOtherCluster("s3-forallvalues-null.json",
            asPermissions("request_context: {s3:x-amz-server-side-encryption: AES256}", ""),
            unload(bucket + "out/", ROLE_A), RuleId.S3_NOT_PERMITTED),
        // ABAC: tags are unknown unless stated (role request_context states both on my-cluster's role)
        Case.onOtherCluster("s3-resource-tag-abac.json", asPermissions(
            "request_context: {aws:PrincipalTag/team: etl, s3:ExistingObjectTag/team: etl}", ", " + LIST_DEMO_BUCKET),
            copy(bucket + "in/", ROLE_A), RuleId.S3_NOT_PERMITTED),
        new Case("spectrum-glue-catalog-arns.json", asPermissions("", ""), "my-cluster",
            anyCatalog.formatted("exampledb"), anyCatalog.formatted("otherdb"), RuleId.CATALOG_NOT_PERMITTED),
        new Case("spectrum-glue-s3-minimal.json", asPermissions("", ""), "my-cluster",
            anyCatalog.formatted("anydb"), unload(bucket + "out/", ROLE_A), RuleId.S3_NOT_PERMITTED),
        new Case("spectrum-lakeformation.json", asPermissions("", ""), "my-cluster",
            anyCatalog.formatted("anydb"), copy(bucket + "in/", ROLE_A), RuleId.S3_NOT_PERMITTED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decidesAnAllowedAndADeniedStatement(Case c, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Registry registry = load(c, dir);
    Guard guard = new Guard(registry);
    Decision allowed = guard.inspect(c.allowed(), Session.of("user1", c.cluster()));
    assertThat(allowed.findings()).as("%s allows %s", c.doc(), c.allowed()).isEmpty();
    assertThat(allowed.verdict()).isEqualTo(Verdict.ALLOW);
    String denied = c.denied();
    Decision decision = guard.inspect(denied, Session.of("user1", c.deniedCluster()));
    assertThat(decision.verdict()).as("%s denies %s", c.doc(), denied).isEqualTo(Verdict.DENY);
    assertThat(decision.findings()).extracting(Finding::rule).as("%s: %s", c.doc(), decision.findings())
        .contains(c.rule());
  }

  private static Registry load(Case c, Path dir) throws IOException, RegistryException {
    String doc = Files.readString(SharedFiles.require("corpus/iam/docs/" + c.doc()));
    String yaml = c.registry().replace("DOC", doc.replace("\n", " "));
    return RegistryLoader.parse(yaml, "corpus-" + c.doc() + ".yaml", dir);
  }

  /** Chains: RoleA's permission lets it assume RoleB only; RoleB's trust names RoleA and user1 of my-cluster. */
  @Test
  void chainingDocumentsDecideEachHop(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String permission = Files.readString(SharedFiles.require("corpus/iam/docs/chaining-permission-assume.json"));
    String trust = Files.readString(SharedFiles.require("corpus/iam/docs/chaining-trust-role-principal.json"));
    String roleC = "arn:aws:iam::210987654321:role/RoleC";
    String yaml = registry("", """
        - arn: %1$s
          policy_files: {trust: %2$s, permissions: [%3$s]}
        - arn: %4$s
          policy_files: {trust: %5$s}
          allow: {s3_read: ["s3://companyb/"]}
        - arn: %6$s
          policy_files: {trust: %5$s}
          allow: {s3_read: ["s3://companyb/"]}
        - arn: %7$s
        """.formatted(ROLE_A, BASIC_TRUST, permission.replace("\n", " "), ROLE_B, trust.replace("\n", " "),
        roleC, ROLE_X));
    Guard guard = new Guard(RegistryLoader.parse(yaml, "chain.yaml", dir));
    String toB = copy("s3://companyb/in/", ROLE_A + "," + ROLE_B);
    assertThat(guard.inspect(toB, Session.of("user1", "my-cluster")).findings()).isEmpty();
    assertThat(guard.inspect(toB, Session.of("user2", "my-cluster")).findings()).extracting(Finding::rule)
        .containsExactly(RuleId.DB_USER_NOT_TRUSTED);
    assertThat(guard.inspect(copy("s3://companyb/in/", ROLE_A + "," + roleC), Session.of("user1", "my-cluster"))
        .findings()).extracting(Finding::rule).containsExactly(RuleId.CHAIN_NOT_PERMITTED);
  }

  /**
   * {@code aws:PrincipalOrgID} is not a key the guard knows: a trust that needs it lets RoleA's
   * session in only where RoleA's {@code request_context} states the organization.
   */
  @Test
  void organizationTrustNeedsTheStatedOrganization(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String trust = Files.readString(SharedFiles.require("corpus/iam/docs/trust-org-id.json")).replace("\n", " ");
    String roleD = "arn:aws:iam::" + ACCOUNT + ":role/RoleD";
    String yaml = registry("", """
        - arn: %1$s
          allow: {assume: [%2$s]}
          request_context: {aws:PrincipalOrgID: o-a1b2c3d4e5}
        - arn: %3$s
          allow: {assume: [%2$s]}
          request_context: {aws:PrincipalOrgID: o-other}
        - arn: %2$s
          policy_files: {trust: %4$s}
          allow: {s3_read: ["s3://amzn-s3-demo-bucket/"]}
        """.formatted(ROLE_A, ROLE_B, ROLE_X, trust));
    Guard guard = new Guard(RegistryLoader.parse(yaml, "org.yaml", dir));
    assertThat(guard.inspect(copy("s3://amzn-s3-demo-bucket/in/", ROLE_A + "," + ROLE_B),
        Session.of("user1", "my-cluster")).findings()).isEmpty();
    assertThat(guard.inspect(copy("s3://amzn-s3-demo-bucket/in/", ROLE_X + "," + ROLE_B),
        Session.of("user1", "my-cluster")).findings()).extracting(Finding::rule).isNotEmpty()
        .allMatch(r -> r == RuleId.CHAIN_NOT_TRUSTED || r == RuleId.DB_USER_NOT_TRUSTED);
  }

  /**
   * Documents no Redshift statement can be allowed by, for the reason IAM gives: a trust of an
   * IAM user (Redshift and roles are not that user), a home folder per {@code aws:username} (role
   * sessions carry no user name); and a bucket policy, which the registry does not hold.
   */
  @Test
  void documentsRedshiftCannotUseDenyEveryStatement(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String user = Files.readString(SharedFiles.require("corpus/iam/docs/trust-user-principal.json"));
    Guard guard = new Guard(load(new Case("trust-user-principal.json", asTrust(), "", "", "", "", null), dir));
    assertThat(guard.inspect(copy("s3://amzn-s3-demo-bucket/in/", ROLE_A), Session.of("user1", "my-cluster"))
        .findings()).extracting(Finding::rule).contains(RuleId.REGION_NOT_TRUSTED);
    assertThat(user).contains("aws:MultiFactorAuthPresent");
    Guard home = new Guard(load(new Case("s3-per-user-home-variable.json", asPermissions("", ""), "", "", "", "", null),
        dir.resolve("home")));
    assertThat(home.inspect(copy("s3://amzn-s3-demo-bucket/home/user1/", ROLE_A), Session.of("user1", "my-cluster"))
        .findings()).extracting(Finding::rule).containsExactly(RuleId.S3_NOT_PERMITTED);
  }

  @Test
  void everyDocumentLoads() throws IOException, IamPolicyException {
    Path docs = SharedFiles.require("corpus/iam/docs");
    List<Path> files;
    try (Stream<Path> list = Files.list(docs)) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSize(30);
    for (Path file : files) {
      IamPolicy policy = IamPolicy.parse(Files.readString(file), file.getFileName().toString());
      assertThat(policy.statements()).as(file.toString()).isNotEmpty();
    }
  }
}
