package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What is malformed is a load error, never ignored, in every statement the guard evaluates; a
 * statement about other actions is kept with its problems and skipped.
 */
class IamPolicyRejectionTest {

  private static final String TRUST_HEAD =
      "\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", ";

  private static String problem(String document) {
    IamPolicyException e = assertThrows(IamPolicyException.class,
        () -> IamPolicy.parse(document, "p.json"));
    return e.getMessage();
  }

  private static String statementProblem(String statement) {
    return problem("{\"Version\": \"2012-10-17\", \"Statement\": [" + statement + "]}");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"NotPrincipal\": {\"AWS\": \"arn:aws:iam::123456789012:role/*\"}|NotPrincipal AWS \"arn:aws:iam::123456789012:role/*\" is not an account, role, user or session ARN, an account id or \"*\" (role name \"*\" may only hold letters, digits and + = , . @ _ -)",
      "\"NotPrincipal\": \"x\"|NotPrincipal must be \"*\" or an object with AWS, Service, Federated or CanonicalUser, got \"x\"",
      "\"Principal\": \"*\", \"NotPrincipal\": \"*\"|a statement has either Principal or NotPrincipal, not both",
      "\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:user/*\"}|Principal AWS \"arn:aws:iam::123456789012:user/*\" is not an account, role, user or session ARN, an account id or \"*\" (resource must be role/{name}, got \"user/*\")",
      "\"Principal\": {\"Servce\": \"redshift.amazonaws.com\"}|unknown key \"Servce\"; did you mean \"Service\"?",
      "\"Principal\": \"redshift.amazonaws.com\"|Principal must be \"*\" or an object with AWS, Service, Federated or CanonicalUser, got \"redshift.amazonaws.com\"",
      "\"Principal\": {\"Service\": \"redshift\"}|Principal Service \"redshift\" is not a service principal like redshift.amazonaws.com",
      "\"Principal\": {\"Service\": \"*.amazonaws.com\"}|Principal Service \"*.amazonaws.com\" is not a service principal like redshift.amazonaws.com",
      "\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:role/*\"}|Principal AWS \"arn:aws:iam::123456789012:role/*\" is not an account, role, user or session ARN, an account id or \"*\" (role name \"*\" may only hold letters, digits and + = , . @ _ -)",
      "\"Principal\": {\"AWS\": \"12345678901\"}|Principal AWS \"12345678901\" is not an account, role, user or session ARN, an account id or \"*\" (account id must be 12 digits, got 11: 12345678901)",
      "\"Principal\": {\"AWS\": []}|Principal AWS list is empty",
      "\"Principal\": {}|Principal names no principal",
  })
  void rejectsUnsupportedPrincipals(String principal, String message) {
    // NotPrincipal only with a Deny: an Allow with it is refused for that alone (probe 23a F2)
    String head = principal.contains("NotPrincipal") && !principal.contains("\"Principal\"")
        ? TRUST_HEAD.replace("Allow", "Deny") : TRUST_HEAD;
    assertThat(statementProblem("{" + head + principal + "}"))
        .isEqualTo("p.json: statement 1, line 1: " + message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"StringEqualz\": {\"sts:ExternalId\": \"x\"}}|condition operator \"StringEqualz\" is not an IAM condition operator (String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress, NotIpAddress, Arn*, Null, with IfExists and ForAllValues:/ForAnyValue:)",
      "{\"stringequals\": {\"sts:ExternalId\": \"x\"}}|condition operator \"stringequals\" is not an IAM condition operator; did you mean \"StringEquals\"?",
      "{\"ForAnyValue:stringLikeIfExists\": {\"sts:ExternalId\": \"x\"}}|condition operator \"ForAnyValue:stringLikeIfExists\" is not an IAM condition operator; did you mean \"ForAnyValue:StringLikeIfExists\"?",
      "{\"NullIfExists\": {\"sts:ExternalId\": \"true\"}}|condition operator \"NullIfExists\": Null takes neither IfExists nor a ForAllValues:/ForAnyValue: qualifier",
      "{\"Null\": {\"sts:ExternalId\": \"maybe\"}}|Null value \"maybe\" of sts:ExternalId must be \"true\" (the key is absent) or \"false\" (present)",
      "{\"Null\": {\"sts:ExternalId\": [\"true\", \"false\"]}}|Null on sts:ExternalId takes one value, \"true\" or \"false\"",
      "{\"ArnLike\": {\"aws:SourceArn\": \"arn:aws:${ }:r:1:x\"}}|ArnLike value \"arn:aws:${ }:r:1:x\" of aws:SourceArn: policy variable ${} does not name a condition key",
      "{\"Bool\": {\"aws:SecureTransport\": \"yes\"}}|Bool value \"yes\" of aws:SecureTransport must be \"true\" or \"false\"",
      "{\"NumericLessThan\": {\"s3:max-keys\": \"ten\"}}|NumericLessThan value \"ten\" of s3:max-keys is not a number",
      "{\"NumericLessThan\": {\"s3:max-keys\": \"${aws:username}\"}}|NumericLessThan value \"${aws:username}\" of s3:max-keys is not a number",
      "{\"DateLessThan\": {\"aws:CurrentTime\": \"yesterday\"}}|DateLessThan value \"yesterday\" of aws:CurrentTime is not a date (ISO 8601 such as 2024-01-31T12:00:00Z, or epoch seconds)",
      "{\"DateLessThan\": {\"aws:CurrentTime\": \"2024-13-01\"}}|DateLessThan value \"2024-13-01\" of aws:CurrentTime is not a date (ISO 8601 such as 2024-01-31T12:00:00Z, or epoch seconds)",
      "{\"IpAddress\": {\"aws:SourceIp\": \"300.1.1.1/24\"}}|IpAddress value \"300.1.1.1/24\" of aws:SourceIp is not an IPv4 or IPv6 address or CIDR range (203.0.113.0/24, 2001:DB8::/32)",
      "{\"NotIpAddress\": {\"aws:SourceIp\": \"example.com\"}}|NotIpAddress value \"example.com\" of aws:SourceIp is not an IPv4 or IPv6 address or CIDR range (203.0.113.0/24, 2001:DB8::/32)",
      "{\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/33\"}}|IpAddress value \"10.0.0.0/33\" of aws:SourceIp is not an IPv4 or IPv6 address or CIDR range (203.0.113.0/24, 2001:DB8::/32)",
      "{\"BinaryEquals\": {\"aws:x\": \"!!\"}}|BinaryEquals value \"!!\" of aws:x is not base-64",
      "{\"StringEquals\": {\"SourceAccount\": \"1\"}}|condition key \"SourceAccount\" is not a condition key like aws:SourceAccount or s3:prefix",
      "{\"StringEquals\": {\"aws:SourceAccount\": []}}|StringEquals aws:SourceAccount list is empty",
      "{\"StringLike\": {\"sts:ExternalId\": \"arn:${aws:username\"}}|StringLike value \"arn:${aws:username\" of sts:ExternalId: policy variable at \"${aws:username\" is not closed with }",
      "{\"StringLike\": {\"sts:ExternalId\": \"${aws:username, default}\"}}|StringLike value \"${aws:username, default}\" of sts:ExternalId: policy variable ${aws:username, default}: the default value must be in single quotes",
      "{\"StringEquals\": \"x\"}|StringEquals must be an object of condition keys, got a string",
      "{\"ArnLike\": {\"sts:ExternalId\": \"my-cluster/*\"}}|ArnLike value \"my-cluster/*\" of sts:ExternalId is not an ARN (6 colon-separated fields)",
      "[]|Condition must be an object, got a list",
  })
  void rejectsUnsupportedConditions(String condition, String message) {
    String statement = "{" + TRUST_HEAD + "\"Principal\": \"*\", \"Condition\": " + condition + "}";
    assertThat(statementProblem(statement)).isEqualTo("p.json: statement 1, line 1: " + message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"Action\": \"s3:GetObject\", \"Resource\": \"*\"|missing Effect (\"Allow\" or \"Deny\")",
      "\"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"|Effect must be \"Allow\" or \"Deny\", got \"allow\"",
      "\"Effect\": \"Allow\", \"Resource\": \"*\"|missing Action (or NotAction)",
      "\"Effect\": \"Allow\", \"Action\": \"s3:Get\", \"NotAction\": \"s3:Put\", \"Resource\": \"*\"|a statement has either Action or NotAction, not both",
      "\"Effect\": \"Allow\", \"Action\": \"GetObject\", \"Resource\": \"*\"|Action \"GetObject\" is not \"service:action\" or \"*\"",
      "\"Effect\": \"Allow\", \"Action\": {\"a\": 1}, \"Resource\": \"*\"|Action must be a string or a list of strings, got a mapping",
      "\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", [1]], \"Resource\": \"*\"|Action list elements must be strings, got a list",
      "\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"bucket/key\"|Resource \"bucket/key\" is not an ARN or \"*\"",
      "\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/${aws:username/*\"|Resource policy variable at \"${aws:username/*\" is not closed with }",
      "\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/${}\"|Resource policy variable ${} does not name a condition key",
      "\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"NotResource\": \"*\"|a statement has either Resource or NotResource, not both",
      "\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Conditon\": {}|unknown key \"Conditon\"; did you mean \"Condition\"?",
      "\"Effect\": \"Allow\", \"Effect\": \"Deny\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"|duplicate key \"Effect\" (first at line 1)",
      "\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\"|missing Resource (or NotResource)",
      "\"Sid\": \"\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"|Sid must not be empty; remove it or name the statement",
      "\"Sid\": [1], \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"|Sid must be a string, got a list",
  })
  void rejectsMalformedStatements(String body, String message) {
    assertThat(statementProblem("{" + body + "}")).isEqualTo("p.json: statement 1, line 1: " + message);
  }

  @Test
  void namesTheStatementBySidWhenItHasOne() {
    assertThat(statementProblem("{\"Sid\": \"First\", \"Effect\": \"Allow\", \"Action\": \"s3:x\","
        + " \"Resource\": \"*\"}, {\"Sid\": \"Bad\", \"Effect\": \"Maybe\", \"Action\": \"s3:x\","
        + " \"Resource\": \"*\"}"))
        .isEqualTo("p.json: statement \"Bad\", line 1: Effect must be \"Allow\" or \"Deny\", got \"Maybe\"");
  }

  @Test
  void rejectsMixingTrustAndPermissionStatements() {
    assertThat(statementProblem("{" + TRUST_HEAD + "\"Principal\": \"*\"}, {\"Effect\": \"Allow\","
        + " \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}"))
        .isEqualTo("p.json: statement 2, line 1: has no Principal, but statement 1 has one: a trust"
            + " policy needs a Principal in every statement, a permission policy in none");
  }

  @Test
  void rejectsDocumentLevelProblems() {
    assertThat(problem("{\"Version\": \"2012-10-18\", \"Statement\": {\"Effect\": \"Allow\","
        + " \"Action\": \"s3:x\", \"Resource\": \"*\"}}"))
        .isEqualTo("p.json: line 1: Version must be \"2012-10-17\" or \"2008-10-17\", got \"2012-10-18\"");
    assertThat(problem("{\"Version\": \"2012-10-17\"}")).isEqualTo("p.json: line 1: missing Statement");
    assertThat(problem("{\"Version\": \"2012-10-17\", \"Statement\": []}"))
        .isEqualTo("p.json: line 1: the Statement list is empty");
    assertThat(problem("{\"Statement\": \"x\"}"))
        .isEqualTo("p.json: line 1: Statement must be an object or a list of objects, got a string");
    assertThat(problem("{\"Statement\": [\"x\"]}"))
        .isEqualTo("p.json: statement 1, line 1: a statement must be a JSON object, got a string");
    assertThat(problem("{\"Statment\": [], \"Statement\": {\"Effect\": \"Allow\","
        + " \"Action\": \"s3:x\", \"Resource\": \"*\"}}"))
        .isEqualTo("p.json: line 1: unknown key \"Statment\"; did you mean \"Statement\"?");
  }

  @Test
  void listsEveryProblemAtOnce() {
    IamPolicyException e = assertThrows(IamPolicyException.class, () -> IamPolicy.parse("""
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::role/A"}},
          {"Effect": "Allow", "Action": "sts:AssumeRole", "NotPrincipal": "*", "Principal": "*"}
        ]}""", "two.json"));

    assertThat(e.problems()).containsExactly(
        "two.json: statement 1, line 2: Principal AWS \"arn:aws:iam::role/A\" is not an account, role,"
            + " user or session ARN, an account id or \"*\" (account id missing)",
        "two.json: statement 2, line 3: a statement has either Principal or NotPrincipal, not both");
    assertThat(e.getMessage()).startsWith("two.json: 2 problems:\n  two.json: statement 1, line 2:");
    assertThat(e.source()).isEqualTo("two.json");
  }

  @Test
  void rejectsMixingTrustAndBucketPolicyStatements() {
    assertThat(statementProblem("{" + TRUST_HEAD + "\"Principal\": \"*\"}, {" + TRUST_HEAD
        + "\"Principal\": \"*\", \"Resource\": \"*\"}"))
        .isEqualTo("p.json: statement 2, line 1: Resource is not allowed in a trust policy (statement 1 has"
            + " none): a bucket (resource-based) policy needs a Resource in every statement, a trust policy in none");
  }

  @Test
  void keepsAndSkipsAStatementAboutActionsTheGuardNeverEvaluates() throws Exception {
    IamPolicy p = IamPolicy.parse("""
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Ec2", "Effect": "Deny", "Action": "ec2:*", "Resource": "not-an-arn",
           "Condition": {"StringEqualz": {"ec2:Region": "x"}, "NumericLessThan": {"ec2:x": "ten"}}},
          {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
        ]}""", "skip.json");

    IamStatement ec2 = p.statements().get(0);
    assertThat(ec2.skipped()).isTrue();
    assertThat(ec2.skippedProblems()).containsExactly(
        "skip.json: statement \"Ec2\", line 2: Resource \"not-an-arn\" is not an ARN or \"*\"",
        "skip.json: statement \"Ec2\", line 3: condition operator \"StringEqualz\" is not an IAM condition"
            + " operator (String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress, NotIpAddress, Arn*, Null,"
            + " with IfExists and ForAllValues:/ForAnyValue:)",
        "skip.json: statement \"Ec2\", line 3: NumericLessThan value \"ten\" of ec2:x is not a number");
    assertThat(p.statements().get(1).skipped()).isFalse();
    assertThat(p.evaluate("s3:GetObject", "arn:aws:s3:::b/k", java.util.Map.of())).isEqualTo(IamEffect.ALLOW);
  }

  @Test
  void aStatementWithNotActionIsEvaluatedUnlessItExcludesEveryEvaluatedAction() {
    assertThat(statementProblem("{\"Effect\": \"Deny\", \"NotAction\": \"ec2:*\", \"Resource\": \"*\","
        + " \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"no\"}}}"))
        .isEqualTo("p.json: statement 1, line 1: Bool value \"no\" of aws:SecureTransport must be \"true\" or \"false\"");
  }
}
