package dev.iamguard.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
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
 * What S3_NOT_PERMITTED and SOURCE_NOT_PERMITTED say for roles written as IAM documents (inline,
 * managed, boundary) and for access keys bound by {@code policy.keys}, and how a role's trust
 * document sees Redshift's confused-deputy keys ({@code aws:SourceAccount} = the cluster's account,
 * {@code aws:SourceArn} = the cluster's ARN; unknown for a serverless workgroup).
 */
class S3AndSourceJudgementTest {

  private static final String ACCOUNT = "123456789012";
  private static final String DOC = "arn:aws:iam::" + ACCOUNT + ":role/Doc";
  private static final String SHORT = "arn:aws:iam::" + ACCOUNT + ":role/Short";
  private static final String DEPUTY = "arn:aws:iam::" + ACCOUNT + ":role/Deputy";
  private static final String KEYS = "access_key_id 'AKIAIOSFODNN7EXAMPLE' secret_access_key"
      + " 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'";
  private static final String REDSHIFT_TRUST = "{Version: \"2012-10-17\", Statement: [{Effect: Allow,"
      + " Principal: {Service: redshift.amazonaws.com}, Action: \"sts:AssumeRole\"}]}";

  @TempDir Path dir;

  private Guard guard() throws Exception {
    String yaml = """
        version: 1
        policy:
          credentials: any
          keys: {s3_read: ["s3://kbk/in/"], s3_write: ["s3://kbk/out/"], emr_clusters: [j-KEYS1]}
        clusters:
          - id: c1
            account: "%1$s"
            region: us-west-2
            attached_roles: [%2$s, %3$s, %4$s]
          - id: c2
            account: "%1$s"
            region: us-west-2
            attached_roles: [%4$s]
          - id: wg-1
            serverless: true
            account: "%1$s"
            region: us-west-2
            attached_roles: [%4$s]
        managed_policies:
          arn:aws:iam::%1$s:policy/Wide: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}
          arn:aws:iam::%1$s:policy/Bound: {Version: "2012-10-17", Statement: [
            {Effect: Allow, Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::bkt", "arn:aws:s3:::bkt/*"]},
            {Effect: Deny, Action: "s3:*", Resource: "arn:aws:s3:::bkt/vpce/*",
             Condition: {StringNotEquals: {aws:SourceVpce: vpce-1a2b3c4d}}},
            {Effect: Allow, Action: "s3:DeleteObject", Resource: "arn:aws:s3:::bkt/keep/*"}]}
        roles:
          - arn: %2$s
            policy_files:
              trust: %5$s
              permissions: [{Version: "2012-10-17", Statement: [
                {Effect: Allow, Action: "s3:ListBucket", Resource: "arn:aws:s3:::bkt"},
                {Effect: Allow, Action: "s3:GetObject", Resource: ["arn:aws:s3:::bkt/in/*", "arn:aws:s3:::bkt/vpce/*", "arn:aws:s3:::bkt/folder/*"]},
                {Effect: Allow, Action: "s3:PutObject", Resource: "arn:aws:s3:::bkt/out/*"}]}]
              managed: [arn:aws:iam::%1$s:policy/Wide]
              boundary: arn:aws:iam::%1$s:policy/Bound
          - arn: %3$s
            trust: {regions: [us-west-2]}
            allow: {s3_read: ["s3://bkt/in/", "s3://bkt/folder"], emr_clusters: [j-SHORT1]}
          - arn: %4$s
            policy_files:
              # both services: a workgroup's role must trust redshift-serverless.amazonaws.com too (probe 23a F6)
              trust: {Version: "2012-10-17", Statement: [{Effect: Allow,
                Principal: {Service: [redshift.amazonaws.com, redshift-serverless.amazonaws.com]},
                Action: "sts:AssumeRole", Condition: {StringEquals: {aws:SourceAccount: "%1$s"},
                ArnEquals: {aws:SourceArn: "arn:aws:redshift:us-west-2:%1$s:cluster:c1"}}}]}
              permissions: [{Version: "2012-10-17", Statement: [{Effect: Allow, Action: ["s3:GetObject", "s3:ListBucket"], Resource: "*"}]}]
        """.formatted(ACCOUNT, DOC, SHORT, DEPUTY, REDSHIFT_TRUST);
    return new Guard(RegistryLoader.parse(yaml, "r.yaml", dir));
  }

  private static List<Finding> findings(Guard guard, String cluster, String sql) {
    Decision d = guard.inspect(sql, Session.of("u", cluster));
    return d.findings();
  }

  private static Finding only(Guard guard, RuleId rule, String sql) {
    return findings(guard, "c1", sql).stream().filter(f -> f.rule() == rule).findFirst().orElseThrow(
        () -> new AssertionError("no " + rule + " for " + sql + ": " + findings(guard, "c1", sql)));
  }

