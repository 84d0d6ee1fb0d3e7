package dev.iamguard.policy.iam;

import static dev.iamguard.policy.iam.IamEffect.ALLOW;
import static dev.iamguard.policy.iam.IamEffect.DENY;
import static dev.iamguard.policy.iam.IamEffect.IMPLICIT_DENY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IamPolicyEvaluationTest {

  private static final Map<String, String> NONE = Map.of();

  private static IamPolicy policy(String statements) throws IamPolicyException {
    return IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": " + statements + "}",
        "test.json");
  }

  @Test
  void actionsMatchWithWildcardsIgnoringCaseResourcesRespectingCase() throws Exception {
    IamPolicy p = policy("""
        [{"Effect": "Allow", "Action": ["s3:Get*", "s3:List?ucket"],
          "Resource": "arn:aws:s3:::Data/*"}]""");

    assertThat(p.evaluate("S3:GETOBJECT", "arn:aws:s3:::Data/x", NONE)).isEqualTo(ALLOW);
    assertThat(p.evaluate("s3:ListBucket", "arn:aws:s3:::Data/x", NONE)).isEqualTo(ALLOW);
    assertThat(p.evaluate("s3:PutObject", "arn:aws:s3:::Data/x", NONE)).isEqualTo(IMPLICIT_DENY);
    assertThat(p.evaluate("s3:GetObject", "arn:aws:s3:::data/x", NONE)).isEqualTo(IMPLICIT_DENY);
  }

  @Test
  void explicitDenyWinsWhateverTheOrderAndNamesItsStatement() throws Exception {
    IamPolicy p = policy("""
        [
          {"Sid": "All", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
          {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/secret/*"}
        ]""");

    IamDecision decision = p.decide("s3:GetObject", "arn:aws:s3:::b/secret/k", NONE);

    assertThat(decision.effect()).isEqualTo(DENY);
    assertThat(decision.statement()).get().extracting(IamStatement::label).isEqualTo("statement 2");
    assertThat(decision.describe()).isEqualTo("test.json statement 2 (line 3)");
    assertThat(p.decide("s3:GetObject", "arn:aws:s3:::b/public/k", NONE).statement().get().sid())
        .contains("All");
  }

  @Test
  void notActionAndNotResourceExclude() throws Exception {
    IamPolicy p = policy("""
        [
          {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
          {"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}
        ]""");

    assertThat(p.evaluate("s3:GetObject", "arn:aws:s3:::b/k", NONE)).isEqualTo(ALLOW);
    assertThat(p.evaluate("s3:GetObject", "arn:aws:s3:::other/k", NONE)).isEqualTo(DENY);
    assertThat(p.evaluate("iam:PassRole", "arn:aws:iam::123456789012:role/x", NONE))
        .isEqualTo(IMPLICIT_DENY);
  }

  @Test
  void prefixAllowNeedsAPatternCoveringEveryKey() throws Exception {
    IamPolicy p = policy("""
        [{"Effect": "Allow", "Action": "s3:GetObject",
          "Resource": ["arn:aws:s3:::b/data/*", "arn:aws:s3:::b/exact"]}]""");

    assertThat(p.evaluateForPrefix("s3:GetObject", "arn:aws:s3:::b/data/x", NONE)).isEqualTo(ALLOW);
    assertThat(p.evaluateForPrefix("s3:GetObject", "arn:aws:s3:::b/data/", NONE)).isEqualTo(ALLOW);
    // s3://b/data (no slash) also reads s3://b/database/...: not covered
    assertThat(p.evaluateForPrefix("s3:GetObject", "arn:aws:s3:::b/data", NONE))
        .isEqualTo(IMPLICIT_DENY);
    // the exact key does not cover s3://b/exactly
    assertThat(p.evaluateForPrefix("s3:GetObject", "arn:aws:s3:::b/exact", NONE))
        .isEqualTo(IMPLICIT_DENY);
    assertThat(p.evaluate("s3:GetObject", "arn:aws:s3:::b/exact", NONE)).isEqualTo(ALLOW);
  }

  @Test
  void prefixDenyCountsWhenItHitsAnyKey() throws Exception {
    IamPolicy p = policy("""
        [
          {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
          {"Sid": "Secret", "Effect": "Deny", "Action": "s3:*",
           "Resource": "arn:aws:s3:::b/data/x/secret*"}
        ]""");

    IamDecision wide = p.decideForPrefix("s3:GetObject", "arn:aws:s3:::b/data/", NONE);

    assertThat(wide.effect()).isEqualTo(DENY);
    assertThat(wide.statement().get().label()).isEqualTo("statement \"Secret\"");
    assertThat(p.evaluateForPrefix("s3:GetObject", "arn:aws:s3:::b/data/y", NONE)).isEqualTo(ALLOW);
    assertThat(p.evaluateForPrefix("s3:GetObject", "arn:aws:s3:::b/data/x/", NONE)).isEqualTo(DENY);
  }

  @Test
  void prefixWithNotResource() throws Exception {
    IamPolicy allowOutside = policy("""
        [{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::b/private/*"}]""");
    IamPolicy denyOutside = policy("""
        [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
         {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::b/public/*"}]""");

    assertThat(allowOutside.evaluateForPrefix("s3:GetObject", "arn:aws:s3:::b/pub", NONE))
        .isEqualTo(ALLOW);
    // the prefix b/p also reaches b/private/...
    assertThat(allowOutside.evaluateForPrefix("s3:GetObject", "arn:aws:s3:::b/p", NONE))
        .isEqualTo(IMPLICIT_DENY);
    assertThat(denyOutside.evaluateForPrefix("s3:GetObject", "arn:aws:s3:::b/public/2024/", NONE))
        .isEqualTo(ALLOW);
    assertThat(denyOutside.evaluateForPrefix("s3:GetObject", "arn:aws:s3:::b/public", NONE))
        .isEqualTo(DENY);
  }

  @Test
  void externalIdConditionsWithEveryOperator() throws Exception {
    String user1 = "arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/user1";
    String other = "arn:aws:redshift:us-west-2:123456789012:dbuser:other/user1";
    IamPolicy like = policy("""
        {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
         "Condition": {"StringLike": {"STS:EXTERNALID": "arn:aws:redshift:*:dbuser:my-cluster/*"}}}""");
    IamPolicy arnLike = policy("""
        {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
         "Condition": {"ArnLike": {"sts:ExternalId": "arn:aws:redshift:*:*:dbuser:my-*/user?"}}}""");
    IamPolicy both = policy("""
        {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
         "Condition": {"ArnEquals": {"sts:ExternalId": "arn:aws:redshift:us-west-2:*:dbuser:*"},
                       "StringEquals": {"sts:ExternalId": ["x", "%s"]}}}""".formatted(user1));

    assertThat(like.evaluateTrust(TrustRequest.fromRedshift("us-west-2", user1))).isEqualTo(ALLOW);
    assertThat(like.evaluateTrust(TrustRequest.fromRedshift("us-west-2", other)))
        .isEqualTo(IMPLICIT_DENY);
    assertThat(arnLike.evaluateTrust(TrustRequest.fromRedshift("us-west-2", user1))).isEqualTo(ALLOW);
    // ArnLike wildcards stay inside one ARN field: '*' cannot swallow the ':' of "dbuser:"
    assertThat(arnLike.evaluateTrust(TrustRequest.fromRedshift("us-west-2",
        "arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/x:y"))).isEqualTo(IMPLICIT_DENY);
    assertThat(both.evaluateTrust(TrustRequest.fromRedshift("us-west-2", user1))).isEqualTo(ALLOW);
    assertThat(both.evaluateTrust(TrustRequest.fromRedshift("us-west-2",
        "arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/user2"))).isEqualTo(IMPLICIT_DENY);
  }

  @Test
  void trustMatchesServicesByRegionAndRolesByArnOrAccount() throws Exception {
    IamPolicy p = policy("""
        [{"Effect": "Allow", "Action": "sts:AssumeRole",
          "Principal": {"Service": ["redshift.eu-west-1.amazonaws.com", "sagemaker.amazonaws.com"],
                        "AWS": ["arn:aws:iam::123456789012:role/RoleA", "210987654321"]}},
         {"Effect": "Deny", "Action": "sts:*",
          "Principal": {"AWS": "arn:aws:iam::210987654321:role/Blocked"}}]""");
    TrustRequest.ServiceCaller sagemaker =
        new TrustRequest.ServiceCaller("sagemaker", Optional.of("us-east-1"));

    assertThat(p.evaluateTrust(TrustRequest.fromRedshift("eu-west-1", null))).isEqualTo(ALLOW);
    assertThat(p.evaluateTrust(TrustRequest.fromRedshift("eu-west-2", null))).isEqualTo(IMPLICIT_DENY);
    assertThat(p.evaluateTrust(new TrustRequest(sagemaker, "sts:AssumeRole", NONE))).isEqualTo(ALLOW);
    assertThat(p.evaluateTrust(TrustRequest.fromRole(
        RoleArn.of("arn:aws:iam::123456789012:role/rolea"), null))).isEqualTo(ALLOW);
    assertThat(p.evaluateTrust(TrustRequest.fromRole(
        RoleArn.of("arn:aws:iam::123456789012:role/RoleZ"), null))).isEqualTo(IMPLICIT_DENY);
    assertThat(p.evaluateTrust(TrustRequest.fromRole(
        RoleArn.of("arn:aws:iam::210987654321:role/Any"), null))).isEqualTo(ALLOW);
    assertThat(p.evaluateTrust(TrustRequest.fromRole(
        RoleArn.of("arn:aws:iam::210987654321:role/Blocked"), null))).isEqualTo(DENY);
    assertThat(p.evaluateTrust(new TrustRequest(new TrustRequest.RoleCaller(
        RoleArn.of("arn:aws:iam::123456789012:role/RoleA")), "sts:TagSession", NONE)))
        .isEqualTo(IMPLICIT_DENY);
  }

  @Test
  void chinaServicePrincipalsMatchOnlyInChinaRegions() throws Exception {
    IamPolicy p = policy("""
        {"Effect": "Allow", "Action": "sts:AssumeRole",
         "Principal": {"Service": "redshift.amazonaws.com.cn"}}""");

    assertThat(p.evaluateTrust(TrustRequest.fromRedshift("cn-north-1", null))).isEqualTo(ALLOW);
    assertThat(p.evaluateTrust(TrustRequest.fromRedshift("us-east-1", null))).isEqualTo(IMPLICIT_DENY);
  }

  @Test
  void awsStarMeansEveryone() throws Exception {
    IamPolicy p = policy("""
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}}""");

    assertThat(p.evaluateTrust(TrustRequest.fromRedshift("us-east-1", null))).isEqualTo(ALLOW);
    assertThat(p.evaluateTrust(TrustRequest.fromRole(
        RoleArn.of("arn:aws:iam::999999999999:role/x"), null))).isEqualTo(ALLOW);
  }

  @Test
  void combinesSeveralPoliciesDenyFirst() {
    IamDecision allow = new IamDecision(ALLOW, "a.json", Optional.empty());
    IamDecision deny = new IamDecision(DENY, "b.json", Optional.empty());
    IamDecision implicit = new IamDecision(IMPLICIT_DENY, "c.json", Optional.empty());

    assertThat(IamDecision.combine(List.of(allow, deny, implicit))).isSameAs(deny);
    assertThat(IamDecision.combine(List.of(implicit, allow))).isSameAs(allow);
    assertThat(IamDecision.combine(List.of(implicit)).effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(IamDecision.combine(List.of()).describe()).isEqualTo("no statement allows it");
  }

  @Test
  void refusesToEvaluateAPolicyAsTheOtherKind() throws Exception {
    IamPolicy trust = Resources.policy("seed-iam/default-trust.json");
    IamPolicy permissions = Resources.policy("seed-iam/RoleA.permissions.json");

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> trust.evaluate("sts:AssumeRole", "*", NONE));
    assertThat(e).hasMessage("seed-iam/default-trust.json is a trust policy, not a permission"
        + " policy; use decideTrust");
    assertThrows(IllegalStateException.class,
        () -> permissions.evaluateTrust(TrustRequest.fromRedshift("us-east-1", null)));
  }

  @Test
  void version2008TakesDollarBracesLiterally() throws Exception {
    IamPolicy p = IamPolicy.parse("""
        {"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::b/${x}"}}""", "old.json");

    assertThat(p.version()).contains("2008-10-17");
    assertThat(p.evaluate("s3:GetObject", "arn:aws:s3:::b/${x}", NONE)).isEqualTo(ALLOW);
  }
}
