package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.policy.iam.RequestContext;
import dev.iamguard.policy.iam.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The registry keys for real IAM: {@code managed_policies}, {@code policy_files.managed} and
 * {@code .boundary}, documents written inline, and {@code request_context} of clusters and roles;
 * each mistake is a load error naming the file, line and key.
 */
class RegistryIamKeysTest {

  private static final String ARN_A = "arn:aws:iam::123456789012:role/RoleA";
  private static final String TRUST =
      "{Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {Service: redshift.amazonaws.com},"
          + " Action: \"sts:AssumeRole\"}]}";
  private static final String READ =
      "{Version: \"2012-10-17\", Statement: [{Effect: Allow, Action: [\"s3:GetObject\", \"s3:ListBucket\"],"
          + " Resource: \"*\"}]}";
  private static final String CLUSTER = """
      version: 1
      clusters:
        - id: c1
          account: "123456789012"
          region: us-west-2
          attached_roles: [%s]
      """.formatted(ARN_A);

  private static Registry load(String yaml) throws RegistryException {
    return RegistryLoader.parse(yaml, "r.yaml", Resources.path("registry"));
  }

  private static List<String> problems(String yaml) {
    RegistryException e = assertThrows(RegistryException.class, () -> load(yaml));
    return e.problems().stream().map(RegistryProblem::toString).toList();
  }

  @Test
  void managedPoliciesAttachByArnAndBoundariesLimitThem() throws Exception {
    Registry registry = load(CLUSTER + """
        managed_policies:
          arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess: %s
          arn:aws:iam::123456789012:policy/Boundary: %s
        roles:
          - arn: %s
            policy_files:
              trust: %s
              managed: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]
              boundary: arn:aws:iam::123456789012:policy/Boundary
        """.formatted(READ, READ, ARN_A, TRUST));
    RoleConfig role = registry.roles().iterator().next();
    assertThat(role.managedPolicies()).extracting(ManagedPolicy::arn)
        .containsExactly("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
    assertThat(role.boundary()).isPresent();
    assertThat(role.allow()).isEmpty();
    assertThat(role.trustPolicy().orElseThrow().source()).isEqualTo("r.yaml roles[0].policy_files.trust");
  }

  @Test
  void anUnlistedManagedArnIsAnErrorNamingTheRoleKey() {
    assertThat(problems(CLUSTER + """
        roles:
          - arn: %s
            policy_files:
              managed: [arn:aws:iam::aws:policy/Missing]
        """.formatted(ARN_A))).containsExactly("r.yaml:10: roles[0].policy_files.managed[0]: managed policy"
        + " arn:aws:iam::aws:policy/Missing is not under managed_policies; add it there with its document (a file"
        + " or the document inline)");
  }

  @Test
  void aBoundaryNeedsPermissionDocuments() {
    assertThat(problems(CLUSTER + """
        roles:
          - arn: %s
            policy_files:
              boundary: %s
        """.formatted(ARN_A, READ))).singleElement().asString()
        .startsWith("r.yaml:10: roles[0].policy_files.boundary: a permissions boundary limits permission documents");
  }

  @Test
  void managedPolicyKeysMustBePolicyArns() {
    assertThat(problems(CLUSTER + "managed_policies:\n  arn:aws:iam::123456789012:role/NotAPolicy: " + READ + "\n"))
        .singleElement().asString().startsWith("r.yaml:8: managed_policies.arn:aws:iam::123456789012:role/NotAPolicy:"
            + " \"arn:aws:iam::123456789012:role/NotAPolicy\" is not a managed policy ARN");
  }

  @Test
  void inlineDocumentProblemsNameTheRegistryLineAndKey() {
    assertThat(problems(CLUSTER + """
        roles:
          - arn: %s
            policy_files:
              trust: %s
              permissions: [{Version: "2012-10-17", Statement: [{Effect: Maybe, Action: "s3:GetObject", Resource: "*"}]}]
        """.formatted(ARN_A, TRUST))).singleElement().asString()
        .startsWith("r.yaml:11: roles[0].policy_files.permissions[0]: ").contains("Maybe");
    assertThat(problems(CLUSTER + """
        roles:
          - arn: %s
            policy_files: {trust: %s}
        """.formatted(ARN_A, READ))).singleElement().asString()
        .startsWith("r.yaml:9: roles[0].policy_files.trust: the inline document is a ");
  }

  @Test
  void requestContextStatesUnknownKeysAndRefusesComputedOnes() throws Exception {
    Registry registry = load(CLUSTER.replace("attached_roles: [" + ARN_A + "]", """
        attached_roles: [%s]
            request_context:
              aws:SourceVpce: vpce-1a2b3c4d
              aws:SourceIp: null
              aws:TagKeys: [a, b]""".formatted(ARN_A)));
    RequestContext context = registry.clusters().get(0).requestContext();
    assertThat(context.knowledge("aws:sourcevpce")).isEqualTo(RequestContext.Knowledge.PRESENT);
    assertThat(context.knowledge("aws:SourceIp")).isEqualTo(RequestContext.Knowledge.ABSENT);
    assertThat(context.values("aws:TagKeys")).containsExactly("a", "b");
    assertThat(context.knowledge("aws:PrincipalOrgID")).isEqualTo(RequestContext.Knowledge.UNKNOWN);

    assertThat(problems(CLUSTER + """
        roles:
          - arn: %s
            request_context: {sts:ExternalId: anything, aws:SourceArn: arn:aws:redshift:us-west-2:1:cluster:c1}
        """.formatted(ARN_A))).containsExactly(
        "r.yaml:9: roles[0].request_context.sts:ExternalId: sts:ExternalId is computed by the guard for every"
            + " request (see the request context table in the README); it cannot be stated in the registry");
    assertThat(problems(CLUSTER.replace("attached_roles: [" + ARN_A + "]", "attached_roles: [" + ARN_A + "]\n"
        + "    request_context: {aws:SourceArn: x, notakey: 1}"))).containsExactly(
        "r.yaml:7: clusters[0].request_context.aws:SourceArn: aws:SourceArn is computed by the guard for every"
            + " request (see the request context table in the README); it cannot be stated in the registry",
        "r.yaml:7: clusters[0].request_context.notakey: \"notakey\" is not a condition key like aws:SourceVpce");
  }
}