  private static List<RuleId> rules(Guard guard, String cluster, String sql) {
    return findings(guard, cluster, sql).stream().map(Finding::rule).toList();
  }

  private static String copy(String uri, String auth) {
    return "copy t from '" + uri + "' " + auth;
  }

  @Test
  void aDocumentRoleIsLimitedByItsBoundaryAndNamedByItsSources() throws Exception {
    Guard guard = guard();
    String role = "iam_role '" + DOC + "'";

    assertThat(rules(guard, "c1", copy("s3://bkt/in/2024/", role))).isEmpty();
    // the managed policy allows s3:* everywhere, the boundary only bucket b
    Finding outside = only(guard, RuleId.S3_NOT_PERMITTED, copy("s3://cbk/in/", role));
    // the managed policy by its ARN, the boundary by where its document is
    assertThat(outside.message()).contains("role " + DOC + " may not read s3://cbk/in/ (COPY source, every key starting"
        + " with it); its permission policies [r.yaml roles[0].policy_files.permissions[0],"
        + " arn:aws:iam::123456789012:policy/Wide, boundary r.yaml managed_policies.arn:aws:iam::123456789012:policy/Bound]. ");
    assertThat(outside.remedy()).isEqualTo("read under a permitted prefix, or grant the prefix (allow.s3_read of Doc"
        + " in r.yaml) following least privilege");
    Finding write = only(guard, RuleId.S3_NOT_PERMITTED, "unload ('select 1') to 's3://cbk/out/' " + role);
    assertThat(write.message()).contains("role " + DOC + " may not write s3://cbk/out/ (UNLOAD target")
        .contains("its permission policies [");
    assertThat(write.remedy()).startsWith("write under a permitted prefix, or grant the prefix (allow.s3_write of Doc");
  }

  /**
   * UNLOAD's CLEANPATH deletes the files under its target before writing: the role needs
   * s3:DeleteObject there (probe 19b: it was allowed with an explicit or implicit deny). Registry
   * prefixes and the keys' s3_write prefixes grant deletes with writes.
   */
  @Test
  void cleanpathNeedsDeleteUnderTheTarget() throws Exception {
    Guard guard = guard();
    String role = "iam_role '" + DOC + "'";
    // the managed policy allows s3:* everywhere; the boundary allows DeleteObject under bkt/keep/ only
    for (String options : List.of("cleanpath", "parquet partition by (a) cleanpath", "CleanPath manifest")) {
      Finding delete = only(guard, RuleId.S3_NOT_PERMITTED, "unload ('select 1') to 's3://bkt/out/' " + role + " "
          + options);
      assertThat(delete.message()).contains("role " + DOC + " may not delete s3://bkt/out/ (every key starting with it)")
          .contains("CLEANPATH").contains("its permission policies [");
      assertThat(delete.remedy()).contains("s3:DeleteObject");
      assertThat(rules(guard, "c1", "unload ('select 1') to 's3://bkt/keep/' " + role + " " + options)).isEmpty();
    }
    assertThat(rules(guard, "c1", "unload ('select 1') to 's3://bkt/out/' " + role)).isEmpty();
    assertThat(rules(guard, "c1", "unload ('select 1') to 's3://bkt/out/' " + role + " allowoverwrite")).isEmpty();
    assertThat(rules(guard, "c1", "unload ('select 1') to 's3://kbk/out/x_' " + KEYS + " cleanpath")).isEmpty();
  }

  @Test
  void aDenialMadeOnAKeyTheGuardCannotKnowSaysSoAndHowToLiftIt() throws Exception {
    Guard guard = guard();
    String role = "iam_role '" + DOC + "'";

    Finding vpce = only(guard, RuleId.S3_NOT_PERMITTED, copy("s3://bkt/vpce/x/", role));
    assertThat(vpce.message()).contains("may not read s3://bkt/vpce/x/")
        .contains("policy/Bound]; r.yaml managed_policies.arn:aws:iam::123456789012:policy/Bound statement 2 (line 23):"
            + " StringNotEquals on aws:SourceVpce, which the guard cannot know: this Deny is taken to apply. ");
    assertThat(vpce.remedy()).isEqualTo("state the key's value in request_context of the cluster or role (r.yaml)"
        + " if the requests carry it, or change the policy");
    Finding write = only(guard, RuleId.S3_NOT_PERMITTED, "unload ('select 1') to 's3://bkt/vpce/out/' " + role);
    // the write is denied by the boundary's Deny too, and the inline policy grants no PutObject there anyway
    assertThat(write.message()).contains("may not write s3://bkt/vpce/out/");
  }

