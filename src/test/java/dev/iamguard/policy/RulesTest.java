package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.DETACHED;
import static dev.iamguard.policy.Fixture.DISTRUSTFUL;
import static dev.iamguard.policy.Fixture.GHOST;
import static dev.iamguard.policy.Fixture.LOADER;
import static dev.iamguard.policy.Fixture.LOADER_PARTNER;
import static dev.iamguard.policy.Fixture.PARTNER;
import static dev.iamguard.policy.Fixture.REGIONAL;
import static dev.iamguard.policy.Fixture.RESTRICTED;
import static dev.iamguard.policy.Fixture.UNREACHABLE;
import static dev.iamguard.policy.Fixture.dbUser;
import static dev.iamguard.policy.Fixture.inspect;
import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Fixture.Form;
import dev.iamguard.policy.registry.Registry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of DESIGN.md: a statement it denies (with the whole message checked) and a near miss
 * it allows. The trust and permission rules run over both registry forms (short and IAM documents).
 */
class RulesTest {
  /** Rules whose outcome depends on what a role trusts or may do: tested in both registry forms. */
  static final Set<RuleId> ROLE_RULES = EnumSet.of(RuleId.REGION_NOT_TRUSTED, RuleId.DB_USER_NOT_TRUSTED,
      RuleId.CHAIN_NOT_TRUSTED, RuleId.CHAIN_NOT_PERMITTED, RuleId.S3_NOT_PERMITTED,
      RuleId.LAMBDA_NOT_PERMITTED, RuleId.CATALOG_NOT_PERMITTED, RuleId.SOURCE_NOT_PERMITTED,
      RuleId.IDENTITY_UNKNOWN);

  static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN";

  @TempDir
  Path dir;

  /**
   * The session a case names: a user given as the CLI gives it, {@code server:<user>} as the server
   * reports it, {@code changed:<user>} reported but changed by statement 1 of the same text, or
   * null for a session whose user nobody knows.
   */
  static Session session(String user) {
    if (user == null || !user.contains(":")) {
      return Session.of(user, null);
    }
    Session reported = Session.of(null, null).reported(user.substring(user.indexOf(':') + 1), List.of(), List.of(), false);
    return user.startsWith("changed:") ? reported.changedBy("statement 1") : reported;
  }

  static Decision inspectAs(Registry registry, String user, String sql) {
    return new Guard(registry).inspect(sql, session(user));
  }

  /**
   * One rule: {@code denied} is denied (placed as statement 2 on line 3 of a script) with exactly
   * {@code expected} findings; the first names {@code command} and each of {@code subjects};
   * {@code allowed} is a near miss that passes without any finding.
   */
  record Case(RuleId rule, String name, Function<Path, Registry> deniedIn, String deniedUser, String denied,
      String command, List<RuleId> expected, List<String> subjects,
      Function<Path, Registry> allowedIn, String allowedUser, String allowed) {
    @Override
    public String toString() {
      return rule + " " + name;
    }
  }

  static Function<Path, Registry> shortForm(String extra) {
    return d -> Fixture.registry(extra);
  }

  static Function<Path, Registry> form(Form form) {
    return d -> Fixture.registry(form, d, "");
  }

  static String copy(String source, String role) {
    return "copy t from '" + source + "' iam_role '" + role + "'";
  }

  static Case simple(RuleId rule, String denied, String command, List<RuleId> expected, List<String> subjects,
      String allowed) {
    return new Case(rule, "", shortForm(""), "user1", denied, command, expected, subjects, shortForm(""), "user1",
        allowed);
  }

