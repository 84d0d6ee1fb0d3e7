package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed document's examples (../shared/seed/redshift-iam-authorization.txt) against the
 * project's samples: {@code samples/registry.yaml} (short form) and {@code samples/registry-iam.yaml}
 * (the same roles as IAM documents in {@code samples/iam/}).
 */
class SeedScenarioTest {
  static final Path SAMPLES = Path.of("samples");
  static final String ACCOUNT = "123456789012";
  static final String ROLE_A = "arn:aws:iam::123456789012:role/RoleA";
  static final String ROLE_B = "arn:aws:iam::210987654321:role/RoleB";
  static final String COPY_UNLOAD = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  static final String CHAIN = ROLE_A + "," + ROLE_B;

  /** The seed's four chaining examples, verbatim. */
  static final List<String> SEED_CHAINS = List.of(
      "unload ('select * from venue limit 10') to 's3://companyb/redshift/venue_pipe_' iam_role "
          + "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB';",
      "copy venue from 's3://companyb/redshift/venue_pipe_' iam_role "
          + "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB';",
      "create external schema spectrumexample from data catalog database 'exampledb' region 'us-west-2' "
          + "iam_role 'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB';",
      "create external function lambda_example(varchar) returns varchar volatile lambda 'exampleLambdaFunction' "
          + "iam_role 'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB';");

  @TempDir
  Path dir;

