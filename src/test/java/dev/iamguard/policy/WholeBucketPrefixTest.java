package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.inspect;
import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The s3:ListBucket of a whole-bucket read or write (probe 23a F7): whether S3 puts an empty
 * prefix in the request context as "" or leaves the key out is not documented, so s3:prefix is
 * unknown there: a Deny on it applies (Null true, StringEquals "", ...), an Allow that depends on it
 * does not grant. A location with a key keeps its s3:prefix.
 *
 * <p>Generated: 4 whole-bucket spellings (COPY and UNLOAD) x 8 ListBucket statements, with a keyed
 * location as control.
 */
class WholeBucketPrefixTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/Loader";

  @TempDir Path dir;

  /** {ListBucket statements beside an unconditioned Allow (or alone), whole bucket allowed?, keyed allowed?}. */
  private static final List<Object[]> POLICIES = List.of(
      new Object[] {"{Effect: Deny, Action: \"s3:ListBucket\", Resource: \"*\", Condition: {Null: {s3:prefix: \"true\"}}}", false, true},
      new Object[] {"{Effect: Deny, Action: \"s3:ListBucket\", Resource: \"*\", Condition: {StringEquals: {s3:prefix: \"\"}}}", false, true},
      new Object[] {"{Effect: Deny, Action: \"s3:ListBucket\", Resource: \"*\", Condition: {StringNotLike: {s3:prefix: \"in/*\"}}}", false, true},
      new Object[] {"{Effect: Deny, Action: \"s3:ListBucket\", Resource: \"*\", Condition: {StringEqualsIfExists: {s3:prefix: \"\"}}}", false, true},
      new Object[] {"{Effect: Deny, Action: \"s3:ListBucket\", Resource: \"*\", Condition: {Null: {s3:prefix: \"false\"}}}", false, false},
      new Object[] {"{Effect: Deny, Action: \"s3:ListBucket\", Resource: \"arn:aws:s3:::other\", Condition: {Null: {s3:prefix: \"true\"}}}", true, true});
  /** Allows of ListBucket that depend on s3:prefix, alone: {statement, whole bucket allowed?, keyed allowed?}. */
  private static final List<Object[]> ALLOWS = List.of(
      new Object[] {"{Effect: Allow, Action: \"s3:ListBucket\", Resource: \"*\", Condition: {StringLike: {s3:prefix: \"*\"}}}", false, true},
      new Object[] {"{Effect: Allow, Action: \"s3:ListBucket\", Resource: \"*\", Condition: {Null: {s3:prefix: \"true\"}}}", false, false},
      new Object[] {"{Effect: Allow, Action: \"s3:ListBucket\", Resource: \"*\", Condition: {StringEquals: {s3:prefix: \"\"}}}", false, false},
      new Object[] {"{Effect: Allow, Action: \"s3:ListBucket\", Resource: \"*\"}", true, true});

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    String allowList = "{Effect: Allow, Action: \"s3:ListBucket\", Resource: \"*\"}";
    for (String location : List.of("s3://bkt/", "s3://bkt", "S3://bkt/")) {
      for (Object[] p : POLICIES) {
        all.add(Arguments.of(location, allowList + ", " + p[0], p[1], p[2]));
      }
      for (Object[] p : ALLOWS) {
        all.add(Arguments.of(location, p[0], p[1], p[2]));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("cases")
  void aWholeBucketListingHasAnUnknownPrefix(String location, String listing, boolean wholeAllowed,
      boolean keyedAllowed) throws Exception {
    var registry = DocumentRoleRegistry.of(ROLE, "{Effect: Allow, Action: [\"s3:GetObject\", \"s3:PutObject\"],"
        + " Resource: \"*\"}, " + listing, dir);
    for (String sql : List.of("copy t from '" + location + "' iam_role '" + ROLE + "'",
        "unload ('select 1') to '" + location + "' iam_role '" + ROLE + "'")) {
      assertThat(rules(inspect(registry, "u", sql))).as(sql)
          .isEqualTo(wholeAllowed ? List.of() : List.of(RuleId.S3_NOT_PERMITTED));
    }
    String keyed = "copy t from 's3://bkt/in/x' iam_role '" + ROLE + "'";
    assertThat(rules(inspect(registry, "u", keyed))).as(keyed)
        .isEqualTo(keyedAllowed ? List.of() : List.of(RuleId.S3_NOT_PERMITTED));
  }
}
