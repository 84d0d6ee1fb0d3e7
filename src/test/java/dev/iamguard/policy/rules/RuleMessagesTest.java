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
 * The wording that differs between cases of one rule: a lone role and the first role of a chain,
 * a GRANT and a command, a function by name and by partial ARN, a trust in the short form and in
 * a document, a registry with and without alias rewriting, chains with whitespace.
 */
class RuleMessagesTest {

  private static final String ACCOUNT = "123456789012";
  private static final String LOADER = "arn:aws:iam::" + ACCOUNT + ":role/Loader";
  private static final String DOC = "arn:aws:iam::" + ACCOUNT + ":role/Doc";
  private static final String PARTNER = "arn:aws:iam::" + ACCOUNT + ":role/Partner";
  private static final String DETACHED = "arn:aws:iam::" + ACCOUNT + ":role/Detached";
  private static final String GHOST = "arn:aws:iam::" + ACCOUNT + ":role/Ghost";
  private static final String USER1 = "arn:aws:redshift:us-west-2:" + ACCOUNT + ":dbuser:c1/user1";

  @TempDir Path dir;

  private Guard guard(String policy) throws Exception {
    return guard(policy, "");
  }

  private Guard guard(String policy, String extra) throws Exception {
    String yaml = """
        version: 1
        %6$s
        clusters:
          - id: c1
            account: "%1$s"
            region: us-west-2
            attached_roles: [%2$s, %3$s, arn:aws:iam::%1$s:role/Plain]
            default_role: %2$s
        %8$s
        roles:
          - arn: %2$s
            alias: loader
            trust: {regions: [us-west-2], db_users: ["%7$s"]}
            allow: {s3_read: ["s3://bkt/in/"], lambda: [fn], assume: [%4$s], glue_databases: [salesdb]}
          - arn: %4$s
            trust: {principals: [%2$s]}
            allow: {s3_read: ["s3://bkt/in/"]}
          - arn: %5$s
            allow: {s3_read: ["s3://bkt/in/"], assume: [%4$s]}
          - arn: arn:aws:iam::%1$s:role/Plain
            trust: {regions: [us-west-2]}
            allow: {glue_databases: [salesdb]}
          - arn: %3$s
            policy_files:
              trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: redshift.amazonaws.com},
                Action: "sts:AssumeRole", Condition: {StringEquals: {sts:ExternalId: "%7$s"}}}]}
              permissions: [{Version: "2012-10-17", Statement: [{Effect: Allow, Action: ["s3:GetObject", "s3:ListBucket"],
                Resource: "*"}]}]
        """.formatted(ACCOUNT, LOADER, DOC, PARTNER, DETACHED, policy, USER1, extra);
    return new Guard(RegistryLoader.parse(yaml, "r.yaml", dir));
  }

  private static List<Finding> findings(Guard guard, String user, String sql) {
    return guard.inspect(sql, Session.of(user, "c1")).findings();
  }

  private static Finding only(Guard guard, String user, RuleId rule, String sql) {
    return findings(guard, user, sql).stream().filter(f -> f.rule() == rule).findFirst()
        .orElseThrow(() -> new AssertionError("no " + rule + " for " + sql + ": " + findings(guard, user, sql)));
  }

  private static String copy(String auth) {
    return "copy t from 's3://bkt/in/' iam_role '" + auth + "'";
  }

  @Test
  void anUnattachedRoleAloneOrFirstInAChain() throws Exception {
    Guard guard = guard("");

    assertThat(only(guard, "user1", RuleId.ROLE_NOT_ATTACHED, copy(DETACHED)).message())
        .contains("role " + DETACHED + " is not attached to cluster c1. ");
    assertThat(only(guard, "user1", RuleId.ROLE_NOT_ATTACHED, copy(DETACHED + "," + PARTNER)).message())
        .contains("role " + DETACHED + " is not attached to cluster c1 (the first role of a chain must be). ");
  }

  @Test
  void anUnknownRoleInAGrantOrACommand() throws Exception {
    Guard guard = guard("");

    assertThat(only(guard, "user1", RuleId.ROLE_UNKNOWN, copy(LOADER + "," + GHOST)).remedy())
        .isEqualTo("add the role with its trust and permissions to r.yaml (or correct the ARN)");
    assertThat(only(guard, "user1", RuleId.ROLE_UNKNOWN,
        "grant assumerole on '" + GHOST + "' to user1 for copy").remedy())
        .isEqualTo("add the role to r.yaml (or correct the ARN)");
  }

  @Test
  void aFunctionByNameOrByPartialArn() throws Exception {
    Guard guard = guard("");
    String create = "create external function f(int) returns int volatile lambda '%s' iam_role '" + LOADER + "'";

    assertThat(findings(guard, "user1", create.formatted("fn"))).extracting(Finding::rule)
        .doesNotContain(RuleId.LAMBDA_NOT_PERMITTED);
    assertThat(only(guard, "user1", RuleId.LAMBDA_NOT_PERMITTED, create.formatted("other")).message())
        .contains("role " + LOADER + " may not invoke Lambda function other. ");
    assertThat(only(guard, "user1", RuleId.LAMBDA_NOT_PERMITTED, create.formatted("210987654321:function:fn")).message())
        .contains("may not invoke Lambda function 210987654321:function:fn"
            + " (arn:aws:lambda:us-west-2:210987654321:function:fn). ");
  }