  static Registry load(Path file) {
    try {
      return RegistryLoader.load(file);
    } catch (RegistryException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  static Registry sample(String name) {
    assertThat(SAMPLES.resolve(name)).as("the project's samples folder").isRegularFile();
    return load(SAMPLES.resolve(name));
  }

  static Decision inspect(Registry registry, String user, String cluster, String sql) {
    return new Guard(registry).inspect(sql, Session.of(user, cluster));
  }

  /** Copies samples/ into the temp folder, so that one file can be edited for a scenario. */
  Path copyOfSamples() {
    try (Stream<Path> files = Files.walk(SAMPLES)) {
      for (Path file : files.toList()) {
        Path target = dir.resolve(SAMPLES.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces {@code from} (which must be there) by {@code to} in {@code file}. */
  static void edit(Path file, String from, String to) {
    try {
      String text = Files.readString(file);
      assertThat(text).as(file + " still holds what the test edits").contains(from);
      Files.writeString(file, text.replace(from, to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"registry.yaml", "registry-iam.yaml"})
  void theFourChainedExamplesAreAllowedForUser1(String registry) {
    Decision decision = inspect(sample(registry), "user1", null, String.join("\n", SEED_CHAINS));

    assertThat(decision.statements()).extracting(s -> s.statement().command().kind().name()).containsExactly(
        "UNLOAD", "COPY", "CREATE_EXTERNAL_SCHEMA", "CREATE_EXTERNAL_FUNCTION");
    assertThat(decision.statements()).allSatisfy(s -> assertThat(s.verdict()).isEqualTo(Verdict.ALLOW));
    assertThat(decision.findings()).isEmpty();
    assertThat(decision.sql()).isEqualTo(String.join("\n", SEED_CHAINS));
  }

  /**
   * Seed: "only database users user1 and user2 on cluster my-cluster in region us-west-2 have
   * permission to use this IAM role".
   */
  @ParameterizedTest
  @ValueSource(strings = {"registry.yaml", "registry-iam.yaml"})
  void redshiftCopyUnloadTrustsOnlyUser1AndUser2OfMyCluster(String name) {
    Registry registry = sample(name);
    String copy = "copy sales from 's3://acmedata/redshift/sales/' iam_role default";

    Decision user3 = inspect(registry, "user3", null, copy);
    assertThat(rules(user3)).containsExactly(RuleId.DB_USER_NOT_TRUSTED);
    assertThat(user3.findings().get(0).message()).contains(COPY_UNLOAD,
        "arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/user3");
    assertThat(rules(inspect(registry, "user3", null, "copy sales from 's3://acmedata/redshift/sales/' iam_role '"
        + COPY_UNLOAD + "'"))).contains(RuleId.DB_USER_NOT_TRUSTED);
    assertThat(rules(inspect(registry, "user1", null, copy))).isEmpty();
    assertThat(rules(inspect(registry, "user2", null, copy))).isEmpty();
  }

  /**
   * Seed: "permits the use of the IAM role in the us-east-1 and us-west-2 regions only". A second
   * and a third cluster (eu-west-1, us-east-1) are added, with a region-restricted role as default.
   */
  @ParameterizedTest
  @ValueSource(strings = {"registry.yaml", "registry-iam.yaml"})
  void aRegionRestrictedRoleIsRefusedOutsideItsRegions(String name) {
    Path copy = copyOfSamples();
    String restricted = "arn:aws:iam::123456789012:role/RegionRestricted";
    String clusters = """
        clusters:
          - {id: eu-cluster, account: "123456789012", region: eu-west-1, attached_roles: [%1$s], default_role: %1$s}
          - {id: east-cluster, account: "123456789012", region: us-east-1, attached_roles: [%1$s], default_role: %1$s}
        """.formatted(restricted);
    String role = name.equals("registry.yaml")
        ? "roles:\n  - arn: " + restricted + "\n    trust: {regions: [us-east-1, us-west-2]}\n"
            + "    allow: {s3_read: [\"s3://acmedata/redshift/\"]}\n"
        : "roles:\n  - arn: " + restricted + "\n    policy_files: {trust: iam/RegionRestricted.trust.json, "
            + "permissions: [iam/RedshiftCopyUnload.s3.json]}\n";
    edit(copy.resolve(name), "\nclusters:\n", "\n" + clusters);
    edit(copy.resolve(name), "\nroles:\n", "\n" + role);
    Registry registry = load(copy.resolve(name));
    String sql = "copy sales from 's3://acmedata/redshift/sales/' iam_role default";

    Decision eu = inspect(registry, "user1", "eu-cluster", sql);
    assertThat(rules(eu)).containsExactly(RuleId.REGION_NOT_TRUSTED);
    assertThat(eu.findings().get(0).message()).contains(restricted, "eu-west-1");
    assertThat(rules(inspect(registry, "user1", "east-cluster", sql))).isEmpty();
    assertThat(rules(inspect(registry, "user1", "my-cluster", sql))).isEmpty();
  }

  /** Seed: "The first role in the chain must be a role attached to the cluster." */
  @ParameterizedTest
  @ValueSource(strings = {"registry.yaml", "registry-iam.yaml"})
  void aChainStartingWithRoleBIsNotAttached(String name) {
    Decision decision = inspect(sample(name), "user1", null,
        "copy venue from 's3://companyb/redshift/venue_pipe_' iam_role '" + ROLE_B + "," + ROLE_A + "'");

    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(rules(decision).get(0)).isEqualTo(RuleId.ROLE_NOT_ATTACHED);
    assertThat(decision.findings().get(0).message()).contains(ROLE_B, "my-cluster");
    assertThat(rules(inspect(sample(name), "user1", null,
        "copy venue from 's3://companyb/redshift/venue_pipe_' iam_role '" + ROLE_B + "'")))
        .startsWith(RuleId.ROLE_NOT_ATTACHED);
  }

  /** Seed: "RoleB must have a trust policy that allows it to pass its permissions to ... RoleA". */
  @ParameterizedTest
  @ValueSource(strings = {"registry.yaml", "registry-iam.yaml"})
  void aSecondRoleThatDoesNotTrustTheFirstIsChainNotTrusted(String name) {
    Path copy = copyOfSamples();
    if (name.equals("registry.yaml")) {
      edit(copy.resolve(name), "principals: [arn:aws:iam::123456789012:root]", "principals: [arn:aws:iam::999999999999:root]");
    } else {
      edit(copy.resolve("iam/RoleB.trust.json"), "arn:aws:iam::123456789012:root", "arn:aws:iam::999999999999:root");
    }

    Decision decision = inspect(load(copy.resolve(name)), "user1", null, SEED_CHAINS.get(1));

    assertThat(rules(decision)).containsExactly(RuleId.CHAIN_NOT_TRUSTED);
    assertThat(decision.findings().get(0).message()).contains(ROLE_B, ROLE_A, "arn:aws:iam::123456789012:root");
  }

  /** Seed: "RoleA must have a permissions policy that allows it to assume the next chained role". */
  @ParameterizedTest
  @ValueSource(strings = {"registry.yaml", "registry-iam.yaml"})
  void aFirstRoleWithoutAssumeRoleOnTheSecondIsChainNotPermitted(String name) {
    Path copy = copyOfSamples();
    if (name.equals("registry.yaml")) {
      edit(copy.resolve(name), "assume: [arn:aws:iam::210987654321:role/RoleB]", "assume: [arn:aws:iam::210987654321:role/RoleC]");
    } else {
      edit(copy.resolve("iam/RoleA.permissions.json"), "role/RoleB", "role/RoleC");
    }

    Decision decision = inspect(load(copy.resolve(name)), "user1", null, SEED_CHAINS.get(1));

    assertThat(rules(decision)).containsExactly(RuleId.CHAIN_NOT_PERMITTED);
    assertThat(decision.findings().get(0).message()).contains(ROLE_A, ROLE_B, "sts:AssumeRole");
  }

  /** Seed: RoleB "has permission to access the bucket named s3://companyb/redshift/"; RoleA has none. */
  @ParameterizedTest
  @ValueSource(strings = {"registry.yaml", "registry-iam.yaml"})
  void resourceChecksUseTheLastRoleOfTheChain(String name) {
    Registry registry = sample(name);

    Decision acme = inspect(registry, "user1", null,
        "unload ('select 1') to 's3://acmedata/redshift/unload/x' iam_role '" + CHAIN + "'");
    assertThat(rules(acme)).containsExactly(RuleId.S3_NOT_PERMITTED);
    assertThat(acme.findings().get(0).message()).contains("role " + ROLE_B + " may not write");
    Decision roleAAlone = inspect(registry, "user1", null,
        "create external function f(varchar) returns varchar volatile lambda 'exampleLambdaFunction' iam_role '"
            + ROLE_A + "'");
    assertThat(rules(roleAAlone)).contains(RuleId.LAMBDA_NOT_PERMITTED);
    assertThat(roleAAlone.findings()).filteredOn(f -> f.rule() == RuleId.LAMBDA_NOT_PERMITTED)
        .singleElement().satisfies(f -> assertThat(f.message()).contains("role " + ROLE_A));
  }

  @ParameterizedTest
  @ValueSource(strings = {"registry.yaml", "registry-iam.yaml"})
  void theSeedsLeastPrivilegePrefixesHold(String name) {
    Registry registry = sample(name);

    assertThat(rules(inspect(registry, "user1", null,
        "unload ('select 1') to 's3://acmedata/redshift/unload/users_' iam_role default"))).isEmpty();
    Decision outside = inspect(registry, "user1", null,
        "unload ('select 1') to 's3://acmedata/redshift/users_' iam_role default");
    assertThat(rules(outside)).containsExactly(RuleId.S3_NOT_PERMITTED);
    assertThat(outside.findings().get(0).subject()).isEqualTo("s3://acmedata/redshift/users_");
  }
}
