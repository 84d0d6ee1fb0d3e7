package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * IAM evaluates only a managed policy's default version, so the output of {@code aws iam
 * get-policy-version} for another version ({@code "IsDefaultVersion": false}) is refused wherever a
 * registry names it (a managed policy, a permissions boundary), as {@code registry import} refuses
 * it (red-team review: a broader version 3 allowed the COPY that the narrower default denies). A
 * version marked default, or an output without the flag, is read.
 */
class PolicyVersionDefaultTest {
  private static final String DOCUMENT = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
      + " \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]}";

  private static String output(String flag) {
    return "{\"PolicyVersion\": {\"Document\": " + DOCUMENT + ", \"VersionId\": \"v3\"" + flag + "}}";
  }

  @ParameterizedTest
  @ValueSource(strings = {", \"IsDefaultVersion\": false", ", \"IsDefaultVersion\": \"false\"",
      ", \"IsDefaultVersion\": null", ", \"IsDefaultVersion\": 0", ", \"IsDefaultVersion\": \"no\""})
  void aVersionNotMarkedDefaultIsRefused(String flag) {
    IamPolicyException refused = assertThrows(IamPolicyException.class,
        () -> IamPolicy.parse(output(flag), "managed.json"));
    assertThat(refused.problems()).singleElement().asString().startsWith("managed.json: line 1: PolicyVersion v3")
        .contains("not the policy's default version").contains("get-policy-version --version-id");
  }

  @ParameterizedTest
  @ValueSource(strings = {", \"IsDefaultVersion\": true", ", \"IsDefaultVersion\": \"true\"", ""})
  void theDefaultVersionOrOneWithoutTheFlagIsRead(String flag) throws IamPolicyException {
    IamPolicy policy = IamPolicy.parse(output(flag), "managed.json");
    assertThat(policy.evaluate("s3:GetObject", "arn:aws:s3:::b/k", Map.of())).isEqualTo(IamEffect.ALLOW);
  }
}
