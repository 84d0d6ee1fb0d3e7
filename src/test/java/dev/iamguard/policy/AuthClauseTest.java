package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.LOADER;
import static dev.iamguard.policy.Fixture.LOADER_PARTNER;
import static dev.iamguard.policy.Fixture.PARTNER;
import static dev.iamguard.policy.Fixture.inspect;
import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.PolicySettings;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules about the shape of the auth clause and the credentials it supplies, before any role is
 * looked at: facts 2 ("The three forms are mutually exclusive; SESSION_TOKEN requires both keys",
 * "no spaces", "at most 10 roles") and the seed's preference for roles over long-term keys.
 */
class AuthClauseTest {
  static final String ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN";
  static final String KEYS = " access_key_id '" + ID + "' secret_access_key '" + SECRET + "'";
  static final String TOKEN_CLAUSE = " session_token '" + TOKEN + "'";
  static final String COPY = "copy t from 's3://data/in/x'";
  static final String ROLE = " iam_role '" + LOADER + "'";

  final Registry registry = Fixture.registry();

  /** Keys may read what policy.keys states (issue 11): here s3://data/in/ and s3://elsewhere/. */
  static Registry credentials(String policy) {
    return Fixture.registry("policy:\n  credentials: " + policy
        + "\n  keys: {s3_read: [\"s3://data/in/\", \"s3://elsewhere/\"]}\n");
  }

  @Nested
  class Conflicts {
    @ParameterizedTest
    @ValueSource(strings = {
        COPY + ROLE + KEYS,
        COPY + KEYS + ROLE,
        COPY + ROLE + ROLE,
        COPY + " iam_role default" + ROLE,
        COPY + TOKEN_CLAUSE,
        COPY + " access_key_id '" + ID + "'",
        COPY + " secret_access_key '" + SECRET + "'",
        COPY + " access_key_id '" + ID + "'" + TOKEN_CLAUSE,
        COPY + " credentials 'aws_iam_role=" + LOADER + ";aws_access_key_id=" + ID + ";aws_secret_access_key=" + SECRET + "'",
        COPY + " credentials 'aws_iam_role=" + LOADER + "'" + ROLE,
        COPY + " credentials 'aws_iam_role=" + LOADER + "'" + KEYS,
        COPY + " credentials 'aws_iam_role=" + LOADER + "' credentials 'aws_iam_role=" + LOADER + "'",
        COPY + " credentials 'token=" + TOKEN + "'",
        COPY + " credentials 'aws_access_key_id=" + ID + "'",
        COPY + " credentials 'aws_access_key_id=" + ID + ";aws_access_key_id=" + ID + ";aws_secret_access_key=" + SECRET + "'",
        "unload ('select 1') to 's3://data/out/x'" + ROLE + KEYS + TOKEN_CLAUSE})
    void areDeniedAsAuthConflictAloneWithoutSecrets(String sql) {
      Decision decision = inspect(credentials("any"), sql);

      assertThat(rules(decision)).containsExactly(RuleId.AUTH_CONFLICT);
      assertThat(decision.findings().get(0).message()).doesNotContain(ID, SECRET, TOKEN);
    }

    @Test
    void theMessageSaysWhatIsMixed() {
      assertThat(inspect(registry, COPY + ROLE + KEYS).findings().get(0).message())
          .contains("IAM_ROLE, ACCESS_KEY_ID, SECRET_ACCESS_KEY", "mutually exclusive");
      assertThat(inspect(registry, COPY + ROLE + ROLE).findings().get(0).message()).contains("IAM_ROLE is given twice");
      assertThat(inspect(registry, COPY + TOKEN_CLAUSE).findings().get(0).message())
          .contains("session token is given without both access keys");
      assertThat(inspect(registry, COPY + " access_key_id '" + ID + "'").findings().get(0).message())
          .contains("without its secret access key");
      assertThat(inspect(registry, COPY + " credentials 'aws_iam_role=" + LOADER + ";aws_access_key_id=" + ID
          + ";aws_secret_access_key=" + SECRET + "'").findings().get(0).message())
          .contains("CREDENTIALS mixes aws_iam_role with access keys");
    }
  }

