package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every construct outside the supported subset is a load error, never ignored. */
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
      "\"NotPrincipal\": {\"AWS\": \"123456789012\"}|NotPrincipal is not supported; name the trusted principals in Principal instead",
      "\"Principal\": {\"Federated\": \"cognito-identity.amazonaws.com\"}|Principal Federated is not supported (only \"*\", AWS and Service principals)",
      "\"Principal\": {\"CanonicalUser\": \"abc\"}|Principal CanonicalUser is not supported (only \"*\", AWS and Service principals)",
      "\"Principal\": {\"Servce\": \"redshift.amazonaws.com\"}|unknown key \"Servce\"; did you mean \"Service\"?",
      "\"Principal\": \"redshift.amazonaws.com\"|Principal must be \"*\" or an object with AWS or Service, got \"redshift.amazonaws.com\"",
      "\"Principal\": {\"Service\": \"redshift\"}|Principal Service \"redshift\" is not a service principal like redshift.amazonaws.com",
      "\"Principal\": {\"Service\": \"*.amazonaws.com\"}|Principal Service \"*.amazonaws.com\" is not a service principal like redshift.amazonaws.com",
      "\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:user/bob\"}|Principal AWS \"arn:aws:iam::123456789012:user/bob\" is not a role ARN, account root or account id (resource must be role/{name}, got \"user/bob\")",
      "\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:role/*\"}|Principal AWS \"arn:aws:iam::123456789012:role/*\" is not a role ARN, account root or account id (role name \"*\" may only hold letters, digits and + = , . @ _ -)",
      "\"Principal\": {\"AWS\": \"12345678901\"}|Principal AWS \"12345678901\" is not a role ARN, account root or account id (account id must be 12 digits, got 11: 12345678901)",
      "\"Principal\": {\"AWS\": []}|Principal AWS list is empty",
      "\"Principal\": {}|Principal names no principal",
  })
  void rejectsUnsupportedPrincipals(String principal, String message) {
    assertThat(statementProblem("{" + TRUST_HEAD + principal + "}"))
        .isEqualTo("p.json: statement 1, line 1: " + message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"StringEqualsIfExists\": {\"sts:ExternalId\": \"x\"}}|condition operator \"StringEqualsIfExists\" is not supported: IfExists variants are not evaluated; supported: StringEquals, StringLike, ArnEquals, ArnLike",
      "{\"ForAnyValue:StringLike\": {\"sts:ExternalId\": \"x\"}}|condition operator \"ForAnyValue:StringLike\" is not supported: set operators are not evaluated; supported: StringEquals, StringLike, ArnEquals, ArnLike",
      "{\"StringNotEquals\": {\"sts:ExternalId\": \"x\"}}|condition operator \"StringNotEquals\" is not supported: it is not evaluated; supported: StringEquals, StringLike, ArnEquals, ArnLike",
      "{\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\"}}|condition key \"aws:SourceAccount\" is not supported (only sts:ExternalId and s3:prefix)",
      "{\"StringEquals\": \"x\"}|StringEquals must be an object of condition keys, got a string",
      "{\"ArnLike\": {\"sts:ExternalId\": \"my-cluster/*\"}}|ArnLike value \"my-cluster/*\" is not an ARN (6 colon-separated fields)",
      "{\"StringLike\": {\"sts:ExternalId\": \"arn:aws:redshift:*:dbuser:${aws:username}\"}}|StringLike value \"arn:aws:redshift:*:dbuser:${aws:username}\" uses a policy variable (${...}), which is not supported",
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
      "\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/${aws:username}/*\"|Resource \"arn:aws:s3:::b/${aws:username}/*\" uses a policy variable (${...}), which is not supported",
      "\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"NotResource\": \"*\"|a statement has either Resource or NotResource, not both",
      "\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Conditon\": {}|unknown key \"Conditon\"; did you mean \"Condition\"?",
      "\"Effect\": \"Allow\", \"Effect\": \"Deny\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"|duplicate key \"Effect\" (first at line 1)",
      "\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\"|missing Resource (or NotResource)",
      "\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Principal\": \"*\", \"Resource\": \"*\"|Resource is not allowed in a trust policy",
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
        "two.json: statement 1, line 2: Principal AWS \"arn:aws:iam::role/A\" is not a role ARN,"
            + " account root or account id (account id missing)",
        "two.json: statement 2, line 3: NotPrincipal is not supported; name the trusted principals"
            + " in Principal instead");
    assertThat(e.getMessage()).startsWith("two.json: 2 problems:\n  two.json: statement 1, line 2:");
    assertThat(e.source()).isEqualTo("two.json");
  }
}