  /** The cases of the rules that do not depend on the registry form. */
  static Stream<Case> formIndependent() {
    String temporaryKeys = "policy:\n  credentials: temporary-keys\n  keys: {s3_read: [\"s3://data/in/\"]}\n";
    String keys = "access_key_id '" + KEY_ID + "' secret_access_key '" + SECRET + "'";
    String noDefault = Fixture.CLUSTERS.replace("    default_role: " + LOADER + "\n", "");
    return Stream.of(
        simple(RuleId.AUTH_UNPARSEABLE, "copy t from 's3://data/in/x' iam_role '" + LOADER, "COPY",
            List.of(RuleId.AUTH_UNPARSEABLE), List.of("IAM_ROLE", "unterminated"), copy("s3://data/in/x", LOADER)),
        simple(RuleId.AUTH_PARAMETER, "copy t from 's3://data/in/x' iam_role ?", "COPY",
            List.of(RuleId.AUTH_PARAMETER), List.of("IAM_ROLE", "bind parameter"), copy("s3://data/in/x", LOADER)),
        simple(RuleId.AUTH_CONFLICT, copy("s3://data/in/x", LOADER) + " " + keys, "COPY",
            List.of(RuleId.AUTH_CONFLICT), List.of("IAM_ROLE", "ACCESS_KEY_ID"), copy("s3://data/in/x", LOADER)),
        simple(RuleId.ARN_MALFORMED, copy("s3://data/in/x", "arn:aws:iam::11112222333:role/Loader"), "COPY",
            List.of(RuleId.ARN_MALFORMED), List.of("arn:aws:iam::11112222333:role/Loader"),
            copy("s3://data/in/x", "arn:aws:iam::111122223333:role/Loader")),
        simple(RuleId.CHAIN_FORMAT, copy("s3://partner/in/x", LOADER + ", " + PARTNER), "COPY",
            List.of(RuleId.CHAIN_FORMAT), List.of(LOADER + ", " + PARTNER, "spaces"),
            copy("s3://partner/in/x", LOADER_PARTNER)),
        new Case(RuleId.CHAIN_TOO_LONG, "max_chain: 2", shortForm("policy:\n  max_chain: 2\n"), "user1",
            copy("s3://partner/in/x", LOADER_PARTNER + "," + PARTNER), "COPY", List.of(RuleId.CHAIN_TOO_LONG),
            List.of("3 roles", "at most 2"), shortForm("policy:\n  max_chain: 2\n"), "user1",
            copy("s3://partner/in/x", LOADER_PARTNER)),
        simple(RuleId.ROLE_UNKNOWN, copy("s3://partner/in/x", LOADER + "," + GHOST), "COPY",
            // Loader has no sts:AssumeRole on Ghost either: every problem of the chain is reported
            List.of(RuleId.ROLE_UNKNOWN, RuleId.CHAIN_NOT_PERMITTED), List.of(GHOST, "test.yaml"),
            copy("s3://partner/in/x", LOADER_PARTNER)),
        simple(RuleId.ROLE_NOT_ATTACHED, copy("s3://data/in/x", DETACHED), "COPY",
            List.of(RuleId.ROLE_NOT_ATTACHED), List.of(DETACHED, "west"), copy("s3://data/in/x", LOADER)),
        new Case(RuleId.ASSUMEROLE_NOT_GRANTED, "", shortForm(
            "grants:\n  - on: [" + LOADER + "]\n    to: [user1]\n    for: [COPY]\n"), "user2",
            copy("s3://data/in/x", LOADER), "COPY", List.of(RuleId.ASSUMEROLE_NOT_GRANTED),
            List.of("user2", LOADER, "for COPY"), shortForm(
            "grants:\n  - on: [" + LOADER + "]\n    to: [user1]\n    for: [COPY]\n"), "user1",
            copy("s3://data/in/x", LOADER)),
        new Case(RuleId.DEFAULT_ROLE_MISSING, "", d -> Fixture.parse("version: 1\n" + noDefault + Fixture.SHORT_ROLES, null),
            "user1", "copy t from 's3://data/in/x' iam_role default", "COPY", List.of(RuleId.DEFAULT_ROLE_MISSING),
            List.of("DEFAULT", "west"), shortForm(""), "user1", "copy t from 's3://data/in/x' iam_role default"),
        new Case(RuleId.LONG_TERM_KEYS, "temporary-keys", shortForm(temporaryKeys), "user1",
            "copy t from 's3://data/in/x' " + keys, "COPY", List.of(RuleId.LONG_TERM_KEYS),
            List.of("access keys", "session token"), shortForm(temporaryKeys), "user1",
            "copy t from 's3://data/in/x' " + keys + " session_token '" + TOKEN + "'"),
        new Case(RuleId.STATIC_KEYS, "roles-only", shortForm(""), "user1",
            "copy t from 's3://data/in/x' " + keys + " session_token '" + TOKEN + "'", "COPY",
            List.of(RuleId.STATIC_KEYS), List.of("roles-only"), shortForm(temporaryKeys), "user1",
            "copy t from 's3://data/in/x' " + keys + " session_token '" + TOKEN + "'"),
        // issue 11: keys stay bound by the prefixes the registry states for them (policy.keys)
        new Case(RuleId.S3_NOT_PERMITTED, "keys outside policy.keys", shortForm(temporaryKeys), "user1",
            "unload ('select 1') to 's3://data/out/x' " + keys + " session_token '" + TOKEN + "'", "UNLOAD",
            List.of(RuleId.S3_NOT_PERMITTED), List.of("the access keys", "s3://data/out/x", "policy.keys.s3_write"),
            shortForm(temporaryKeys), "user1", "copy t from 's3://data/in/x' " + keys + " session_token '" + TOKEN + "'"),
        new Case(RuleId.S3_NOT_PERMITTED, "keys without policy.keys", shortForm("policy:\n  credentials: any\n"),
            "user1", "copy t from 's3://data/in/x' " + keys, "COPY",
            List.of(RuleId.S3_NOT_PERMITTED), List.of("the access keys", "no policy.keys.s3_read"),
            shortForm("policy:\n  credentials: any\n  keys: {s3_read: [\"s3://data/in/\"]}\n"), "user1",
            "copy t from 's3://data/in/x' " + keys),
        new Case(RuleId.SOURCE_NOT_PERMITTED, "keys", shortForm(temporaryKeys), "user1",
            "copy t from 'dynamodb://SalesDaily' " + keys + " session_token '" + TOKEN + "' readratio 50", "COPY",
            List.of(RuleId.SOURCE_NOT_PERMITTED), List.of("the access keys", "SalesDaily", "policy.keys.dynamodb_tables"),
            shortForm(temporaryKeys.replace("}", ", dynamodb_tables: [SalesDaily]}")), "user1",
            "copy t from 'dynamodb://SalesDaily' " + keys + " session_token '" + TOKEN + "' readratio 50"),
        new Case(RuleId.SESSION_ROLE, "", shortForm(""), "user1",
            "create external schema s from data catalog database 'salesdb' iam_role 'SESSION'", "CREATE_EXTERNAL_SCHEMA",
            List.of(RuleId.SESSION_ROLE), List.of("IAM_ROLE 'SESSION'", "federated", "policy.session_role"),
            shortForm("policy:\n  session_role: allow\n"), "user1",
            "create external schema s from data catalog database 'salesdb' iam_role 'SESSION'"),
        simple(RuleId.COPY_JOB_REFUSED, "copy t from 's3://data/in/' iam_role default job create load_t auto on", "COPY",
            List.of(RuleId.COPY_JOB_REFUSED), List.of("IAM_ROLE default", "JOB CREATE"),
            "copy t from 's3://data/in/' iam_role '" + LOADER + "' job create load_t auto on"),
        simple(RuleId.COPY_JOB_UNCHECKED, "copy job run load_t", "COPY", List.of(RuleId.COPY_JOB_UNCHECKED),
            List.of("COPY JOB RUN load_t", "policy.copy_job_run"), "copy job show load_t"),
        new Case(RuleId.EXTERNAL_SCHEMA_UNKNOWN, "", shortForm(""), "user1",
            "create external table spectrum.sales (a int) stored as parquet location 's3://data/in/sales/'",
            "CREATE_EXTERNAL_TABLE", List.of(RuleId.EXTERNAL_SCHEMA_UNKNOWN),
            List.of("s3://data/in/sales/", "spectrum", "external_schemas"),
            shortForm("external_schemas:\n  spectrum: {iam_role: \"" + LOADER + "\"}\n"), "user1",
            "create external table spectrum.sales (a int) stored as parquet location 's3://data/in/sales/'"),
        simple(RuleId.AUTH_DYNAMIC, "create procedure p(r varchar) as $$ begin execute 'copy t from ''s3://data/in/x'' "
                + "iam_role ''' || r || ''''; end; $$ language plpgsql", "CREATE_PROCEDURE",
            List.of(RuleId.AUTH_DYNAMIC), List.of("dynamic SQL"),
            "create procedure p() as $$ begin execute 'select 1'; end; $$ language plpgsql"),
        new Case(RuleId.IDENTITY_UNKNOWN, "grants", shortForm(
            "grants:\n  - on: [" + LOADER + "]\n    to: [user1]\n    for: [COPY]\n"), null,
            // Loader's trust also names database users: both checks say the user is unknown
            copy("s3://data/in/x", LOADER), "COPY", List.of(RuleId.IDENTITY_UNKNOWN, RuleId.IDENTITY_UNKNOWN),
            List.of(LOADER, "user running the statement is unknown", "sts:ExternalId"), shortForm(
            "grants:\n  - on: [" + LOADER + "]\n    to: [user1]\n    for: [COPY]\n"), "server:user1",
            copy("s3://data/in/x", LOADER)),
        new Case(RuleId.IDENTITY_CHANGED_IN_TEXT, "", shortForm(""), "changed:user1", copy("s3://data/in/x", LOADER),
            "COPY", List.of(RuleId.IDENTITY_CHANGED_IN_TEXT), List.of("statement 1", "separate executions"),
            shortForm(""), "server:user1", copy("s3://data/in/x", LOADER)),
        new Case(RuleId.GRANT_ALL_TO_PUBLIC, "", shortForm("grants: []\n"), "user1",
            "grant assumerole on all to public for copy", "GRANT_ASSUMEROLE", List.of(RuleId.GRANT_ALL_TO_PUBLIC),
            List.of("ON ALL TO PUBLIC", "test.yaml"), shortForm("grants: []\n"), "user1",
            "grant assumerole on all to group etl for copy"));
  }

