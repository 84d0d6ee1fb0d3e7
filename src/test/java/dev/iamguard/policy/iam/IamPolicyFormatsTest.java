package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.ParameterizedTest;

/** The shapes the AWS CLI and API print policies in. */
class IamPolicyFormatsTest {

  private static final String TRUST = Resources.text("seed-iam/external-id-trust.json");
  private static final String USER1 = "arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/user1";

  @Test
  void readsGetRoleOutput() throws Exception {
    String getRole = """
        {
            "Role": {
                "Path": "/",
                "RoleName": "RedshiftCopyUnload",
                "RoleId": "AROAEXAMPLEID",
                "Arn": "arn:aws:iam::123456789012:role/RedshiftCopyUnload",
                "CreateDate": "2024-01-01T00:00:00+00:00",
                "AssumeRolePolicyDocument": %s,
                "MaxSessionDuration": 3600
            }
        }""".formatted(TRUST);

    IamPolicy trust = IamPolicy.parse(getRole, "get-role.json");

    assertThat(trust.kind()).isEqualTo(IamPolicy.Kind.TRUST);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", USER1)))
        .isEqualTo(IamEffect.ALLOW);
  }

  @Test
  void readsGetRolePolicyOutput() throws Exception {
    String getRolePolicy = """
        {
            "RoleName": "RoleA",
            "PolicyName": "assume-b",
            "PolicyDocument": %s
        }""".formatted(Resources.text("seed-iam/RoleA.permissions.json"));

    IamPolicy p = IamPolicy.parse(getRolePolicy, "get-role-policy.json");

    assertThat(p.evaluate("sts:AssumeRole", "arn:aws:iam::210987654321:role/RoleB", Map.of()))
        .isEqualTo(IamEffect.ALLOW);
  }

  @Test
  void readsGetPolicyVersionOutput() throws Exception {
    String getPolicyVersion = """
        {"PolicyVersion": {"Document": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]},
          "VersionId": "v2", "IsDefaultVersion": true}}""";

    IamPolicy p = IamPolicy.parse(getPolicyVersion, "v2.json");

    assertThat(p.evaluate("s3:GetObject", "arn:aws:s3:::b/k", Map.of())).isEqualTo(IamEffect.ALLOW);
  }

  @Test
  void readsAUrlEncodedDocumentAsTheIamApiReturnsIt() throws Exception {
    String encoded = URLEncoder.encode(TRUST, StandardCharsets.UTF_8).replace("+", "%20");
    String apiOutput = "{\"Role\": {\"RoleName\": \"R\", \"AssumeRolePolicyDocument\": \""
        + encoded + "\"}}";

    IamPolicy trust = IamPolicy.parse(apiOutput, "api.json");

    assertThat(trust.source()).isEqualTo("api.json");
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", USER1)))
        .isEqualTo(IamEffect.ALLOW);
  }

  /**
   * Valid JSON that YAML reads otherwise (probe 19b): tabs between tokens (a pretty-printer's
   * indentation), raw DEL and C1 characters in strings, and a URL-encoded document that starts with
   * encoded white space, each as a document, inside an API answer, and URL-encoded.
   */
  @Test
  void readsJsonThatYamlWouldRefuse() throws Exception {
    String tabbed = "{\n\t\"Version\":\t\"2012-10-17\",\n\t\"Statement\": [\n\t\t{\"Sid\": \"a\u007fb\u0085c\",\n"
        + "\t\t \"Effect\": \"Allow\",\t\"Principal\": {\"Service\": \"redshift.amazonaws.com\"},\n"
        + "\t\t \"Action\": \"sts:AssumeRole\", \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \""
        + USER1 + "\"}}}\n\t]\n}\n";
    String encoded = URLEncoder.encode(tabbed, StandardCharsets.UTF_8).replace("+", "%20");
    for (String text : java.util.List.of(tabbed, "{\"Role\":\t{\"RoleName\": \"R\", \"AssumeRolePolicyDocument\":\t"
        + tabbed + "}}", "{\"Role\": {\"RoleName\": \"R\", \"AssumeRolePolicyDocument\": \"%0A%20" + encoded + "\"}}",
        "{\"Role\": {\"RoleName\": \"R\", \"AssumeRolePolicyDocument\": \"" + encoded + "\"}}")) {
      IamPolicy trust = IamPolicy.parse(text, "tabs.json");
      assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", USER1))).as(text).isEqualTo(IamEffect.ALLOW);
      assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", USER1.replace("user1", "other"))))
          .isNotEqualTo(IamEffect.ALLOW);
    }
    // a tab inside a string (not valid JSON, but the same characters) is the string's own, not a space
    assertThat(dev.iamguard.policy.yaml.YamlTree.jsonForYaml("{\"a\":\t\"x\ty\\\"\t\"}"))
        .isEqualTo("{\"a\": \"x\\u0009y\\\"\\u0009\"}");
    assertThat(dev.iamguard.policy.yaml.YamlTree.jsonForYaml("{\"a\": 1}")).isEqualTo("{\"a\": 1}");
  }

