package dev.iamguard.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A cluster's {@code request_context} that states {@code aws:RequestedRegion} ("the AWS Region that
 * was called in the request") states it for requests to the cluster's region. A COPY or UNLOAD whose
 * REGION names another region sends its role session's S3 requests there: a Deny on any region but
 * the cluster's applies to them, and an Allow on that other region grants them.
 *
 * <p>Generated: COPY and UNLOAD x no REGION, the cluster's, another region (in either case) x a Deny
 * outside the cluster's region or an Allow inside the other one.
 */
class StatedRequestedRegionTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/Loader";

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String command : List.of("copy t from 's3://bkt/in/' iam_role '" + ROLE + "'%s",
        "unload ('select 1') to 's3://bkt/out/' iam_role '" + ROLE + "'%s")) {
      for (String region : new String[] {null, "us-west-2", "us-east-1", "US-EAST-1"}) {
        for (boolean denyElsewhere : List.of(true, false)) {
          all.add(Arguments.of(command.formatted(region == null ? "" : " region '" + region + "'"), region,
              denyElsewhere));
        }
      }
    }
    return all.stream();
  }

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}: deny elsewhere {2}")
  @MethodSource("cases")
  void aStatementsRegionIsWhereItsS3RequestsGo(String sql, String region, boolean denyElsewhere) throws Exception {
    // the Deny: any region but the cluster's; the Allow: us-east-1 only
    String conditioned = denyElsewhere
        ? "{Effect: Allow, Action: \"s3:*\", Resource: \"*\"}, {Effect: Deny, Action: \"s3:*\", Resource: \"*\","
            + " Condition: {StringNotEquals: {\"aws:RequestedRegion\": us-west-2}}}"
        : "{Effect: Allow, Action: \"s3:*\", Resource: \"*\", Condition: {StringEquals: {\"aws:RequestedRegion\": us-east-1}}}";
    String yaml = """
        version: 1
        clusters:
          - id: c1
            account: "123456789012"
            region: us-west-2
            attached_roles: [%1$s]
            request_context: {"aws:RequestedRegion": us-west-2}
        roles:
          - arn: %1$s
            policy_files:
              trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: redshift.amazonaws.com}, Action: "sts:AssumeRole"}]}
              permissions: [{Version: "2012-10-17", Statement: [%2$s]}]
        """.formatted(ROLE, conditioned);
    Guard guard = new Guard(RegistryLoader.parse(yaml, "r.yaml", dir));
    boolean elsewhere = region != null && !region.toLowerCase(Locale.ROOT).equals("us-west-2");

    // the same statement without its REGION first: nothing the guard keeps between statements carries its region over
    guard.inspect(sql.replaceAll(" region '[^']*'", ""), Session.of("etl", "c1"));
    var findings = guard.inspect(sql, Session.of("etl", "c1")).findings();

    // requests to us-west-2 meet the Deny's region and miss the Allow's; requests to us-east-1 the other way round
    boolean allowed = denyElsewhere != elsewhere;
    assertThat(findings).as(findings.toString()).hasSize(allowed ? 0 : 1);
  }
}
