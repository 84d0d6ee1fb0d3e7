package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DESIGN: "secret access keys, session tokens, CREDENTIALS key values, master symmetric keys and
 * passwords are never printed". Every secret below is distinctive, and no output of any command,
 * nor any finding or decision text, may hold any of them.
 */
class NoSecretsInOutputTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";

  /** Each statement and the secret values written in it. */
  record Secret(String sql, List<String> values) {}

  static final List<Secret> SECRETS = List.of(
      new Secret("copy t from 's3://acmedata/redshift/x' access_key_id 'AKIAKEYID0000001' "
          + "secret_access_key 'SecretKey/0000002+abc' session_token 'SessionToken0000003=='",
          List.of("AKIAKEYID0000001", "SecretKey/0000002+abc", "SessionToken0000003")),
      new Secret("unload ('select 1') to 's3://acmedata/redshift/unload/x' credentials "
          + "'aws_access_key_id=AKIACREDS0000004;aws_secret_access_key=CredSecret0000005;token=CredToken0000006;"
          + "master_symmetric_key=CredMasterKey0000007' encrypted",
          List.of("AKIACREDS0000004", "CredSecret0000005", "CredToken0000006", "CredMasterKey0000007")),
      new Secret("copy t from 's3://acmedata/redshift/x' with credentials as "
          + "'aws_access_key_id=AKIAWITHAS0000008;aws_secret_access_key=WithAsSecret0000009'",
          List.of("AKIAWITHAS0000008", "WithAsSecret0000009")),
      new Secret("copy t from 's3://acmedata/redshift/x' iam_role '" + ROLE + "' master_symmetric_key "
          + "'MasterKey0000010' encrypted", List.of("MasterKey0000010")),
      new Secret("create user bob password 'Password0000011'", List.of("Password0000011")),
      new Secret("alter user bob with password 'md5Password0000012'", List.of("Password0000012")),
      new Secret("copy t from 's3://acmedata/redshift/x' iam_role '" + ROLE + "' access_key_id 'AKIACONFLICT0000013' "
          + "secret_access_key 'ConflictSecret0000014'", List.of("AKIACONFLICT0000013", "ConflictSecret0000014")),
      new Secret("copy t from 's3://acmedata/redshift/x' access_key_id AKIAUNQUOTED0000015 "
          + "secret_access_key UnquotedSecret0000016", List.of("AKIAUNQUOTED0000015", "UnquotedSecret0000016")),
      new Secret("copy t from 's3://acmedata/redshift/x' access_key_id $$AKIADOLLAR0000017$$ "
          + "secret_access_key $k$DollarSecret0000018$k$", List.of("AKIADOLLAR0000017", "DollarSecret0000018")),
      new Secret("copy t from 's3://acmedata/redshift/x' credentials "
          + "'aws_access_key_id:AKIAMALFORMED0000019;aws_secret_access_key=MalformedSecret0000020'",
          List.of("AKIAMALFORMED0000019", "MalformedSecret0000020")),
      new Secret("copy t from 's3://acmedata/redshift/x' access_key_id 'AKIAQUOTE0000021' "
          + "secret_access_key 'Quote''Secret0000022' session_token 'Back\\'slash0000023'",
          List.of("AKIAQUOTE0000021", "Secret0000022", "slash0000023")),
      new Secret("create procedure p() as $$ begin execute 'copy t from ''s3://x/y'' access_key_id ''AKIADYNAMIC0000024'' "
          + "secret_access_key ''DynamicSecret0000025'''; end; $$ language plpgsql",
          List.of("AKIADYNAMIC0000024", "DynamicSecret0000025")),
      new Secret("create procedure q() as $$ begin copy t from 's3://acmedata/redshift/x' access_key_id 'AKIABODY0000026' "
          + "secret_access_key 'BodySecret0000027'; end; $$ language plpgsql",
          List.of("AKIABODY0000026", "BodySecret0000027")),
      new Secret("copy t from 's3://acmedata/redshift/x' access_key_id = 'AKIAEQUALS0000028' "
          + "secret_access_key as 'EqualsSecret0000029'", List.of("AKIAEQUALS0000028", "EqualsSecret0000029")),
      new Secret("create identity provider azure_idp type azure namespace 'aad' parameters '{\"issuer\":"
          + "\"https://sts.windows.net/t/\", \"client_id\":\"c\", \"client_secret\":\"ClientSecret0000032\"}'",
          List.of("ClientSecret0000032")),
      new Secret("alter identity provider azure_idp parameters $p${\"Client_Secret\":\"DollarClient0000033\"}$p$",
          List.of("DollarClient0000033")),
      // a secret keyword misspelt or decorated: Redshift refuses the statement, the value is still a secret
      new Secret("copy t from 's3://acmedata/redshift/x' access_key_id 'AKIALOOKALIKE0000034' secret_acess_key "
          + "'MisspeltSecret0000035' aws_session_token = 'DecoratedToken0000036'",
          List.of("AKIALOOKALIKE0000034", "MisspeltSecret0000035", "DecoratedToken0000036")),
      new Secret("create user carol passwd 'Passwd0000037'", List.of("Passwd0000037")),
      new Secret("create procedure r() as $$ begin execute 'copy t from ''s3://x/y'' \"Secret-Access-Key\" "
          + "''DynamicLookalike0000038'''; end; $$ language plpgsql", List.of("DynamicLookalike0000038")),
      // keys written into a role text: read as one role, the text was quoted by every report
      new Secret("copy t from 's3://acmedata/redshift/x' iam_role '" + ROLE + ",aws_access_key_id=AKIAROLETEXT0000039;"
          + "aws_secret_access_key=RoleTextSecret0000040'", List.of("AKIAROLETEXT0000039", "RoleTextSecret0000040")),
      new Secret("grant assumerole on '" + ROLE + ",token=GrantToken0000041' to bob for copy", List.of("GrantToken0000041")),
      // a secret's name=value after the role of CREDENTIALS' aws_iam_role (probe 21c F2)
      new Secret("copy t from 's3://acmedata/redshift/x' credentials 'aws_iam_role=" + ROLE
          + ",aws_secret_access_key=CredRoleSecret0000042,token=CredRoleToken0000043'",
          List.of("CredRoleSecret0000042", "CredRoleToken0000043")),
      // what aws sts prints, pasted where a role belongs (F5): its names quoted, its values too
      new Secret("copy t from 's3://acmedata/redshift/x' iam_role '{\"AccessKeyId\":\"ASIAQ3RTY7UIOPLKJHGF\","
          + "\"SecretAccessKey\":\"Zx9vQm2LpR7tYw4KsB1nHc8JdF6gTe3UaV0iXo5N\",\"SessionToken\":\"JsonToken0000044\"}'",
          List.of("ASIAQ3RTY7UIOPLKJHGF", "Zx9vQm2LpR7tYw4KsB1nHc8JdF6gTe3UaV0iXo5N", "JsonToken0000044")),
      new Secret("copy t from 's3://acmedata/redshift/x' iam_role '" + ROLE + ",{\"AccessKeyId\": \"ASIAQ3RTY7UIOPLKJHGA\", "
          + "\"SecretAccessKey\": \"Yx9vQm2LpR7tYw4KsB1nHc8JdF6gTe3UaV0iXo5M\", \"SessionToken\": \"JsonToken0000045\"}'",
          List.of("ASIAQ3RTY7UIOPLKJHGA", "Yx9vQm2LpR7tYw4KsB1nHc8JdF6gTe3UaV0iXo5M", "JsonToken0000045")),
      // keys and passwords in a location's user info (F9), wherever the location stands
      new Secret("copy t from 's3://AKIAUSERINFO0000046:UserInfoSecret0000047@acmedata/redshift/x' iam_role '" + ROLE + "'",
          List.of("AKIAUSERINFO0000046", "UserInfoSecret0000047")),
      new Secret("unload ('select 1') to 's3://u:UnloadUserInfo0000048@acmedata/redshift/y' iam_role '" + ROLE + "'",
          List.of("UnloadUserInfo0000048")),
      new Secret("create external schema s from hive metastore database 'd' uri 'thrift://u:ThriftPass0000049@host' "
          + "iam_role '" + ROLE + "'", List.of("ThriftPass0000049")),
      new Secret("create external table s.t (a int) location 'https://u:HttpsPass0000050@example.com/x/'",
          List.of("HttpsPass0000050")),
      // last: an unterminated literal runs to the end of the script
      new Secret("copy t from 's3://acmedata/redshift/x' access_key_id 'AKIALAST0000030' secret_access_key "
          + "'UnterminatedSecret0000031", List.of("AKIALAST0000030", "UnterminatedSecret0000031")));

  static final String SCRIPT = String.join(";\n", SECRETS.stream().map(Secret::sql).toList());

  static final List<String> VALUES = SECRETS.stream().flatMap(s -> s.values().stream()).toList();

  @TempDir
  Path dir;

  Path script;
  Path anyKeys;

  @BeforeEach
  void files() throws IOException {
    script = dir.resolve("secrets.sql");
    Files.writeString(script, SCRIPT);
    anyKeys = dir.resolve("any.yaml");
    Files.writeString(anyKeys, Files.readString(Path.of("samples/registry.yaml"))
        .replace("credentials: roles-only", "credentials: any"));
  }

  static void assertNoSecret(String output) {
    assertThat(output).isNotNull();
    for (String value : VALUES) {
      assertThat(output).as("output holds a secret value").doesNotContain(value);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"text", "json", "sarif"})
  void checkReportsHoldNoSecret(String format) {
    for (Path registry : List.of(Path.of("samples/registry.yaml"), anyKeys)) {
      CliRun run = CliRun.of("check", "--registry", registry.toString(), "--user", "user1", "--format", format,
          script.toString());

      assertThat(run.code()).isEqualTo(1);
      assertThat(run.out()).contains("AUTH_CONFLICT");
      assertNoSecret(run.out());
      assertNoSecret(run.err());
    }
  }

  @Test
  void checkMasksTheSqlOfAllowedStatementsToo() {
    CliRun run = CliRun.withStdin(SECRETS.get(0).sql() + ";\n" + SECRETS.get(4).sql(), "check", "--registry",
        anyKeys.toString(), "--user", "user1", "--format", "json");

    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("access_key_id '***'", "secret_access_key '***'", "password '***'");
    assertNoSecret(run.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"text", "json"})
  void explainHoldsNoSecret(String format) {
    CliRun run = CliRun.of("explain", "--format", format, script.toString());

    assertThat(run.code()).isZero();
    assertNoSecret(run.out());
    assertNoSecret(run.err());
  }

  @Test
  void rewriteHoldsNoSecret() throws IOException {
    CliRun run = CliRun.of("rewrite", "--registry", anyKeys.toString(), "--user", "user1", script.toString());
    // statements of the script are denied (a role beside keys, malformed CREDENTIALS): that is told
    // first (CLI.md: denied, exit 1), and nothing is printed
    assertThat(run.code()).isEqualTo(ExitCodes.DENIED);
    assertThat(run.out()).isEmpty();
    assertNoSecret(run.out());
    assertNoSecret(run.err());

    for (Secret secret : SECRETS) {
      Path one = dir.resolve("one.sql");
      Files.writeString(one, "copy a from 's3://acmedata/redshift/x' iam_role 'copy-unload';\n" + secret.sql());
      CliRun each = CliRun.of("rewrite", "--registry", anyKeys.toString(), "--user", "user1", one.toString());
      // denied, or refused for its secrets: never printed
      assertThat(each.code()).as(secret.sql()).isIn(ExitCodes.DENIED, ExitCodes.ERROR);
      assertThat(each.out()).as(secret.sql()).isEmpty();
      assertThat(each.out()).as(secret.sql()).doesNotContain(secret.values().toArray(String[]::new));
      assertThat(each.err()).as(secret.sql()).doesNotContain(secret.values().toArray(String[]::new));
    }
  }

  @Test
  void findingsAndDecisionsHoldNoSecret() throws Exception {
    for (Path registry : List.of(Path.of("samples/registry.yaml"), anyKeys)) {
      Guard guard = new Guard(RegistryLoader.load(registry));
      List<Decision> decisions = new ArrayList<>();
      decisions.add(guard.inspect(SCRIPT, Session.of("user1", null)));
      for (Secret secret : SECRETS) {
        decisions.add(guard.inspect(secret.sql(), Session.of("user1", null)));
      }
      for (Decision decision : decisions) {
        assertNoSecret(decision.toString());
        for (Finding finding : decision.findings()) {
          assertNoSecret(finding.message());
          assertNoSecret(finding.subject());
          assertNoSecret(finding.remedy());
          assertNoSecret(finding.toString());
        }
        for (StatementDecision statement : decision.statements()) {
          assertNoSecret(dev.iamguard.audit.Redactor.redact(statement.sql()));
        }
      }
    }
  }
}
