package dev.iamguard.policy;

import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * A guard whose one role, written as IAM documents, may do {@code s3:*} on everything but what a
 * Deny names: the setting in which a location spelt otherwise than S3 reads it escapes the Deny.
 */
final class WideRoleGuard {
  static final String ROLE = "arn:aws:iam::123456789012:role/Wide";

  private final Guard guard;

  /** {@code denied}: the Deny's resources, as a YAML flow sequence or one quoted ARN. */
  WideRoleGuard(Path dir, String denied) throws Exception {
    String yaml = """
        version: 1
        clusters:
          - id: c1
            account: "123456789012"
            region: us-west-2
            attached_roles: [%s]
        roles:
          - arn: %s
            policy_files:
              trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: redshift.amazonaws.com}, Action: "sts:AssumeRole"}]}
              permissions: [{Version: "2012-10-17", Statement: [
                {Effect: Allow, Action: "s3:*", Resource: "*"},
                {Effect: Deny, Action: "s3:*", Resource: %s}]}]
        """.formatted(ROLE, ROLE, denied);
    guard = new Guard(RegistryLoader.parse(yaml, "r.yaml", dir));
  }

  Decision inspect(String sql) {
    return guard.inspect(sql, Session.of("u", "c1"));
  }

  List<RuleId> rules(String sql) {
    return inspect(sql).findings().stream().map(Finding::rule).toList();
  }

  /**
   * Every statement {@code place} makes of each key, at each of the three positions of
   * {@link #script}, that does not get {@link RuleId#S3_NOT_PERMITTED}; {@code count[0]} counts them all.
   */
  List<String> notDenied(List<String> keys, List<java.util.function.Function<String, String>> places, int[] count) {
    List<String> passed = new java.util.ArrayList<>();
    for (String key : keys) {
      for (java.util.function.Function<String, String> place : places) {
        for (int position = 0; position < 3; position++) {
          String sql = script(place.apply(key), position);
          count[0]++;
          if (!rules(sql).contains(RuleId.S3_NOT_PERMITTED)) {
            passed.add(sql);
          }
        }
      }
    }
    return passed;
  }

  /** {@code statement} alone (0), after another statement (1), or before one (2). */
  static String script(String statement, int position) {
    return switch (position) {
      case 0 -> statement;
      case 1 -> "select 1;\n" + statement;
      default -> statement + ";\nselect 2";
    };
  }
}