  /** The cases of the trust and permission rules, in one registry form. */
  static Stream<Case> roleRules(Form form) {
    Function<Path, Registry> in = form(form);
    String external = "create external schema s from data catalog database '%s' iam_role '%s'";
    String function = "create external function f(int) returns int volatile lambda '%s' iam_role '%s'";
    return Stream.of(
        new Case(RuleId.REGION_NOT_TRUSTED, form.name(), in, "user1", copy("s3://data/in/x", REGIONAL), "COPY",
            List.of(RuleId.REGION_NOT_TRUSTED), List.of(REGIONAL, "us-west-2"), in, "user1",
            copy("s3://data/in/x", LOADER)),
        new Case(RuleId.DB_USER_NOT_TRUSTED, form.name(), in, "user3", copy("s3://data/in/x", LOADER), "COPY",
            List.of(RuleId.DB_USER_NOT_TRUSTED), List.of(LOADER, dbUser("user3")), in, "user2",
            copy("s3://data/in/x", LOADER)),
        new Case(RuleId.IDENTITY_UNKNOWN, form.name() + " trust", in, null, copy("s3://data/in/x", LOADER), "COPY",
            List.of(RuleId.IDENTITY_UNKNOWN), List.of(LOADER, "sts:ExternalId"), in, "user2",
            copy("s3://data/in/x", LOADER)),
        new Case(RuleId.DB_USER_NOT_TRUSTED, form.name() + " second role of a chain", in, "user2",
            copy("s3://partner/in/x", LOADER + "," + RESTRICTED), "COPY", List.of(RuleId.DB_USER_NOT_TRUSTED),
            List.of(RESTRICTED, dbUser("user2")), in, "user1", copy("s3://partner/in/x", LOADER + "," + RESTRICTED)),
        new Case(RuleId.CHAIN_NOT_TRUSTED, form.name(), in, "user1",
            copy("s3://partner/in/x", LOADER + "," + DISTRUSTFUL), "COPY", List.of(RuleId.CHAIN_NOT_TRUSTED),
            List.of(DISTRUSTFUL, LOADER), in, "user1", copy("s3://partner/in/x", LOADER_PARTNER)),
        new Case(RuleId.CHAIN_NOT_PERMITTED, form.name(), in, "user1",
            copy("s3://partner/in/x", LOADER + "," + UNREACHABLE), "COPY", List.of(RuleId.CHAIN_NOT_PERMITTED),
            List.of(LOADER, UNREACHABLE, "sts:AssumeRole"), in, "user1", copy("s3://partner/in/x", LOADER_PARTNER)),
        new Case(RuleId.S3_NOT_PERMITTED, form.name(), in, "user1", copy("s3://data/input/x", LOADER), "COPY",
            List.of(RuleId.S3_NOT_PERMITTED), List.of(LOADER, "s3://data/input/x"), in, "user1",
            copy("s3://data/in/put/x", LOADER)),
        new Case(RuleId.S3_NOT_PERMITTED, form.name() + " write", in, "user1",
            "unload ('select 1') to 's3://data/in/x' iam_role '" + LOADER + "'", "UNLOAD",
            List.of(RuleId.S3_NOT_PERMITTED), List.of(LOADER, "s3://data/in/x", "write"), in, "user1",
            "unload ('select 1') to 's3://data/out/x' iam_role '" + LOADER + "'"),
        new Case(RuleId.S3_NOT_PERMITTED, form.name() + " key prefix", in, "user1",
            "unload ('select 1') to 's3://data/out' iam_role '" + LOADER + "'", "UNLOAD",
            List.of(RuleId.S3_NOT_PERMITTED), List.of(LOADER, "s3://data/out", "every key starting with it"), in,
            "user1", "unload ('select 1') to 's3://data/out/' iam_role '" + LOADER + "'"),
        new Case(RuleId.SOURCE_NOT_PERMITTED, form.name() + " DynamoDB", in, "user1",
            copy("dynamodb://Orders", LOADER) + " readratio 50", "COPY", List.of(RuleId.SOURCE_NOT_PERMITTED),
            List.of(LOADER, "Orders", "dynamodb"), in, "user1", copy("dynamodb://SalesDaily", LOADER) + " readratio 50"),
        new Case(RuleId.SOURCE_NOT_PERMITTED, form.name() + " EMR", in, "user1",
            copy("emr://j-OTHER22/out/part-*", LOADER), "COPY", List.of(RuleId.SOURCE_NOT_PERMITTED),
            List.of(LOADER, "j-OTHER22"), in, "user1", copy("emr://j-LOADER1/out/part-*", LOADER)),
        new Case(RuleId.LAMBDA_NOT_PERMITTED, form.name(), in, "user1", function.formatted("otherFn", LOADER),
            "CREATE_EXTERNAL_FUNCTION", List.of(RuleId.LAMBDA_NOT_PERMITTED), List.of(LOADER, "otherFn"), in, "user1",
            function.formatted("loaderFn", LOADER)),
        new Case(RuleId.CATALOG_NOT_PERMITTED, form.name(), in, "user1", external.formatted("otherdb", LOADER),
            "CREATE_EXTERNAL_SCHEMA", List.of(RuleId.CATALOG_NOT_PERMITTED), List.of(LOADER, "otherdb"), in, "user1",
            external.formatted("salesdb", LOADER)));
  }

