package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.LOADER;
import static dev.iamguard.policy.Fixture.inspect;
import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Fixture.Form;
import dev.iamguard.policy.registry.Registry;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11, "Resources: nothing unchecked": a denied statement and its near miss for every
 * resource rule, in both registry forms where the rule reads a role's permissions.
 */
class ResourceRulesTest {
  static final String FUNCTION = "create external function f(int) returns int volatile lambda '%s' iam_role '"
      + LOADER + "'";
  static final String SCHEMA = "create external schema s from data catalog database '%s' iam_role '" + LOADER + "'";

  @TempDir
  Path dir;

  Registry registry(Form form) {
    return Fixture.registry(form, dir, "");
  }

  /** Lambda functions as names, partial ARNs and ARNs: account, region and name all count. */
  @Nested
  class LambdaFunctions {
    @ParameterizedTest
    @EnumSource(Form.class)
    void anotherAccountsFunctionOfTheSameNameIsDenied(Form form) {
      for (String denied : new String[] {"arn:aws:lambda:us-west-2:999999999999:function:loaderFn",
          "999999999999:function:loaderFn", "arn:aws:lambda:eu-west-1:111122223333:function:loaderFn",
          "arn:aws-cn:lambda:us-west-2:111122223333:function:loaderFn", "loaderFn:prod", "sharedFn"}) {
        Decision decision = inspect(registry(form), FUNCTION.formatted(denied));
        assertThat(rules(decision)).as(denied).containsExactly(RuleId.LAMBDA_NOT_PERMITTED);
        assertThat(decision.findings().get(0).message()).contains(denied);
      }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void theClustersOwnFunctionInEveryFormatAndAListedArnAreAllowed(Form form) {
      for (String allowed : new String[] {"loaderFn", "111122223333:function:loaderFn",
          "arn:aws:lambda:us-west-2:111122223333:function:loaderFn",
          "arn:aws:lambda:us-west-2:444455556666:function:sharedFn", "444455556666:function:sharedFn"}) {
        assertThat(rules(inspect(registry(form), FUNCTION.formatted(allowed)))).as(allowed).isEmpty();
      }
    }

    @Test
    void whatIsNoFunctionNameIsRefused() {
      for (String odd : new String[] {"arn:aws:lambda:us-west-2:1111:function:loaderFn", "loader fn",
          "arn:aws:s3:::loaderFn", "*"}) {
        Decision decision = inspect(Fixture.registry(), FUNCTION.formatted(odd));
        assertThat(rules(decision)).as(odd).containsExactly(RuleId.LAMBDA_NOT_PERMITTED);
        assertThat(decision.findings().get(0).message()).contains("is not a Lambda function name");
      }
    }
  }

  /** CATALOG_ID and CREATE DATABASE ... FROM ARN name a catalog; another account's needs the registry's word. */
  @Nested
  class Catalogs {
    @ParameterizedTest
    @EnumSource(Form.class)
    void anotherAccountsCatalogIsDeniedUnlessItsDatabaseIsListed(Form form) {
      Decision denied = inspect(registry(form), SCHEMA.formatted("salesdb") + " catalog_id '999999999999'");
      assertThat(rules(denied)).containsExactly(RuleId.CATALOG_NOT_PERMITTED);
      assertThat(denied.findings().get(0).message()).contains("999999999999", "salesdb");

      assertThat(rules(inspect(registry(form), SCHEMA.formatted("salesdb") + " catalog_id '111122223333'"))).isEmpty();
      assertThat(rules(inspect(registry(form), SCHEMA.formatted("shared") + " catalog_id '444455556666'"))).isEmpty();
      assertThat(rules(inspect(registry(form), SCHEMA.formatted("shared") + " catalog_id '444455556666' region 'eu-west-1'")))
          .containsExactly(RuleId.CATALOG_NOT_PERMITTED);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void createDatabaseFromAGlueArnIsCheckedLikeACatalogDatabase(Form form) {
      String database = "create database d from arn '%s' with no data catalog schema iam_role '" + LOADER + "'";
      Decision denied = inspect(registry(form), database.formatted("arn:aws:glue:us-west-2:999999999999:database/salesdb"));
      assertThat(rules(denied)).containsExactly(RuleId.CATALOG_NOT_PERMITTED);
      assertThat(denied.findings().get(0).message()).contains("arn:aws:glue:us-west-2:999999999999:database/salesdb");

      assertThat(rules(inspect(registry(form), database.formatted("arn:aws:glue:us-west-2:111122223333:database/salesdb"))))
          .isEmpty();
      assertThat(rules(inspect(registry(form), database.formatted("arn:aws:glue:us-west-2:111122223333:database/otherdb"))))
          .containsExactly(RuleId.CATALOG_NOT_PERMITTED);
    }

    @Test
    void aGlueDatabaseWithoutARoleOrWithAMalformedArnOrCatalogIdIsRefused() {
      assertThat(rules(inspect(Fixture.registry(),
          "create database d from arn 'arn:aws:glue:us-west-2:111122223333:database/salesdb' with no data catalog schema")))
          .containsExactly(RuleId.AUTH_UNPARSEABLE);
      assertThat(rules(inspect(Fixture.registry(), "create database d from arn 'arn:aws:glue:us-west-2:1111:database/x'"
          + " with no data catalog schema iam_role '" + LOADER + "'"))).containsExactly(RuleId.CATALOG_NOT_PERMITTED);
      assertThat(rules(inspect(Fixture.registry(), SCHEMA.formatted("salesdb") + " catalog_id 'mine'")))
          .containsExactly(RuleId.CATALOG_NOT_PERMITTED);
      // a datashare ARN is no resource of the role
      assertThat(rules(inspect(Fixture.registry(), "create database d from arn "
          + "'arn:aws:redshift:us-east-1:123456789012:datashare:x/y' with data catalog schema 's'"))).isEmpty();
    }

    /** A Hive metastore's database lives in the metastore, not in Glue. */
    @Test
    void aHiveMetastoreDatabaseIsNotCheckedAgainstGlueDatabases() {
      String hive = "create external schema h from hive metastore database '%s' uri '172.10.10.10' port 99 iam_role '"
          + LOADER + "'";
      assertThat(rules(inspect(Fixture.registry(), hive.formatted("hivedb")))).isEmpty();
      assertThat(rules(inspect(Fixture.registry(), SCHEMA.formatted("hivedb")))).containsExactly(RuleId.CATALOG_NOT_PERMITTED);
    }
  }

