package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A condition operator without {@code ForAllValues:} or {@code ForAnyValue:} on a key the request
 * carries with several values (a multivalued key, such as {@code aws:PrincipalOrgPaths} or
 * {@code aws:TagKeys}, which a registry may state as a list in {@code request_context}). The IAM
 * User Guide, "Single-valued vs. multivalued context keys"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html),
 * says only that "Multivalued context keys require a condition set operator"; what a plain operator
 * does with several values is not documented. The guard read it as "any value matches" (a negated
 * operator: "no value matches") and let an Allow grant on that reading; another evaluator
 * ({@code @cloud-copilot/iam-simulate}, fyC's differential run) reads the condition as never
 * matching, and so does not grant and does not deny. Neither reading is AWS's word, so the guard
 * judges such a condition conservatively: an Allow with it grants nothing, a Deny with it applies,
 * and the decision says why.
 *
 * <p>The class: every base operator, with and without IfExists, each ordered pair of distinct
 * request values from three (one equal to the policy's value); one value is the control, read as
 * before without a conservative note.
 */
class SeveralValuesWithoutSetOperatorTest {

  /** Base operator, the policy's value, and three request values the operator can read. */
  private record Case(String operator, String policyValue, List<String> requestValues) {}

  private static final List<String> S = List.of("a", "b", "z");
  private static final List<String> N = List.of("1", "0", "7");
  private static final List<String> D =
      List.of("2024-01-01T00:00:00Z", "2023-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
  private static final List<String> A = List.of("arn:aws:s3:::b", "arn:aws:s3:::c", "arn:aws:s3:::bx");

  private static final List<Case> CASES = List.of(
      new Case("StringEquals", "a", S), new Case("StringNotEquals", "a", S),
      new Case("StringEqualsIgnoreCase", "A", S), new Case("StringNotEqualsIgnoreCase", "A", S),
      new Case("StringLike", "a*", S), new Case("StringNotLike", "a*", S),
      new Case("NumericEquals", "1", N), new Case("NumericNotEquals", "1", N), new Case("NumericLessThan", "1", N),
      new Case("NumericLessThanEquals", "1", N), new Case("NumericGreaterThan", "1", N),
      new Case("NumericGreaterThanEquals", "1", N),
      new Case("DateEquals", D.get(0), D), new Case("DateNotEquals", D.get(0), D), new Case("DateLessThan", D.get(0), D),
      new Case("DateLessThanEquals", D.get(0), D), new Case("DateGreaterThan", D.get(0), D),
      new Case("DateGreaterThanEquals", D.get(0), D),
      new Case("Bool", "true", List.of("true", "false", "TRUE")),
      new Case("BinaryEquals", "YWJj", List.of("YWJj", "eHl6", "cXJz")),
      new Case("IpAddress", "10.0.0.0/8", List.of("10.1.2.3", "11.0.0.1", "192.0.2.1")),
      new Case("NotIpAddress", "10.0.0.0/8", List.of("10.1.2.3", "11.0.0.1", "192.0.2.1")),
      new Case("ArnEquals", "arn:aws:s3:::b", A), new Case("ArnLike", "arn:aws:s3:::b*", A),
      new Case("ArnNotEquals", "arn:aws:s3:::b", A), new Case("ArnNotLike", "arn:aws:s3:::b*", A));

  private static final String KEY = "aws:PrincipalOrgPaths";

  private static IamDecision decide(String effect, String operator, String value, List<String> values)
      throws Exception {
    String statement = "{\"Effect\": \"" + effect + "\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\","
        + " \"Condition\": {\"" + operator + "\": {\"" + KEY + "\": \"" + value + "\"}}}";
    String statements = effect.equals("Deny")
        ? "[{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}, " + statement + "]"
        : "[" + statement + "]";
    IamPolicy p = IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": " + statements + "}", "m.json");
    RequestContext context = RequestContext.builder().put(KEY, values).build();
    return p.decide(IamRequest.of("s3:GetObject", "arn:aws:s3:::b/k", context));
  }

  @Test
  void aPlainOperatorOnSeveralValuesNeverGrantsAndAlwaysDenies() throws Exception {
    List<String> wrong = new ArrayList<>();
    int asked = 0;
    for (Case c : CASES) {
      for (String operator : List.of(c.operator(), c.operator() + "IfExists")) {
        for (String first : c.requestValues()) {
          for (String second : c.requestValues()) {
            if (first.equals(second)) {
              continue;
            }
            List<String> values = List.of(first, second);
            asked++;
            IamDecision allow = decide("Allow", operator, c.policyValue(), values);
            if (allow.effect() != IamEffect.IMPLICIT_DENY || !names(allow, operator)) {
              wrong.add("Allow " + operator + " " + values + ": " + allow.effect() + " " + allow.conservative());
            }
            IamDecision deny = decide("Deny", operator, c.policyValue(), values);
            if (deny.effect() != IamEffect.DENY || !names(deny, operator)) {
              wrong.add("Deny " + operator + " " + values + ": " + deny.effect() + " " + deny.conservative());
            }
          }
        }
      }
    }
    assertThat(wrong).as("%d contexts", asked).isEmpty();
  }

  @Test
  void oneValueIsReadAsBefore() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Case c : CASES) {
      for (String value : c.requestValues()) {
        IamDecision allow = decide("Allow", c.operator(), c.policyValue(), List.of(value));
        if (allow.conservativeUsed()) {
          wrong.add(c.operator() + " " + value + ": " + allow.conservative());
        }
      }
    }
    // the known case, as the IAM reference reads it: one value equal to the policy's grants
    assertThat(decide("Allow", "StringEquals", "a", List.of("a")).effect()).isEqualTo(IamEffect.ALLOW);
    assertThat(wrong).isEmpty();
  }

  /** The decision names the condition judged conservatively, and says why. */
  private static boolean names(IamDecision d, String operator) {
    return d.conservative().stream().anyMatch(c -> c.operator().equals(operator) && c.key().equals(KEY)
        && c.describe().contains("several values"));
  }
}