  @Test
  void problemsInsideAnEncodedDocumentSayWhereItSits() {
    String broken = URLEncoder.encode("{\"Statement\": {\"Effect\": \"Allow\","
        + " \"Action\": \"sts:AssumeRole\", \"Principal\": \"redshift\"}}", StandardCharsets.UTF_8)
        .replace("+", "%20");

    IamPolicyException e = assertThrows(IamPolicyException.class, () -> IamPolicy.parse(
        "{\n\"RoleName\": \"R\",\n\"PolicyDocument\": \"" + broken + "\"}", "api.json"));

    assertThat(e.getMessage()).isEqualTo("api.json (document embedded at line 3): statement 1,"
        + " line 1: Principal must be \"*\" or an object with AWS, Service, Federated or CanonicalUser,"
        + " got \"redshift\"");
  }

  @Test
  void readsYamlAndPrettyPrintedJsonWithRealLineNumbers() {
    String pretty = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "TrustA",
              "Effect": "Allow",
              "Principal": {
                "AWS": "arn:aws:iam::role/RoleA"
              },
              "Action": "sts:AssumeRole"
            }
          ]
        }""";

    IamPolicyException e = assertThrows(IamPolicyException.class,
        () -> IamPolicy.parse(pretty, "iam/RoleB.trust.json"));

    assertThat(e.getMessage()).isEqualTo("iam/RoleB.trust.json: statement \"TrustA\", line 8:"
        + " Principal AWS \"arn:aws:iam::role/RoleA\" is not an account, role, user or session ARN, an account id or \"*\""
        + " (account id missing)");
  }

  @Test
  void rejectsTextsThatAreNoPolicy() {
    assertThat(assertThrows(IamPolicyException.class, () -> IamPolicy.parse("{\"a\": [1,", "x.json")))
        .hasMessageStartingWith("x.json: line 1: not valid JSON: ");
    assertThat(assertThrows(IamPolicyException.class, () -> IamPolicy.parse("  ", "x.json")))
        .hasMessage("x.json: the policy document is empty");
    assertThat(assertThrows(IamPolicyException.class, () -> IamPolicy.parse("[1]", "x.json")))
        .hasMessage("x.json: line 1: expected a JSON object, got a list");
    assertThat(assertThrows(IamPolicyException.class,
        () -> IamPolicy.parse("{\"RoleName\": \"x\"}", "x.json")))
        .hasMessageContaining("x.json: line 1: not an IAM policy: expected a document with Statement");
    assertThat(assertThrows(IamPolicyException.class,
        () -> IamPolicy.parse("{\"Role\": {\"RoleName\": \"x\"}}", "x.json")))
        .hasMessage("x.json: line 1: Role has no AssumeRolePolicyDocument");
    assertThat(assertThrows(IamPolicyException.class,
        () -> IamPolicy.parse("{\"PolicyDocument\": \"Version=1\"}", "x.json")))
        .hasMessage("x.json: line 1: the policy document is a string that is neither JSON nor"
            + " URL-encoded JSON");
  }

  /**
   * A URL-encoded document with a malformed escape, wherever it stands: URLDecoder threw
   * IllegalArgumentException out of loading (a stack trace from {@code registry validate},
   * {@code check} and {@code registry import}: IAM probe finding 1). The problem names the escape.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      %7B%22Version%22%3A%22100%zz%22%7D | "%zz" at char 26
      %7B%2                              | "%2" at char 4
      %7B%                               | "%" at char 4
      %7B%22a%22:%G1%7D                  | "%G1" at char 12
      %7B%22a%22:%٠A%7D             | "%٠A" at char 12
      %20%7B%22a%22:%2x                  | "%2x" at char 15
      """)
  void aMalformedEscapeInAnEncodedDocumentIsNamed(String encoded, String where) {
    assertThat(assertThrows(IamPolicyException.class,
        () -> IamPolicy.parse("{\"PolicyDocument\": \"" + encoded + "\"}", "x.json")))
        .hasMessage("x.json: line 1: the policy document is URL-encoded JSON with a malformed escape " + where
            + " (% takes two hexadecimal digits)");
  }

  /** Whatever the string, it is JSON, decoded, none of those, or a malformed escape: nothing else is thrown. */
  @net.jqwik.api.Property(tries = 2000)
  void anyDocumentStringIsReadOrNamedAsMalformed(@net.jqwik.api.ForAll("documentStrings") String value) {
    try {
      IamPolicy.documentText(value);
    } catch (IllegalArgumentException e) {
      assertThat(e).hasMessageStartingWith("URL-encoded JSON with a malformed escape \"%");
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> documentStrings() {
    return net.jqwik.api.Arbitraries.of("%7B", "%7b", "%20", "%", "%2", "%zz", "%G", "+", "%C3%A9", "%C3", "%\u0660",
        "{", "a", "%25", "%%", "\uD83D\uDE00", " ").list().ofMaxSize(8).map(parts -> String.join("", parts));
  }
}
