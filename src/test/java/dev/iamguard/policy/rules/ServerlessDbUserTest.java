package dev.iamguard.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redshift Serverless passes {@code dbuser:serverless-<account>-<workgroup id>/<user>} as
 * sts:ExternalId (facts 5): a trust naming the workgroup's id trusts its users, one naming its name
 * does not (probe 19b: the name was used, so the guard allowed what STS refuses, denied what it
 * allows, and its remedy told users to write the trust that does not work).
 */
class ServerlessDbUserTest {
  private static final String ACCOUNT = "123456789012";
  private static final String ID = "0f0e0d0c-1111-2222-3333-444455556666";
  private static final String BY_ID = "arn:aws:iam::" + ACCOUNT + ":role/ById";
  private static final String BY_NAME = "arn:aws:iam::" + ACCOUNT + ":role/ByName";

  @TempDir Path dir;

  private static String trust(String externalId) {
    // a workgroup's role trusts both services (Management Guide, "Granting permissions to Amazon Redshift
    // Serverless": "contains redshift-serverless.amazonaws.com and redshift.amazonaws.com"; probe 23a F6)
    return "{Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {Service: [redshift.amazonaws.com,"
        + " redshift-serverless.amazonaws.com]},"
        + " Action: \"sts:AssumeRole\", Condition: {StringEquals: {sts:ExternalId: \"" + externalId + "\"}}}]}";
  }

  private List<Finding> findings(String role) throws Exception {
    String dbUser = "arn:aws:redshift:us-west-2:" + ACCOUNT + ":dbuser:serverless-" + ACCOUNT + "-";
    String yaml = """
        version: 1
        clusters:
          - id: analytics-wg
            serverless: true
            workgroup_id: %1$s
            account: "%2$s"
            region: us-west-2
            attached_roles: [%3$s, %4$s]
        roles:
          - arn: %3$s
            policy_files:
              trust: %5$s
              permissions: [{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}]
          - arn: %4$s
            policy_files:
              trust: %6$s
              permissions: [{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}]
        """.formatted(ID, ACCOUNT, BY_ID, BY_NAME, trust(dbUser + ID + "/etl"), trust(dbUser + "analytics-wg/etl"));
    Guard guard = new Guard(RegistryLoader.parse(yaml, "r.yaml", dir));
    return guard.inspect("copy t from 's3://bkt/in/' iam_role '" + role + "'", Session.of("etl", "analytics-wg"))
        .findings();
  }

  @Test
  void aWorkgroupsUsersAreNamedByItsId() throws Exception {
    assertThat(findings(BY_ID)).isEmpty();
    assertThat(findings(BY_NAME)).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo(RuleId.DB_USER_NOT_TRUSTED);
      assertThat(f.message() + f.remedy()).contains("serverless-" + ACCOUNT + "-" + ID + "/etl")
          .doesNotContain("serverless-" + ACCOUNT + "-analytics-wg/etl");
    });
  }
}