  /** CREATE/ALTER IDENTITY PROVIDER ... IAM_ROLE (IAM Identity Center): the role is checked like any role. */
  @Test
  void anIdentityProvidersRoleIsCheckedLikeAnyRole() {
    String create = "create identity provider idc type awsidc namespace 'ns' "
        + "application_arn 'arn:aws:sso::123456789012:application/ssoins-1/apl-1' iam_role '%s'";
    assertThat(rules(inspect(Fixture.registry(), create.formatted(Fixture.GHOST))))
        .containsExactly(RuleId.ROLE_UNKNOWN, RuleId.ROLE_NOT_ATTACHED);
    assertThat(rules(inspect(Fixture.registry(), create.formatted(Fixture.DETACHED)))).containsExactly(RuleId.ROLE_NOT_ATTACHED);
    assertThat(rules(inspect(Fixture.registry(), "user3", create.formatted(LOADER))))
        .containsExactly(RuleId.DB_USER_NOT_TRUSTED);
    assertThat(rules(inspect(Fixture.registry(), create.formatted(LOADER)))).isEmpty();
    assertThat(rules(inspect(Fixture.registry(), "alter identity provider idc iam_role '" + Fixture.GHOST + "'")))
        .containsExactly(RuleId.ROLE_UNKNOWN, RuleId.ROLE_NOT_ATTACHED);
    assertThat(rules(inspect(Fixture.registry(), "alter identity provider idc iam_role '" + LOADER + "' disable")))
        .isEmpty();
    assertThat(rules(inspect(Fixture.registry(), "alter identity provider idc iam_role 'SESSION'")))
        .containsExactly(RuleId.ARN_MALFORMED);
  }

  /** COPY JOB: CREATE is refused where Redshift refuses it; RUN follows policy.copy_job_run. */
  @Test
  void copyJobsAreRefusedWhereRedshiftRefusesThemAndRunFollowsTheSwitch() {
    String create = "copy t from 's3://data/in/' %s job create load_t";
    assertThat(rules(inspect(Fixture.registry(), create.formatted("iam_role '" + LOADER + "' manifest"))))
        .containsExactly(RuleId.COPY_JOB_REFUSED);
    assertThat(rules(inspect(Fixture.registry(), create.formatted("credentials 'aws_iam_role=" + LOADER + "'"))))
        .containsExactly(RuleId.COPY_JOB_REFUSED);
    assertThat(rules(inspect(Fixture.registry(), create.formatted("iam_role '" + LOADER + "'")))).isEmpty();
    // a job is checked like the COPY it stores
    assertThat(rules(inspect(Fixture.registry(), "copy t from 's3://data/other/' iam_role '" + LOADER + "' job create j")))
        .containsExactly(RuleId.S3_NOT_PERMITTED);

    Decision denied = inspect(Fixture.registry("policy:\n  copy_job_run: deny\n"), "copy job run load_t");
    assertThat(denied.verdict()).isEqualTo(Verdict.DENY);
    assertThat(denied.findings()).extracting(Finding::severity).containsExactly(Severity.ERROR);
    assertThat(inspect(Fixture.registry("policy:\n  copy_job_run: allow\n"), "copy job run load_t").findings()).isEmpty();
    assertThat(inspect(Fixture.registry(), "copy job drop load_t").findings()).isEmpty();
    assertThat(inspect(Fixture.registry(), "copy job list").findings()).isEmpty();
  }

  /** MSK with AUTHENTICATION none connects without a role, as Kafka does. */
  @Test
  void mskWithoutAuthenticationNeedsNoRoleButWithIamItDoes() {
    String msk = "create external schema m from msk authentication %s cluster_arn "
        + "'arn:aws:kafka:us-west-2:111122223333:cluster/c/1'";
    assertThat(rules(inspect(Fixture.registry(), msk.formatted("none")))).isEmpty();
    assertThat(rules(inspect(Fixture.registry(), msk.formatted("iam")))).containsExactly(RuleId.AUTH_UNPARSEABLE);
  }

  /** IAM_ROLE 'SESSION': denied by default, a warning or nothing under policy.session_role. */
  @Test
  void sessionRoleFollowsTheRegistrySwitch() {
    String schema = "create database d from integration 'i' iam_role 'SESSION'";
    Decision denied = inspect(Fixture.registry(), schema);
    assertThat(rules(denied)).containsExactly(RuleId.SESSION_ROLE);
    assertThat(denied.verdict()).isEqualTo(Verdict.DENY);

    Decision warned = inspect(Fixture.registry("policy:\n  session_role: warn\n"), schema);
    assertThat(warned.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(warned.findings()).extracting(Finding::severity).containsExactly(Severity.WARNING);

    assertThat(inspect(Fixture.registry("policy:\n  session_role: allow\n"), schema).findings()).isEmpty();
    assertThat(rules(inspect(Fixture.registry(), SCHEMA.formatted("salesdb") + " catalog_role 'SESSION'")))
        .containsExactly(RuleId.SESSION_ROLE);
  }
}
