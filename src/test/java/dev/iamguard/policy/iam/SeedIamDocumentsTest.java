package dev.iamguard.policy.iam;

import static dev.iamguard.policy.iam.IamEffect.ALLOW;
import static dev.iamguard.policy.iam.IamEffect.IMPLICIT_DENY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed's JSON documents, verbatim, mean what the seed says they mean. */
class SeedIamDocumentsTest {

  private static final String USER1 = "arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/user1";
  private static final String USER2 = "arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/user2";
  private static final String USER3 = "arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/user3";
  private static final RoleArn ROLE_A = RoleArn.of("arn:aws:iam::123456789012:role/RoleA");
  private static final RoleArn ROLE_B = RoleArn.of("arn:aws:iam::210987654321:role/RoleB");

  @Test
  void defaultTrustTrustsRedshiftInEveryRegionForAnyUser() throws Exception {
    IamPolicy trust = Resources.policy("seed-iam/default-trust.json");

    assertThat(trust.kind()).isEqualTo(IamPolicy.Kind.TRUST);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", USER1))).isEqualTo(ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("eu-central-1", USER3))).isEqualTo(ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("ap-south-1", null))).isEqualTo(ALLOW);
  }

  @Test
  void defaultTrustDoesNotTrustOtherServicesOrRoles() throws Exception {
    IamPolicy trust = Resources.policy("seed-iam/default-trust.json");

    TrustRequest sagemaker = new TrustRequest(new TrustRequest.ServiceCaller("sagemaker",
        java.util.Optional.of("us-west-2")), TrustRequest.ASSUME_ROLE, Map.of());
    assertThat(trust.evaluateTrust(sagemaker)).isEqualTo(IMPLICIT_DENY);
    assertThat(trust.evaluateTrust(TrustRequest.fromRole(ROLE_A, null))).isEqualTo(IMPLICIT_DENY);
  }

  @Test
  void externalIdTrustAdmitsOnlyUser1AndUser2() throws Exception {
    IamPolicy trust = Resources.policy("seed-iam/external-id-trust.json");

    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", USER1))).isEqualTo(ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", USER2))).isEqualTo(ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", USER3)))
        .isEqualTo(IMPLICIT_DENY);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", null)))
        .isEqualTo(IMPLICIT_DENY);
    String otherCluster = "arn:aws:redshift:us-west-2:123456789012:dbuser:other-cluster/user1";
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", otherCluster)))
        .isEqualTo(IMPLICIT_DENY);
  }

  @Test
  void regionalTrustAdmitsUsEast1AndUsWest2Only() throws Exception {
    IamPolicy trust = Resources.policy("seed-iam/regional-trust.json");

    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-east-1", USER1))).isEqualTo(ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", USER1))).isEqualTo(ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("eu-west-1", USER1)))
        .isEqualTo(IMPLICIT_DENY);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-east-2", USER1)))
        .isEqualTo(IMPLICIT_DENY);
  }

  @Test
  void roleAMayAssumeRoleBOnly() throws Exception {
    IamPolicy permissions = Resources.policy("seed-iam/RoleA.permissions.json");

    assertThat(permissions.kind()).isEqualTo(IamPolicy.Kind.PERMISSIONS);
    assertThat(permissions.evaluate("sts:AssumeRole", ROLE_B.toString(), Map.of())).isEqualTo(ALLOW);
    assertThat(permissions.evaluate("sts:AssumeRole",
        "arn:aws:iam::210987654321:role/RoleC", Map.of())).isEqualTo(IMPLICIT_DENY);
    assertThat(permissions.evaluate("s3:GetObject", ROLE_B.toString(), Map.of()))
        .isEqualTo(IMPLICIT_DENY);
    IamDecision decision = permissions.decide("sts:AssumeRole", ROLE_B.toString(), Map.of());
    assertThat(decision.describe())
        .isEqualTo("seed-iam/RoleA.permissions.json statement \"Stmt1487639602000\" (line 1)");
  }

  @Test
  void roleBAccountRootTrustAdmitsRolesOfAccount123456789012Only() throws Exception {
    IamPolicy trust = Resources.policy("seed-iam/RoleB.account-root.trust.json");

    assertThat(trust.evaluateTrust(TrustRequest.fromRole(ROLE_A, null))).isEqualTo(ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRole(
        RoleArn.of("arn:aws:iam::123456789012:role/etl/AnyOtherRole"), null))).isEqualTo(ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRole(
        RoleArn.of("arn:aws:iam::999999999999:role/RoleA"), null))).isEqualTo(IMPLICIT_DENY);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", USER1)))
        .isEqualTo(IMPLICIT_DENY);
  }

  @Test
  void roleBTrustWithoutAccountIdIsALoadError() {
    IamPolicyException e = assertThrows(IamPolicyException.class,
        () -> Resources.policy("seed-iam/RoleB.trust.json"));

    assertThat(e.getMessage()).isEqualTo("seed-iam/RoleB.trust.json: statement 1, line 1: "
        + "Principal AWS \"arn:aws:iam::role/RoleA\" is not an account, role, user or session ARN,"
        + " an account id or \"*\" (account id missing)");
    assertThat(e.problems()).hasSize(1);
  }
}
