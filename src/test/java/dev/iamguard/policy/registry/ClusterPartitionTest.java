package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.iam.Resources;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A cluster and its roles live in one AWS partition: partitions have separate IAM, so a cluster in
 * aws-cn or aws-us-gov never assumes an arn:aws: role, nor the reverse. An attached or default role
 * of another partition than the cluster's region is a load error naming both; a statement whose
 * IAM_ROLE (or a chain's first role, or CATALOG_ROLE) is of another partition is denied, saying so.
 */
class ClusterPartitionTest {

  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "cn-north-1", "cn-northwest-1",
      "us-gov-west-1", "us-gov-east-1");
  private static final List<String> PARTITIONS = List.of("aws", "aws-cn", "aws-us-gov");

  private static String role(String partition, String name) {
    return "arn:" + partition + ":iam::123456789012:role/" + name;
  }

  private static String registry(String region, String attached, String defaultRole, String roles) {
    return "version: 1\nclusters:\n  - id: c\n    account: \"123456789012\"\n    region: " + region + "\n"
        + "    attached_roles: [" + attached + "]\n" + (defaultRole == null ? "" : "    default_role: " + defaultRole + "\n")
        + "roles:\n" + roles;
  }

  private static String allowed(String arn) {
    return "  - arn: " + arn + "\n    allow: {s3_read: [\"s3://bkt/data/\"], s3_write: [\"s3://bkt/data/\"]}\n";
  }

  static Stream<Arguments> regionsAndPartitions() {
    return REGIONS.stream().flatMap(region -> PARTITIONS.stream().map(p -> Arguments.of(region, p)));
  }

  @ParameterizedTest(name = "{0} with an attached role of {1}")
  @MethodSource("regionsAndPartitions")
  void attachedRolesOfAnotherPartitionAreLoadErrors(String region, String partition) throws RegistryException {
    String arn = role(partition, "R");
    String yaml = registry(region, arn, null, allowed(arn));
    if (partition.equals(DbUsers.partition(region))) {
      assertThat(RegistryLoader.parse(yaml, "r.yaml", Resources.path("registry")).clusters()).hasSize(1);
      return;
    }
    assertThat(problems(yaml)).containsExactly("r.yaml:6: clusters[0].attached_roles[0]: role " + arn
        + " is in partition " + partition + ", but the cluster's region " + region + " is in partition "
        + DbUsers.partition(region) + ": AWS partitions have separate IAM, so a cluster never assumes a role of"
        + " another partition; write the role's ARN as arn:" + DbUsers.partition(region) + ":iam::..., or correct"
        + " the region");
  }

  @ParameterizedTest(name = "{0} with a default role of {1}")
  @MethodSource("regionsAndPartitions")
  void defaultRolesOfAnotherPartitionAreLoadErrors(String region, String partition) throws RegistryException {
    String home = role(DbUsers.partition(region), "Home");
    String arn = role(partition, "R");
    String attached = partition.equals(DbUsers.partition(region)) ? home + ", " + arn : home;
    String yaml = registry(region, attached, arn, allowed(home) + allowed(arn));
    if (partition.equals(DbUsers.partition(region))) {
      assertThat(RegistryLoader.parse(yaml, "r.yaml", Resources.path("registry")).clusters().get(0).defaultRole())
          .hasValueSatisfying(r -> assertThat(r.toString()).isEqualTo(arn));
      return;
    }
    assertThat(problems(yaml)).singleElement().asString().startsWith("r.yaml:7: clusters[0].default_role: role "
        + arn + " is in partition " + partition + ", but the cluster's region " + region + " is in partition "
        + DbUsers.partition(region));
  }

  /** Auth clauses whose first role is {@code first}: IAM_ROLE alone, a chain's first role, CATALOG_ROLE. */
  static Stream<Arguments> firstHops() {
    return regionsAndPartitions().flatMap(a -> {
      String region = (String) a.get()[0];
      String partition = (String) a.get()[1];
      String first = role(partition, "Foreign");
      String home = role(DbUsers.partition(region), "Home");
      return Stream.of(
          Arguments.of(region, partition, "copy t from 's3://bkt/data/x' iam_role '" + first + "'"),
          Arguments.of(region, partition, "copy t from 's3://bkt/data/x' iam_role '" + first + "," + home + "'"),
          Arguments.of(region, partition, "unload ('select 1') to 's3://bkt/data/x_' iam_role '" + first + "'"),
          Arguments.of(region, partition, "create external schema s from data catalog database 'db' iam_role '"
              + home + "' catalog_role '" + first + "'"));
    });
  }

  @ParameterizedTest(name = "{0}, first role of {1}: {2}")
  @MethodSource("firstHops")
  void aFirstRoleOfAnotherPartitionIsDenied(String region, String partition, String sql) throws RegistryException {
    String home = role(DbUsers.partition(region), "Home");
    Guard guard = new Guard(RegistryLoader.parse(registry(region, home, null, allowed(home)
        + allowed(role(partition, "Foreign"))), "r.yaml", Resources.path("registry")));
    Decision decision = guard.inspect(sql, Session.of("user1", "c"));
    List<Finding> partitionFindings = decision.findings().stream()
        .filter(f -> f.message().contains("partitions have separate IAM")).toList();
    if (partition.equals(DbUsers.partition(region))) {
      assertThat(partitionFindings).isEmpty();
      return;
    }
    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(partitionFindings).anySatisfy(f -> {
      assertThat(f.rule()).isEqualTo(RuleId.ROLE_NOT_ATTACHED);
      assertThat(f.message()).contains(role(partition, "Foreign") + " (partition " + partition + ") cannot be"
          + " assumed by cluster c in " + region + " (partition " + DbUsers.partition(region) + ")");
    });
  }

  private static List<String> problems(String yaml) {
    RegistryException e = assertThrows(RegistryException.class,
        () -> RegistryLoader.parse(yaml, "r.yaml", Resources.path("registry")));
    return e.problems().stream().map(RegistryProblem::toString).toList();
  }
}