  @Test
  void anUntrustedUserIsToldWhereTheTrustIs() throws Exception {
    Guard guard = guard("");

    assertThat(only(guard, "user2", RuleId.DB_USER_NOT_TRUSTED, copy(LOADER)).remedy())
        .contains("add arn:aws:redshift:us-west-2:123456789012:dbuser:c1/user2 to the role's trust (trust.db_users) in IAM"
            + " and in r.yaml");
    assertThat(only(guard, "user2", RuleId.DB_USER_NOT_TRUSTED, copy(DOC)).remedy())
        .contains("dbuser:c1/user2 to the role's trust (r.yaml roles[4].policy_files.trust) in IAM and in r.yaml");
    assertThat(findings(guard, "user1", copy(DOC))).isEmpty();
  }

  @Test
  void aNameThatIsNoArnWithAndWithoutAliasRewriting() throws Exception {
    Guard plain = guard("policy: {rewrite_aliases: false}");
    Guard aliases = guard(""); // rewriting aliases is the default

    Finding noAliases = only(plain, "user1", RuleId.ARN_MALFORMED, copy("nobody"));
    assertThat(noAliases.message()).doesNotContain("no alias or chain");
    assertThat(noAliases.remedy()).contains("; aliases are rewritten only with policy.rewrite_aliases: true");
    Finding withAliases = only(aliases, "user1", RuleId.ARN_MALFORMED, copy("nobody"));
    assertThat(withAliases.message()).contains(" and no alias or chain in the registry has that name");
    assertThat(withAliases.remedy()).contains(", or add the alias to r.yaml");
    assertThat(findings(aliases, "user1", copy("loader"))).isEmpty();
    assertThat(only(plain, "user1", RuleId.ARN_MALFORMED, copy("loader")).message()).contains("'loader' is not a role ARN");
  }

  @Test
  void aChainWithAnyKindOfSpaceIsMalformed() throws Exception {
    Guard guard = guard("");

    for (String gap : List.of(" ", "\t", "\u00a0", "\u2003")) {
      String chain = LOADER + "," + gap + PARTNER;
      assertThat(only(guard, "user1", RuleId.CHAIN_FORMAT, copy(chain)).message()).as("gap U+%04X", (int) gap.charAt(0))
          .contains("the role chain '" + chain + "' contains spaces");
    }
    assertThat(findings(guard, "user1", copy(LOADER + "," + PARTNER))).isEmpty();
  }

  @Test
  void aCatalogOfTheClustersAccountOrOfAnother() throws Exception {
    Guard guard = guard("");
    String schema = "create external schema s from data catalog database '%s'%s iam_role '" + LOADER + "'";

    assertThat(findings(guard, "user1", schema.formatted("salesdb", ""))).isEmpty();
    Finding own = only(guard, "user1", RuleId.CATALOG_NOT_PERMITTED, schema.formatted("hrdb", ""));
    assertThat(own.message()).contains("role " + LOADER + " may not use catalog database hrdb. ");
    assertThat(own.remedy()).isEqualTo("allow the Glue database hrdb for Loader (allow.glue_databases in r.yaml)");
    Finding foreign = only(guard, "user1", RuleId.CATALOG_NOT_PERMITTED,
        schema.formatted("salesdb", " catalog_id '210987654321'"));
    assertThat(foreign.message()).contains("may not use catalog database salesdb of account 210987654321's Glue Data"
        + " Catalog (arn:aws:glue:us-west-2:210987654321:database/salesdb). ");
    assertThat(foreign.remedy()).isEqualTo("allow the Glue database arn:aws:glue:us-west-2:210987654321:database/salesdb"
        + " for Loader (allow.glue_databases in r.yaml; another account's catalog by its ARN)");
    Finding document = only(guard, "user1", RuleId.CATALOG_NOT_PERMITTED,
        schema.formatted("salesdb", "").replace(LOADER, DOC));
    assertThat(document.remedy()).isEqualTo("allow glue:GetDatabase on arn:aws:glue:us-west-2:123456789012:catalog and"
        + " arn:aws:glue:us-west-2:123456789012:database/salesdb in the permission policies of Doc");
  }

  @Test
  void oneKeyWithoutTheOtherIsNamed() throws Exception {
    Guard guard = guard("policy: {credentials: any}");
    String secretOnly = "copy t from 's3://bkt/in/' secret_access_key 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'";
    String idOnly = "copy t from 's3://bkt/in/' access_key_id 'AKIAIOSFODNN7EXAMPLE'";

    Finding secret = only(guard, "user1", RuleId.AUTH_CONFLICT, secretOnly);
    assertThat(secret.subject()).isEqualTo("SECRET_ACCESS_KEY");
    assertThat(secret.message()).contains("a secret access key is given without its access key id")
        .doesNotContain("wJalrXUtnFEMI");
    Finding id = only(guard, "user1", RuleId.AUTH_CONFLICT, idOnly);
    assertThat(id.subject()).isEqualTo("ACCESS_KEY_ID");
    assertThat(id.message()).contains("an access key id is given without its secret access key");
  }

