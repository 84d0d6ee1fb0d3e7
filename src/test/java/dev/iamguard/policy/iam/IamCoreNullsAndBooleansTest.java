package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Probe 24c F9 in an IAM document written in YAML (a registry's inline document, or a policy file): an unquoted
 * {@code True} is the boolean IAM reads JSON's {@code true} as, the text "true" (it was the text "True", which a
 * case-sensitive condition compared unlike JSON's true); an unquoted {@code ~}, {@code Null}, {@code NULL} is no
 * value, as {@code null} is (it was the text "~").
 */
class IamCoreNullsAndBooleansTest {

  private static IamPolicy document(String value, String resource) throws IamPolicyException {
    return IamPolicy.parse("""
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [s3:GetObject]
            Resource: %s
            Condition:
              StringEquals:
                aws:SourceVpce: %s
        """.formatted(resource, value), "p.yaml");
  }

  private static IamEffect decide(String value, String requestValue) throws IamPolicyException {
    RequestContext context = RequestContext.builder().put("aws:SourceVpce", requestValue).build();
    return document(value, "\"*\"").decide(IamRequest.of("s3:GetObject", "arn:aws:s3:::bkt/k", context)).effect();
  }

  @ParameterizedTest(name = "{0} against {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "True     | true  | ALLOW",
      "TRUE     | true  | ALLOW",
      "true     | true  | ALLOW",
      "True     | True  | IMPLICIT_DENY",
      "False    | false | ALLOW",
      "FALSE    | false | ALLOW",
      // quoted, it is the text written
      "'True'   | true  | IMPLICIT_DENY",
      "'True'   | True  | ALLOW",
      "\"FALSE\" | FALSE | ALLOW"})
  void aBooleanConditionValueIsTheTextJsonsBooleanIs(String value, String requestValue, IamEffect effect)
      throws Exception {
    assertThat(decide(value, requestValue)).isEqualTo(effect);
  }

  /** The condition operator Null is a key, written unquoted as IAM documents in YAML write it: a name, not a null. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {"TRUE | ALLOW", "true | ALLOW", "False | IMPLICIT_DENY"})
  void theNullOperatorIsAKeyWrittenPlain(String value, IamEffect effect) throws Exception {
    IamPolicy policy = IamPolicy.parse("""
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: "*"
            Condition: {Null: {aws:SourceVpce: %s}}
        """.formatted(value), "p.yaml");
    RequestContext absent = RequestContext.builder().absent("aws:SourceVpce").build();
    assertThat(policy.decide(IamRequest.of("s3:GetObject", "arn:aws:s3:::bkt/k", absent)).effect()).isEqualTo(effect);
  }

  @ParameterizedTest
  @ValueSource(strings = {"~", "Null", "NULL", "null"})
  void aNullIsNoValueWhereAStringOrAListIsRead(String spelling) {
    IamPolicyException value = assertThrows(IamPolicyException.class, () -> document(spelling, "\"*\""));
    assertThat(value.problems()).singleElement().asString()
        .endsWith("StringEquals aws:SourceVpce must be a string or a list of strings, got no value");
    IamPolicyException resource = assertThrows(IamPolicyException.class, () -> document("vpce-1", spelling));
    assertThat(resource.problems()).singleElement().asString()
        .endsWith("Resource must be a string or a list of strings, got no value");
    IamPolicyException item = assertThrows(IamPolicyException.class, () -> document("vpce-1", "[" + spelling + "]"));
    assertThat(item.problems()).singleElement().asString()
        .endsWith("Resource list elements must be strings, got no value");
  }
}
