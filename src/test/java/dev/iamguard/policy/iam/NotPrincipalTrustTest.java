package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Trust documents with NotPrincipal: an Allow is a load error (IAM does not support it), a Deny is
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

  /**
   * An Allow with NotPrincipal was evaluated as "every caller but these" until probe 23a F2. IAM
   * User Guide, NotPrincipal: "NotPrincipal must be used with "Effect":"Deny". Using it with
   * "Effect":"Allow" is not supported." So it is now a load error, whatever it names and whatever
   * the caller would have been; the error names the document, the statement and why.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"AWS": "arn:aws:iam::111122223333:role/Loader"}
      {"AWS": "arn:aws:iam::111122223333:root"}
      {"AWS": "arn:aws:sts::111122223333:assumed-role/Loader/s"}
      {"Service": "redshift.amazonaws.com"}
      {"Service": "lambda.amazonaws.com"}
      "*"
      """)
  void anAllowWithNotPrincipalIsALoadError(String notPrincipal) {
    IamPolicyException e = assertThrows(IamPolicyException.class, () -> trust("{\"Effect\": \"Allow\","
        + " \"NotPrincipal\": " + notPrincipal + ", \"Action\": \"sts:AssumeRole\"}", "SERVICE"));
    assertThat(e.getMessage()).startsWith("t.json: statement 1, line 1: NotPrincipal with \"Effect\": \"Allow\"")
        .contains("must be used with \"Effect\": \"Deny\"");
  }

  /**
   * The refusal holds in every kind of document and wherever the statement stands: a trust, a
   * bucket policy, a statement about actions the guard skips, the Statement as one object.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      trust, first      | [{"Sid": "Odd", "Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "sts:AssumeRole"}] | statement "Odd"
      trust, second     | [{"Effect": "Allow", "Principal": {"Service": "redshift.amazonaws.com"}, "Action": "sts:AssumeRole"}, {"Effect": "Allow", "NotPrincipal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}] | statement 2
      trust, object     | {"Effect": "Allow", "NotPrincipal": "*", "Action": "sts:*"} | statement 1
      bucket policy     | [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}] | statement 1
      skipped actions   | [{"Effect": "Allow", "NotPrincipal": {"AWS": "*"}, "Action": "ec2:RunInstances"}] | statement 1
      with a Condition  | [{"Effect": "Allow", "NotPrincipal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}] | statement 1
      """)
  void anAllowWithNotPrincipalIsALoadErrorInEveryDocumentKind(String kind, String statements, String label) {
    IamPolicyException e = assertThrows(IamPolicyException.class,
        () -> IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": " + statements + "}", "k.json"));
    assertThat(e.getMessage()).startsWith("k.json: " + label + ", line 1: NotPrincipal with \"Effect\": \"Allow\" is"
        + " not supported by IAM");
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
