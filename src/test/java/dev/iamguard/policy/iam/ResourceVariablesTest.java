package dev.iamguard.policy.iam;

import static dev.iamguard.policy.iam.IamEffect.ALLOW;
import static dev.iamguard.policy.iam.IamEffect.DENY;
import static dev.iamguard.policy.iam.IamEffect.IMPLICIT_DENY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Policy variables in Resource and NotResource (IAM User Guide, "IAM policy elements: Variables
 * and tags"): a variable is replaced by the key's one value; a key the request does not carry
 * takes the default, and without one the pattern matches nothing; a key the guard cannot know
 * makes the pattern "perhaps", which never lets an Allow grant and always lets a Deny apply.
 */
class ResourceVariablesTest {

  private static final String HOME = "arn:aws:s3:::b/home/${aws:username}/*";

  private static IamPolicy policy(String statements) throws IamPolicyException {
    return IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": " + statements + "}", "v.json");
  }

  private static IamPolicy one(String effect, String element, String resource) throws IamPolicyException {
    return policy("[{\"Effect\": \"" + effect + "\", \"Action\": \"s3:GetObject\", \"" + element + "\": \""
        + resource + "\"}]");
  }

  private static RequestContext user(String name) {
    return RequestContext.builder().put("aws:username", name).build();
  }

  private static final RequestContext NO_USER = RequestContext.builder().absent("aws:username").build();

  private static IamDecision get(IamPolicy p, String resource, RequestContext context) {
    return p.decide(IamRequest.of("s3:GetObject", resource, context));
  }

  private static IamDecision getAll(IamPolicy p, String prefix, RequestContext context) {
    return p.decide(IamRequest.prefix("s3:GetObject", prefix, context));
  }

  @ParameterizedTest(name = "{0} {1} with {2}")
  @CsvSource(delimiter = '|', value = {
      // resource                       | user   | effect of Allow on HOME | statement part noted
      "arn:aws:s3:::b/home/alice/x      | alice  | ALLOW",
      "arn:aws:s3:::b/home/alice/a/b    | alice  | ALLOW",
      "arn:aws:s3:::b/home/bob/x        | alice  | IMPLICIT_DENY",
      "arn:aws:s3:::b/home/alice        | alice  | IMPLICIT_DENY",
      "arn:aws:s3:::b/home/ALICE/x      | alice  | IMPLICIT_DENY",
      // a value is taken literally: its * is no wildcard
      "arn:aws:s3:::b/home/x/y          | *      | IMPLICIT_DENY",
      "arn:aws:s3:::b/home/*/y          | *      | ALLOW",
  })
  void aKnownValueReplacesTheVariable(String resource, String name, IamEffect effect) throws Exception {
    IamDecision d = get(one("Allow", "Resource", HOME), resource, user(name));

    assertThat(d.effect()).isEqualTo(effect);
    assertThat(d.conservative()).isEmpty();
  }

  @Test
  void anUnknownKeyNeverLetsAnAllowGrantAndSaysWhy() throws Exception {
    IamPolicy p = one("Allow", "Resource", HOME);

    IamDecision perhaps = get(p, "arn:aws:s3:::b/home/alice/x", RequestContext.UNKNOWN_ALL);
    IamDecision surelyNot = get(p, "arn:aws:s3:::b/other/alice/x", RequestContext.UNKNOWN_ALL);

    assertThat(perhaps.effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(perhaps.conservative()).singleElement().satisfies(c -> {
      assertThat(c.operator()).isEqualTo("Resource");
      assertThat(c.key()).isEqualTo("aws:username");
      assertThat(c.statementEffect()).isEqualTo(ALLOW);
      assertThat(c.statement()).isEqualTo("statement 1");
      assertThat(c.describe()).isEqualTo("v.json statement 1 (line 1): Resource with the policy variable"
          + " ${aws:username}, which the guard cannot know: this Allow is not counted");
    });
    // no value of the variable can make the pattern match: no conservative judgement
    assertThat(surelyNot.effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(surelyNot.conservative()).isEmpty();
  }

  @Test
  void anUnknownKeyLetsADenyApply() throws Exception {
    IamPolicy p = policy("""
        [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
         {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/home/${aws:username}/*"}]""");

    IamDecision unknown = get(p, "arn:aws:s3:::b/home/alice/x", RequestContext.UNKNOWN_ALL);

    assertThat(unknown.effect()).isEqualTo(DENY);
    assertThat(unknown.statement()).get().extracting(IamStatement::index).isEqualTo(2);
    assertThat(unknown.conservative()).singleElement()
        .satisfies(c -> assertThat(c.statementEffect()).isEqualTo(DENY))
        .satisfies(c -> assertThat(c.describe()).endsWith("this Deny is taken to apply"));
    assertThat(get(p, "arn:aws:s3:::b/home/alice/x", user("bob")).effect()).isEqualTo(ALLOW);
    assertThat(get(p, "arn:aws:s3:::b/home/alice/x", user("alice")).effect()).isEqualTo(DENY);
    assertThat(get(p, "arn:aws:s3:::b/home/alice/x", user("alice")).conservative()).isEmpty();
  }

  @Test
  void anAbsentKeyWithoutDefaultMatchesNothingAndWithOneTakesIt() throws Exception {
    IamPolicy plain = one("Allow", "Resource", HOME);
    IamPolicy withDefault = one("Allow", "Resource", "arn:aws:s3:::b/home/${aws:username, 'guest'}/*");

    assertThat(get(plain, "arn:aws:s3:::b/home/guest/x", NO_USER).effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(get(plain, "arn:aws:s3:::b/home/guest/x", NO_USER).conservative()).isEmpty();
    assertThat(get(withDefault, "arn:aws:s3:::b/home/guest/x", NO_USER).effect()).isEqualTo(ALLOW);
    assertThat(get(withDefault, "arn:aws:s3:::b/home/alice/x", NO_USER).effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(get(withDefault, "arn:aws:s3:::b/home/alice/x", user("alice")).effect()).isEqualTo(ALLOW);
    // several values: the default, as for an absent key
    RequestContext two = RequestContext.builder().put("aws:username", "alice", "bob").build();
    assertThat(get(withDefault, "arn:aws:s3:::b/home/guest/x", two).effect()).isEqualTo(ALLOW);
    assertThat(get(withDefault, "arn:aws:s3:::b/home/alice/x", two).effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(get(plain, "arn:aws:s3:::b/home/alice/x", two).effect()).isEqualTo(IMPLICIT_DENY);
  }

  @Test
  void anAbsentKeyInADenyLeavesItOut() throws Exception {
    IamPolicy p = policy("""
        [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
         {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/home/${aws:username}/*"}]""");

    assertThat(get(p, "arn:aws:s3:::b/home/alice/x", NO_USER).effect()).isEqualTo(ALLOW);
    assertThat(getAll(p, "arn:aws:s3:::b/home/", NO_USER).effect()).isEqualTo(ALLOW);
  }

  @Test
  void fixedPatternsBesideAVariableOneStayExact() throws Exception {
    IamPolicy p = policy("""
        [{"Effect": "Allow", "Action": "s3:GetObject",
          "Resource": ["arn:aws:s3:::b/public/*", "arn:aws:s3:::b/home/${aws:username}/*"]}]""");

    IamDecision fixedHit = get(p, "arn:aws:s3:::b/public/x", RequestContext.UNKNOWN_ALL);
    assertThat(fixedHit.effect()).isEqualTo(ALLOW);
    assertThat(fixedHit.conservative()).isEmpty();
    assertThat(getAll(p, "arn:aws:s3:::b/public/2024/", RequestContext.UNKNOWN_ALL).effect()).isEqualTo(ALLOW);
    assertThat(getAll(p, "arn:aws:s3:::b/public/2024/", RequestContext.UNKNOWN_ALL).conservative()).isEmpty();
    assertThat(get(p, "arn:aws:s3:::b/home/alice/x", user("alice")).effect()).isEqualTo(ALLOW);
    assertThat(get(p, "arn:aws:s3:::b/home/alice/x", RequestContext.UNKNOWN_ALL).effect())
        .isEqualTo(IMPLICIT_DENY);
    assertThat(get(p, "arn:aws:s3:::b/private/x", user("alice")).effect()).isEqualTo(IMPLICIT_DENY);
  }

  @Test
  void anAllowOnAPrefixNeedsEveryKeyCovered() throws Exception {
    IamPolicy p = one("Allow", "Resource", HOME);

    assertThat(getAll(p, "arn:aws:s3:::b/home/alice/", user("alice")).effect()).isEqualTo(ALLOW);
    assertThat(getAll(p, "arn:aws:s3:::b/home/alice/2024/", user("alice")).effect()).isEqualTo(ALLOW);
    // b/home/alice also reaches b/home/alicexyz/...
    assertThat(getAll(p, "arn:aws:s3:::b/home/alice", user("alice")).effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(getAll(p, "arn:aws:s3:::b/home/bob/", user("alice")).effect()).isEqualTo(IMPLICIT_DENY);

    IamDecision unknown = getAll(p, "arn:aws:s3:::b/home/alice/", RequestContext.UNKNOWN_ALL);
    assertThat(unknown.effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(unknown.conservative()).extracting(Conservative::key).containsExactly("aws:username");
    // whatever the user, b/home/ also holds b/home/x without a second slash: surely not all covered
    IamDecision wide = getAll(p, "arn:aws:s3:::b/home/", RequestContext.UNKNOWN_ALL);
    assertThat(wide.effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(wide.conservative()).isEmpty();
    assertThat(getAll(p, "arn:aws:s3:::b/home/alice/", NO_USER).effect()).isEqualTo(IMPLICIT_DENY);
  }

  @Test
  void aDenyOnAPrefixAppliesWhenItHitsOneKey() throws Exception {
    IamPolicy p = policy("""
        [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
         {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/home/${aws:username}/*"}]""");

    assertThat(getAll(p, "arn:aws:s3:::b/home/", user("alice")).effect()).isEqualTo(DENY);
    assertThat(getAll(p, "arn:aws:s3:::b/home/al", user("alice")).effect()).isEqualTo(DENY);
    assertThat(getAll(p, "arn:aws:s3:::b/home/bob/", user("alice")).effect()).isEqualTo(ALLOW);
    assertThat(getAll(p, "arn:aws:s3:::b/public/", user("alice")).effect()).isEqualTo(ALLOW);
    IamDecision unknown = getAll(p, "arn:aws:s3:::b/home/bob/", RequestContext.UNKNOWN_ALL);
    assertThat(unknown.effect()).isEqualTo(DENY);
    assertThat(unknown.conservative()).extracting(Conservative::operator).containsExactly("Resource");
    // no user name makes b/home/bob/ hit b/public/...: the Deny surely does not apply
    assertThat(getAll(p, "arn:aws:s3:::b/public/", RequestContext.UNKNOWN_ALL).effect()).isEqualTo(ALLOW);
    assertThat(getAll(p, "arn:aws:s3:::b/public/", RequestContext.UNKNOWN_ALL).conservative()).isEmpty();
  }

  @Test
  void notResourceWithAVariable() throws Exception {
    IamPolicy allowOutside = one("Allow", "NotResource", HOME);
    IamPolicy denyOutside = policy("""
        [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
         {"Effect": "Deny", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::b/home/${aws:username}/*"}]""");

    assertThat(get(allowOutside, "arn:aws:s3:::b/home/bob/x", user("alice")).effect()).isEqualTo(ALLOW);
    assertThat(get(allowOutside, "arn:aws:s3:::b/home/alice/x", user("alice")).effect())
        .isEqualTo(IMPLICIT_DENY);
    IamDecision perhaps = get(allowOutside, "arn:aws:s3:::b/home/bob/x", RequestContext.UNKNOWN_ALL);
    assertThat(perhaps.effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(perhaps.conservative()).singleElement().satisfies(c -> {
      assertThat(c.operator()).isEqualTo("NotResource");
      assertThat(c.describe()).contains("NotResource with the policy variable ${aws:username}");
    });
    assertThat(getAll(allowOutside, "arn:aws:s3:::b/home/bob/", user("alice")).effect()).isEqualTo(ALLOW);
    assertThat(getAll(allowOutside, "arn:aws:s3:::b/home/", user("alice")).effect()).isEqualTo(IMPLICIT_DENY);

    assertThat(get(denyOutside, "arn:aws:s3:::b/home/alice/x", user("alice")).effect()).isEqualTo(ALLOW);
    assertThat(get(denyOutside, "arn:aws:s3:::b/home/bob/x", user("alice")).effect()).isEqualTo(DENY);
    assertThat(getAll(denyOutside, "arn:aws:s3:::b/home/alice/", user("alice")).effect()).isEqualTo(ALLOW);
    assertThat(getAll(denyOutside, "arn:aws:s3:::b/home/", user("alice")).effect()).isEqualTo(DENY);
    IamDecision unknownDeny = get(denyOutside, "arn:aws:s3:::b/home/alice/x", RequestContext.UNKNOWN_ALL);
    assertThat(unknownDeny.effect()).isEqualTo(DENY);
    assertThat(unknownDeny.conservative()).extracting(Conservative::operator).containsExactly("NotResource");
  }

  @Test
  void onlyTheUnknownVariablesOfAResourceAreNoted() throws Exception {
    IamPolicy p = one("Allow", "Resource", "arn:aws:s3:::${aws:PrincipalTag/bucket}/home/${aws:username}/*");
    RequestContext bucketKnown = RequestContext.builder().put("aws:PrincipalTag/bucket", "b").build();
    RequestContext both = RequestContext.builder().put("aws:PrincipalTag/bucket", "b")
        .put("aws:username", "alice").build();

    assertThat(get(p, "arn:aws:s3:::b/home/alice/x", both).effect()).isEqualTo(ALLOW);
    IamDecision half = get(p, "arn:aws:s3:::b/home/alice/x", bucketKnown);
    assertThat(half.effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(half.conservative()).extracting(Conservative::key).containsExactly("aws:username");
    IamDecision none = get(p, "arn:aws:s3:::b/home/alice/x", RequestContext.UNKNOWN_ALL);
    assertThat(none.conservative()).extracting(Conservative::key)
        .containsExactly("aws:PrincipalTag/bucket", "aws:username");
    assertThat(get(p, "arn:aws:s3:::c/home/alice/x", bucketKnown).conservative()).isEmpty();
  }

  @Test
  void everyStatementJudgedConservativelyIsNotedInOrder() throws Exception {
    IamPolicy allows = policy("""
        [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/home/${aws:username}/*"},
         {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:PrincipalTag/team}/*"}]""");
    IamPolicy denies = policy("""
        [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
         {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:PrincipalTag/team}/*"},
         {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/home/${aws:username}/*"}]""");

    IamDecision notCounted = get(allows, "arn:aws:s3:::b/home/alice/x", RequestContext.UNKNOWN_ALL);
    IamDecision taken = get(denies, "arn:aws:s3:::b/home/alice/x", RequestContext.UNKNOWN_ALL);

    assertThat(notCounted.effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(notCounted.conservative()).extracting(Conservative::statement)
        .containsExactly("statement 1", "statement 2");
    assertThat(taken.effect()).isEqualTo(DENY);
    // the first Deny judged unknown decides; both are noted
    assertThat(taken.statement()).get().extracting(IamStatement::index).isEqualTo(2);
    assertThat(taken.conservative()).extracting(Conservative::key)
        .containsExactly("aws:PrincipalTag/team", "aws:username");
    // a definite Deny after an unknown one decides, and ends the evaluation
    IamDecision definite = get(denies, "arn:aws:s3:::b/home/alice/x", user("alice"));
    assertThat(definite.effect()).isEqualTo(DENY);
    assertThat(definite.statement()).get().extracting(IamStatement::index).isEqualTo(3);
  }

  @Test
  void literalWildcardVariablesAreNoWildcards() throws Exception {
    IamPolicy p = one("Allow", "Resource", "arn:aws:s3:::b/a${*}b${?}c${$}d/*");

    assertThat(get(p, "arn:aws:s3:::b/a*b?c$d/x", RequestContext.UNKNOWN_ALL).effect()).isEqualTo(ALLOW);
    assertThat(get(p, "arn:aws:s3:::b/axbyc$d/x", RequestContext.UNKNOWN_ALL).effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(get(p, "arn:aws:s3:::b/a*b?c$d/x", RequestContext.UNKNOWN_ALL).conservative()).isEmpty();
    assertThat(p.statements().get(0).resources()).containsExactly("arn:aws:s3:::b/a${*}b${?}c${$}d/*");
  }

  @Test
  void aResourceVariableOnAKeyTheGuardDoesNotFillIsAConservativeUse() throws Exception {
    IamPolicy tag = one("Allow", "Resource", "arn:aws:s3:::b/${aws:PrincipalTag/team}/*");
    IamPolicy notTag = one("Deny", "NotResource", "arn:aws:s3:::b/${aws:PrincipalTag/team}/*");
    IamPolicy username = one("Allow", "Resource", HOME);

    assertThat(tag.conservativeConditions(Set.of())).singleElement().satisfies(u -> {
      assertThat(u.operator()).isEqualTo("Resource");
      assertThat(u.key()).isEqualTo("aws:PrincipalTag/team");
      assertThat(u.statement().index()).isEqualTo(1);
    });
    assertThat(notTag.conservativeConditions(Set.of())).extracting(IamPolicy.ConditionUse::operator)
        .containsExactly("NotResource");
    assertThat(tag.conservativeConditions(Set.of("AWS:PrincipalTag/Team"))).isEmpty();
    // the guard fills aws:username for every S3 request
    assertThat(username.conservativeConditions(Set.of())).isEmpty();
  }

  @Test
  void statementAccessorsSayWhatWasWritten() throws Exception {
    IamPolicy p = policy("""
        [{"Sid": "A", "Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::b/x"},
         {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*",
          "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]""");
    IamPolicy trust = policy("""
        [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
         {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]""");
    List<IamStatement> s = p.statements();

    assertThat(s).extracting(IamStatement::index).containsExactly(1, 2);
    assertThat(s).extracting(IamStatement::notAction).containsExactly(true, false);
    assertThat(s).extracting(IamStatement::notResource).containsExactly(true, false);
    assertThat(s).extracting(IamStatement::hasConditions).containsExactly(false, true);
    assertThat(s.get(1).conditionList()).hasSize(1);
    assertThat(s.get(0).conditionList()).isEmpty();
    assertThat(s.get(0)).hasToString("statement \"A\" (line 1)");
    assertThat(s.get(1)).hasToString("statement 2 (line 2)");
    assertThat(trust.statements()).extracting(IamStatement::notPrincipal).containsExactly(false, true);
    assertThat(trust.statements()).extracting(IamStatement::principals)
        .containsExactly(List.of("*"), List.of("AWS:arn:aws:iam::123456789012:root"));
  }

  @Test
  void aSessionOfTheCallingRoleIsPerhapsAndNamedInTheNote() throws Exception {
    String session = "arn:aws:sts::111122223333:assumed-role/Loader/etl";
    IamPolicy allow = policy("[{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"" + session
        + "\"}, \"Action\": \"sts:AssumeRole\"}]");
    IamPolicy denyOthers = policy("[{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\"},"
        + " {\"Effect\": \"Deny\", \"NotPrincipal\": {\"AWS\": [\"arn:aws:iam::111122223333:root\","
        + " \"arn:aws:iam::111122223333:role/Loader\", \"" + session + "\"]}, \"Action\": \"sts:AssumeRole\"}]");
    TrustRequest loader = new TrustRequest(new TrustRequest.RoleCaller(RoleArn.of("arn:aws:iam::111122223333:role/Loader")),
        "sts:AssumeRole", java.util.Map.of());
    TrustRequest other = new TrustRequest(new TrustRequest.RoleCaller(RoleArn.of("arn:aws:iam::111122223333:role/Other")),
        "sts:AssumeRole", java.util.Map.of());

    IamDecision perhaps = allow.decideTrust(loader);
    assertThat(perhaps.effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(perhaps.conservative()).singleElement().satisfies(c -> {
      assertThat(c.operator()).isEqualTo("Principal");
      assertThat(c.key()).isEqualTo(session);
      assertThat(c.describe()).isEqualTo("v.json statement 1 (line 1): Principal naming a session (" + session
          + ") of the calling role, whose session name Redshift chooses: this Allow is not counted");
    });
    assertThat(allow.namesCaller(loader)).isTrue();
    assertThat(allow.decideTrust(other).effect()).isEqualTo(IMPLICIT_DENY);
    assertThat(allow.decideTrust(other).conservative()).isEmpty();
    assertThat(allow.namesCaller(other)).isFalse();

    IamDecision lifted = denyOthers.decideTrust(loader);
    assertThat(lifted.effect()).isEqualTo(DENY);
    assertThat(lifted.conservative()).singleElement().satisfies(c -> {
      assertThat(c.operator()).isEqualTo("NotPrincipal");
      assertThat(c.key()).isEqualTo(session);
    });
    assertThat(denyOthers.decideTrust(other).effect()).isEqualTo(DENY);
    assertThat(denyOthers.decideTrust(other).conservative()).isEmpty();
  }
}
