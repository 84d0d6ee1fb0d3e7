package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.inspect;
import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A chain member written in the SQL in another letter case than the registry's role (probe 23a
 * F5). The registry treats both spellings as one role (names are unique ignoring case), so the
 * session that calls is the registry's role: aws:PrincipalArn carries its ARN, and a Deny written on
 * it applies whatever the SQL spelling. Whether IAM matches the sts:AssumeRole Resource against
 * the ARN as requested or as stored is not documented, so a Deny on either applies.
 *
 * <p>Generated: 4 spellings of each member x 4 forms of the Deny (trust of the next role on
 * aws:PrincipalArn, permission of the caller on the Resource).
 */
class ChainMemberSpellingTest {
  private static final String A = "111122223333";
  private static final String ROLE = "arn:aws:iam::" + A + ":role/";

  @TempDir
  Path dir;

  static Stream<Arguments> principalArnDenies() {
    List<Arguments> all = new ArrayList<>();
    for (String spelling : List.of("First", "first", "FIRST", "fIrSt")) {
      for (String condition : List.of("StringEquals", "ArnEquals", "ArnLike", "StringLike")) {
        all.add(Arguments.of(spelling, condition));
      }
    }
    return all.stream();
  }

  static Stream<Arguments> resourceDenies() {
    List<Arguments> all = new ArrayList<>();
    for (String spelling : List.of("Secret", "secret", "SECRET", "sEcReT")) {
      for (String resource : List.of("\"" + ROLE + "Secret\"", "[\"" + ROLE + "Other\", \"" + ROLE + "Secret\"]",
          "\"" + ROLE + "Sec*\"", "\"arn:aws:iam::*:role/Secret\"")) {
        all.add(Arguments.of(spelling, resource));
      }
    }
    return all.stream();
  }

  /** First (attached) may assume every role but what {@code denyResource} names; the others trust A's root. */
  private Registry registry(String targetTrustDeny, String denyResource) throws Exception {
    Path iam = Files.createDirectories(dir.resolve("iam"));
    Files.writeString(iam.resolve("first.trust.json"), """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Service": "redshift.amazonaws.com"}, "Action": "sts:AssumeRole"}]}""");
    Files.writeString(iam.resolve("first.json"), """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"},
          {"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": %s}]}""".formatted(denyResource));
    Files.writeString(iam.resolve("root.trust.json"), """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"AWS": "%s"}, "Action": "sts:AssumeRole"}%s]}""".formatted(A, targetTrustDeny));
    Files.writeString(iam.resolve("read.json"), """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/in/*"},
          {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::data"}]}""");
    return Fixture.parse("""
        version: 1
        clusters:
          - {id: west, account: "%1$s", region: us-west-2, attached_roles: [%2$sFirst]}
        roles:
          - arn: %2$sFirst
            policy_files: {trust: iam/first.trust.json, permissions: [iam/first.json, iam/read.json]}
          - arn: %2$sTarget
            policy_files: {trust: iam/root.trust.json, permissions: [iam/read.json]}
          - arn: %2$sSecret
            policy_files: {trust: iam/root.trust.json, permissions: [iam/read.json]}
        """.formatted(A, ROLE), dir);
  }

  private static String copy(String chain) {
    return "copy t from 's3://data/in/x' iam_role '" + chain + "'";
  }

  @ParameterizedTest(name = "role/{0}, {1} aws:PrincipalArn")
  @MethodSource("principalArnDenies")
  void aTrustDenyOnTheCallersRegistryArnAppliesWhateverTheSqlSpelling(String spelling, String operator)
      throws Exception {
    String deny = ", {\"Effect\": \"Deny\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"sts:AssumeRole\","
        + " \"Condition\": {\"" + operator + "\": {\"aws:PrincipalArn\": \"" + ROLE + "First\"}}}";
    Registry registry = registry(deny, "\"" + ROLE + "Nothing\"");

    assertThat(rules(inspect(registry, copy(ROLE + spelling + "," + ROLE + "Target"))))
        .contains(RuleId.DB_USER_NOT_TRUSTED);
    assertThat(rules(inspect(registry(", {\"Effect\": \"Deny\", \"Principal\": {\"AWS\": \"*\"}, \"Action\":"
        + " \"sts:AssumeRole\", \"Condition\": {\"" + operator + "\": {\"aws:PrincipalArn\": \"" + ROLE
        + "Elsewhere\"}}}", "\"" + ROLE + "Nothing\""), copy(ROLE + spelling + "," + ROLE + "Target"))))
        .as("a Deny on another role's ARN").isEmpty();
  }

  @ParameterizedTest(name = "role/{0}, Deny on {1}")
  @MethodSource("resourceDenies")
  void aPermissionDenyOnTheNextRoleAppliesWhateverTheSqlSpelling(String spelling, String resource)
      throws Exception {
    Registry registry = registry("", resource);

    assertThat(rules(inspect(registry, copy(ROLE + "First," + ROLE + spelling))))
        .contains(RuleId.CHAIN_NOT_PERMITTED);
    assertThat(rules(inspect(registry, copy(ROLE + "First," + ROLE + java.util.Map.of("Secret", "Target",
        "secret", "target", "SECRET", "TARGET", "sEcReT", "tArGeT").get(spelling)))))
        .as("the same chain to a role the Deny does not name").isEmpty();
  }
}
