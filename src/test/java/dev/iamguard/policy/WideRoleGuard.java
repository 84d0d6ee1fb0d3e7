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

  /** {@code statement} alone (0), after another statement (1), or before one (2). */
  static String script(String statement, int position) {
    return switch (position) {
      case 0 -> statement;
      case 1 -> "select 1;\n" + statement;
      default -> statement + ";\nselect 2";
    };
  }
}
