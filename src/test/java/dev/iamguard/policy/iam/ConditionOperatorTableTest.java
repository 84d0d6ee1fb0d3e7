package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every condition operator of the IAM reference ("IAM JSON policy elements: Condition operators"),
 * in tables: an operator, the policy's values, what the request carries, and how the condition comes
 * out. Each row is checked twice, in an Allow statement and in a Deny statement beside an Allow of
 * everything, so that the conservative rule shows: a key the guard cannot know ({@code UNKNOWN})
 * never lets an Allow grant and always lets a Deny apply, and the decision says so.
 *
 * <p>Request column: values separated by {@code ;}, {@code ABSENT} (the request surely lacks the
 * key) or {@code UNKNOWN}. Outcome column: {@code TRUE}, {@code FALSE} or {@code UNKNOWN}.
 */
class ConditionOperatorTableTest {

  private static final String RESOURCE = "arn:aws:s3:::b/k";

  enum Outcome { TRUE, FALSE, UNKNOWN }

  @ParameterizedTest(name = "{0} {1} {2} vs {3} -> {4}")
  @CsvSource(delimiter = '|', textBlock = """
      # strings: case-sensitive, IgnoreCase, Like with * and ?
      StringEquals                    | aws:PrincipalTag/team | etl             | etl              | TRUE
      StringEquals                    | aws:PrincipalTag/team | etl             | ETL              | FALSE
      StringEquals                    | aws:PrincipalTag/team | etl;bi          | bi               | TRUE
      StringEquals                    | aws:PrincipalTag/team | etl             | ABSENT           | FALSE
      StringEquals                    | aws:PrincipalTag/team | etl             | UNKNOWN          | UNKNOWN
      StringNotEquals                 | aws:PrincipalTag/team | etl             | bi               | TRUE
      StringNotEquals                 | aws:PrincipalTag/team | etl;bi          | bi               | FALSE
      StringNotEquals                 | aws:PrincipalTag/team | etl             | ABSENT           | TRUE
      StringNotEquals                 | aws:PrincipalTag/team | etl             | UNKNOWN          | UNKNOWN
      StringEqualsIgnoreCase          | aws:PrincipalTag/team | etl             | ETL              | TRUE
      StringEqualsIgnoreCase          | aws:PrincipalTag/team | etl             | elt              | FALSE
      StringNotEqualsIgnoreCase       | aws:PrincipalTag/team | etl             | ETL              | FALSE
      StringNotEqualsIgnoreCase       | aws:PrincipalTag/team | etl             | bi               | TRUE
      StringLike                      | s3:prefix             | home/*          | home/u1/x        | TRUE
      StringLike                      | s3:prefix             | home/?          | home/ab          | FALSE
      StringLike                      | s3:prefix             | home/??         | home/ab          | TRUE
      StringLike                      | s3:prefix             | home/*          | Home/u1          | FALSE
      StringNotLike                   | s3:prefix             | home/*          | tmp/x            | TRUE
      StringNotLike                   | s3:prefix             | home/*          | home/x           | FALSE
      StringLikeIfExists              | s3:prefix             | home/*          | ABSENT           | TRUE
      StringLikeIfExists              | s3:prefix             | home/*          | tmp/x            | FALSE
      StringLikeIfExists              | s3:prefix             | home/*          | UNKNOWN          | UNKNOWN
      StringNotEqualsIfExists         | aws:SourceVpce        | vpce-1          | ABSENT           | TRUE
      StringNotEqualsIfExists         | aws:SourceVpce        | vpce-1          | vpce-1           | FALSE
      StringNotEqualsIfExists         | aws:SourceVpce        | vpce-1          | vpce-2           | TRUE
      StringNotEqualsIfExists         | aws:SourceVpce        | vpce-1          | UNKNOWN          | UNKNOWN
      # numbers
      NumericEquals                   | s3:max-keys           | 10              | 10               | TRUE
      NumericEquals                   | s3:max-keys           | 10              | 10.0             | TRUE
      NumericNotEquals                | s3:max-keys           | 10              | 11               | TRUE
      NumericLessThan                 | s3:max-keys           | 10              | 9                | TRUE
      NumericLessThan                 | s3:max-keys           | 10              | 10               | FALSE
      NumericLessThanEquals           | s3:max-keys           | 10              | 10               | TRUE
      NumericGreaterThan              | s3:max-keys           | 10              | 11               | TRUE
      NumericGreaterThan              | s3:max-keys           | 10              | 10               | FALSE
      NumericGreaterThanEquals        | s3:max-keys           | 10              | 10               | TRUE
      NumericLessThan                 | s3:max-keys           | 10              | ABSENT           | FALSE
      NumericLessThanIfExists         | s3:max-keys           | 10              | ABSENT           | TRUE
      NumericLessThan                 | s3:max-keys           | 10              | UNKNOWN          | UNKNOWN
      # dates: ISO 8601 and epoch seconds
      DateEquals                      | aws:CurrentTime       | 2026-01-01T00:00:00Z | 2026-01-01T00:00:00Z | TRUE
      DateNotEquals                   | aws:CurrentTime       | 2026-01-01T00:00:00Z | 2026-01-02T00:00:00Z | TRUE
      DateLessThan                    | aws:CurrentTime       | 2026-01-01T00:00:00Z | 2025-12-31T23:59:59Z | TRUE
      DateLessThan                    | aws:CurrentTime       | 2026-01-01          | 2026-01-01T00:00:00Z | FALSE
      DateLessThanEquals              | aws:CurrentTime       | 2026-01-01T00:00:00Z | 2026-01-01T00:00:00Z | TRUE
      DateGreaterThan                 | aws:CurrentTime       | 2026-01-01T00:00:00Z | 1767225601       | TRUE
      DateGreaterThanEquals           | aws:CurrentTime       | 2026-01-01T00:00:00Z | 2025-01-01T00:00:00Z | FALSE
      DateLessThan                    | aws:CurrentTime       | 2026-01-01T00:00:00Z | UNKNOWN          | UNKNOWN
      # Bool, BinaryEquals
      Bool                            | aws:SecureTransport   | false           | false            | TRUE
      Bool                            | aws:SecureTransport   | false           | true             | FALSE
      Bool                            | aws:SecureTransport   | true            | TRUE             | TRUE
      Bool                            | aws:SecureTransport   | false           | ABSENT           | FALSE
      BoolIfExists                    | aws:SecureTransport   | false           | ABSENT           | TRUE
      Bool                            | aws:MultiFactorAuthPresent | true       | UNKNOWN          | UNKNOWN
      BinaryEquals                    | aws:Bin               | QmluYXJ5        | QmluYXJ5         | TRUE
      BinaryEquals                    | aws:Bin               | QmluYXJ5        | QmluYXJ6         | FALSE
      # IP addresses and CIDR blocks, v4 and v6
      IpAddress                       | aws:SourceIp          | 203.0.113.0/24  | 203.0.113.7      | TRUE
      IpAddress                       | aws:SourceIp          | 203.0.113.0/24  | 203.0.114.7      | FALSE
      IpAddress                       | aws:SourceIp          | 2001:db8::/32   | 2001:db8:1::1    | TRUE
      NotIpAddress                    | aws:SourceIp          | 203.0.113.0/24  | 198.51.100.1     | TRUE
      NotIpAddress                    | aws:SourceIp          | 203.0.113.0/24  | 203.0.113.1      | FALSE
      IpAddress                       | aws:SourceIp          | 203.0.113.0/24  | UNKNOWN          | UNKNOWN
      # ARNs: wildcards within a segment
      ArnEquals                       | aws:SourceArn         | arn:aws:redshift:us-west-2:123456789012:cluster:c1 | arn:aws:redshift:us-west-2:123456789012:cluster:c1 | TRUE
      ArnLike                         | aws:SourceArn         | arn:aws:redshift:*:123456789012:cluster:* | arn:aws:redshift:us-west-2:123456789012:cluster:c1 | TRUE
      ArnLike                         | aws:SourceArn         | arn:aws:redshift:*:123456789012:cluster:* | arn:aws:redshift:us-west-2:210987654321:cluster:c1 | FALSE
      ArnNotEquals                    | aws:SourceArn         | arn:aws:redshift:us-west-2:123456789012:cluster:c1 | arn:aws:redshift:us-west-2:123456789012:cluster:c2 | TRUE
      ArnNotLike                      | aws:SourceArn         | arn:aws:redshift:*:123456789012:* | arn:aws:redshift:us-west-2:123456789012:cluster:c1 | FALSE
      ArnLike                         | aws:SourceArn         | arn:aws:redshift:*:123456789012:cluster:* | UNKNOWN | UNKNOWN
      # each of the six fields on its own: * does not span a colon, the sixth field holds the rest
      ArnLike                         | aws:SourceArn         | arn:aws:redshift:*:123456789012:* | arn:aws:redshift:us-west-2:x:123456789012:y | FALSE
      ArnEquals                       | aws:SourceArn         | arn:aws:redshift:us-west-2:123456789012:dbuser:c1/u | arn:aws:redshift:us-west-2:123456789012:dbuser:c1/u | TRUE
      ArnLike                         | aws:SourceArn         | arn:aws:redshift:*:123456789012:* | not-an-arn       | FALSE
      # Null: true = the key is absent
      Null                            | s3:x-amz-server-side-encryption | true  | ABSENT           | TRUE
      Null                            | s3:x-amz-server-side-encryption | true  | AES256           | FALSE
      Null                            | s3:x-amz-server-side-encryption | false | AES256           | TRUE
      Null                            | s3:x-amz-server-side-encryption | true  | UNKNOWN          | UNKNOWN
      # set operators on a multivalued key
      ForAnyValue:StringEquals        | aws:TagKeys           | a;b             | c;b              | TRUE
      ForAnyValue:StringEquals        | aws:TagKeys           | a;b             | c;d              | FALSE
      ForAnyValue:StringEquals        | aws:TagKeys           | a;b             | ABSENT           | FALSE
      ForAllValues:StringEquals       | aws:TagKeys           | a;b             | a;b              | TRUE
      ForAllValues:StringEquals       | aws:TagKeys           | a;b             | a;c              | FALSE
      ForAllValues:StringEquals       | aws:TagKeys           | a;b             | ABSENT           | TRUE
      ForAllValues:StringLike         | aws:TagKeys           | team-*          | team-a;team-b    | TRUE
      ForAnyValue:StringNotEquals     | aws:TagKeys           | a               | a;b              | TRUE
      ForAllValues:StringEquals       | aws:TagKeys           | a;b             | UNKNOWN          | UNKNOWN
      ForAnyValue:StringEquals        | aws:TagKeys           | a;b             | UNKNOWN          | UNKNOWN
      # every value must match under ForAllValues, whatever the operator's family
      ForAllValues:NumericLessThan    | s3:max-keys           | 10              | 8;9              | TRUE
      ForAllValues:NumericLessThan    | s3:max-keys           | 10              | 9;11             | FALSE
      ForAllValues:NumericLessThan    | s3:max-keys           | 10              | 9;ten            | FALSE
      ForAllValues:BinaryEquals       | aws:Bin               | QmluYXJ5        | QmluYXJ5;QmluYXJ6 | FALSE
      ForAllValues:BinaryEquals       | aws:Bin               | QmluYXJ5        | QmluYXJ5         | TRUE
      """)
  void operator(String operator, String key, String policyValues, String request, Outcome outcome)
      throws IamPolicyException {
    String condition = "{\"" + operator + "\": {\"" + key + "\": " + json(policyValues) + "}}";
    check(condition, context(key, request), outcome);
  }

