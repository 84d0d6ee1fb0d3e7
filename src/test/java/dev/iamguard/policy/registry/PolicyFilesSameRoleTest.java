package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The AWS CLI outputs a role's policy_files are exported as say which role they came from and, for
 * {@code get-role}, which permissions boundary it has; what they say must hold for the role the
 * registry gives them to (red-team review, each loaded without a word): another role's trust or
 * permissions, a boundary named there but not in policy_files.boundary (IAM bounds the role's
 * permissions by it; the guard did not), and a managed policy or boundary exported from a version
 * that is not the policy's default (IAM evaluates only the default).
 */
class PolicyFilesSameRoleTest {
  private static final String TRUST = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
      + " \"Principal\": {\"Service\": \"redshift.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";
  private static final String PERMISSIONS = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
      + " \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]}";
  private static final String BOUNDARY_ARN = "arn:aws:iam::123456789012:policy/Bound";

  @TempDir
  Path dir;

  /**
   * {@code trust}: the get-role output's Arn (or none), {@code boundary}: the boundary it names (or
   * none), {@code configured}: policy_files.boundary (an ARN, or none), {@code policyRole}: the role
   * of the get-role-policy output, {@code isDefault}: the managed policy version's flag; then the
   * problem expected (or none).
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "arn:aws:iam::123456789012:role/R|-|-|R|true|-",
      "arn:aws:iam::123456789012:role/service-role/R|-|-|r|true|-",
      "-|-|-|R|true|-",
      "arn:aws:iam::123456789012:role/Other|-|-|R|true|the get-role output of arn:aws:iam::123456789012:role/Other, not of this role",
      "arn:aws:iam::210987654321:role/R|-|-|R|true|the get-role output of arn:aws:iam::210987654321:role/R, not of this role",
      "arn:aws:iam::123456789012:role/R|" + BOUNDARY_ARN + "|-|R|true|names its permissions boundary " + BOUNDARY_ARN,
      "arn:aws:iam::123456789012:role/R|" + BOUNDARY_ARN + "|" + BOUNDARY_ARN + "|R|true|-",
      "arn:aws:iam::123456789012:role/R|" + BOUNDARY_ARN + "|arn:aws:iam::123456789012:policy/Loose|R|true"
          + "|names another permissions boundary than the role's get-role output",
      "arn:aws:iam::123456789012:role/R|-|-|Other|true|the get-role-policy output of role Other, not of R",
      "arn:aws:iam::123456789012:role/R|-|-|R|false|PolicyVersion v3 is not the policy's default version",
      "arn:aws:iam::123456789012:role/R|-|" + BOUNDARY_ARN + "|R|false|PolicyVersion v3 is not the policy's default"})
  void whatTheOutputsSayMustHoldForTheRole(String trustArn, String namedBoundary, String configured, String policyRole,
      boolean isDefault, String problem) throws Exception {
    String boundaryField = namedBoundary == null ? "" : ", \"PermissionsBoundary\": {\"PermissionsBoundaryType\":"
        + " \"Policy\", \"PermissionsBoundaryArn\": \"" + namedBoundary + "\"}";
    String arnField = trustArn == null ? "\"RoleName\": \"R\"" : "\"RoleName\": \"" + trustArn.substring(
        trustArn.lastIndexOf('/') + 1) + "\", \"Arn\": \"" + trustArn + "\"";
    Files.writeString(dir.resolve("trust.json"), "{\"Role\": {" + arnField + ", \"AssumeRolePolicyDocument\": "
        + TRUST + boundaryField + "}}");
    Files.writeString(dir.resolve("inline.json"), "{\"RoleName\": \"" + policyRole + "\", \"PolicyName\": \"p\","
        + " \"PolicyDocument\": " + PERMISSIONS + "}");
    Files.writeString(dir.resolve("managed.json"), "{\"PolicyVersion\": {\"Document\": " + PERMISSIONS
        + ", \"VersionId\": \"v3\", \"IsDefaultVersion\": " + isDefault + "}}");
    String registry = "version: 1\n"
        + "managed_policies:\n"
        + "  arn:aws:iam::123456789012:policy/Managed: managed.json\n"
        + (configured == null ? "" : "  " + configured + ": managed.json\n")
        + "roles:\n"
        + "  - arn: arn:aws:iam::123456789012:role/R\n"
        + "    policy_files:\n"
        + "      trust: trust.json\n"
        + "      permissions: [inline.json]\n"
        + "      managed: [arn:aws:iam::123456789012:policy/Managed]\n"
        + (configured == null ? "" : "      boundary: " + configured + "\n");
    Path file = dir.resolve("registry.yaml");
    Files.writeString(file, registry);
    RegistryException refused = catchThrowableOfType(() -> RegistryLoader.load(file), RegistryException.class);
    if (problem == null) {
      assertThat(refused).as("loads").isNull();
    } else {
      assertThat(refused).as("refused").isNotNull();
      assertThat(refused.getMessage()).contains(problem);
    }
  }
}
