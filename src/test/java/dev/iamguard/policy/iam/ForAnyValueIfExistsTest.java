package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ForAnyValue:} with {@code IfExists} on a key the request does not carry. The IAM User
 * Guide, "Single-valued vs. multivalued context keys"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html),
 * says ForAnyValue "returns false if there are no context keys in the request or if the context key
 * value resolves to a null data set", and ForAllValues returns true then. A role that held only an
 * Allow with {@code ForAnyValue:StringEqualsIfExists} on {@code aws:TagKeys} was refused a request
 * without tags by AWS (re:Post, "ForAnyValue:StringEqualsIfExists behaving unexpectedly",
 * https://repost.aws/questions/QU9HFmDzP0QGuU-fd7rS6B7w): the IfExists suffix does not turn
 * ForAnyValue's missing key into a match. The guard read it as the plain IfExists rule ("true when
 * the key is absent") and let such an Allow grant. Found by the fyC differential run against
 * {@code @cloud-copilot/iam-simulate}, which answers the same as AWS here.
 *
 * <p>The class: every operator family that takes a set qualifier, positive and negated, with
 * IfExists, on an absent key; ForAllValues...IfExists is the control (true either way).
 */
class ForAnyValueIfExistsTest {

  /** One valid value for each base operator (Null takes no qualifier). */
  private static final Map<String, String> BASES = Map.ofEntries(
      Map.entry("StringEquals", "a"), Map.entry("StringNotEquals", "a"),
      Map.entry("StringEqualsIgnoreCase", "a"), Map.entry("StringNotEqualsIgnoreCase", "a"),
      Map.entry("StringLike", "a*"), Map.entry("StringNotLike", "a*"),
      Map.entry("NumericEquals", "1"), Map.entry("NumericNotEquals", "1"), Map.entry("NumericLessThan", "1"),
      Map.entry("NumericLessThanEquals", "1"), Map.entry("NumericGreaterThan", "1"),
      Map.entry("NumericGreaterThanEquals", "1"),
      Map.entry("DateEquals", "2024-01-01T00:00:00Z"), Map.entry("DateNotEquals", "2024-01-01T00:00:00Z"),
      Map.entry("DateLessThan", "2024-01-01T00:00:00Z"), Map.entry("DateLessThanEquals", "2024-01-01T00:00:00Z"),
      Map.entry("DateGreaterThan", "2024-01-01T00:00:00Z"),
      Map.entry("DateGreaterThanEquals", "2024-01-01T00:00:00Z"),
      Map.entry("Bool", "true"), Map.entry("BinaryEquals", "YWJj"),
      Map.entry("IpAddress", "10.0.0.0/8"), Map.entry("NotIpAddress", "10.0.0.0/8"),
      Map.entry("ArnEquals", "arn:aws:s3:::b"), Map.entry("ArnLike", "arn:aws:s3:::b*"),
      Map.entry("ArnNotEquals", "arn:aws:s3:::b"), Map.entry("ArnNotLike", "arn:aws:s3:::b*"));

  private static final String KEY = "aws:TagKeys";

  private static IamEffect decide(String effect, String operator, String value) throws Exception {
    String condition = "{\"" + operator + "\": {\"" + KEY + "\": \"" + value + "\"}}";
    String statement = "{\"Effect\": \"" + effect + "\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\","
        + " \"Condition\": " + condition + "}";
    String statements = effect.equals("Deny")
        ? "[{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}, " + statement + "]"
        : "[" + statement + "]";
    IamPolicy p = IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": " + statements + "}", "f.json");
    return p.decide(IamRequest.of("s3:GetObject", "arn:aws:s3:::b/k",
        RequestContext.builder().absent(KEY).build())).effect();
  }

  @Test
  void forAnyValueIfExistsOnAnAbsentKeyDoesNotMatch() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, String> base : BASES.entrySet()) {
      String any = "ForAnyValue:" + base.getKey() + "IfExists";
      // an Allow does not grant; a Deny does not apply, so the Allow of s3:* beside it grants
      if (decide("Allow", any, base.getValue()) != IamEffect.IMPLICIT_DENY) {
        wrong.add("Allow " + any);
      }
      if (decide("Deny", any, base.getValue()) != IamEffect.ALLOW) {
        wrong.add("Deny " + any);
      }
      // the control: ForAllValues is true on an absent key, with or without IfExists
      String all = "ForAllValues:" + base.getKey() + "IfExists";
      if (decide("Allow", all, base.getValue()) != IamEffect.ALLOW) {
        wrong.add("Allow " + all);
      }
    }
    assertThat(wrong).as("%d operators", BASES.size()).isEmpty();
  }
}
