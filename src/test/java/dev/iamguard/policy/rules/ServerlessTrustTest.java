package dev.iamguard.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The trust of a serverless workgroup's role (probe 23a F6). Management Guide, "Granting
 * permissions to Amazon Redshift Serverless": "make sure that it contains
 * redshift-serverless.amazonaws.com and redshift.amazonaws.com as principal service names". A
 * workgroup's role must trust both (regional forms included); a provisioned cluster's needs
 * redshift alone. The finding names what is missing.
 *
 * <p>Each row: the trust's service principals (one statement, or {@code ;} between statements),
 * then what a workgroup and a provisioned cluster in us-west-2 lack ({@code -} for nothing).
 */
class ServerlessTrustTest {
  private static final String ACCOUNT = "123456789012";
  private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/Loader";

  @TempDir Path dir;

  private List<Finding> findings(String services, boolean serverless) throws Exception {
    String statements = Arrays.stream(services.split(";")).map(group -> "{Effect: Allow, Principal: {Service: ["
        + group.strip().replace(' ', ',') + "]}, Action: \"sts:AssumeRole\"}").collect(Collectors.joining(", "));
    String yaml = """
        version: 1
        clusters:
          - id: wg-1
            serverless: %1$s
            account: "%2$s"
            region: us-west-2
            attached_roles: [%3$s]
        roles:
          - arn: %3$s
            policy_files:
              trust: {Version: "2012-10-17", Statement: [%4$s]}
              permissions: [{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}]
        """.formatted(serverless, ACCOUNT, ROLE, statements);
    Guard guard = new Guard(RegistryLoader.parse(yaml, "r.yaml", dir));
    return guard.inspect("copy t from 's3://bkt/in/' iam_role '" + ROLE + "'", Session.of("etl", "wg-1")).findings();
  }

  @ParameterizedTest(name = "{0}: workgroup lacks {1}, cluster lacks {2}")
  @CsvSource(delimiter = '|', textBlock = """
      redshift.amazonaws.com                                                       | redshift-serverless.amazonaws.com | -
      redshift.us-west-2.amazonaws.com                                             | redshift-serverless.amazonaws.com | -
      redshift-serverless.amazonaws.com                                            | redshift.amazonaws.com            | redshift.amazonaws.com
      redshift-serverless.us-west-2.amazonaws.com                                  | redshift.amazonaws.com            | redshift.amazonaws.com
      redshift-serverless.amazonaws.com redshift.amazonaws.com                     | -                                 | -
      redshift-serverless.amazonaws.com ; redshift.amazonaws.com                   | -                                 | -
      redshift-serverless.us-west-2.amazonaws.com redshift.us-west-2.amazonaws.com | -                                 | -
      redshift-serverless.us-east-1.amazonaws.com redshift.amazonaws.com           | redshift-serverless.amazonaws.com | -
      lambda.amazonaws.com redshift.amazonaws.com                                  | redshift-serverless.amazonaws.com | -
      lambda.amazonaws.com                                                         | redshift-serverless.amazonaws.com and redshift.amazonaws.com | redshift.amazonaws.com
      """)
  void aWorkgroupsRoleMustTrustBothServices(String services, String workgroupLacks, String clusterLacks)
      throws Exception {
    for (boolean serverless : List.of(true, false)) {
      String lacks = serverless ? workgroupLacks : clusterLacks;
      List<Finding> found = findings(services, serverless);
      if (lacks.equals("-")) {
        assertThat(found).as("serverless " + serverless).isEmpty();
      } else {
        assertThat(found).as("serverless " + serverless).singleElement().satisfies(f -> {
          assertThat(f.rule()).isEqualTo(RuleId.REGION_NOT_TRUSTED);
          if (serverless) {
            assertThat(f.message()).contains("does not trust " + lacks + " in region us-west-2");
            assertThat(f.remedy()).startsWith("add " + lacks + " to the role's trust policy");
          }
        });
      }
    }
  }
}
