package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iamguard rewrite}, CLI.md: "Prints the script with rewrites applied; every byte outside a
 * rewritten clause is unchanged. If any statement is denied it prints nothing to standard output,
 * the findings to standard error, and exits 1."
 */
class RewriteCommandTest {
  static final String REGISTRY = "samples/registry.yaml";
  static final String COPY_UNLOAD = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  static final String CHAIN = "arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB";

  static final String SCRIPT = "-- café ☕ load\r\n"
      + "select 'iam_role ''copy-unload''';\r\n"
      + "copy sales\r\n  from 's3://acmedata/redshift/sales/'\r\n\tiam_role    'copy-unload'  /* alias */ delimiter '|';\r\n"
      + "unload ($$select 'companyb'$$) to 's3://companyb/redshift/x_' iam_role 'companyb';\n"
      + "copy category from 's3://acmedata/redshift/category/' iam_role default;\n"
      + "-- done, no newline at the end";

  static final String EXPECTED = SCRIPT
      .replace("iam_role    'copy-unload'", "iam_role    '" + COPY_UNLOAD + "'")
      .replace("iam_role 'companyb'", "iam_role '" + CHAIN + "'");

  @TempDir
  Path dir;

  static CliRun rewrite(String stdin, String... extra) {
    String[] args = new String[extra.length + 5];
    args[0] = "rewrite";
    args[1] = "--registry";
    args[2] = REGISTRY;
    args[3] = "--user";
    args[4] = "user1";
    System.arraycopy(extra, 0, args, 5, extra.length);
    return CliRun.withStdin(stdin, args);
  }

  @Test
  void printsTheScriptWithOnlyTheAliasLiteralsReplaced() {
    assertThat(EXPECTED).isNotEqualTo(SCRIPT);

    CliRun run = rewrite(SCRIPT);

    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo(EXPECTED);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void aScriptWithNothingToRewriteIsPrintedAsItIs() throws IOException {
    Path file = dir.resolve("plain.sql");
    Files.writeString(file, "select 1 ;\n\n  copy t from 's3://acmedata/redshift/x' iam_role default -- end\n");

    CliRun run = rewrite("", file.toString());

    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo(Files.readString(file));
  }

  @Test
  void theDefaultRoleIsRewrittenOnlyWhenTheRegistryAsks() throws IOException {
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, Files.readString(Path.of(REGISTRY))
        .replace("rewrite_default_role: false", "rewrite_default_role: true"));
    String sql = "copy category from 's3://acmedata/redshift/category/'\n  iam_role DEFAULT\n  csv;\n";

    assertThat(rewrite(sql).out()).isEqualTo(sql);
    CliRun run = CliRun.withStdin(sql, "rewrite", "--registry", registry.toString(), "--user", "user1");
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo(sql.replace("DEFAULT", "'" + COPY_UNLOAD + "'"));
  }

  @Test
  void aDeniedStatementPrintsNothingAndTheFindingsGoToStandardError() {
    CliRun run = rewrite("copy a from 's3://acmedata/redshift/x' iam_role 'copy-unload';\n"
        + "copy b from 's3://acmedata/private/x' iam_role 'copy-unload';\n");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("-:2:39: DENY S3_NOT_PERMITTED role " + COPY_UNLOAD + " may not read s3://acmedata/private/x")
        .contains("2 statements: 0 allowed, 1 rewritten, 1 denied");
  }

  @Test
  void aDeniedStatementInAnyFileStopsEveryFile() throws IOException {
    Path good = dir.resolve("a.sql");
    Path bad = dir.resolve("b.sql");
    Files.writeString(good, "copy a from 's3://acmedata/redshift/x' iam_role 'copy-unload';\n");
    Files.writeString(bad, "copy b from 's3://acmedata/redshift/x' iam_role 'nosuchalias';\n");

    CliRun run = rewrite("", "--in-place", dir.toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(bad + ":1:40: DENY ARN_MALFORMED");
    assertThat(Files.readString(good)).contains("'copy-unload'");
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("a.sql", "b.sql");
    }
  }

