package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A trust document naming a principal by its unique id ({@code "AWS": "AROA..."}), as IAM prints a
 * role or user that was deleted: it loads, and it names no one (the AWS documentation: "The policy
 * no longer applies, even if you recreate the user or role because it does not match the principal
 * ID stored in the trust policy"). An Allow for it grants nothing, a Deny for it lifts nothing, a
 * Deny with NotPrincipal of it applies to every caller. Other texts that look like ids stay errors.
 */
class UniqueIdPrincipalTest {
  private static final String LOADER = "arn:aws:iam::111122223333:role/Loader";
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  /** Ids as IAM prints them (21 characters) and of other lengths, for a role and a user. */
  private static List<String> ids() {
    Random random = new Random(17);
    List<String> ids = new ArrayList<>();
    for (String prefix : List.of("AROA", "AIDA")) {
      for (int length : new int[] {8, 17, 17, 17, 30}) {
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < length; i++) {
          id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        ids.add(id.toString());
      }
    }
    return ids;
  }

  private static IamEffect trust(String statements, String caller) throws IamPolicyException {
    IamPolicy policy = IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": [" + statements + "]}", "t.json");
    TrustRequest.Caller who = caller.equals("SERVICE")
        ? new TrustRequest.ServiceCaller("redshift", Optional.of("us-west-2"))
        : new TrustRequest.RoleCaller(RoleArn.of(caller));
    return policy.evaluateTrust(new TrustRequest(who, "sts:AssumeRole", Map.of()));
  }

  @Test
  void anIdIsAPrincipalThatMatchesNoCaller() {
    for (String id : ids()) {
      AwsPrincipal principal = AwsPrincipal.parseInDocument(id).principal().orElseThrow();
      assertThat(principal).isEqualTo(new AwsPrincipal.UniqueId(id)).hasToString(id);
      for (String caller : List.of(LOADER, "arn:aws:iam::111122223333:role/" + id, "arn:aws-cn:iam::111122223333:role/X")) {
        assertThat(principal.matches(RoleArn.of(caller))).as(id + " / " + caller).isFalse();
      }
      // the registry's own trust.principals take ARNs and account ids only
      assertThat(AwsPrincipal.parse(id).principal()).as(id).isEmpty();
    }
  }

  @Test
  void textsThatAreNoIdStayErrors() {
    for (String text : List.of("aroa12345678ABCDEFGHI", "AKIAIOSFODNN7EXAMPLE", "ASIAIOSFODNN7EXAMPLE",
        "AGPAIOSFODNN7EXAMPLE", "ANPAIOSFODNN7EXAMPLE", "AROA1234567", "AROA*", "AROA12345678-ABC", "AROA12345678 ",
        " AIDA12345678ABCD", "AROA12345678abcd", "AROA")) {
      assertThat(AwsPrincipal.parseInDocument(text).principal()).as(text).isEmpty();
      assertThat(AwsPrincipal.parseInDocument(text).problem()).as(text).isPresent();
    }
  }

  @Test
  void anAllowForADeletedPrincipalGrantsNothingAndOthersBesideItStillCount() throws IamPolicyException {
    for (String id : ids()) {
      String alone = "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"" + id + "\"}, \"Action\": \"sts:AssumeRole\"}";
      assertThat(trust(alone, LOADER)).as(id).isEqualTo(IamEffect.IMPLICIT_DENY);
      assertThat(trust(alone, "arn:aws:iam::111122223333:role/" + id)).as(id).isEqualTo(IamEffect.IMPLICIT_DENY);
      assertThat(trust(alone, "SERVICE")).as(id).isEqualTo(IamEffect.IMPLICIT_DENY);
      String beside = "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": [\"" + id + "\", \"" + LOADER
          + "\"]}, \"Action\": \"sts:AssumeRole\"}";
      assertThat(trust(beside, LOADER)).as(id).isEqualTo(IamEffect.ALLOW);
      assertThat(trust(beside, "arn:aws:iam::111122223333:role/Other")).as(id).isEqualTo(IamEffect.IMPLICIT_DENY);
    }
  }

  @Test
  void aDenyForADeletedPrincipalDeniesNoOneAndItsNotPrincipalDeniesEveryone() throws IamPolicyException {
    String allowAll = "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\"}";
    for (String id : ids()) {
      String deny = allowAll + ", {\"Effect\": \"Deny\", \"Principal\": {\"AWS\": \"" + id
          + "\"}, \"Action\": \"sts:AssumeRole\"}";
      assertThat(trust(deny, LOADER)).as(id).isEqualTo(IamEffect.ALLOW);
      String denyOthers = allowAll + ", {\"Effect\": \"Deny\", \"NotPrincipal\": {\"AWS\": \"" + id
          + "\"}, \"Action\": \"sts:AssumeRole\"}";
      assertThat(trust(denyOthers, LOADER)).as(id).isEqualTo(IamEffect.DENY);
      assertThat(trust(denyOthers, "arn:aws:iam::111122223333:role/" + id)).as(id).isEqualTo(IamEffect.DENY);
    }
  }

  @Test
  void getRoleOutputNamingADeletedRoleLoads() throws IamPolicyException {
    String getRole = """
        {"Role": {"Path": "/", "RoleName": "RedshiftCopyUnload", "RoleId": "AROAEXAMPLEID1234567",
          "Arn": "arn:aws:iam::123456789012:role/RedshiftCopyUnload", "CreateDate": "2024-01-01T00:00:00+00:00",
          "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "redshift.amazonaws.com"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"AWS": "AROADBQP57FF2AEXAMPLE"}, "Action": "sts:AssumeRole"}]},
          "MaxSessionDuration": 3600}}""";

    IamPolicy trust = IamPolicy.parse(getRole, "get-role.json");

    assertThat(trust.kind()).isEqualTo(IamPolicy.Kind.TRUST);
    assertThat(trust.evaluateTrust(new TrustRequest(new TrustRequest.ServiceCaller("redshift", Optional.of("us-west-2")),
        "sts:AssumeRole", Map.of()))).isEqualTo(IamEffect.ALLOW);
    assertThat(trust.evaluateTrust(new TrustRequest(new TrustRequest.RoleCaller(RoleArn.of(LOADER)),
        "sts:AssumeRole", Map.of()))).isEqualTo(IamEffect.IMPLICIT_DENY);
  }
}