  @Nested
  class Keys {
    final String longTerm = COPY + KEYS;
    final String temporary = COPY + KEYS + TOKEN_CLAUSE;
    final String credentialsLongTerm = COPY + " credentials 'aws_access_key_id=" + ID + ";aws_secret_access_key=" + SECRET + "'";
    final String credentialsTemporary = COPY + " with credentials as 'aws_access_key_id=" + ID + ";aws_secret_access_key="
        + SECRET + ";token=" + TOKEN + "'";

    @Test
    void rolesOnlyRefusesEveryKey() {
      assertThat(rules(inspect(registry, temporary))).containsExactly(RuleId.STATIC_KEYS);
      assertThat(rules(inspect(registry, credentialsTemporary))).containsExactly(RuleId.STATIC_KEYS);
      assertThat(rules(inspect(registry, longTerm))).containsExactly(RuleId.STATIC_KEYS, RuleId.LONG_TERM_KEYS);
      assertThat(rules(inspect(registry, credentialsLongTerm))).containsExactly(RuleId.STATIC_KEYS, RuleId.LONG_TERM_KEYS);
      assertThat(PolicySettings.DEFAULTS.credentials()).isEqualTo(PolicySettings.Credentials.ROLES_ONLY);
    }

    @Test
    void temporaryKeysAcceptKeysWithASessionTokenOnly() {
      Registry temporaryKeys = credentials("temporary-keys");

      assertThat(rules(inspect(temporaryKeys, temporary))).isEmpty();
      assertThat(rules(inspect(temporaryKeys, credentialsTemporary))).isEmpty();
      Decision decision = inspect(temporaryKeys, longTerm);
      assertThat(rules(decision)).containsExactly(RuleId.LONG_TERM_KEYS);
      assertThat(decision.findings().get(0).message()).contains("without a session token").doesNotContain(ID, SECRET);
      assertThat(rules(inspect(temporaryKeys, credentialsLongTerm))).containsExactly(RuleId.LONG_TERM_KEYS);
    }

    @Test
    void anyAcceptsLongTermKeys() {
      Registry any = credentials("any");

      assertThat(inspect(any, longTerm).verdict()).isEqualTo(Verdict.ALLOW);
      assertThat(inspect(any, credentialsLongTerm).findings()).isEmpty();
      assertThat(inspect(any, temporary).findings()).isEmpty();
    }

    @Test
    void keysNameNoRoleSoNoRoleRuleApplies() {
      Decision decision = inspect(credentials("any"), "user3", "copy t from 's3://elsewhere/x'" + KEYS);

      assertThat(decision.findings()).isEmpty();
    }
  }

  @Nested
  class ChainLength {
    /** Roles R1..Rn of one account: each may assume the next, each trusts the one before. */
    static Registry chainRegistry(int roles, String policy) {
      StringBuilder yaml = new StringBuilder("version: 1\nclusters:\n  - {id: west, account: \"111122223333\", "
          + "region: us-west-2, attached_roles: [" + role(1) + "]}\nroles:\n");
      for (int i = 1; i <= roles; i++) {
        yaml.append("  - arn: ").append(role(i)).append('\n');
        if (i > 1) {
          yaml.append("    trust: {principals: [").append(role(i - 1)).append("]}\n");
        }
        yaml.append("    allow: {s3_read: [\"s3://data/in/\"]")
            .append(i < roles ? ", assume: [" + role(i + 1) + "]" : "").append("}\n");
      }
      return Fixture.parse(yaml + policy, null);
    }

    static String role(int i) {
      return "arn:aws:iam::111122223333:role/R" + i;
    }

    static String chain(int length) {
      return IntStream.rangeClosed(1, length).mapToObj(ChainLength::role).collect(Collectors.joining(","));
    }

    @Test
    void tenRolesAreTheDefaultLimit() {
      Registry registry = chainRegistry(11, "");

      assertThat(inspect(registry, "copy t from 's3://data/in/x' iam_role '" + chain(10) + "'").findings()).isEmpty();
      Decision eleven = inspect(registry, "copy t from 's3://data/in/x' iam_role '" + chain(11) + "'");
      assertThat(rules(eleven)).containsExactly(RuleId.CHAIN_TOO_LONG);
      assertThat(eleven.findings().get(0).message()).contains("11 roles", "at most 10");
    }