  /**
   * Policy variables in condition values and resources: a present key's value, a default where the
   * key is absent, {@code ${*}} as a literal, and a variable of a key the guard cannot know (the
   * condition is then unknown, so the conservative rule applies).
   */
  @ParameterizedTest(name = "{0} {1} {2} with {3}={4} -> {5}")
  @CsvSource(delimiter = '|', textBlock = """
      StringEquals   | aws:PrincipalTag/team | ${aws:PrincipalTag/project}        | aws:PrincipalTag/project=etl   | etl      | TRUE
      StringEquals   | aws:PrincipalTag/team | ${aws:PrincipalTag/project}        | aws:PrincipalTag/project=bi    | etl      | FALSE
      StringEquals   | aws:PrincipalTag/team | ${aws:PrincipalTag/project}        | aws:PrincipalTag/project=      | etl      | FALSE
      StringEquals   | aws:PrincipalTag/team | ${aws:PrincipalTag/project, 'etl'} | aws:PrincipalTag/project=      | etl      | TRUE
      StringEquals   | aws:PrincipalTag/team | ${aws:PrincipalTag/project, 'a}b'} | aws:PrincipalTag/project=      | a}b      | TRUE
      StringEquals   | aws:PrincipalTag/team | ${aws:PrincipalTag/project, 'it''s'} | aws:PrincipalTag/project=    | it's     | TRUE
      StringEquals   | aws:PrincipalTag/team | ${aws:PrincipalTag/project}        | -                              | etl      | UNKNOWN
      StringLike     | s3:prefix             | home/${aws:username}/*             | aws:username=alice             | home/alice/x | TRUE
      StringLike     | s3:prefix             | home/${aws:username}/*             | aws:username=alice             | home/bob/x   | FALSE
      StringLike     | s3:prefix             | home/${aws:username}/*             | aws:username=                  | home//x      | FALSE
      StringLike     | s3:prefix             | a${*}b                             | -                              | a*b      | TRUE
      StringLike     | s3:prefix             | a${*}b                             | -                              | axb      | FALSE
      ArnLike        | aws:SourceArn         | arn:aws:iam::${aws:username}       | aws:username=alice             | arn:aws:iam::alice:x | FALSE
      ArnLike        | aws:SourceArn         | arn:aws:iam::1:${aws:username}     | aws:username=alice             | arn:aws:iam::1:alice | TRUE
      """)
  void variables(String operator, String key, String value, String variable, String request, Outcome outcome)
      throws IamPolicyException {
    RequestContext.Builder context = RequestContext.builder().put(key, request);
    if (!variable.equals("-")) {
      String[] kv = variable.split("=", -1);
      if (kv[1].isEmpty()) {
        context.absent(kv[0]);
      } else {
        context.put(kv[0], kv[1]);
      }
    }
    String condition = "{\"" + operator + "\": {\"" + key + "\": \"" + value + "\"}}";
    check(condition, context.build(), outcome);
  }

