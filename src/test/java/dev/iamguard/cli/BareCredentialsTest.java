package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.RegistryLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AWS credentials written bare (no keyword, no {@code name=}) where a role, a function, a region or
 * a database belongs: an access key id ({@code AKIA}/{@code ASIA} + 16 upper-case letters and
 * digits), a secret access key (40 characters of the base64 alphabet) or a session token (long
 * base64). Before the fix every report quoted them whole ({@code 'wJalr...' is not a role ARN},
 * {@code may not use catalog database wJalr...}, the JSON {@code sql} of a REGION). No such value
 * names anything, so the statement is refused, and the value never appears in a finding, a
 * decision, the redacted SQL, or any output of check (text, JSON, SARIF), explain, rewrite or
 * suggest. Controls (role ARNs, aliases, Lambda names, regions, databases, S3 paths, KMS key ids)
 * are neither masked nor refused for it.
 */
class BareCredentialsTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static final String KEY_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  /** Where a name belongs; {@code {V}} stands for the value. */
  static final List<String> CARRIERS = List.of(
      "copy t from 's3://acmedata/redshift/x' iam_role '{V}'",
      "copy t from 's3://acmedata/redshift/x' iam_role '" + ROLE + ",{V}'",
      "unload ('select 1') to 's3://acmedata/redshift/unload/x' iam_role '{V}'",
      "create external schema s from data catalog database 'exampledb' iam_role '" + ROLE + "' catalog_role '{V}'",
      "copy t from 's3://acmedata/redshift/x' credentials 'aws_iam_role={V}'",
      "copy t from 's3://acmedata/redshift/x' credentials '{V}'",
      "grant assumerole on '{V}' to user1 for copy",
      "revoke assumerole on '" + ROLE + "', '{V}' from user1 for all",
      "create external function f(int) returns int volatile lambda '{V}' iam_role '" + ROLE + "'",
      "create external function f(int) returns int volatile sagemaker '{V}' iam_role '" + ROLE + "'",
      "copy t from 's3://acmedata/redshift/x' iam_role '" + ROLE + "' region '{V}'",
      "create library l language plpythonu from 's3://acmedata/redshift/l.zip' iam_role '" + ROLE + "' region as '{V}'",
      "create external schema s from data catalog database '{V}' iam_role '" + ROLE + "'",
      "create external schema s from data catalog database 'exampledb' catalog_id '{V}' iam_role '" + ROLE + "'",
      "copy t from 'dynamodb://{V}' iam_role '" + ROLE + "' readratio 50",
      "copy t from 's3://acmedata/redshift/x' iam_role {V}",
      "copy t from 'emr://{V}/part-*' iam_role '" + ROLE + "'",
      "copy t from 's3://acmedata/redshift/x' iam_role U&'{V}'",
      "copy t from 's3://acmedata/redshift/x' iam_role E'{V}'",
      "copy t from 's3://acmedata/redshift/x' iam_role N'{V}'",
      "alter external schema spectrum iam_role '{V}'",
      "create model m from t target c function f iam_role '{V}' settings (s3_bucket 'acmedata')",
      "create database d from arn '{V}' with data catalog schema s iam_role '" + ROLE + "'");

  static final List<String> VALUES = values();

  static List<String> values() {
    Random random = new Random(20261130L);
    List<String> values = new ArrayList<>(List.of("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    for (String prefix : List.of("AKIA", "ASIA")) {
      for (int n = 0; n < 2; n++) {
        values.add(prefix + random(random, KEY_ID_CHARS, 16));
      }
    }
    for (int n = 0; n < 4; n++) {
      values.add(random(random, BASE64, 40));
    }
    values.add(random(random, BASE64.substring(0, 62), 40)); // a key without / or +
    for (int n = 0; n < 2; n++) {
      values.add(random(random, BASE64, 356) + "==");
    }
    return values;
  }

  static String random(Random random, String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int k = 0; k < length; k++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  /** Keywords upper-cased, a comment and a line end between tokens; literals and the value unchanged. */
  static String respell(String template) {
    StringBuilder out = new StringBuilder();
    String[] parts = template.split("'", -1);
    for (int i = 0; i < parts.length; i++) {
      out.append(i % 2 == 0 ? parts[i].toUpperCase(Locale.ROOT).replace(" ", " /* c */\n\t") : parts[i]);
      if (i < parts.length - 1) {
        out.append('\'');
      }
    }
    return out.toString();
  }

  /** The statement in three places of a script: alone, after another statement, in a procedure body. */
  static List<String> placed(String statement) {
    return List.of(statement, "select 1;\n" + statement + ";\nselect 2",
        "create procedure p() as $$ begin " + statement + "; end; $$ language plpgsql");
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String carrier : CARRIERS) {
      for (String value : VALUES) {
        for (String spelling : List.of(carrier, respell(carrier))) {
          for (String sql : placed(spelling.replace("{V}", value))) {
            cases.add(Arguments.of(sql, value));
          }
        }
      }
    }
    return cases.stream();
  }

  /** The value and its pieces of 12 characters: no part of a key long enough to matter may show. */
  static List<String> fragments(String value) {
    List<String> fragments = new ArrayList<>(List.of(value));
    for (int k = 0; k + 12 <= value.length(); k += 4) {
      fragments.add(value.substring(k, k + 12));
    }
    return fragments;
  }

  static void assertHidden(String output, String value, String what) {
    for (String fragment : fragments(value)) {
      assertThat(output).as(what).doesNotContain(fragment);
    }
  }

  static Guard guard;

  @BeforeAll
  static void load() throws Exception {
    guard = new Guard(RegistryLoader.load(Path.of("samples/registry.yaml")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theStatementIsRefusedAndNothingQuotesTheValue(String sql, String value) {
    Decision decision = guard.inspect(sql, Session.of("user1", null));

    assertThat(decision.inspectedStatements()).as(sql).anyMatch(s -> s.verdict() == Verdict.DENY);
    assertHidden(decision.toString(), value, sql);
    for (Finding finding : decision.findings()) {
      assertHidden(finding.message() + finding.subject() + finding.remedy() + finding, value, sql);
    }
    for (StatementDecision statement : decision.inspectedStatements()) {
      assertHidden(Redactor.redact(statement.sql()), value, sql);
      assertHidden(statement.toString(), value, sql);
    }
    assertHidden(Redactor.redact(sql), value, sql);
    // a target error quoting the text (JDBC) is masked with the secrets the text holds
    assertHidden(Redactor.redactMessage("ERROR: syntax error at \"" + value + "\" in " + sql,
        Redactor.secretsOf(sql)), value, sql);
  }

  @TempDir
  static Path dir;

  static String script() {
    List<String> statements = new ArrayList<>();
    for (String carrier : CARRIERS) {
      for (String value : VALUES) {
        statements.add(carrier.replace("{V}", value));
      }
    }
    return String.join(";\n", statements) + ";\n";
  }

  static void assertNoValue(CliRun run, String what) {
    for (String value : VALUES) {
      assertHidden(run.out(), value, what + " out");
      assertHidden(run.err(), value, what + " err");
    }
  }

  @Test
  void noCommandPrintsAValue() throws IOException {
    Path file = dir.resolve("bare.sql");
    Files.writeString(file, script());
    String registry = "samples/registry.yaml";
    for (String format : List.of("text", "json", "sarif")) {
      for (String verbose : List.of("-v", "-q")) {
        CliRun run = CliRun.of("check", "--registry", registry, "--user", "user1", "--format", format, verbose,
            file.toString());
        assertThat(run.code()).as(format).isEqualTo(1);
        assertThat(run.out() + run.err()).as(format).contains("AUTH_UNPARSEABLE");
        assertNoValue(run, "check " + format + " " + verbose);
      }
    }
    for (String format : List.of("text", "json")) {
      CliRun run = CliRun.of("explain", "--format", format, file.toString());
      assertThat(run.code()).as(run.err()).isZero();
      assertNoValue(run, "explain " + format);
    }
    CliRun rewrite = CliRun.of("rewrite", "--registry", registry, "--user", "user1", file.toString());
    assertThat(rewrite.code()).isNotZero();
    assertNoValue(rewrite, "rewrite");
    for (String format : List.of("yaml", "json", "sql")) {
      CliRun suggest = CliRun.of("suggest", "--cluster", "c1", "--account", "123456789012", "--region", "us-west-2",
          "--user", "etl", "--format", format, file.toString());
      assertThat(suggest.code()).as(suggest.err()).isEqualTo(1);
      assertNoValue(suggest, "suggest " + format);
    }
  }

  /** Values that stand where names belong and are names: never masked, never refused for looking like a key. */
  static Stream<Arguments> controls() {
    String camel = "ProcessOrdersFunction2024EuWest1Handler";
    String kmsAlias = "alias/RedshiftUnloadKey2024ForProdCluster";
    assertThat(camel).hasSize(39);
    assertThat(kmsAlias.substring("alias/".length())).hasSizeGreaterThan(30);
    return Stream.of(
        Arguments.of("copy t from 's3://acmedata/redshift/x' iam_role '" + ROLE + "'", Verdict.ALLOW),
        Arguments.of("copy t from 's3://acmedata/redshift/x' iam_role 'copy-unload'", Verdict.REWRITE),
        Arguments.of("copy t from 's3://acmedata/redshift/x' iam_role 'arn:aws:iam::123456789012:role/AKIAIOSFODNN7EXAMPLE'",
            Verdict.DENY),
        Arguments.of("copy t from 's3://acmedata/redshift/AKIAIOSFODNN7EXAMPLE/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' "
            + "iam_role '" + ROLE + "'", Verdict.ALLOW),
        Arguments.of("copy t from 's3://acmedata/redshift/x' iam_role '" + ROLE + "' region 'us-west-2'", Verdict.ALLOW),
        Arguments.of("create external function f(int) returns int volatile lambda 'exampleLambdaFunction' iam_role '"
            + ROLE + "'", Verdict.ALLOW),
        Arguments.of("create external function f(int) returns int volatile lambda '" + camel + "' iam_role '" + ROLE
            + "'", Verdict.DENY),
        Arguments.of("create external function f(int) returns int volatile lambda "
            + "'arn:aws:lambda:us-west-2:123456789012:function:exampleLambdaFunction' iam_role '" + ROLE + "'",
            Verdict.ALLOW),
        Arguments.of("create external schema s from data catalog database 'exampledb' iam_role '" + ROLE + "'",
            Verdict.ALLOW),
        Arguments.of("unload ('select 1') to 's3://acmedata/redshift/unload/x' iam_role '" + ROLE
            + "' kms_key_id '1234abcd-12ab-34cd-56ef-1234567890ab' encrypted", Verdict.ALLOW),
        Arguments.of("unload ('select 1') to 's3://acmedata/redshift/unload/x' iam_role '" + ROLE
            + "' kms_key_id '" + kmsAlias + "' encrypted", Verdict.ALLOW),
        Arguments.of("grant assumerole on '" + ROLE + "' to user1 for copy", Verdict.ALLOW));
  }

  @ParameterizedTest
  @MethodSource("controls")
  void namesAreNeitherMaskedNorRefusedForTheirShape(String sql, Verdict verdict) {
    for (String spelling : List.of(sql, respell(sql))) {
      Decision decision = guard.inspect(spelling, Session.of("user1", null));
      StatementDecision statement = decision.inspectedStatements().get(0);
      assertThat(Redactor.redact(spelling)).isEqualTo(spelling);
      assertThat(statement.verdict()).as(spelling + " " + statement.allFindings()).isEqualTo(verdict);
      assertThat(decision.findings()).noneMatch(f -> f.message().contains("looks like an AWS access key"));
    }
  }
}