    @Test
    void maxChainLowersTheLimit() {
      Registry registry = chainRegistry(3, "policy:\n  max_chain: 2\n");

      assertThat(inspect(registry, "copy t from 's3://data/in/x' iam_role '" + chain(2) + "'").findings()).isEmpty();
      assertThat(rules(inspect(registry, "copy t from 's3://data/in/x' iam_role '" + chain(3) + "'")))
          .containsExactly(RuleId.CHAIN_TOO_LONG);
    }

    @Test
    void aChainNameCountsTheRolesItExpandsTo() {
      Registry registry = Fixture.registry("policy:\n  max_chain: 1\n");

      assertThat(rules(inspect(registry, "copy t from 's3://partner/in/x' iam_role 'partnerchain'")))
          .containsExactly(RuleId.CHAIN_TOO_LONG);
    }

    @Test
    void aMaxChainAboveRedshiftsLimitIsARegistryError() {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> RegistryLoader.parse(
              "version: 1\npolicy:\n  max_chain: 11\n", "test.yaml", null))
          .isInstanceOf(RegistryException.class).hasMessageContaining("test.yaml:3").hasMessageContaining("max_chain");
    }
  }

  @Nested
  class ChainFormat {
    @ParameterizedTest
    @ValueSource(strings = {
        "'" + LOADER + ", " + PARTNER + "'",
        "' " + LOADER + "," + PARTNER + "'",
        "'" + LOADER + "," + PARTNER + " '",
        "'" + LOADER + ",\t" + PARTNER + "'",
        "'" + LOADER + ",," + PARTNER + "'",
        "'" + LOADER + "," + PARTNER + ",'",
        "'," + LOADER + "'",
        "'" + LOADER + ",' '" + PARTNER + "'",
        "'" + LOADER + "', '" + PARTNER + "'"})
    void spacesEmptyElementsAndSplitLiteralsAreChainFormat(String value) {
      Decision decision = inspect(registry, "copy t from 's3://partner/in/x' iam_role " + value);

      assertThat(rules(decision)).containsExactly(RuleId.CHAIN_FORMAT);
    }

    @Test
    void theNearMissIsAllowed() {
      assertThat(inspect(registry, "copy t from 's3://partner/in/x' iam_role '" + LOADER_PARTNER + "'").findings()).isEmpty();
    }

    /** Facts 2: "IAM role names may contain commas, so split a chain at ,arn: boundaries". */
    @Test
    void aRoleNameWithACommaIsOneRole() {
      String comma = "arn:aws:iam::111122223333:role/Load,er";
      Registry registry = Fixture.parse("""
          version: 1
          clusters:
            - {id: west, account: "111122223333", region: us-west-2, attached_roles: ["%1$s"]}
          roles:
            - arn: "%1$s"
              allow: {s3_read: ["s3://data/in/"]}
          """.formatted(comma), null);

      assertThat(inspect(registry, "copy t from 's3://data/in/x' iam_role '" + comma + "'").findings()).isEmpty();
    }
  }

  @Nested
  class Parameters {
    @ParameterizedTest
    @ValueSource(strings = {
        "copy t from 's3://data/in/x' iam_role ?",
        "copy t from 's3://data/in/x' iam_role $1",
        "copy t from ? iam_role '" + LOADER + "'",
        "unload ('select 1') to ? iam_role '" + LOADER + "'",
        "copy t from 's3://data/in/x' access_key_id ? secret_access_key ?",
        "copy t from 's3://data/in/x' credentials ?"})
    void aBindParameterWhereARoleKeyOrLocationMustBeIsDenied(String sql) {
      Decision decision = inspect(credentials("any"), sql);

      assertThat(rules(decision)).isNotEmpty().allMatch(r -> r == RuleId.AUTH_PARAMETER);
      assertThat(decision.findings().get(0).message()).contains("bind parameter");
    }

    @Test
    void aBindParameterElsewhereIsFine() {
      assertThat(inspect(registry, "copy t from 's3://data/in/x' iam_role '" + LOADER + "' delimiter ?").findings())
          .isEmpty();
      assertThat(inspect(registry, "select * from t where iam_role = ?").findings()).isEmpty();
    }
  }

  @Nested
  class Unparseable {
    @ParameterizedTest
    @ValueSource(strings = {
        "copy t from 's3://data/in/x' iam_role 'arn:aws:iam::111122223333:role/Loader",
        "copy t from 's3://data/in/x' iam_role $$arn:aws:iam::111122223333:role/Loader$$",
        "copy t from 's3://data/in/x' iam_role $r$arn:aws:iam::111122223333:role/Loader$r$",
        "copy t from 's3://data/in/x' iam_role ''",
        "copy t from 's3://data/in/x' iam_role",
        "copy t from 's3://data/in/x' iam_role loader",
        "copy t from 's3://data/in/x' iam_role \"arn:aws:iam::111122223333:role/Loader\"",
        "copy t from 's3://data/in/x' credentials ''",
        "copy t from 's3://data/in/x' credentials 'aws_iam_role'",
        "copy t from 's3://data/in/x' credentials 'AWS_IAM_ROLE=arn:aws:iam::111122223333:role/Loader'",
        "copy t from 's3://data/in/x' iam_role /* unterminated",
        "copy t from 's3://data/in/x'",
        "unload ('select 1') to 's3://data/out/x'",
        "create external function f(int) returns int volatile lambda 'loaderFn'",
        "create library lib language plpythonu from 's3://data/in/lib.zip'"})
    void isDenied(String sql) {
      Decision decision = inspect(registry, sql);

      assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
      assertThat(rules(decision)).contains(RuleId.AUTH_UNPARSEABLE);
    }

    @Test
    void aCommandWithoutAnyAuthClauseSaysSo() {
      Decision decision = inspect(registry, "copy t from 's3://data/in/x'");

      assertThat(rules(decision)).containsExactly(RuleId.AUTH_UNPARSEABLE);
      assertThat(decision.findings().get(0).message()).contains("COPY has no authorization clause");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "select iam_role from t",
        "select credentials, access_key_id from keys",
        "create table t (iam_role varchar(200))",
        "select 'copy t from x iam_role default'",
        "-- copy t from 's3://x' iam_role 'x'\nselect 1",
        "create external schema s from redshift database 'db'",
        "create external table s.t (a int) location 's3://data/in/t/'"})
    void wordsThatMerelyLookLikeAnAuthClauseAreNoFinding(String sql) {
      Decision decision = inspect(registry, sql);

      // an external table's location is no auth clause; only its schema's unknown role is said (issue 11)
      assertThat(decision.findings()).extracting(Finding::rule)
          .allMatch(rule -> rule == RuleId.EXTERNAL_SCHEMA_UNKNOWN && sql.contains("external table"));
      assertThat(decision.verdict()).isEqualTo(Verdict.ALLOW);
    }
  }

  @Nested
  class RolesAndDefaults {
    @Test
    void defaultWithoutADefaultRoleIsDefaultRoleMissing() {
      Registry noDefault = Fixture.parse("version: 1\n"
          + Fixture.CLUSTERS.replace("    default_role: " + LOADER + "\n", "") + Fixture.SHORT_ROLES, null);

      Decision decision = inspect(noDefault, "copy t from 's3://data/in/x' iam_role default");

      assertThat(rules(decision)).containsExactly(RuleId.DEFAULT_ROLE_MISSING);
      assertThat(decision.findings().get(0).message()).contains("cluster west has no default role", "test.yaml");
      assertThat(inspect(noDefault, "copy t from 's3://data/in/x'" + ROLE).findings()).isEmpty();
    }

    @Test
    void anAttachedRoleMissingFromTheRegistryIsRoleUnknown() {
      String ghost = "arn:aws:iam::111122223333:role/Ghost";
      Registry registry = Fixture.parse("version: 1\n"
          + Fixture.CLUSTERS.replace("attached_roles: [", "attached_roles: [" + ghost + ", ") + Fixture.SHORT_ROLES, null);

      Decision decision = inspect(registry, "copy t from 's3://data/in/x' iam_role '" + ghost + "'");

      assertThat(rules(decision)).containsExactly(RuleId.ROLE_UNKNOWN);
      assertThat(decision.findings().get(0).message()).contains(ghost, "is not in the registry", "test.yaml");
    }

    @Test
    void anUnknownRoleAnywhereInAChainIsReportedWithItsArn() {
      Decision decision = inspect(registry, "copy t from 's3://partner/in/x' iam_role '" + LOADER_PARTNER + ","
          + Fixture.GHOST + "'");

      assertThat(decision.findings()).filteredOn(f -> f.rule() == RuleId.ROLE_UNKNOWN)
          .extracting(Finding::subject).containsExactly(Fixture.GHOST);
      assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    }

    @Test
    void sessionIsAcceptedOnlyWhereRedshiftAcceptsIt() {
      Registry sessionAllowed = Fixture.registry("policy:\n  session_role: allow\n");
      assertThat(inspect(sessionAllowed, "create external schema s from data catalog database 'salesdb' iam_role 'SESSION'")
          .findings()).isEmpty();
      assertThat(rules(inspect(sessionAllowed, "copy t from 's3://data/in/x' iam_role 'SESSION'")))
          .containsExactly(RuleId.ARN_MALFORMED);
      // issue 11: without the switch the federated identity cannot be checked, so it is denied
      assertThat(rules(inspect(registry, "create external schema s from data catalog database 'salesdb' iam_role 'SESSION'")))
          .containsExactly(RuleId.SESSION_ROLE);
      assertThat(rules(inspect(registry, "copy t from 's3://data/in/x' iam_role 'SESSION'")))
          .containsExactly(RuleId.ARN_MALFORMED);
    }
  }

  @Nested
  class Clusters {
    final Registry twoClusters = Fixture.parse("version: 1\n" + Fixture.CLUSTERS
        + Fixture.CLUSTERS.replace("clusters:\n", "").replace("id: west", "id: east").replace("us-west-2", "us-east-1")
        + Fixture.SHORT_ROLES, null);

    @Test
    void anUnknownClusterDeniesEveryRole() {
      Decision decision = new Guard(registry).inspect("copy t from 's3://data/in/x'" + ROLE, Session.of("user1", "nope"));

      assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
      assertThat(rules(decision)).containsExactly(RuleId.ROLE_NOT_ATTACHED);
      assertThat(decision.findings().get(0).message()).contains("cluster nope is not in the registry test.yaml", "west");
    }

    @Test
    void noClusterWithSeveralInTheRegistryDeniesEveryRole() {
      Decision decision = new Guard(twoClusters).inspect("copy t from 's3://data/in/x'" + ROLE, Session.of("user1", null));

      assertThat(rules(decision)).containsExactly(RuleId.ROLE_NOT_ATTACHED);
      assertThat(decision.findings().get(0).message()).contains("names no cluster", "2 clusters", "[west, east]");
    }

    @Test
    void namingTheClusterChoosesItsRegionAndDbUsers() {
      Guard guard = new Guard(twoClusters);
      String sql = "copy t from 's3://data/in/x'" + ROLE;

      assertThat(guard.inspect(sql, Session.of("user1", "west")).findings()).isEmpty();
      Decision east = guard.inspect(sql, Session.of("user1", "east"));
      assertThat(rules(east)).containsExactly(RuleId.DB_USER_NOT_TRUSTED);
      assertThat(east.findings().get(0).message()).contains("arn:aws:redshift:us-east-1:111122223333:dbuser:east/user1");
    }

    @Test
    void statementsWithoutRolesNeedNoCluster() {
      Decision decision = new Guard(twoClusters).inspect("select 1; set session authorization user2", Session.of("user1", null));

      assertThat(decision.verdict()).isEqualTo(Verdict.ALLOW);
      assertThat(decision.sessionAfter().user()).isEqualTo("user2");
    }
  }
}