  @Test
  void aLibraryFromAnHttpsUrlNeedsNoCredentials() throws Exception {
    Guard guard = guard("");

    assertThat(findings(guard, "user1",
        "create library lib language plpythonu from 'https://example.com/lib.zip'")).isEmpty();
  }

  @Test
  void theDefaultRoleNeedsAGrantWhereGrantsAreEnforced() throws Exception {
    Guard guard = guard("", "grants:\n  - {on: [" + LOADER + "], to: [user1], for: [COPY]}");

    // Redshift checks a grant on 'default' for IAM_ROLE default, not one on the role it stands for
    assertThat(findings(guard, "user1", copy(LOADER))).isEmpty();
    Finding user1 = only(guard, "user1", RuleId.ASSUMEROLE_NOT_GRANTED, "copy t from 's3://bkt/in/' iam_role default");
    assertThat(user1.subject()).isEqualTo("DEFAULT");
    assertThat(user1.remedy()).isEqualTo("GRANT ASSUMEROLE ON 'DEFAULT' TO user1 FOR COPY (and add the grant to r.yaml)");
    assertThat(findings(guard, "user3", "copy t from 's3://bkt/in/' iam_role default")).extracting(Finding::rule)
        .contains(RuleId.ASSUMEROLE_NOT_GRANTED);
    assertThat(findings(guard("", ""), "user1", "copy t from 's3://bkt/in/' iam_role default")).isEmpty();
  }

  @Test
  void aFindingPointsAtTheAuthClauseOrElseTheStatement() throws Exception {
    Guard guard = guard("");
    String sql = "copy t from 's3://bkt/in/' iam_role '" + DETACHED + "'";

    assertThat(only(guard, "user1", RuleId.ROLE_NOT_ATTACHED, sql).offset()).isEqualTo(sql.indexOf("iam_role"));
    String second = "select 1; " + sql;
    assertThat(only(guard, "user1", RuleId.ROLE_NOT_ATTACHED, second).offset()).isEqualTo(second.indexOf("iam_role"));
  }

  @Test
  void anUnknownUserCannotBeCheckedAgainstGrants() throws Exception {
    Guard guard = guard("", "grants:\n  - {on: [" + LOADER + "], to: [user1], for: [COPY]}");
    Session nobody = new Session(null, List.of(), List.of(), "c1");

    // one finding for the grant, one for Loader's trust, which names database users
    assertThat(guard.inspect(copy(LOADER), nobody).findings()).filteredOn(f -> f.rule() == RuleId.IDENTITY_UNKNOWN)
        .extracting(Finding::message).hasSize(2)
        .anySatisfy(m -> assertThat(m).contains("the database user running the statement is unknown (no user is known"
            + " for the session), so the guard cannot tell whether it holds ASSUMEROLE on IAM role \"" + LOADER + "\" for COPY"))
        .anySatisfy(m -> assertThat(m).contains("cannot tell whether role " + LOADER + " trusts it"));
    Finding noted = guard.inspect(copy(LOADER), nobody.unknown("the target did not report it")).findings().stream()
        .filter(f -> f.rule() == RuleId.IDENTITY_UNKNOWN).findFirst().orElseThrow();
    assertThat(noted.message()).contains("is unknown (the target did not report it)");
  }

  @Test
  void aStoredCopyJobIsNamed() throws Exception {
    Guard guard = guard("");

    Finding job = only(guard, "user1", RuleId.COPY_JOB_UNCHECKED, "copy job run nightly_load");
    assertThat(job.subject()).isEqualTo("nightly_load");
    assertThat(job.message()).contains("COPY JOB RUN nightly_load runs a stored COPY whose role and source were set"
        + " when the job was created, so they cannot be checked here");
  }

  @Test
  void aCatalogRoleIsAssumedByRedshiftForTheUser() throws Exception {
    Guard guard = guard("");
    String plain = "arn:aws:iam::" + ACCOUNT + ":role/Plain";
    String schema = "create external schema s from data catalog database 'salesdb' iam_role '" + plain
        + "' catalog_role '%s'";

    // Doc's trust names user1 in sts:ExternalId: the catalog hop is asked for the user even though Plain names none
    assertThat(findings(guard, "user1", schema.formatted(DOC))).extracting(Finding::rule)
        .doesNotContain(RuleId.DB_USER_NOT_TRUSTED, RuleId.IDENTITY_UNKNOWN, RuleId.CHAIN_NOT_TRUSTED);
    assertThat(findings(guard, "user2", schema.formatted(DOC))).extracting(Finding::rule)
        .contains(RuleId.DB_USER_NOT_TRUSTED);
    // Partner trusts Loader only, not Redshift in any region, and is not attached
    assertThat(findings(guard, "user1", schema.formatted(PARTNER))).extracting(Finding::rule)
        .contains(RuleId.REGION_NOT_TRUSTED, RuleId.ROLE_NOT_ATTACHED);
  }
}
