package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Resource ARN patterns as the IAM reference describes them: a wildcard matches within one
 * colon-separated segment and never a {@code :}, except a {@code *} ending the pattern, which may
 * match the rest of the resource part ({@code function:my-function*} matches
 * {@code function:my-function:prod}); {@code ?} is exactly one character other than {@code :}.
 */
class ArnPatternsTest {

  private static IamEffect allow(String pattern, String action, String resource, boolean prefix) throws Exception {
    IamPolicy p = IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \""
        + action + "\", \"Resource\": \"" + pattern + "\"}]}", "a.json");
    return prefix ? p.evaluateForPrefix(action, resource, Map.of()) : p.evaluate(action, resource, Map.of());
  }

  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "arn:aws:lambda:us-west-2:123456789012:function:my-function*  | arn:aws:lambda:us-west-2:123456789012:function:my-function:prod | ALLOW",
      "arn:aws:lambda:us-west-2:123456789012:function:my-*          | arn:aws:lambda:us-west-2:123456789012:function:my-fn          | ALLOW",
      "arn:aws:lambda:*:123456789012:function:fn                    | arn:aws:lambda:eu-west-1:123456789012:function:fn            | ALLOW",
      // a star inside the pattern stays within its segment
      "arn:aws:lambda:*:function:fn                                 | arn:aws:lambda:us-west-2:123456789012:function:fn            | IMPLICIT_DENY",
      "arn:aws:lambda:us-west-2:123456789012:function:*:prod        | arn:aws:lambda:us-west-2:123456789012:function:fn:prod       | ALLOW",
      "arn:aws:lambda:us-west-2:123456789012:function:*:prod        | arn:aws:lambda:us-west-2:123456789012:function:fn:x:prod     | IMPLICIT_DENY",
      "arn:aws:lambda:us-west-2:123456789012:function:f?            | arn:aws:lambda:us-west-2:123456789012:function:fn            | ALLOW",
      "arn:aws:lambda:us-west-2:123456789012:function?fn            | arn:aws:lambda:us-west-2:123456789012:function:fn            | IMPLICIT_DENY",
      "arn:aws:lambda:us-west-2:123456789012:function:f?            | arn:aws:lambda:us-west-2:123456789012:function:f:            | IMPLICIT_DENY",
      "arn:aws:lambda:us-west-2:123456789012:function:f??           | arn:aws:lambda:us-west-2:123456789012:function:fn            | IMPLICIT_DENY",
  })
  void functionArns(String pattern, String resource, IamEffect effect) throws Exception {
    assertThat(allow(pattern, "lambda:InvokeFunction", resource, false)).isEqualTo(effect);
  }

  @ParameterizedTest(name = "{0} covers all of {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "arn:aws:s3:::bkt/a?c/*   | arn:aws:s3:::bkt/abc/    | ALLOW",
      "arn:aws:s3:::bkt/a?c/*   | arn:aws:s3:::bkt/a       | IMPLICIT_DENY",
      "arn:aws:s3:::bkt/*/x/*   | arn:aws:s3:::bkt/2024/x/ | ALLOW",
      "arn:aws:s3:::bkt/*/x/*   | arn:aws:s3:::bkt/2024/   | IMPLICIT_DENY",
      "arn:aws:s3:::bkt/*       | arn:aws:s3:::bkt/a:b/    | ALLOW",
      "arn:aws:s3:::bkt/?*      | arn:aws:s3:::bkt/        | IMPLICIT_DENY",
      "arn:aws:s3:::bkt/?*      | arn:aws:s3:::bkt/k       | ALLOW",
  })
  void s3PrefixesCovered(String pattern, String prefix, IamEffect effect) throws Exception {
    assertThat(allow(pattern, "s3:GetObject", prefix, true)).isEqualTo(effect);
  }

  @org.junit.jupiter.api.Test
  void aQuestionMarkLeavesTheContinuationsStartingWithAColonUncovered() throws Exception {
    IamPolicy p = IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\":"
        + " \"s3:GetObject\", \"Resource\": [\"arn:aws:s3:::bkt/a\", \"arn:aws:s3:::bkt/a?*\"]}]}", "a.json");

    // bkt/a itself and every bkt/a<one character>... but bkt/a:x, whose ':' no ? matches
    assertThat(p.evaluate("s3:GetObject", "arn:aws:s3:::bkt/a:x", Map.of())).isEqualTo(IamEffect.IMPLICIT_DENY);
    assertThat(p.evaluate("s3:GetObject", "arn:aws:s3:::bkt/ax:y", Map.of())).isEqualTo(IamEffect.ALLOW);
    assertThat(p.evaluateForPrefix("s3:GetObject", "arn:aws:s3:::bkt/a", Map.of())).isEqualTo(IamEffect.IMPLICIT_DENY);
    assertThat(p.evaluateForPrefix("s3:GetObject", "arn:aws:s3:::bkt/ax", Map.of())).isEqualTo(IamEffect.ALLOW);
  }
}
