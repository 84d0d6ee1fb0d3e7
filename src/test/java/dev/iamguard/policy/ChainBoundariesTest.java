package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.inspect;
import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.registry.RegistryProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, "Decisions": chains never cross AWS partitions, and a short-form trust that lists only
 * principals does not trust the Redshift service, as the same trust written as an IAM document
 * does not. Each rule with a denied statement and its near miss, in both registry forms.
 */
class ChainBoundariesTest {
  static final String CN = "arn:aws-cn:iam::444455556666:role/CnRole";
  static final String SAME = "arn:aws:iam::444455556666:role/SameRole";
  static final String FIRST = "arn:aws:iam::111122223333:role/First";

  @TempDir
  Path dir;

  /**
   * IAM documents: First trusted by Redshift and allowed sts:AssumeRole on every role; a trust of
   * First's account by bare id; reads of s3://data/in/ in any partition.
   */
  static void writeDocuments(Path dir) throws java.io.IOException {
    Path iam = Files.createDirectories(dir.resolve("iam"));
    Files.writeString(iam.resolve("first.trust.json"), """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Service": "redshift.amazonaws.com"}, "Action": "sts:AssumeRole"}]}""");
    Files.writeString(iam.resolve("first.json"), """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}""");
    Files.writeString(iam.resolve("account.trust.json"), """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"}]}""");
    Files.writeString(iam.resolve("read.json"), """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:*:s3:::data/in/*"},
          {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:*:s3:::data"}]}""");
  }

  /** A registry of cluster west with the first role of {@code roles} (a YAML list of roles) attached. */
  static Registry attached(String roles, Path dir) {
    String first = roles.substring(roles.indexOf("arn: ") + 5, roles.indexOf('\n', roles.indexOf("arn: "))).strip();
    return Fixture.parse("version: 1\nclusters:\n  - {id: west, account: \"111122223333\", region: us-west-2,"
        + " attached_roles: [" + first + "]}\nroles:\n" + roles.stripIndent(), dir);
  }

  static String copy(String chain) {
    return "copy t from 's3://data/in/x' iam_role '" + chain + "'";
  }

  /** Facts 5: "partitions aws, aws-cn, aws-us-gov". */
  @Nested
  class Partitions {
    /** First may assume anything; CnRole (aws-cn) and SameRole (aws) both trust First's account by bare id. */
    Registry shortForm() {
      return attached("""
            - arn: %1$s
              allow: {assume: [%3$s]}
            - arn: %2$s
              trust: {principals: ["111122223333"]}
              allow: {s3_read: ["s3://data/in/"]}
            - arn: %3$s
              trust: {principals: ["111122223333"]}
              allow: {s3_read: ["s3://data/in/"]}
          """.formatted(FIRST, CN, SAME), null);
    }

    /** The same in IAM documents, with First allowed sts:AssumeRole on every resource. */
    Registry iamForm() throws Exception {
      writeDocuments(dir);
      return attached("""
            - arn: %1$s
              policy_files: {trust: iam/first.trust.json, permissions: [iam/first.json]}
            - arn: %2$s
              policy_files: {trust: iam/account.trust.json, permissions: [iam/read.json]}
            - arn: %3$s
              policy_files: {trust: iam/account.trust.json, permissions: [iam/read.json]}
          """.formatted(FIRST, CN, SAME), dir);
    }

    @Test
    void aChainIntoAnotherPartitionIsDeniedThoughTheBareAccountIdMatches() throws Exception {
      for (Registry registry : List.of(shortForm(), iamForm())) {
        Decision denied = inspect(registry, copy(FIRST + "," + CN));

        assertThat(rules(denied)).containsExactly(RuleId.CHAIN_NOT_PERMITTED);
        assertThat(denied.findings().get(0).message()).contains(FIRST, CN, "aws-cn", "partitions");
        assertThat(rules(inspect(registry, copy(FIRST + "," + SAME)))).isEmpty();
      }
    }

