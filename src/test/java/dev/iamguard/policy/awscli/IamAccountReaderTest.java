package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@code --iam} input read field by field: every shape that is not get-account-authorization-details
 * is named, every bad field is named with its path, a role or policy printed twice counts once only
 * when both copies agree, and a policy document is read as the CLI or the raw API prints it.
 */
class IamAccountReaderTest {
  private static final String ARN = "arn:aws:iam::123456789012:role/R";
  private static final String TRUST = "{\"Version\": \"2012-10-17\", \"Statement\": []}";
  private static final String TAIL = "; --iam reads aws iam get-account-authorization-details (RoleDetailList, Policies),"
      + " which holds each role with its trust, inline and attached policies and boundary";

  private final List<String> problems = new ArrayList<>();
  private final IamAccountReader reader = new IamAccountReader(problems);

  private void read(String json) {
    try {
      for (AwsJson.Document document : AwsJson.read(json, "x.json")) {
        reader.read(document, "x.json");
      }
    } catch (ImportException e) {
      throw new AssertionError(e.problems().toString(), e);
    }
  }

  private static String role(String arn, String trust, String inline, String managed, String boundary) {
    return "{\"Arn\": \"" + arn + "\", \"RoleName\": \"R\", \"AssumeRolePolicyDocument\": " + trust
        + ", \"RolePolicyList\": [{\"PolicyName\": \"p\", \"PolicyDocument\": " + inline + "}]"
        + ", \"AttachedManagedPolicies\": [{\"PolicyArn\": \"" + managed + "\"}]"
        + ", \"PermissionsBoundary\": {\"PermissionsBoundaryArn\": \"" + boundary + "\"}}";
  }

  private static String role() {
    return role(ARN, TRUST, TRUST, "arn:aws:iam::aws:policy/A", "arn:aws:iam::123456789012:policy/B");
  }

