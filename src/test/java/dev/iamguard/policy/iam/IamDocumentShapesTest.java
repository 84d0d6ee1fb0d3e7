package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The top level of a file read as a policy: a document, or the output of get-role, get-role-policy
 * or get-policy-version around one. What reading the top level finds wrong (a duplicate key) is
 * reported once the file is known to be a policy, and never quotes some other file.
 */
class IamDocumentShapesTest {

  private static final String STATEMENT = "[{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]";
  private static final String DOCUMENT = "{\"Version\": \"2012-10-17\", \"Statement\": " + STATEMENT + "}";

  private static List<String> problems(String text) {
    return assertThrows(IamPolicyException.class, () -> IamPolicy.parse(text, "d.json")).problems();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"Statement\": " + STATEMENT + ", \"Statement\": " + STATEMENT + "}",
      "{\"Version\": \"2012-10-17\", \"Version\": \"2012-10-17\", \"Statement\": " + STATEMENT + "}",
      "{\"Id\": \"a\", \"Id\": \"b\", \"Statement\": " + STATEMENT + "}",
      "{\"PolicyDocument\": " + DOCUMENT + ", \"PolicyDocument\": " + DOCUMENT + "}",
      "{\"Role\": {\"AssumeRolePolicyDocument\": " + DOCUMENT + "}, \"Role\": {}}",
      "{\"PolicyVersion\": {\"Document\": " + DOCUMENT + "}, \"PolicyVersion\": {}}",
  })
  void aDuplicateTopLevelKeyOfAPolicyIsReported(String text) {
    String key = text.substring(2, text.indexOf('"', 2));

    assertThat(problems(text)).anySatisfy(p -> assertThat(p).startsWith("d.json: line 1: ")
        .contains("duplicate key \"" + key + "\""));
  }

  @Test
  void aDuplicateKeyOfSomeOtherFileIsNotQuoted() {
    List<String> problems = problems("{\"password\": \"hunter2\", \"password\": \"hunter3\"}");

    assertThat(problems).singleElement().satisfies(p -> assertThat(p).contains("not an IAM policy")
        .doesNotContain("password").doesNotContain("hunter"));
  }

  @Test
  void theWrappedDocumentMustBeAnObjectAndItsIdAString() {
    assertThat(problems("{\"PolicyDocument\": [1]}")).singleElement()
        .satisfies(p -> assertThat(p).contains("the policy document must be a JSON object, got a list"));
    assertThat(problems("{\"Version\": \"2012-10-17\", \"Id\": [1], \"Statement\": " + STATEMENT + "}"))
        .singleElement().satisfies(p -> assertThat(p).contains("Id must be a string, got a list"));
    assertThat(problems("{\"Role\": {\"RoleName\": \"x\"}}")).singleElement()
        .satisfies(p -> assertThat(p).contains("Role has no AssumeRolePolicyDocument"));
  }

  /**
   * IAM tag keys may hold spaces, and so may the condition keys and policy variables naming them
   * (probe 19b: {@code aws:PrincipalTag/cost center} made the whole import fail). A service prefix
   * or a name with a space, and a tab or line end anywhere, stay refused.
   */
  @Test
  void aTagKeyWithSpacesIsAConditionKeyAndAVariable() throws Exception {
    IamPolicy policy = IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
        + " \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bkt/${aws:PrincipalTag/cost center}/*\","
        + " \"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/cost center\": \"x\"}}}]}", "tags.json");
    assertThat(policy.evaluate("s3:GetObject", "arn:aws:s3:::bkt/a/k",
        java.util.Map.of("aws:PrincipalTag/cost center", "x"))).isNotEqualTo(IamEffect.ALLOW);
    assertThat(policy.evaluate("s3:GetObject", "arn:aws:s3:::bkt/x/k",
        java.util.Map.of("aws:PrincipalTag/cost center", "x"))).isEqualTo(IamEffect.ALLOW);
    for (String key : List.of("aws :PrincipalTag/x", "aws:Principal Tag/x", "aws:PrincipalTag/a\\tb", "aws:PrincipalTag/ x")) {
      assertThat(problems("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\","
          + " \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"" + key + "\": \"x\"}}}]}"))
          .as(key).anySatisfy(p -> assertThat(p).contains("is not a condition key"));
    }
  }
}