  @Test
  void aFolderReadAsAPrefixAlsoReadsTheKeysBesideIt() throws Exception {
    Guard guard = guard();
    String role = "iam_role '" + SHORT + "'";

    // s3_read s3://bkt/folder is the folder and the key of that name, not s3://bkt/folderx
    Finding beside = only(guard, RuleId.S3_NOT_PERMITTED, copy("s3://bkt/folder", role));
    assertThat(beside.message()).contains("may not read s3://bkt/folder (COPY source, every key starting with it);"
        + " as a prefix it also reads keys beside the permitted folder, such as s3://bkt/folderx; its s3_read prefixes"
        + " are [s3://bkt/in/, s3://bkt/folder]. ");
    assertThat(beside.remedy()).isEqualTo("end the location with / (s3://bkt/folder/) or name a deeper prefix");
    assertThat(rules(guard, "c1", copy("s3://bkt/folder/", role))).isEmpty();
  }

  @Test
  void accessKeysAreBoundByPolicyKeys() throws Exception {
    Guard guard = guard();

    assertThat(rules(guard, "c1", copy("s3://kbk/in/x", KEYS))).doesNotContain(RuleId.S3_NOT_PERMITTED);
    Finding read = only(guard, RuleId.S3_NOT_PERMITTED, copy("s3://bkt/in/", KEYS));
    assertThat(read.message()).contains(": the access keys may not read s3://bkt/in/ (COPY source, every key starting"
        + " with it); policy.keys.s3_read is [s3://kbk/in/]. ");
    assertThat(read.remedy()).isEqualTo("read under a permitted prefix, or grant the prefix (policy.keys.s3_read in r.yaml)"
        + " following least privilege");
    Finding write = only(guard, RuleId.S3_NOT_PERMITTED, "unload ('select 1') to 's3://kbk/in/' " + KEYS);
    assertThat(write.message()).contains("; policy.keys.s3_write is [s3://kbk/out/]. ");
    assertThat(rules(guard, "c1", "unload ('select 1') to 's3://kbk/out/x_' " + KEYS))
        .doesNotContain(RuleId.S3_NOT_PERMITTED);
    assertThat(write.remedy()).contains("(policy.keys.s3_write in r.yaml)");
  }

  @Test
  void anEmrSourceNeedsAClusterIdAndAPathTheGranteeMayRead() throws Exception {
    Guard guard = guard();

    assertThat(rules(guard, "c1", copy("emr://j-KEYS1/part-*", KEYS))).doesNotContain(RuleId.SOURCE_NOT_PERMITTED);
    Finding keys = only(guard, RuleId.SOURCE_NOT_PERMITTED, copy("emr://j-OTHER1/part-*", KEYS));
    assertThat(keys.message()).contains(": the access keys may not read from EMR cluster j-OTHER1. ");
    assertThat(keys.remedy()).isEqualTo("copy from a permitted cluster, or allow it (policy.keys.emr_clusters in r.yaml;"
        + " elasticmapreduce:ListInstances in IAM)");
    String role = "iam_role '" + SHORT + "'";
    assertThat(rules(guard, "c1", copy("emr://j-SHORT1/part-*", role))).doesNotContain(RuleId.SOURCE_NOT_PERMITTED);
    assertThat(only(guard, RuleId.SOURCE_NOT_PERMITTED, copy("emr://j-OTHER1/part-*", role)).remedy())
        .contains("(allow.emr_clusters of Short in r.yaml;");
    for (String bad : List.of("emr://j-SHORT1/", "emr://j-SHORT1", "emr:///part-*")) {
      Finding unreadable = only(guard, RuleId.SOURCE_NOT_PERMITTED, copy(bad, role));
      assertThat(unreadable.message()).as(bad)
          .contains("COPY source '" + bad + "' has no valid EMR cluster id and file path, so the guard cannot check it");
    }
  }

  @Test
  void aTrustDocumentSeesTheClustersAccountAndArn() throws Exception {
    Guard guard = guard();
    String role = "iam_role '" + DEPUTY + "'";

    assertThat(rules(guard, "c1", copy("s3://bkt/in/", role))).isEmpty();
    // c2 is in the same account, but its ARN is not the one the trust names
    // (the trust names Redshift, its conditions fail: reported as the user's trust, DB_USER_NOT_TRUSTED)
    assertThat(rules(guard, "c2", copy("s3://bkt/in/", role))).containsExactly(RuleId.DB_USER_NOT_TRUSTED);
    // a serverless workgroup's ARN holds an id the registry does not know: the Allow is not counted
    assertThat(rules(guard, "wg-1", copy("s3://bkt/in/", role))).containsExactly(RuleId.DB_USER_NOT_TRUSTED);
  }
}