  static Stream<Case> cases() {
    return Stream.concat(formIndependent(), Stream.of(Form.values()).flatMap(RulesTest::roleRules));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void deniesTheStatementAndAllowsTheNearMiss(Case c) {
    Decision denied = inspectAs(c.deniedIn().apply(dir), c.deniedUser(), "select 1;\n\n" + c.denied());

    StatementDecision statement = denied.statements().get(1);
    Verdict expectedVerdict = c.rule().severity() == Severity.ERROR ? Verdict.DENY : Verdict.ALLOW;
    assertThat(statement.verdict()).isEqualTo(expectedVerdict);
    assertThat(denied.verdict()).isEqualTo(expectedVerdict);
    assertThat(statement.allFindings()).extracting(Finding::rule).containsExactlyElementsOf(c.expected());
    Finding finding = statement.allFindings().get(0);
    assertThat(finding.severity()).isEqualTo(c.rule().severity());
    assertThat(finding.message())
        .startsWith("iamguard: " + c.rule() + " ")
        .contains("statement 2 (line 3, " + c.command() + ")")
        .contains(c.subjects())
        .containsPattern("Remedy: \\S");
    assertThat(finding.remedy()).isNotBlank();
    assertThat(finding.message()).doesNotContain(SECRET, KEY_ID, TOKEN);

    Decision allowed = inspectAs(c.allowedIn().apply(dir), c.allowedUser(), c.allowed());
    assertThat(allowed.findings()).isEmpty();
    assertThat(allowed.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(allowed.sql()).isEqualTo(c.allowed());
  }

  @Test
  void everyRuleIdHasACaseAndEveryRoleRuleOneInEachForm() {
    assertThat(cases().map(Case::rule).collect(Collectors.toSet())).containsExactlyInAnyOrder(RuleId.values());
    for (Form form : Form.values()) {
      assertThat(roleRules(form).map(Case::rule).collect(Collectors.toSet())).isEqualTo(ROLE_RULES);
    }
  }

  /**
   * What cannot be verified warns by default (a registry switch can make it deny), except dynamic SQL,
   * which denies unless policy.dynamic_sql says warn; every other rule denies.
   */
  @Test
  void severityIsErrorForEveryRuleButTheUnverifiableOnesAndAuthDynamicIsAWarningOnlyWhenTheRegistrySaysSo() {
    // issue 10: AUTH_DYNAMIC denies by default; policy.dynamic_sql: warn lowers it per finding
    Set<RuleId> warnings = EnumSet.of(RuleId.COPY_JOB_UNCHECKED, RuleId.EXTERNAL_SCHEMA_UNKNOWN);
    for (RuleId rule : RuleId.values()) {
      assertThat(rule.severity()).as(rule.name())
          .isEqualTo(warnings.contains(rule) ? Severity.WARNING : Severity.ERROR);
    }
    String dynamic = "create procedure p(r varchar) as $$ begin execute r; end; $$ language plpgsql";
    assertThat(Fixture.inspect(Fixture.registry(), dynamic).findings())
        .extracting(Finding::severity).containsExactly(Severity.ERROR);
    assertThat(Fixture.inspect(Fixture.registry("policy:\n  dynamic_sql: deny\n"), dynamic).findings())
        .extracting(Finding::severity).containsExactly(Severity.ERROR);
    assertThat(Fixture.inspect(Fixture.registry("policy:\n  dynamic_sql: warn\n"), dynamic).findings())
        .extracting(Finding::severity).containsExactly(Severity.WARNING);
  }

  /** Seed: "the cluster assumes the role at the end of chain" to access the data. */
  @Nested
  class ResourceChecksUseTheLastRoleOfAChain {
    @ParameterizedTest
    @EnumSource(Form.class)
    void s3ReadAndWrite(Form form) {
      Registry registry = Fixture.registry(form, dir, "");

      assertThat(rules(inspect(registry, copy("s3://partner/in/x", LOADER_PARTNER)))).isEmpty();
      Decision loaderPrefix = inspect(registry, copy("s3://data/in/x", LOADER_PARTNER));
      assertThat(rules(loaderPrefix)).containsExactly(RuleId.S3_NOT_PERMITTED);
      assertThat(loaderPrefix.findings().get(0).message()).contains("role " + PARTNER + " may not read s3://data/in/x");
      assertThat(rules(inspect(registry, "unload ('select 1') to 's3://partner/out/x' iam_role '"
          + LOADER_PARTNER + "'"))).isEmpty();
      assertThat(rules(inspect(registry, "unload ('select 1') to 's3://data/out/x' iam_role '"
          + LOADER_PARTNER + "'"))).containsExactly(RuleId.S3_NOT_PERMITTED);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void lambdaAndCatalog(Form form) {
      Registry registry = Fixture.registry(form, dir, "");
      String function = "create external function f(int) returns int volatile lambda '%s' iam_role '"
          + LOADER_PARTNER + "'";
      String schema = "create external schema s from data catalog database '%s' iam_role '" + LOADER_PARTNER + "'";

      assertThat(rules(inspect(registry, function.formatted("partnerFn")))).isEmpty();
      assertThat(rules(inspect(registry, function.formatted("loaderFn")))).containsExactly(RuleId.LAMBDA_NOT_PERMITTED);
      assertThat(rules(inspect(registry, schema.formatted("partnerdb")))).isEmpty();
      assertThat(rules(inspect(registry, schema.formatted("salesdb")))).containsExactly(RuleId.CATALOG_NOT_PERMITTED);
    }
  }

  /** Seed: "A user condition (ExternalId) can sit on any role of the chain": trust is checked per role. */
  @Nested
  class TrustChecksUseEachRole {
    @ParameterizedTest
    @EnumSource(Form.class)
    void theFirstRoleDistrustingTheUserDeniesAChainWhoseLaterRoleHasNoCondition(Form form) {
      Decision decision = inspect(Fixture.registry(form, dir, ""), "user3", copy("s3://partner/in/x", LOADER_PARTNER));

      assertThat(rules(decision)).containsExactly(RuleId.DB_USER_NOT_TRUSTED);
      assertThat(decision.findings().get(0).subject()).isEqualTo(LOADER);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void eachRoleOfABadChainIsReported(Form form) {
      Decision decision = inspect(Fixture.registry(form, dir, ""), "user3",
          copy("s3://partner/in/x", LOADER + "," + RESTRICTED));

      assertThat(decision.findings()).extracting(Finding::rule, Finding::subject).containsExactly(
          org.assertj.core.groups.Tuple.tuple(RuleId.DB_USER_NOT_TRUSTED, LOADER),
          org.assertj.core.groups.Tuple.tuple(RuleId.DB_USER_NOT_TRUSTED, RESTRICTED));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void aRegionRestrictedRoleIsUsableFromAClusterInATrustedRegion(Form form) {
      String east = Fixture.CLUSTERS.replace("id: west", "id: east").replace("us-west-2", "us-east-1");
      Registry registry = form == Form.SHORT
          ? Fixture.parse("version: 1\n" + east + Fixture.SHORT_ROLES, null)
          : iamWith(east);

      assertThat(rules(inspect(registry, copy("s3://data/in/x", REGIONAL)))).isEmpty();
    }

    private Registry iamWith(String clusters) {
      Fixture.writeIamDocuments(dir);
      return Fixture.parse("version: 1\n" + clusters + Fixture.IAM_ROLES, dir);
    }
  }

  @Nested
  class S3Locations {
    final Registry registry = Fixture.parse("""
        version: 1
        clusters:
          - {id: west, account: "111122223333", region: us-west-2, attached_roles: [%1$s]}
        roles:
          - arn: %1$s
            allow:
              s3_read: ["s3://bkt/a", "s3://whole"]
              s3_write: ["s3://bkt/out/"]
        """.formatted(LOADER), null);

    @Test
    void aPrefixGrantsItselfAndWhatIsBelowItButNotASiblingThatSharesItsLetters() {
      assertThat(rules(inspect(registry, "copy t from 's3://bkt/a' iam_role '" + LOADER + "' manifest"))).isEmpty();
      assertThat(rules(inspect(registry, copy("s3://bkt/a/", LOADER)))).isEmpty();
      assertThat(rules(inspect(registry, copy("s3://bkt/a/x", LOADER)))).isEmpty();
      Decision sibling = inspect(registry, copy("s3://bkt/ab", LOADER));
      assertThat(rules(sibling)).containsExactly(RuleId.S3_NOT_PERMITTED);
      assertThat(sibling.findings().get(0).subject()).isEqualTo("s3://bkt/ab");
    }

    @Test
    void aBucketGrantsTheWholeBucketAndNoOther() {
      assertThat(rules(inspect(registry, copy("s3://whole/any/key", LOADER)))).isEmpty();
      assertThat(rules(inspect(registry, copy("s3://wholesale/any/key", LOADER)))).containsExactly(RuleId.S3_NOT_PERMITTED);
    }

    @Test
    void dotSegmentsAndEncodingsAreNoWayOut() {
      for (String escape : List.of("s3://bkt/a/../secret", "s3://bkt/a/%2e%2e/secret", "s3://bkt/a%2Fx",
          "s3://bkt/a//x", "s3://bkt/a/./x")) {
        assertThat(rules(inspect(registry, copy(escape, LOADER)))).as(escape).containsExactly(RuleId.S3_NOT_PERMITTED);
      }
    }

    /** Fail closed: a location the guard cannot read as s3:// cannot be checked against any prefix. */
    @Test
    void aLocationThatIsNotAnS3LocationIsRefused() {
      for (String source : List.of(" s3://bkt/a/x", "s3:/bkt/a/x", "s3:bkt/a", "https://bkt.s3.amazonaws.com/secret")) {
        Decision copy = inspect(registry, copy(source, LOADER));
        assertThat(rules(copy)).as(source).containsExactly(RuleId.S3_NOT_PERMITTED);
        assertThat(copy.findings().get(0).message()).contains(source, "not an s3:// location");
        assertThat(rules(inspect(registry, "unload ('select 1') to '" + source + "' iam_role '" + LOADER + "'")))
            .as(source).containsExactly(RuleId.S3_NOT_PERMITTED);
      }
    }

    /** Issue 10, item 5: a COPY source reads every key that starts with it, so s3://bkt/a also reads ab/... */
    @Test
    void aCopySourceNamedLikeAGrantedFolderAlsoReadsItsSiblings() {
      Decision decision = inspect(registry, copy("s3://bkt/a", LOADER));

      assertThat(rules(decision)).containsExactly(RuleId.S3_NOT_PERMITTED);
      assertThat(decision.findings().get(0).message()).contains("every key starting with it", "beside the permitted folder",
          "s3://bkt/ax");
      assertThat(decision.findings().get(0).remedy()).contains("s3://bkt/a/");
    }

    /** Issue 11: COPY from DynamoDB and EMR touches resources that must be allowed; an https library needs none. */
    @Test
    void dynamoDbAndEmrSourcesAreCheckedAndALibraryMayComeFromAnHttpsUrl() {
      assertThat(rules(inspect(registry, copy("dynamodb://ProductCatalog", LOADER))))
          .containsExactly(RuleId.SOURCE_NOT_PERMITTED);
      assertThat(rules(inspect(registry, copy("emr://j-SAMPLE2B500FC/myoutput/part-*", LOADER))))
          .containsExactly(RuleId.SOURCE_NOT_PERMITTED);
      assertThat(rules(inspect(registry, copy("dynamodb://", LOADER)))).containsExactly(RuleId.SOURCE_NOT_PERMITTED);
      assertThat(rules(inspect(registry, copy("emr://j-SAMPLE2B500FC", LOADER)))).containsExactly(RuleId.SOURCE_NOT_PERMITTED);
      assertThat(inspect(registry, "create library f language plpythonu from "
          + "'https://files.example.com/f.zip' iam_role '" + LOADER + "'").findings()).isEmpty();
      assertThat(rules(inspect(registry, "unload ('select 1') to 'dynamodb://ProductCatalog' iam_role '" + LOADER + "'")))
          .containsExactly(RuleId.S3_NOT_PERMITTED);
    }

    @Test
    void everyLocationOfAStatementIsChecked() {
      Decision decision = inspect(registry, "copy t from 's3://bkt/a/data' iam_role '" + LOADER
          + "' format as json 's3://bkt/other/paths.json'");
      assertThat(decision.findings()).extracting(Finding::subject).containsExactly("s3://bkt/other/paths.json");
    }
  }

  /**
   * CATALOG_ROLE names the role (or chain) the cluster assumes for the data catalog: the seed's
   * chain rules apply to it as to IAM_ROLE, and the catalog database is checked against it.
   */
  @Nested
  class CatalogRole {
    static final String CATALOG = "arn:aws:iam::111122223333:role/Catalog";
    static final String SCHEMA = "create external schema s from data catalog database 'salesdb' iam_role '%s' catalog_role '%s'";

    Registry registry(boolean catalogAttached) {
      return Fixture.parse("""
          version: 1
          clusters:
            - {id: west, account: "111122223333", region: us-west-2, attached_roles: [%1$s%3$s]}
          roles:
            - arn: %1$s
              allow: {s3_read: ["s3://data/in/"]}
            - arn: %2$s
              allow: {glue_databases: [salesdb], assume: [%4$s]}
            - arn: %4$s
              trust: {principals: [%2$s]}
              allow: {glue_databases: [partnerdb]}
          """.formatted(LOADER, CATALOG, catalogAttached ? ", " + CATALOG : "", PARTNER), null);
    }

    @Test
    void theCatalogDatabaseIsCheckedAgainstTheCatalogRole() {
      assertThat(inspect(registry(true), SCHEMA.formatted(LOADER, CATALOG)).findings()).isEmpty();
      Decision denied = inspect(registry(true), SCHEMA.formatted(LOADER, CATALOG).replace("salesdb", "otherdb"));
      assertThat(rules(denied)).containsExactly(RuleId.CATALOG_NOT_PERMITTED);
      assertThat(denied.findings().get(0).message()).contains(CATALOG);
    }

    @Test
    void theFirstCatalogRoleMustBeAttached() {
      Decision decision = inspect(registry(false), SCHEMA.formatted(LOADER, CATALOG));

      assertThat(rules(decision)).containsExactly(RuleId.ROLE_NOT_ATTACHED);
      assertThat(decision.findings().get(0).message()).contains(CATALOG, "west");
    }

    @Test
    void aCatalogChainUsesItsLastRole() {
      String chain = CATALOG + "," + PARTNER;

      assertThat(inspect(registry(true), SCHEMA.formatted(LOADER, chain).replace("salesdb", "partnerdb")).findings())
          .isEmpty();
      assertThat(rules(inspect(registry(true), SCHEMA.formatted(LOADER, chain))))
          .containsExactly(RuleId.CATALOG_NOT_PERMITTED);
      assertThat(rules(inspect(registry(true), SCHEMA.formatted(LOADER, PARTNER + "," + CATALOG))))
          .contains(RuleId.ROLE_NOT_ATTACHED);
    }
  }

  @Test
  void aStatementWithSeveralProblemsReportsThemAllWithTheirOwnSubjects() {
    List<String> subjects = new ArrayList<>();
    Decision decision = inspect(Fixture.registry(), "user3", "unload ('select 1') to 's3://data/in/x' iam_role '"
        + LOADER + "'");
    decision.findings().forEach(f -> subjects.add(f.subject()));
    assertThat(rules(decision)).containsExactly(RuleId.DB_USER_NOT_TRUSTED, RuleId.S3_NOT_PERMITTED);
    assertThat(subjects).containsExactly(LOADER, "s3://data/in/x");
  }
}
