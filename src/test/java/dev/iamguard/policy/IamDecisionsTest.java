package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decisions as IAM makes them for roles written as IAM documents (issue 14, item 5, and the
 * registry's managed policies and boundaries): a manifest is one object; {@code glue:GetDatabase}
 * is asked on the catalog and the database; each chain hop's request context ({@code sts:ExternalId}
 * = the database user's ARN) applies to the previous role's permission policy; a {@code *} in an
 * ARN segment does not cross {@code :} except at the end; a boundary intersects the role's policies.
 */
class IamDecisionsTest {

  private static final String ROLE_A = "arn:aws:iam::123456789012:role/RoleA";
  private static final String ROLE_B = "arn:aws:iam::123456789012:role/RoleB";
  private static final String TRUST = "{Version: \"2012-10-17\", Statement: [{Effect: Allow,"
      + " Principal: {Service: redshift.amazonaws.com}, Action: \"sts:AssumeRole\"}]}";

  @TempDir Path dir;

  private Guard guard(String managed, String roleA) throws Exception {
    String yaml = """
        version: 1
        clusters:
          - id: c1
            account: "123456789012"
            region: us-west-2
            attached_roles: [%s]
        %s
        roles:
          - arn: %s
        %s
          - arn: %s
            policy_files:
              trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: %s}, Action: "sts:AssumeRole"}]}
              permissions: [{Version: "2012-10-17", Statement: [{Effect: Allow, Action: ["s3:GetObject", "s3:ListBucket"], Resource: "*"}]}]
        """.formatted(ROLE_A, managed, ROLE_A, roleA.indent(4).stripTrailing(), ROLE_B, ROLE_A);
    return new Guard(RegistryLoader.parse(yaml, "r.yaml", dir));
  }

  private static String statement(String permissions) {
    return "{Version: \"2012-10-17\", Statement: [" + permissions + "]}";
  }

  private static List<RuleId> rules(Guard guard, String user, String sql) {
    return guard.inspect(sql, Session.of(user, "c1")).findings().stream().map(Finding::rule).toList();
  }

  @Test
  void aManifestIsOneObjectAnExactObjectGrantIsEnough() throws Exception {
    Guard guard = guard("", "policy_files:\n  trust: " + TRUST + "\n  permissions: [" + statement(
        "{Effect: Allow, Action: \"s3:GetObject\", Resource: \"arn:aws:s3:::b/manifests/load.manifest\"},"
            + " {Effect: Allow, Action: \"s3:ListBucket\", Resource: \"arn:aws:s3:::b\"}") + "]");
    assertThat(rules(guard, "u", "copy t from 's3://b/manifests/load.manifest' iam_role '" + ROLE_A + "' manifest"))
        .isEmpty();
    assertThat(rules(guard, "u", "copy t from 's3://b/manifests/load.manifest' iam_role '" + ROLE_A + "'"))
        .containsExactly(RuleId.S3_NOT_PERMITTED); // without MANIFEST it is a prefix: load.manifest* is more
  }

  @Test
  void getDatabaseNeedsTheCatalogArnToo() throws Exception {
    String schema = "create external schema s from data catalog database 'db1' iam_role '" + ROLE_A + "'";
    Guard databaseOnly = guard("", "policy_files:\n  trust: " + TRUST + "\n  permissions: [" + statement(
        "{Effect: Allow, Action: \"glue:GetDatabase\", Resource: \"arn:aws:glue:us-west-2:123456789012:database/db1\"}")
        + "]");
    assertThat(rules(databaseOnly, "u", schema)).containsExactly(RuleId.CATALOG_NOT_PERMITTED);
    assertThat(databaseOnly.inspect(schema, Session.of("u", "c1")).findings().get(0).remedy())
        .contains("arn:aws:glue:us-west-2:123456789012:catalog");
    Guard both = guard("", "policy_files:\n  trust: " + TRUST + "\n  permissions: [" + statement(
        "{Effect: Allow, Action: \"glue:GetDatabase\", Resource: [\"arn:aws:glue:us-west-2:123456789012:catalog\","
            + " \"arn:aws:glue:us-west-2:123456789012:database/db1\"]}") + "]");
    assertThat(rules(both, "u", schema)).isEmpty();
    assertThat(rules(both, "u", schema.replace("'db1'", "'db2'"))).containsExactly(RuleId.CATALOG_NOT_PERMITTED);
  }

  @Test
  void aHopsExternalIdAppliesToThePreviousRolesPermissionPolicy() throws Exception {
    Guard guard = guard("", "policy_files:\n  trust: " + TRUST + "\n  permissions: [" + statement(
        "{Effect: Allow, Action: \"sts:AssumeRole\", Resource: \"" + ROLE_B + "\", Condition: {StringLike:"
            + " {sts:ExternalId: \"arn:aws:redshift:us-west-2:123456789012:dbuser:c1/etl_*\"}}}") + "]");
    String chain = "copy t from 's3://b/in/' iam_role '" + ROLE_A + "," + ROLE_B + "'";
    assertThat(rules(guard, "etl_nightly", chain)).isEmpty();
    assertThat(rules(guard, "analyst", chain)).containsExactly(RuleId.CHAIN_NOT_PERMITTED);
  }

  @Test
  void aStarInsideAnArnSegmentDoesNotCrossAColon() throws Exception {
    String function = "create external function f(int) returns int volatile lambda 'fn' iam_role '" + ROLE_A + "'";
    for (String resource : List.of("arn:aws:lambda:us-west-2:*:fn", "arn:aws:lambda:us-west-2:123456789012:*n",
        "arn:aws:lambda:us-west-2:12345678901?:function:fn:*")) {
      Guard guard = guard("", "policy_files:\n  trust: " + TRUST + "\n  permissions: [" + statement(
          "{Effect: Allow, Action: \"lambda:InvokeFunction\", Resource: \"" + resource + "\"}") + "]");
      assertThat(rules(guard, "u", function)).as(resource).containsExactly(RuleId.LAMBDA_NOT_PERMITTED);
    }
    for (String resource : List.of("arn:aws:lambda:us-west-2:123456789012:*", "arn:aws:lambda:*:123456789012:function:f*",
        "arn:aws:lambda:us-west-2:12345678901?:function:fn")) {
      Guard guard = guard("", "policy_files:\n  trust: " + TRUST + "\n  permissions: [" + statement(
          "{Effect: Allow, Action: \"lambda:InvokeFunction\", Resource: \"" + resource + "\"}") + "]");
      assertThat(rules(guard, "u", function)).as(resource).isEmpty();
    }
  }

  @Test
  void aBoundaryIntersectsManagedAndInlinePolicies() throws Exception {
    String managed = """
        managed_policies:
          arn:aws:iam::aws:policy/AmazonS3FullAccess: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}
          arn:aws:iam::123456789012:policy/DataOnly: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/data/*"]}, {Effect: Deny, Action: "s3:PutObject", Resource: "*"}]}
        """;
    Guard guard = guard(managed, """
        policy_files:
          trust: %s
          managed: [arn:aws:iam::aws:policy/AmazonS3FullAccess]
          boundary: arn:aws:iam::123456789012:policy/DataOnly""".formatted(TRUST));
    assertThat(rules(guard, "u", "copy t from 's3://b/data/x/' iam_role '" + ROLE_A + "'")).isEmpty();
    assertThat(rules(guard, "u", "copy t from 's3://b/other/' iam_role '" + ROLE_A + "'"))
        .containsExactly(RuleId.S3_NOT_PERMITTED); // the managed policy allows it, the boundary does not
    assertThat(rules(guard, "u", "unload ('select 1') to 's3://b/data/out/' iam_role '" + ROLE_A + "'"))
        .containsExactly(RuleId.S3_NOT_PERMITTED); // a Deny in the boundary wins
    Guard unbounded = guard(managed, """
        policy_files:
          trust: %s
          managed: [arn:aws:iam::aws:policy/AmazonS3FullAccess]""".formatted(TRUST));
    assertThat(rules(unbounded, "u", "copy t from 's3://b/other/' iam_role '" + ROLE_A + "'")).isEmpty();
  }

  /** A denial the conservative rule made says so, and how to lift it. */
  @Test
  void aConservativeDenialSaysWhichKeyAndWhere() throws Exception {
    Guard guard = guard("", "policy_files:\n  trust: " + TRUST + "\n  permissions: [" + statement(
        "{Effect: Allow, Action: [\"s3:GetObject\", \"s3:ListBucket\"], Resource: \"*\"},"
            + " {Sid: DenyOutsideVpce, Effect: Deny, Action: \"s3:*\", Resource: \"*\","
            + " Condition: {StringNotEqualsIfExists: {aws:SourceVpce: vpce-1a2b3c4d}}}") + "]");
    List<Finding> findings = guard.inspect("copy t from 's3://b/in/' iam_role '" + ROLE_A + "'",
        Session.of("u", "c1")).findings();
    assertThat(findings).extracting(Finding::rule).containsExactly(RuleId.S3_NOT_PERMITTED);
    assertThat(findings.get(0).message()).contains("statement \"DenyOutsideVpce\"")
        .contains("StringNotEqualsIfExists on aws:SourceVpce, which the guard cannot know: this Deny is taken to apply");
    assertThat(findings.get(0).remedy()).contains("request_context");
  }
}