  @Test
  void aScriptHoldingSecretValuesIsRefused() throws IOException {
    Path file = dir.resolve("keys.sql");
    Files.writeString(file, "copy listing from 's3://acmedata/redshift/listing/' iam_role 'copy-unload';\n"
        + "copy listing from 's3://acmedata/redshift/listing/'\naccess_key_id 'AKIAIOSFODNN7EXAMPLE'\n"
        + "secret_access_key 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' session_token 'FwoGZXIvYXdzEXAMPLETOKEN';\n");
    // keys the registry accepts: nothing is denied, and the secrets alone stop the rewrite
    Path anyKeys = dir.resolve("any-keys.yaml");
    Files.writeString(anyKeys, Files.readString(Path.of(REGISTRY)).replace("credentials: roles-only", "credentials: any"));

    CliRun run = CliRun.withStdin("", "rewrite", "--registry", anyKeys.toString(), "--user", "user1", file.toString());

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(file + ": holds secret values")
        .doesNotContain("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "EXAMPLETOKEN");
  }

  /**
   * A denial is the answer whatever else the script holds (CLI.md: denied, exit 1), also when it
   * comes after the secret or is the statement holding it (probe 22b F5: exit 2 "secret values" for
   * a role-only CREDENTIALS literal the guard denies).
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "credentials 'aws_iam_role=copy\\-unload'",
      "credentials 'aws_iam_role=arn:aws:iam::123456789012:role/Redshift\\\\CopyUnload'",
      "access_key_id 'AKIAIOSFODNN7EXAMPLE' secret_access_key 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'"})
  void aDenialIsToldBeforeTheSecretsAnywhereInTheScripts(String auth) throws IOException {
    Path first = dir.resolve("a.sql");
    Path second = dir.resolve("b.sql");
    Files.writeString(first, "update t set note = 'token=expired';\n"
        + "copy a from 's3://acmedata/redshift/x' " + auth + ";\n");
    Files.writeString(second, "copy b from 's3://acmedata/redshift/x' iam_role 'nosuchalias';\n");

    for (CliRun run : List.of(rewrite("", first.toString()), rewrite("", "--diff", first.toString(), second.toString()))) {
      assertThat(run.code()).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).contains(first + ":2:").contains(" DENY ").doesNotContain("holds secret values")
          .doesNotContain("expired", "AKIAIOSFODNN7EXAMPLE", "EXAMPLEKEY");
    }
    CliRun both = rewrite("", "--diff", first.toString(), second.toString());
    assertThat(both.err()).contains(second + ":1:40: DENY ARN_MALFORMED");
  }

  /**
   * Each kind of text the reports' masks hide (probe 21d F11: data, a partition folder, a comment, a
   * URL's user info, a key pair the policy denies). Printed or diffed, such a script is refused; in
   * place it is rewritten, every byte but the alias as it was, as only its own file is written. A
   * denied statement is told instead, and leaves the file untouched.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "update t set note = 'token=expired';",
      "insert into audit values ('user reset password=done');",
      "/* token=nightly */ select 1;",
      "select 'https://bob:hunter2pw@example.com/x';",
      "unload ('select 1') to 's3://acmedata/redshift/unload/token=zqxvw/' iam_role 'copy-unload';",
      "-- aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nselect 2;",
      "copy t from 's3://acmedata/redshift/x'\naccess_key_id 'AKIAIOSFODNN7EXAMPLE'\n"
          + "secret_access_key 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';"})
  void whatTheMasksHideIsRefusedWhenPrintedAndKeptInPlace(String other) throws IOException {
    String sql = "copy t from 's3://acmedata/redshift/x' iam_role 'copy-unload';\n" + other
        + "\n";
    boolean keys = other.contains("access_key_id");
    Path file = dir.resolve("job.sql");
    Files.writeString(file, sql);

    CliRun printed = rewrite("", file.toString());
    CliRun diffed = rewrite("", "--diff", file.toString());
    CliRun inPlace = rewrite("", "--in-place", file.toString());

    for (CliRun refused : List.of(printed, diffed)) {
      assertThat(refused.code()).isEqualTo(keys ? 1 : 2);
      assertThat(refused.out()).isEmpty();
      assertThat(refused.err()).contains(keys ? "DENY STATIC_KEYS" : file + ": holds secret values")
          .contains(keys ? "DENY" : "--in-place")
          .doesNotContain("expired", "done", "nightly", "hunter2pw", "zqxvw", "EXAMPLEKEY", "AKIAIOSFODNN7EXAMPLE");
    }
    assertThat(inPlace.out()).isEmpty();
    if (keys) {
      // the policy (roles-only) denies the keys: told, and the file is left as it was
      assertThat(inPlace.code()).isEqualTo(1);
      assertThat(inPlace.err()).contains("DENY STATIC_KEYS").doesNotContain("EXAMPLEKEY", "AKIAIOSFODNN7EXAMPLE");
      assertThat(Files.readString(file)).isEqualTo(sql);
    } else {
      assertThat(inPlace.code()).isZero();
      assertThat(Files.readString(file)).isEqualTo(sql.replace("'copy-unload'", "'" + COPY_UNLOAD + "'"));
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("job.sql");
    }
  }

  @Test
  void aColumnNamedLikeASecretKeywordIsNoSecret() {
    String sql = "select password, session_token from app_users where password is not null;\n"
        + "copy t from 's3://acmedata/redshift/x' iam_role 'copy-unload';\n";

    CliRun run = rewrite(sql);

    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo(sql.replace("'copy-unload'", "'" + COPY_UNLOAD + "'"));
  }

  @Test
  void registryAndInputErrorsExitWithTwo() {
    assertThat(CliRun.of("rewrite", "--registry", "nope.yaml", "--user", "user1", "-").code()).isEqualTo(2);
    CliRun missing = rewrite("", dir.resolve("missing.sql").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("missing.sql: no such file or folder");
  }

  /**
   * Scripts are read as UTF-8, so they must be written as UTF-8 whatever the platform charset:
   * otherwise every non-ASCII byte outside the rewritten clause changes. Runs the CLI in a JVM whose
   * default charset is US-ASCII, as on a host with LANG=C and Java 17.
   */
  @Test
  void theOutputIsUtf8WhateverThePlatformCharset() throws Exception {
    Path file = dir.resolve("utf8.sql");
    Files.writeString(file, SCRIPT, StandardCharsets.UTF_8);
    Path out = dir.resolve("out.sql");
    Path err = dir.resolve("err.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(List.of(java, "-Dfile.encoding=US-ASCII", "-Dsun.stdout.encoding=US-ASCII",
        "-Dsun.stderr.encoding=US-ASCII", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "rewrite", "--registry", REGISTRY, "--user", "user1", file.toString()))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(err)).isZero();
    assertThat(Files.readString(out, StandardCharsets.ISO_8859_1))
        .isEqualTo(new String(EXPECTED.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
  }

  /** Issue 16: several files are kept apart: each rewritten in place, or a diff per file. */
  @Test
  void severalFilesAreRewrittenInPlaceEachAtomically() throws IOException {
    Path a = Files.writeString(dir.resolve("a.sql"), SCRIPT, StandardCharsets.UTF_8);
    Path b = Files.writeString(Files.createDirectories(dir.resolve("sub")).resolve("B.SQL"), "select 1;\n");
    Path c = Files.writeString(dir.resolve("c.sql"), "copy t from 's3://acmedata/redshift/x' iam_role 'copy-unload';\n");
    java.nio.file.attribute.FileTime untouched = Files.getLastModifiedTime(b);

    CliRun run = rewrite("", "--in-place", dir.toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(Files.readString(a, StandardCharsets.UTF_8)).isEqualTo(EXPECTED);
    assertThat(Files.readString(b)).isEqualTo("select 1;\n");
    assertThat(Files.getLastModifiedTime(b)).isEqualTo(untouched);
    assertThat(Files.readString(c)).isEqualTo("copy t from 's3://acmedata/redshift/x' iam_role '" + COPY_UNLOAD + "';\n");
    try (var files = Files.walk(dir)) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void severalFilesWithoutInPlaceOrDiffAreRefused() throws IOException {
    Files.writeString(dir.resolve("a.sql"), "select 1;\n");
    Files.writeString(dir.resolve("b.sql"), "select 2;\n");

    CliRun run = rewrite("", dir.toString());

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("rewrite of 2 scripts", "--in-place", "--diff");
    assertThat(run.out()).isEmpty();
    assertThat(rewrite("select 1", "--in-place", "-").code()).isEqualTo(2);
    assertThat(rewrite("select 1", "--in-place", "--diff").code()).isEqualTo(2);
  }

  @Test
  void diffPrintsAUnifiedDiffPerChangedFileThatPatchApplies() throws Exception {
    Path a = Files.writeString(dir.resolve("a.sql"), SCRIPT, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("b.sql"), "select 1;\n");
    Path c = Files.writeString(dir.resolve("c.sql"), "-- one\n-- two\n-- three\n-- four\n"
        + "copy t from 's3://acmedata/redshift/x' iam_role 'copy-unload';\n-- five\n");

    CliRun run = rewrite("", "--diff", dir.toString());

    assertThat(run.code()).as(run.err()).isZero();
    String a1 = a.toString().substring(1);
    String c1 = c.toString().substring(1);
    assertThat(run.out()).contains("--- a/" + a1 + "\n+++ b/" + a1 + "\n@@ -2,7 +2,7 @@\n")
        .contains("-\tiam_role    'copy-unload'  /* alias */ delimiter '|';\r\n"
            + "-unload ($$select 'companyb'$$) to 's3://companyb/redshift/x_' iam_role 'companyb';\n"
            + "+\tiam_role    '" + COPY_UNLOAD + "'  /* alias */ delimiter '|';\r\n")
        .endsWith("--- a/" + c1 + "\n+++ b/" + c1 + "\n@@ -2,5 +2,5 @@\n -- two\n -- three\n -- four\n"
            + "-copy t from 's3://acmedata/redshift/x' iam_role 'copy-unload';\n"
            + "+copy t from 's3://acmedata/redshift/x' iam_role '" + COPY_UNLOAD + "';\n -- five\n")
        .doesNotContain("b.sql");
    assertThat(Files.readString(a, StandardCharsets.UTF_8)).isEqualTo(SCRIPT);
    if (Files.isExecutable(Path.of("/usr/bin/patch"))) {
      Process patch = new ProcessBuilder("/usr/bin/patch", "-p1", "-s").directory(Path.of("/").toFile())
          .redirectErrorStream(true).start();
      patch.getOutputStream().write(run.out().getBytes(StandardCharsets.UTF_8));
      patch.getOutputStream().close();
      String said = new String(patch.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(patch.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(patch.exitValue()).as(said).isZero();
      assertThat(Files.readString(a, StandardCharsets.UTF_8)).isEqualTo(EXPECTED);
    }
  }
}