  private static void check(String condition, RequestContext context, Outcome outcome) throws IamPolicyException {
    IamPolicy allow = IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
        + " \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": " + condition + "}]}", "allow.json");
    IamPolicy deny = IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": ["
        + "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},"
        + "{\"Sid\": \"Guard\", \"Effect\": \"Deny\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\","
        + " \"Condition\": " + condition + "}]}", "deny.json");
    IamRequest request = IamRequest.of("s3:GetObject", RESOURCE, context);
    IamDecision allowed = allow.decide(request);
    IamDecision denied = deny.decide(request);
    switch (outcome) {
      case TRUE -> {
        assertThat(allowed.effect()).isEqualTo(IamEffect.ALLOW);
        assertThat(denied.effect()).isEqualTo(IamEffect.DENY);
      }
      case FALSE -> {
        assertThat(allowed.effect()).isEqualTo(IamEffect.IMPLICIT_DENY);
        assertThat(denied.effect()).isEqualTo(IamEffect.ALLOW);
      }
      case UNKNOWN -> { // the conservative rule: no grant, the Deny applies, and both say why
        assertThat(allowed.effect()).isEqualTo(IamEffect.IMPLICIT_DENY);
        assertThat(allowed.conservative()).isNotEmpty();
        assertThat(denied.effect()).isEqualTo(IamEffect.DENY);
        assertThat(denied.conservative()).isNotEmpty();
        assertThat(denied.conservative().get(0).describe()).contains("Deny is taken to apply");
      }
      default -> throw new AssertionError(outcome);
    }
    assertThat(allowed.conservativeUsed()).isEqualTo(outcome == Outcome.UNKNOWN);
  }

  private static String json(String values) {
    List<String> list = Arrays.asList(values.split(";"));
    return list.size() == 1 ? "\"" + list.get(0) + "\""
        : "[" + String.join(", ", list.stream().map(v -> "\"" + v + "\"").toList()) + "]";
  }

  private static RequestContext context(String key, String request) {
    return switch (request) {
      case "UNKNOWN" -> RequestContext.UNKNOWN_ALL;
      case "ABSENT" -> RequestContext.builder().absent(key).build();
      default -> RequestContext.builder().put(key, request.split(";")).build();
    };
  }
}