    @Test
    void theRegistryRefusesToAssumeOrTrustAcrossPartitions() {
      RegistryException e = assertThrows(RegistryException.class, () -> RegistryLoader.parse("""
          version: 1
          roles:
            - arn: %1$s
              trust: {principals: ["arn:aws-cn:iam::444455556666:root", "444455556666", %2$s]}
              allow: {assume: [%2$s, %3$s]}
          chains:
            crossing: [%1$s, %2$s]
          """.formatted(FIRST, CN, SAME), "r.yaml", null));

      assertThat(e.problems().stream().map(RegistryProblem::toString)).containsExactly(
          "r.yaml:4: roles[0].trust.principals[0]: \"arn:aws-cn:iam::444455556666:root\" is in partition aws-cn but"
              + " the role is in aws; AWS partitions have separate IAM, so a role cannot trust a role of another partition",
          "r.yaml:4: roles[0].trust.principals[2]: \"" + CN + "\" is in partition aws-cn but the role is in aws; AWS"
              + " partitions have separate IAM, so a role cannot trust a role of another partition",
          "r.yaml:5: roles[0].allow.assume[0]: \"" + CN + "\" is in partition aws-cn but the role is in aws; AWS"
              + " partitions have separate IAM, so a role cannot assume a role of another partition",
          "r.yaml:7: chains.crossing: the chain crosses from partition aws to aws-cn (" + CN + "); AWS partitions"
              + " have separate IAM, so a chain never crosses them");
    }
  }

  /** Seed: a role that allows Redshift to act "has a trust relationship" naming redshift.amazonaws.com. */
  @Nested
  class PrincipalsOnlyTrust {
    Registry registry(String trust) {
      return attached("""
            - arn: %1$s
              trust: %2$s
              allow: {s3_read: ["s3://data/in/"]}
          """.formatted(FIRST, trust), null);
    }

    @Test
    void aRoleTrustingOnlyPrincipalsCannotStartAChain() {
      Decision denied = inspect(registry("{principals: [\"111122223333\"]}"), copy(FIRST));

      assertThat(rules(denied)).containsExactly(RuleId.REGION_NOT_TRUSTED);
      assertThat(denied.findings().get(0).message()).contains(FIRST, "only the AWS principals", "not the Redshift service");
      assertThat(denied.findings().get(0).remedy()).contains("trust.regions", "\"*\"");
    }

    @Test
    void regionsNextToPrincipalsTrustRedshiftThere() {
      assertThat(rules(inspect(registry("{principals: [\"111122223333\"], regions: [\"*\"]}"), copy(FIRST)))).isEmpty();
      assertThat(rules(inspect(registry("{principals: [\"111122223333\"], regions: [us-west-2]}"), copy(FIRST)))).isEmpty();
      assertThat(rules(inspect(registry("{principals: [\"111122223333\"], regions: [us-east-1]}"), copy(FIRST))))
          .containsExactly(RuleId.REGION_NOT_TRUSTED);
    }

    @Test
    void withoutPrincipalsAnAbsentRegionsMeansEveryRegion() {
      assertThat(rules(inspect(registry("{db_users: [\"" + Fixture.dbUser("user1") + "\"]}"), copy(FIRST)))).isEmpty();
      // an empty trust mapping, which read so too, no longer loads: its readings differ (red-team review;
      // RegistryEmptyTrustListsTest.anEmptyTrustMappingDoesNotLoad)
    }

    /** The same trust as an IAM document (only an AWS principal) is refused alike. */
    @Test
    void asAnIamDocumentItIsRefusedAlike() throws Exception {
      writeDocuments(dir);
      Registry registry = attached("""
            - arn: %1$s
              policy_files: {trust: iam/account.trust.json, permissions: [iam/read.json]}
          """.formatted(FIRST), dir);

      assertThat(rules(inspect(registry, copy(FIRST)))).containsExactly(RuleId.REGION_NOT_TRUSTED);
    }
  }
}
