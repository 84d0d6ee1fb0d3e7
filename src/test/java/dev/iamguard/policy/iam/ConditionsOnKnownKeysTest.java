package dev.iamguard.policy.iam;

import static dev.iamguard.policy.iam.IamEffect.ALLOW;
import static dev.iamguard.policy.iam.IamEffect.IMPLICIT_DENY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Conditions on keys the request surely does not carry (IAM User Guide, "Condition operators":
 * ...IfExists is true when the key is absent; ForAllValues is true for an empty set; a policy
 * variable without a value or default matches nothing), and the small readers behind them.
 */
class ConditionsOnKnownKeysTest {

  private static IamDecision decide(String condition, RequestContext context) throws Exception {
    IamPolicy p = IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
        + " \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": " + condition + "}]}", "c.json");
    return p.decide(IamRequest.of("s3:GetObject", "arn:aws:s3:::bkt/k", context));
  }

  private static RequestContext absent(String key) {
    return RequestContext.builder().absent(key).build();
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource(delimiter = '|', value = {
      // condition                                                             | context             | effect
      "{\"StringEqualsIfExists\": {\"aws:SourceVpce\": \"vpce-1\"}}             | -                   | ALLOW",
      "{\"StringEqualsIfExists\": {\"aws:SourceVpce\": \"vpce-1\"}}             | vpce-1              | ALLOW",
      "{\"StringEqualsIfExists\": {\"aws:SourceVpce\": \"vpce-1\"}}             | vpce-2              | IMPLICIT_DENY",
      "{\"StringEquals\": {\"aws:SourceVpce\": \"vpce-1\"}}                     | -                   | IMPLICIT_DENY",
      "{\"StringNotEquals\": {\"aws:SourceVpce\": \"vpce-1\"}}                  | -                   | ALLOW",
      "{\"ForAllValues:StringEquals\": {\"aws:SourceVpce\": \"vpce-1\"}}        | -                   | ALLOW",
      "{\"ForAnyValue:StringEquals\": {\"aws:SourceVpce\": \"vpce-1\"}}         | -                   | IMPLICIT_DENY",
      "{\"ForAnyValue:StringNotEquals\": {\"aws:SourceVpce\": \"vpce-1\"}}      | -                   | IMPLICIT_DENY",
      "{\"Null\": {\"aws:SourceVpce\": \"true\"}}                               | -                   | ALLOW",
      "{\"Null\": {\"aws:SourceVpce\": \"false\"}}                              | -                   | IMPLICIT_DENY",
      "{\"Null\": {\"aws:SourceVpce\": \"false\"}}                              | vpce-2              | ALLOW",
      "{\"NumericLessThanIfExists\": {\"aws:SourceVpce\": \"3\"}}               | -                   | ALLOW",
  })
  void aKeyKnownAbsentOrPresent(String condition, String value, IamEffect effect) throws Exception {
    RequestContext context = value.equals("-") ? absent("aws:SourceVpce")
        : RequestContext.builder().put("aws:SourceVpce", value).build();

    IamDecision d = decide(condition, context);

    assertThat(d.effect()).isEqualTo(effect);
    assertThat(d.conservative()).isEmpty();
  }

  @Test
  void aVariableWithoutValueOrDefaultMatchesNothing() throws Exception {
    String condition = "{\"StringEquals\": {\"aws:PrincipalTag/team\": \"${aws:PrincipalTag/project}\"}}";
    RequestContext noProject = RequestContext.builder().put("aws:PrincipalTag/team", "etl")
        .absent("aws:PrincipalTag/project").build();
    RequestContext etl = RequestContext.builder().put("aws:PrincipalTag/team", "etl")
        .put("aws:PrincipalTag/project", "etl").build();
    String notEquals = "{\"StringNotEquals\": {\"aws:PrincipalTag/team\": \"${aws:PrincipalTag/project}\"}}";

    assertThat(decide(condition, noProject).effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(decide(condition, noProject).conservative()).isEmpty();
    assertThat(decide(condition, etl).effect()).isEqualTo(ALLOW);
    // negated, it would hold if the variable matched nothing, but IAM "might" find the statement
    // invalid (Variables and tags): perhaps, so the Allow is not counted (probe 23a F1)
    assertThat(decide(notEquals, noProject).effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(decide(notEquals, noProject).conservative()).singleElement()
        .satisfies(c -> assertThat(c.key()).isEqualTo("aws:PrincipalTag/project"))
        .satisfies(c -> assertThat(c.unresolved()).isTrue());
    assertThat(decide(notEquals, etl).effect()).isEqualTo(IMPLICIT_DENY);
  }

  @Test
  void aConditionPrintsAsWritten() throws Exception {
    IamPolicy p = IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\":"
        + " \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": {\"StringEqualsIfExists\": {\"aws:SourceVpce\":"
        + " [\"vpce-1\", \"vpce-2\"]}}}]}", "c.json");

    assertThat(p.statements().get(0).conditionList().get(0))
        .hasToString("StringEqualsIfExists aws:SourceVpce [vpce-1, vpce-2]");
    assertThat(p.statements().get(0).conditionList().get(0).operator()).hasToString("StringEqualsIfExists");
  }

  @Test
  void aBoolValueWithABrokenVariableSaysWhy() {
    IamPolicyException e = assertThrows(IamPolicyException.class, () -> IamPolicy.parse("{\"Version\": \"2012-10-17\","
        + " \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\":"
        + " {\"Bool\": {\"aws:SecureTransport\": \"${aws:x\"}}}]}", "c.json"));

    // unclosed, the text is taken literally, and then it is no boolean either
    assertThat(e.problems()).hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("policy variable at \"${aws:x\" is not closed with }"))
        .anySatisfy(p -> assertThat(p).contains("must be \"true\" or \"false\""));
  }

  @Test
  void datesWithoutAZoneAreUtc() {
    assertThat(IamDates.epochMillis("2024-01-31T12:00:00")).isEqualTo(IamDates.epochMillis("2024-01-31T12:00:00Z"))
        .contains(BigDecimal.valueOf(1706702400000L));
    assertThat(IamDates.epochMillis("2024-01-31T12:00:00.5")).contains(BigDecimal.valueOf(1706702400500L));
    assertThat(IamDates.epochMillis("2024-01-31T12:00")).isEmpty();
  }

  @Test
  void lambdaEntriesOfTheShortForm() {
    assertThat(AwsResourceArns.lambdaPattern("fn*", "aws", "us-west-2", "123456789012"))
        .isEqualTo("arn:aws:lambda:us-west-2:123456789012:function:fn*");
    assertThat(AwsResourceArns.lambdaPattern("210987654321:function:fn", "aws", "us-west-2", "123456789012"))
        .isEqualTo("arn:aws:lambda:us-west-2:210987654321:function:fn");
    assertThat(AwsResourceArns.lambdaPattern("arn:aws:lambda:eu-west-1:1:function:f", "aws", "us-west-2", "2"))
        .isEqualTo("arn:aws:lambda:eu-west-1:1:function:f");
  }

  @Test
  void theKeysTheGuardFillsPerAction() {
    assertThat(RedshiftRequests.suppliedKeys("S3:ListBucket")).contains("s3:prefix", "aws:username");
    // an action the guard asks about without keys of its own: the role session's keys
    assertThat(RedshiftRequests.suppliedKeys("lambda:InvokeFunction"))
        .containsExactlyInAnyOrderElementsOf(RedshiftRequests.suppliedKeys("LAMBDA:invokefunction"))
        .contains("aws:principalarn").doesNotContain("s3:prefix");
    assertThat(RedshiftRequests.suppliedKeys("ec2:DescribeInstances")).isEqualTo(Set.of());
    assertThat(RedshiftRequests.clusterArn("aws-cn", "cn-north-1", "123456789012", "c1"))
        .isEqualTo("arn:aws-cn:redshift:cn-north-1:123456789012:cluster:c1");
  }
}
