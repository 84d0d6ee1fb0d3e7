package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.registry.RegistrySchemaTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code registry validate} warnings, one registry per kind, each the sample registry with one
 * edit; and {@code registry diff}: what a widened, narrowed or re-granted registry gains and loses.
 */
class RegistryChecksTest {
  private static final String SAMPLE = read();
  private static final String COPY_UNLOAD = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  private static final String CHAIN = "arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB";

  private static String read() {
    try {
      return Files.readString(Path.of("samples/registry.yaml"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Registry parse(String text) {
    try {
      return RegistryLoader.parse(text, "registry.yaml", null);
    } catch (RegistryException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private static String edit(String from, String to) {
    assertThat(SAMPLE).contains(from);
    return SAMPLE.replace(from, to);
  }

  private static String edited(String text, String from, String to) {
    assertThat(text).contains(from);
    return text.replace(from, to);
  }

  private static List<RegistryIssue> validate(String text) {
    Registry registry = parse(text);
    return RegistryValidatorTest.issues(registry);
  }

  private static int lineOf(String text, String needle) {
    return (int) text.substring(0, text.indexOf(needle)).chars().filter(c -> c == '\n').count() + 1;
  }

  @Test
  void theSampleRegistryHasNoWarning() {
    assertThat(validate(SAMPLE)).isEmpty();
  }

  @Test
  void aRoleNoOneCanReachIsUnusable() {
    String text = SAMPLE.replace("chains:\n", "  - arn: arn:aws:iam::123456789012:role/Orphan\n    allow:\n"
        + "      s3_read: [\"s3://acmedata/orphan/\"]\nchains:\n");
    assertThat(validate(text)).singleElement().satisfies(issue -> {
      assertThat(issue.code()).isEqualTo("ROLE_UNUSABLE");
      assertThat(issue.path()).isEqualTo("roles[3]");
      assertThat(issue.line()).isEqualTo(lineOf(text, "role/Orphan"));
      assertThat(issue.message()).contains("role/Orphan").contains("not attached to any cluster");
    });
  }

  @Test
  void anAttachedRoleWhoseTrustRefusesEveryoneIsUnusableAndSaysWhy() {
    // RoleA trusting only another account: Redshift cannot assume it
    String text = edit("  - arn: arn:aws:iam::123456789012:role/RoleA\n",
        "  - arn: arn:aws:iam::123456789012:role/RoleA\n    trust:\n      principals: [arn:aws:iam::999999999999:root]\n");
    List<RegistryIssue> issues = validate(text);
    assertThat(issues).extracting(RegistryIssue::code).contains("ROLE_UNUSABLE", "CHAIN_UNUSABLE", "GRANT_UNUSABLE");
    assertThat(issues).filteredOn(i -> i.code().equals("ROLE_UNUSABLE"))
        .anySatisfy(i -> assertThat(i.message()).contains("role/RoleA").contains("attached to my-cluster"));
    assertThat(issues).filteredOn(i -> i.code().equals("CHAIN_UNUSABLE"))
        .singleElement().satisfies(i -> assertThat(i.path()).isEqualTo("chains.companyb"));
  }

  @Test
  void anAliasThatIsAnotherRolesNameShadowsIt() {
    assertThat(validate(edit("alias: copy-unload", "alias: RoleA"))).singleElement().satisfies(issue -> {
      assertThat(issue.code()).isEqualTo("ALIAS_SHADOWS_ROLE");
      assertThat(issue.path()).isEqualTo("roles[0].alias");
      assertThat(issue.message()).contains("IAM_ROLE 'RoleA' would mean RedshiftCopyUnload");
    });
  }

  @Test
  void aPrefixThatIsAWholeBucketIsWarnedForTheRoleThatGrantsIt() {
    String text = edit("s3_read: [\"s3://acmedata/redshift/\"]", "s3_read: [\"s3://acmedata/\"]");
    assertThat(validate(text)).singleElement().satisfies(issue -> {
      assertThat(issue.code()).isEqualTo("WHOLE_BUCKET");
      assertThat(issue.line()).isEqualTo(lineOf(text, "  - arn: " + COPY_UNLOAD));
      assertThat(issue.message()).contains("may read every object of bucket acmedata").contains("user1");
    });
    String written = edit("s3_write: [\"s3://companyb/redshift/\"]", "s3_write: [\"s3://companyb\"]");
    assertThat(validate(written)).extracting(RegistryIssue::message)
        .anySatisfy(m -> assertThat(m).contains("role/RoleB may write every object of bucket companyb")
            .contains("group:etl"));
  }

  @Test
  void anAttachedRoleTheRegistryDoesNotDescribeIsNamed() {
    String text = edit("      - arn:aws:iam::123456789012:role/RoleA\n",
        "      - arn:aws:iam::123456789012:role/RoleA\n      - arn:aws:iam::123456789012:role/Ghost\n");
    assertThat(validate(text)).singleElement().satisfies(issue -> {
      assertThat(issue.code()).isEqualTo("ATTACHED_ROLE_UNKNOWN");
      assertThat(issue.path()).isEqualTo("clusters[0].attached_roles");
      assertThat(issue.message()).contains("role/Ghost").contains("ROLE_UNKNOWN");
    });
  }

  @Test
  void diffOfARegistryWithItselfIsEmpty() {
    assertThat(AccessDiff.between(parse(SAMPLE), parse(SAMPLE)).isEmpty()).isTrue();
  }

  @Test
  void wideningAPrefixIsAGainAndNarrowingItOnlyALoss() {
    Registry sample = parse(SAMPLE);
    Registry wide = parse(edit("s3_read: [\"s3://acmedata/redshift/\"]", "s3_read: [\"s3://acmedata/\"]"));
    AccessDiff widened = AccessDiff.between(sample, wide);
    assertThat(widened.gained()).extracting(AccessEntry::key)
        .contains("my-cluster | user1 | " + COPY_UNLOAD + " | COPY | s3://acmedata/",
            "my-cluster | user2 | default | COPY | s3://acmedata/")
        .allMatch(k -> k.endsWith("| COPY | s3://acmedata/"));
    // s3://acmedata/ covers s3://acmedata/redshift/: nothing is lost
    assertThat(widened.lost()).isEmpty();

    AccessDiff narrowed = AccessDiff.between(wide, sample);
    assertThat(narrowed.gained()).isEmpty();
    assertThat(narrowed.lost()).extracting(AccessEntry::key)
        .contains("my-cluster | user1 | " + COPY_UNLOAD + " | COPY | s3://acmedata/");
  }

  @Test
  void aNewGrantIsAGainForTheUserItNames() {
    Registry regranted = parse(edit("    to: [user1, \"group:etl\"]\n    for: [COPY, UNLOAD, EXTERNAL FUNCTION]",
        "    to: [user1, user2, \"group:etl\"]\n    for: [COPY, UNLOAD, EXTERNAL FUNCTION]"));
    AccessDiff diff = AccessDiff.between(parse(SAMPLE), regranted);
    assertThat(diff.gained()).extracting(AccessEntry::key).containsExactlyInAnyOrder(
        "my-cluster | user2 | " + CHAIN + " | COPY | s3://companyb/redshift/",
        "my-cluster | user2 | " + CHAIN + " | UNLOAD | s3://companyb/redshift/",
        "my-cluster | user2 | " + CHAIN + " | EXTERNAL FUNCTION"
            + " | arn:aws:lambda:us-west-2:210987654321:function:exampleLambdaFunction");
    assertThat(diff.lost()).isEmpty();
  }

  @Test
  void aUserOnlyTheNewRegistryNamesIsComparedWithAnyOtherUserOfTheOld() {
    // user9 joins group etl: the old registry gave user9 what any user gets
    Registry joined = parse(edit("  etl_bot: { groups: [etl] }", "  etl_bot: { groups: [etl] }\n  user9: { groups: [etl] }"));
    AccessDiff diff = AccessDiff.between(parse(SAMPLE), joined);
    assertThat(diff.gained()).isNotEmpty().allMatch(e -> e.principal().label().equals("user9"))
        .extracting(AccessEntry::key).contains("my-cluster | user9 | " + CHAIN + " | COPY | s3://companyb/redshift/");
    assertThat(diff.lost()).isEmpty();
  }

  @Test
  void coverageIsByPrefixForS3AndByNameOtherwise() {
    AccessEntry deep = entry(AccessCommand.COPY, "s3://b/data/2024/");
    assertThat(AccessDiff.covers("s3://b/data/", deep)).isTrue();
    assertThat(AccessDiff.covers("s3://b/*/2024/", deep)).isTrue();
    assertThat(AccessDiff.covers("s3://b/data/2024/", deep)).isTrue();
    assertThat(AccessDiff.covers("s3://b/data/2025/", deep)).isFalse();
    assertThat(AccessDiff.covers("s3://b/data/2024/x/", deep)).isFalse();
    assertThat(AccessDiff.covers("s3://bb/", deep)).isFalse();
    AccessEntry function = entry(AccessCommand.EXTERNAL_FUNCTION, "arn:aws:lambda:us-west-2:1:function:f2");
    assertThat(AccessDiff.covers("arn:aws:lambda:us-west-2:1:function:f", function)).isFalse();
    assertThat(AccessDiff.covers("arn:aws:lambda:us-west-2:1:function:f*", function)).isTrue();
  }

  private static AccessEntry entry(AccessCommand command, String resource) {
    return new AccessEntry("c", Principal.OTHER, "default", List.of("arn:aws:iam::1:role/R"), command, resource);
  }

  private static final String CONDITIONED = """
      version: 1
      clusters:
        - id: c1
          account: "123456789012"
          region: us-west-2
          attached_roles: [arn:aws:iam::123456789012:role/R]
      roles:
        - arn: arn:aws:iam::123456789012:role/R
          policy_files:
            trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: redshift.amazonaws.com},
                    Action: "sts:AssumeRole"}]}
            permissions:
              - Version: "2012-10-17"
                Statement:
                  - {Sid: Read, Effect: Allow, Action: ["s3:GetObject", "s3:ListBucket"],
                     Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/data/*"]}
                  - {Sid: OnlyFromVpce, Effect: Deny, Action: "s3:*", Resource: "*",
                     Condition: {StringNotEqualsIfExists: {"aws:SourceVpce": vpce-1a2b}}}
                  - {Sid: FromOffice, Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/office/*",
                     Condition: {IpAddress: {"aws:SourceIp": 203.0.113.0/24}}}
                  - {Sid: Ec2, Effect: Allow, Action: "ec2:DescribeInstances", Resource: "*",
                     Condition: {StringEquals: {"aws:RequestedRegion": us-west-2}}}
      """;

  @Test
  void conditionsOnKeysTheGuardCannotKnowAreWarnedUntilTheRegistryStatesThem() {
    List<RegistryIssue> issues = validate(CONDITIONED);
    // the EC2 statement is about nothing Redshift asks for: skipped, not warned
    assertThat(issues).extracting(RegistryIssue::code).containsOnly("CONSERVATIVE_CONDITION").hasSize(2);
    assertThat(issues).extracting(RegistryIssue::path).containsOnly("roles[0].policy_files.permissions[0]");
    assertThat(issues).extracting(RegistryIssue::message)
        .anySatisfy(m -> assertThat(m).contains("statement \"OnlyFromVpce\"")
            .contains("StringNotEqualsIfExists aws:SourceVpce").contains("so this Deny is taken to apply"))
        .anySatisfy(m -> assertThat(m).contains("statement \"FromOffice\"").contains("IpAddress aws:SourceIp")
            .contains("so this Allow grants nothing").contains("request_context"));
    // the conservative Deny takes every S3 location away
    assertThat(AccessReport.of(parse(CONDITIONED)).entries()).noneMatch(e -> e.resource().startsWith("s3://"));

    String stated = edited(CONDITIONED, "    policy_files:\n",
        "    request_context: {\"aws:SourceVpce\": vpce-1a2b}\n    policy_files:\n");
    assertThat(validate(stated)).singleElement()
        .satisfies(issue -> assertThat(issue.message()).contains("FromOffice"));
    assertThat(AccessReport.of(parse(stated)).entries()).extracting(AccessEntry::key)
        .contains("c1 | (any other user) | arn:aws:iam::123456789012:role/R | COPY | s3://b/data/")
        .noneMatch(k -> k.contains("office"));
    // stated for every cluster, it counts for every role
    String onCluster = edited(CONDITIONED, "    attached_roles:",
        "    request_context: {\"aws:SourceVpce\": vpce-1a2b, \"aws:SourceIp\": 203.0.113.7}\n    attached_roles:");
    assertThat(validate(onCluster)).isEmpty();
    // documents inline and request_context are what the registry's schema describes too
    for (String text : List.of(CONDITIONED, stated, onCluster)) {
      assertThat(RegistrySchemaTest.errors(text)).isEmpty();
    }
  }
}