  private static String roles(String... roles) {
    return "{\"RoleDetailList\": [" + String.join(", ", roles) + "]}";
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      {"Role": {}}                  | aws iam get-role output
      {"PolicyDocument": {}}        | aws iam get-role-policy output
      {"AttachedPolicies": []}      | aws iam list-attached-role-policies output
      {"PolicyVersion": {}}         | aws iam get-policy-version output
      {"Clusters": []}              | Redshift output (give it with --redshift or --serverless)
      {"namespace": {}}             | Redshift output (give it with --redshift or --serverless)
      {"workgroup": {}}             | Redshift output (give it with --redshift or --serverless)
      {"RoleDetailList": null}      | not the output of aws iam get-account-authorization-details
      {}                            | not the output of aws iam get-account-authorization-details
      """)
  void otherOutputsAreNamed(String json, String what) {
    read(json);
    assertThat(problems).containsExactly("x.json: " + what + TAIL);
  }

  @Test
  void detailsOfUsersOrGroupsOnlyAreNoProblemAndATopThatIsNoObjectIs() {
    read("{\"UserDetailList\": []}");
    read("{\"GroupDetailList\": []}");
    read("{\"Policies\": []}");
    assertThat(problems).isEmpty();
    assertThat(reader.roles()).isEmpty();
    read("[1]");
    assertThat(problems).containsExactly("x.json: expected a JSON object at the top, got a list");
  }

  @Test
  void aRoleIsReadWithItsDocumentsPoliciesAndBoundary() {
    read(roles(role()));
    assertThat(problems).isEmpty();
    ImportedRole role = reader.roles().get(ARN.toLowerCase());
    assertThat(role.arn()).isEqualTo(ARN);
    assertThat(role.name()).isEqualTo("R");
    assertThat(role.trust()).isEqualTo(Map.of("Version", "2012-10-17", "Statement", List.of()));
    assertThat(role.inline()).singleElement().satisfies(p -> assertThat(p.name()).isEqualTo("p"));
    assertThat(role.managed()).containsExactly("arn:aws:iam::aws:policy/A");
    assertThat(role.boundary()).contains("arn:aws:iam::123456789012:policy/B");
  }

  @Test
  void theSameRoleTwiceCountsOnceAndOtherContentIsAProblem() {
    read(roles(role(), role()));
    read(roles(role()));
    assertThat(problems).isEmpty();
    assertThat(reader.roles()).hasSize(1);
    String other = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\"}]}";
    List<String> changed = List.of(
        role(ARN, other, TRUST, "arn:aws:iam::aws:policy/A", "arn:aws:iam::123456789012:policy/B"),
        role(ARN, TRUST, other, "arn:aws:iam::aws:policy/A", "arn:aws:iam::123456789012:policy/B"),
        role(ARN, TRUST, TRUST, "arn:aws:iam::aws:policy/C", "arn:aws:iam::123456789012:policy/B"),
        role(ARN, TRUST, TRUST, "arn:aws:iam::aws:policy/A", "arn:aws:iam::123456789012:policy/C"),
        // the same role to IAM (names are case-insensitive), written otherwise
        role(ARN.replace("role/R", "role/r"), TRUST, TRUST,
            "arn:aws:iam::aws:policy/A", "arn:aws:iam::123456789012:policy/B"));
    for (String role : changed) {
      problems.clear();
      read(roles(role));
      assertThat(problems).as(role).singleElement().satisfies(p -> assertThat(p).startsWith("x.json: role ")
          .endsWith(" is listed again with other content (exports of different times?); give one export per account"));
    }
    assertThat(reader.roles()).hasSize(1);
  }

  @Test
  void badRoleFieldsAreNamedWithTheirPath() {
    String lists = ", \"RolePolicyList\": [], \"AttachedManagedPolicies\": []";
    read(roles("{\"Arn\": \"arn:aws:iam::123456789012:user/u\", \"RoleName\": \"u\", \"AssumeRolePolicyDocument\": "
        + TRUST + lists + "}"));
    read(roles("{\"Arn\": \"arn:aws:iam::123456789012\", \"RoleName\": \"u\", \"AssumeRolePolicyDocument\": "
        + TRUST + lists + "}"));
    read(roles("{\"Arn\": 5, \"RolePolicyList\": [{\"PolicyName\": \"p\"}, 7], \"PermissionsBoundary\": \"b\","
        + " \"AttachedManagedPolicies\": []}"));
    read("{\"RoleDetailList\": {}}");
    assertThat(problems).containsExactly(
        "x.json: RoleDetailList[0].Arn: \"arn:aws:iam::123456789012:user/u\" is not a role ARN",
        "x.json: RoleDetailList[0].Arn: \"arn:aws:iam::123456789012\" is not a role ARN",
        "x.json: RoleDetailList[0].Arn: expected a string, got a number",
        "x.json: RoleDetailList[0].RoleName: missing",
        "x.json: RoleDetailList[0].AssumeRolePolicyDocument: missing",
        "x.json: RoleDetailList[0].RolePolicyList[1]: expected an object, got a number",
        "x.json: RoleDetailList[0].RolePolicyList[0].PolicyDocument: missing",
        "x.json: RoleDetailList[0].PermissionsBoundary: expected an object, got a string",
        "x.json: RoleDetailList: expected a list, got an object");
    assertThat(reader.roles()).isEmpty();
  }

  @Test
  void aManagedPolicyIsItsDefaultVersion() {
    read("""
        {"Policies": [
          {"Arn": "arn:aws:iam::123456789012:policy/P1", "PolicyName": "P1", "PolicyVersionList": [
            {"VersionId": "v1", "IsDefaultVersion": false, "Document": {"Version": "old"}},
            {"VersionId": "v2", "IsDefaultVersion": true, "Document": {"Version": "new"}}]},
          {"Arn": "arn:aws:iam::123456789012:policy/P2", "PolicyName": "P2", "DefaultVersionId": "v2",
           "PolicyVersionList": [{"VersionId": "v1", "Document": {"Version": "old"}},
                                 {"VersionId": "v2", "Document": {"Version": "new"}}]},
          {"Arn": "arn:aws:iam::123456789012:policy/P3", "PolicyName": "P3", "PolicyVersionList": [
            {"VersionId": "v1", "Document": {"Version": "old"}}]},
          {"Arn": "arn:aws:iam::123456789012:policy/P4", "PolicyName": "P4", "PolicyVersionList": [
            {"VersionId": "v1", "IsDefaultVersion": "yes", "Document": {"Version": "old"}}]},
          {"Arn": "arn:aws:iam::123456789012:policy/P5", "PolicyName": "P5", "PolicyVersionList": [
            {"VersionId": "v1", "IsDefaultVersion": true}]}
        ]}
        """);
    assertThat(reader.policies()).containsOnlyKeys("arn:aws:iam::123456789012:policy/P1",
        "arn:aws:iam::123456789012:policy/P2");
    assertThat(reader.policies().values()).extracting(ManagedPolicy::document)
        .containsOnly(Map.of("Version", "new"));
    String none = ": no default version with a Document; export with aws iam get-account-authorization-details, which"
        + " lists every version of each policy";
    assertThat(problems).containsExactly(
        "x.json: Policies[2].PolicyVersionList" + none,
        "x.json: Policies[3].PolicyVersionList[0].IsDefaultVersion: expected true or false, got a string",
        "x.json: Policies[4].PolicyVersionList" + none);
  }

  @Test
  void theSamePolicyTwiceCountsOnceAndOtherContentIsAProblem() {
    String policy = "{\"Arn\": \"arn:aws:iam::123456789012:policy/P\", \"PolicyName\": \"P\", \"PolicyVersionList\":"
        + " [{\"IsDefaultVersion\": true, \"Document\": {\"Version\": \"%s\"}}]}";
    read("{\"Policies\": [" + policy.formatted("a") + ", " + policy.formatted("a") + "]}");
    assertThat(problems).isEmpty();
    read("{\"Policies\": [" + policy.formatted("b") + "]}");
    assertThat(problems).containsExactly("x.json: managed policy arn:aws:iam::123456789012:policy/P is listed again"
        + " with other content (exports of different times?); give one export per account");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
      "%7B%22Version%22%3A%22a+b%22%7D"           | a+b
      "%7b%22Version%22%3A%22x%22%7D"             | x
      "  {\\"Version\\": \\"plain\\"}  "            | plain
      "%0A%20%20%7B%0A%09%22Version%22%3A%09%22ws%22%7D" | ws
      "%0D%0A%09%7B%22Version%22%3A%22a%7Fb%C2%85%22%7D" | a\u007fb\u0085
      """)
  void aDocumentStringIsUrlDecodedOrPlainJson(String document, String version) {
    read(roles(role(ARN, document, TRUST, "arn:aws:iam::aws:policy/A", "arn:aws:iam::123456789012:policy/B")));
    assertThat(problems).isEmpty();
    assertThat(reader.roles().get(ARN.toLowerCase()).trust()).isEqualTo(Map.of("Version", version));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
      5              | expected a policy document (an object or a URL-encoded JSON string), got a number
      [1]            | expected a policy document (an object or a URL-encoded JSON string), got a list
      "abc"          | a string that is neither JSON nor URL-encoded JSON; not a policy document
      "[1]"          | a string that is neither JSON nor URL-encoded JSON; not a policy document
      "{} {}"        | the decoded policy document is not one JSON object
      "%7B%22V%zz"   | URL-encoded JSON with a malformed escape "%zz" at char 8 (% takes two hexadecimal digits); not a policy document
      "%7B%2"        | URL-encoded JSON with a malformed escape "%2" at char 4 (% takes two hexadecimal digits); not a policy document
      """)
  void aDocumentThatIsNoneIsNamed(String document, String problem) {
    read(roles(role(ARN, document, TRUST, "arn:aws:iam::aws:policy/A", "arn:aws:iam::123456789012:policy/B")));
    assertThat(problems).containsExactly("x.json: RoleDetailList[0].AssumeRolePolicyDocument: " + problem);
    assertThat(reader.roles()).isEmpty();
  }

  @Test
  void aDocumentStringThatIsBadJsonGivesTheParsersProblemUnderTheDecodedLabel() {
    read(roles(role(ARN, "\"{bad\"", TRUST, "arn:aws:iam::aws:policy/A", "arn:aws:iam::123456789012:policy/B")));
    assertThat(problems).isNotEmpty().allSatisfy(p -> assertThat(p)
        .startsWith("x.json: RoleDetailList[0].AssumeRolePolicyDocument (decoded)"));
    assertThat(reader.roles()).isEmpty();
  }
}
