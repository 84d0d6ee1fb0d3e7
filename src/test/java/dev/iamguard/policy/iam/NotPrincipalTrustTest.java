package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Trust documents with NotPrincipal: an Allow applies to a caller named at no level, a Deny is
 * lifted only for a caller named at every level (account, role, session), {@code "*"} names
 * everyone. The caller is Redshift ({@code SERVICE}) or a role of a chain.
 */
class NotPrincipalTrustTest {
  private static final String LOADER = "arn:aws:iam::111122223333:role/Loader";

  private static IamEffect trust(String statements, String caller) throws IamPolicyException {
    IamPolicy policy = IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": [" + statements + "]}", "t.json");
    TrustRequest.Caller who = caller.equals("SERVICE")
        ? new TrustRequest.ServiceCaller("redshift", Optional.of("us-west-2"))
        : new TrustRequest.RoleCaller(RoleArn.of(caller));
    IamEffect effect = policy.evaluateTrust(new TrustRequest(who, "sts:AssumeRole", Map.of()));
    return effect;
  }

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      {"AWS": "arn:aws:iam::111122223333:role/Loader"}          | arn:aws:iam::111122223333:role/Loader  | IMPLICIT_DENY
      {"AWS": "arn:aws:iam::111122223333:role/Loader"}          | arn:aws:iam::111122223333:role/Other   | ALLOW
      {"AWS": "arn:aws:iam::111122223333:root"}                 | arn:aws:iam::111122223333:role/Other   | IMPLICIT_DENY
      {"AWS": "arn:aws:iam::111122223333:root"}                 | arn:aws:iam::444455556666:role/Other   | ALLOW
      {"AWS": "arn:aws:sts::111122223333:assumed-role/Loader/s"} | arn:aws:iam::111122223333:role/Loader | IMPLICIT_DENY
      {"AWS": "arn:aws:iam::111122223333:role/Loader"}          | SERVICE                                | ALLOW
      {"Service": "redshift.amazonaws.com"}                     | SERVICE                                | IMPLICIT_DENY
      {"Service": "redshift.amazonaws.com"}                     | arn:aws:iam::111122223333:role/Loader  | ALLOW
      {"Service": "lambda.amazonaws.com"}                       | SERVICE                                | ALLOW
      "*"                                                       | arn:aws:iam::111122223333:role/Loader  | IMPLICIT_DENY
      "*"                                                       | SERVICE                                | IMPLICIT_DENY
      """)
  void anAllowWithNotPrincipalAppliesToCallersItDoesNotName(String notPrincipal, String caller, IamEffect effect)
      throws IamPolicyException {
    assertThat(trust("{\"Effect\": \"Allow\", \"NotPrincipal\": " + notPrincipal + ", \"Action\": \"sts:AssumeRole\"}",
        caller)).isEqualTo(effect);
  }

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      {"Service": "redshift.amazonaws.com"}                      | SERVICE                               | ALLOW
      {"Service": "redshift.amazonaws.com"}                      | arn:aws:iam::111122223333:role/Loader | DENY
      {"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/Loader"]} | arn:aws:iam::111122223333:role/Loader | DENY
      {"AWS": "arn:aws:iam::111122223333:role/Loader"}           | arn:aws:iam::444455556666:role/Other  | DENY
      "*"                                                        | arn:aws:iam::111122223333:role/Loader | ALLOW
      """)
  void aDenyWithNotPrincipalIsLiftedOnlyForACallerNamedAtEveryLevel(String notPrincipal, String caller,
      IamEffect effect) throws IamPolicyException {
    assertThat(trust("{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\"}, {\"Effect\":"
        + " \"Deny\", \"NotPrincipal\": " + notPrincipal + ", \"Action\": \"sts:AssumeRole\"}", caller)).isEqualTo(effect);
  }
}
