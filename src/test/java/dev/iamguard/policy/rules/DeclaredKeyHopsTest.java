package dev.iamguard.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A key the cluster's {@code request_context} states reaches only the requests that can carry it
 * (probe 23a F4). Service-principal keys ("only available when the call to your resource is made
 * directly by an AWS service principal") only Redshift's own sts:AssumeRole; network keys only the
 * role session's S3 requests (unknown on every sts:AssumeRole); keys of the calling principal and its
 * session ({@code aws:PrincipalOrgID}, {@code aws:PrincipalTag/...}, {@code aws:userid}) only the role
 * sessions' requests, not Redshift's, whose caller is a service; other keys every request. Where a
 * key does not reach, it is unknown: an Allow conditioned on it grants nothing, a Deny on it
 * applies.
 *
 * <p>Generated: 13 keys x 3 requests (Redshift assumes the first role, the first role reads S3, it
 * assumes the second) x (Allow on the stated value, Deny on any other value).
 */
class DeclaredKeyHopsTest {
  private static final String ACCOUNT = "123456789012";
  private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/";
  private static final String WG = "arn:aws:redshift-serverless:us-west-2:" + ACCOUNT + ":workgroup/0a1b2c3d";

  enum Hop { REDSHIFT_ASSUMES, S3, ROLE_ASSUMES }

  /** {key, stated value, Allow operator, Deny operator, the requests it reaches}. */
  private static final List<Object[]> KEYS = List.of(
      new Object[] {"aws:SourceArn", WG, "ArnEquals", "ArnNotEquals", List.of(Hop.REDSHIFT_ASSUMES)},
      new Object[] {"aws:SourceOrgID", "o-a1b2c3d4e5", "StringEquals", "StringNotEquals", List.of(Hop.REDSHIFT_ASSUMES)},
      new Object[] {"aws:SourceOrgPaths", "o-a1b2c3d4e5/r-ab12/", "StringEquals", "StringNotEquals", List.of(Hop.REDSHIFT_ASSUMES)},
      new Object[] {"aws:SourceVpce", "vpce-1a2b3c4d", "StringEquals", "StringNotEquals", List.of(Hop.S3)},
      new Object[] {"aws:SourceVpc", "vpc-111bbb22", "StringEquals", "StringNotEquals", List.of(Hop.S3)},
      new Object[] {"aws:SourceIp", "10.0.0.5", "IpAddress", "NotIpAddress", List.of(Hop.S3)},
      new Object[] {"aws:VpcSourceIp", "10.0.0.5", "IpAddress", "NotIpAddress", List.of(Hop.S3)},
      // the calling principal's keys: Redshift's own sts:AssumeRole is a service principal's, with no organization or tags
      new Object[] {"aws:PrincipalOrgID", "o-a1b2c3d4e5", "StringEquals", "StringNotEquals", List.of(Hop.S3, Hop.ROLE_ASSUMES)},
      new Object[] {"aws:PrincipalOrgPaths", "o-a1b2c3d4e5/r-ab12/", "StringEquals", "StringNotEquals",
          List.of(Hop.S3, Hop.ROLE_ASSUMES)},
      new Object[] {"aws:PrincipalTag/team", "etl", "StringEquals", "StringNotEquals", List.of(Hop.S3, Hop.ROLE_ASSUMES)},
      new Object[] {"aws:userid", "AROAEXAMPLE:etl", "StringEquals", "StringNotEquals", List.of(Hop.S3, Hop.ROLE_ASSUMES)},
      new Object[] {"aws:SourceIdentity", "etl-job", "StringEquals", "StringNotEquals", List.of(Hop.S3, Hop.ROLE_ASSUMES)},
      // a key of the request itself reaches every request
      new Object[] {"aws:RequestedRegion", "us-west-2", "StringEquals", "StringNotEquals",
          List.of(Hop.REDSHIFT_ASSUMES, Hop.S3, Hop.ROLE_ASSUMES)});

  @TempDir Path dir;

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Object[] key : KEYS) {
      for (Hop hop : Hop.values()) {
        for (boolean deny : List.of(false, true)) {
          all.add(Arguments.of(key[0], key[1], key[2], key[3], hop, deny, ((List<?>) key[4]).contains(hop)));
        }
      }
    }
    return all.stream();
  }

  private static String statement(String effect, String principal, String action, String resource, String condition) {
    return "{Effect: " + effect + (principal.isEmpty() ? "" : ", Principal: " + principal) + ", Action: \"" + action
        + "\"" + (resource.isEmpty() ? "" : ", Resource: \"" + resource + "\"")
        + (condition.isEmpty() ? "" : ", Condition: " + condition) + "}";
  }

  /** The Allow (conditioned on the stated value) or the Allow and a Deny (on any other value), at {@code hop}. */
  private static String statements(boolean here, boolean deny, String principal, String action, String resource,
      String allowCondition, String denyCondition) {
    String allow = statement("Allow", principal, action, resource, here && !deny ? allowCondition : "");
    return here && deny ? allow + ", " + statement("Deny", principal, action, resource, denyCondition) : allow;
  }

  @ParameterizedTest(name = "{0} at {4}, deny {5}: reaches {6}")
  @MethodSource("cases")
  void aStatedKeyReachesOnlyTheRequestsThatCarryIt(String key, String value, String allowOperator,
      String denyOperator, Hop hop, boolean deny, boolean reaches) throws Exception {
    String other = value.equals("10.0.0.5") ? "10.0.0.0/24" : value;
    String allowCondition = "{" + allowOperator + ": {\"" + key + "\": \"" + other + "\"}}";
    String denyCondition = "{" + denyOperator + ": {\"" + key + "\": \"" + other + "\"}}";
    String redshift = "{Service: [redshift.amazonaws.com, redshift-serverless.amazonaws.com]}";
    String yaml = """
        version: 1
        clusters:
          - id: wg-1
            serverless: true
            account: "%1$s"
            region: us-west-2
            attached_roles: [%2$sFirst]
            request_context: {"%3$s": "%4$s"}
        roles:
          - arn: %2$sFirst
            policy_files:
              trust: {Version: "2012-10-17", Statement: [%5$s]}
              permissions: [{Version: "2012-10-17", Statement: [%6$s, %7$s]}]
          - arn: %2$sSecond
            policy_files:
              trust: {Version: "2012-10-17", Statement: [%8$s]}
              permissions: [{Version: "2012-10-17", Statement: [%9$s]}]
        """.formatted(ACCOUNT, ROLE, key, value,
        statements(hop == Hop.REDSHIFT_ASSUMES, deny, redshift, "sts:AssumeRole", "", allowCondition, denyCondition),
        statements(hop == Hop.S3, deny, "", "s3:*", "*", allowCondition, denyCondition),
        statement("Allow", "", "sts:AssumeRole", "*", ""),
        statements(hop == Hop.ROLE_ASSUMES, deny, "{AWS: \"" + ACCOUNT + "\"}", "sts:AssumeRole", "", allowCondition,
            denyCondition),
        statement("Allow", "", "s3:*", "*", ""));
    Guard guard = new Guard(RegistryLoader.parse(yaml, "r.yaml", dir));
    String chain = hop == Hop.ROLE_ASSUMES ? ROLE + "First," + ROLE + "Second" : ROLE + "First";

    var findings = guard.inspect("copy t from 's3://bkt/in/' iam_role '" + chain + "'", Session.of("etl", "wg-1"))
        .findings();

    // reached, the stated value meets the Allow and misses the Deny; not reached, the key is unknown
    assertThat(findings).as(findings.toString()).hasSize(reaches ? 0 : 1);
  }
}
