package dev.iamguard.policy.iam;

import static dev.iamguard.policy.iam.IamEffect.ALLOW;
import static dev.iamguard.policy.iam.IamEffect.DENY;
import static dev.iamguard.policy.iam.IamEffect.IMPLICIT_DENY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The three kinds of documents (permission, trust, bucket policy) and a role's permission set:
 * identity policies AND'ed with a permissions boundary (IAM User Guide, "Permissions boundaries":
 * the effective permissions are the intersection; an explicit deny in either wins).
 */
class PolicyKindsTest {

  private static final RoleArn LOADER = RoleArn.of("arn:aws:iam::111122223333:role/Loader");
  private static final RoleArn OTHER = RoleArn.of("arn:aws:iam::444455556666:role/Other");

  private static IamPolicy policy(String statements, String source) throws IamPolicyException {
    return IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Id\": \"doc-1\", \"Statement\": " + statements + "}", source);
  }

  private static IamRequest get(String resource) {
    return IamRequest.of("s3:GetObject", resource, RequestContext.UNKNOWN_ALL);
  }

  @Test
  void aBucketPolicyDecidesForTheCallerItNames() throws Exception {
    IamPolicy bucket = policy("""
        [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Loader"},
          "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
         {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/secret/*"}]""",
        "bucket.json");
    TrustRequest.Caller loader = new TrustRequest.RoleCaller(LOADER);
    TrustRequest.Caller other = new TrustRequest.RoleCaller(OTHER);

    assertThat(bucket.kind()).isEqualTo(IamPolicy.Kind.RESOURCE);
    assertThat(bucket.decideResource(loader, get("arn:aws:s3:::b/data/x")).effect()).isEqualTo(ALLOW);
    assertThat(bucket.decideResource(other, get("arn:aws:s3:::b/data/x")).effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(bucket.decideResource(loader, get("arn:aws:s3:::c/data/x")).effect()).isEqualTo(IMPLICIT_DENY);
    IamDecision secret = bucket.decideResource(loader, get("arn:aws:s3:::b/secret/x"));
    assertThat(secret.effect()).isEqualTo(DENY);
    assertThat(secret.describe()).isEqualTo("bucket.json statement 2 (line 3)");
    assertThat(bucket).hasToString("resource-based policy (a bucket policy) bucket.json (2 statements)");
    assertThatThrownBy(() -> bucket.decide(get("arn:aws:s3:::b/x"))).isInstanceOf(IllegalStateException.class)
        .hasMessage("bucket.json is a resource-based policy (a bucket policy), not a permission policy; use decideTrust");
  }

  @Test
  void aPermissionPolicyRefusesBucketAndTrustQuestions() throws Exception {
    IamPolicy p = policy("[{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]", "p.json");

    assertThat(p.id()).contains("doc-1");
    assertThat(p.version()).contains("2012-10-17");
    assertThat(p).hasToString("permission policy p.json (1 statements)");
    assertThatThrownBy(() -> p.decideResource(new TrustRequest.RoleCaller(LOADER), get("arn:aws:s3:::b/x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("p.json is a permission policy, not a resource-based policy (a bucket policy); use decideTrust");
    assertThat(IamPolicy.parse("{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}", "e.json").id()).isEmpty();
  }

  @Test
  void knownContextKeysDecideConditionsInEveryFace() throws Exception {
    IamPolicy p = policy("""
        [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
          "Condition": {"StringEquals": {"aws:PrincipalTag/team": "etl"}}}]""", "p.json");
    IamPolicy trust = policy("""
        [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
          "Condition": {"StringEquals": {"aws:PrincipalTag/team": "etl"}}}]""", "t.json");
    TrustRequest.Caller loader = new TrustRequest.RoleCaller(LOADER);

    assertThat(p.evaluate("s3:GetObject", "arn:aws:s3:::b/x", Map.of("aws:PrincipalTag/team", "etl")))
        .isEqualTo(ALLOW);
    assertThat(p.evaluate("s3:GetObject", "arn:aws:s3:::b/x", Map.of("aws:PrincipalTag/team", "bi")))
        .isEqualTo(IMPLICIT_DENY);
    assertThat(p.decide("s3:GetObject", "arn:aws:s3:::b/x", Map.of("aws:PrincipalTag/team", "bi")).conservative())
        .isEmpty();
    assertThat(p.decide("s3:GetObject", "arn:aws:s3:::b/x", Map.of()).conservative()).singleElement()
        .satisfies(c -> assertThat(c.key()).isEqualTo("aws:PrincipalTag/team"));
    assertThat(p.evaluateForPrefix("s3:GetObject", "arn:aws:s3:::b/", Map.of("aws:PrincipalTag/team", "etl")))
        .isEqualTo(ALLOW);
    assertThat(trust.evaluateTrust(new TrustRequest(loader, "sts:AssumeRole", Map.of("aws:PrincipalTag/team", "etl"))))
        .isEqualTo(ALLOW);
    assertThat(trust.evaluateTrust(new TrustRequest(loader, "sts:AssumeRole", Map.of("aws:PrincipalTag/team", "bi"))))
        .isEqualTo(IMPLICIT_DENY);
    // the caller is named, only the condition fails
    assertThat(trust.namesCaller(new TrustRequest(loader, "sts:AssumeRole", Map.of("aws:PrincipalTag/team", "bi"))))
        .isTrue();
    assertThatThrownBy(() -> p.namesCaller(new TrustRequest(loader, "sts:AssumeRole", Map.of())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a trust policy");
  }

  @Test
  void namesCallerOnlyForAnAllowOfTheAction() throws Exception {
    IamPolicy trust = policy("""
        [{"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::444455556666:role/Other"}, "Action": "sts:AssumeRole"},
         {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:TagSession"}]""",
        "t.json");

    assertThat(trust.namesCaller(new TrustRequest(new TrustRequest.RoleCaller(OTHER), "sts:AssumeRole", Map.of())))
        .isFalse();
    assertThat(trust.namesCaller(new TrustRequest(new TrustRequest.RoleCaller(LOADER), "sts:AssumeRole", Map.of())))
        .isFalse();
    assertThat(trust.namesCaller(new TrustRequest(new TrustRequest.RoleCaller(LOADER), "sts:TagSession", Map.of())))
        .isTrue();
  }

  @Test
  void aBoundaryLimitsWhatTheIdentityPoliciesGrant() throws Exception {
    IamPolicy wide = policy("[{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]", "wide.json");
    IamPolicy denySecret = policy("[{\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::b/secret/*\"}]",
        "deny.json");
    IamPolicy boundary = policy("""
        [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
         {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/private/*"}]""", "boundary.json");
    PermissionSet bounded = new PermissionSet(List.of(wide, denySecret), Optional.of(boundary));
    PermissionSet free = new PermissionSet(List.of(wide), Optional.empty());
    PermissionSet nothing = new PermissionSet(List.of(), Optional.of(boundary));

    assertThat(bounded.identity()).containsExactly(wide, denySecret);
    assertThat(bounded.boundary()).contains(boundary);
    assertThat(free.boundary()).isEmpty();
    assertThat(bounded.decide(get("arn:aws:s3:::b/data/x")).effect()).isEqualTo(ALLOW);
    assertThat(free.decide(get("arn:aws:s3:::c/data/x")).effect()).isEqualTo(ALLOW);
    // outside the boundary: not granted, and the boundary's document is the source
    IamDecision outside = bounded.decide(get("arn:aws:s3:::c/data/x"));
    assertThat(outside.effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(outside.source()).isEqualTo("boundary.json");
    // the identity policy's deny wins before the boundary is asked
    IamDecision secret = bounded.decide(get("arn:aws:s3:::b/secret/x"));
    assertThat(secret.effect()).isEqualTo(DENY);
    assertThat(secret.source()).isEqualTo("deny.json");
    // the boundary's own deny
    IamDecision priv = bounded.decide(get("arn:aws:s3:::b/private/x"));
    assertThat(priv.effect()).isEqualTo(DENY);
    assertThat(priv.source()).isEqualTo("boundary.json");
    // a boundary grants nothing by itself
    assertThat(nothing.decide(get("arn:aws:s3:::b/data/x")).effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(bounded.decide(IamRequest.of("s3:PutObject", "arn:aws:s3:::b/data/x", RequestContext.UNKNOWN_ALL))
        .effect()).isEqualTo(IMPLICIT_DENY);
  }

  @Test
  void aPermissionSetTakesOnlyPermissionPolicies() throws Exception {
    IamPolicy trust = policy("[{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\"}]", "t.json");
    IamPolicy p = policy("[{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]", "p.json");

    assertThatThrownBy(() -> new PermissionSet(List.of(p, trust), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t.json is a trust policy, not a permission policy");
    assertThatThrownBy(() -> new PermissionSet(List.of(p), Optional.of(trust)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t.json is a trust policy, not a permission policy");
  }

  @Test
  void aRequestContextSaysWhatItKnows() {
    RequestContext c = RequestContext.builder().put("aws:username", "alice").absent("aws:SourceVpce")
        .put("s3:prefix", "a/").unknown("S3:Prefix").build();

    assertThat(c.knowledge("AWS:USERNAME")).isEqualTo(RequestContext.Knowledge.PRESENT);
    assertThat(c.knowledge("aws:sourcevpce")).isEqualTo(RequestContext.Knowledge.ABSENT);
    assertThat(c.knowledge("s3:prefix")).isEqualTo(RequestContext.Knowledge.UNKNOWN);
    assertThat(c.knownKeys()).containsExactlyInAnyOrder("aws:username", "aws:sourcevpce");
    assertThat(c.toString()).contains("aws:username=[alice]").contains("aws:sourcevpce=[]");
    assertThat(c.toBuilder().unknown("aws:username").build().knownKeys()).containsExactly("aws:sourcevpce");
  }

  @Test
  void aTrustQuestionNeedsATrustPolicy() throws Exception {
    IamPolicy p = policy("[{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]", "p.json");

    assertThatThrownBy(() -> p.decideTrust(new TrustRequest(new TrustRequest.RoleCaller(LOADER), "sts:AssumeRole",
        Map.of()))).isInstanceOf(IllegalStateException.class)
        .hasMessage("p.json is a permission policy, not a trust policy; use decide");
  }

  @Test
  void aSkippedStatementWithABrokenPrincipalStillHasOne() throws Exception {
    IamPolicy trust = policy("""
        [{"Effect": "Allow", "Principal": {"Service": "redshift.amazonaws.com"}, "Action": "sts:AssumeRole"},
         {"Effect": "Allow", "Principal": "redshift.amazonaws.com", "Action": "ec2:DescribeInstances"}]""", "t.json");

    assertThat(trust.kind()).isEqualTo(IamPolicy.Kind.TRUST);
    IamStatement skipped = trust.statements().get(1);
    assertThat(skipped.skipped()).isTrue();
    assertThat(skipped.skippedProblems()).singleElement().satisfies(p -> assertThat(p)
        .contains("Principal must be \"*\" or an object with AWS, Service, Federated or CanonicalUser"));
  }
}
