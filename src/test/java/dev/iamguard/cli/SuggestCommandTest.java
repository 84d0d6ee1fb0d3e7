package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code iamguard suggest}: its formats, exit codes and errors (CLI.md conventions). */
class SuggestCommandTest {
  private static final String CHAIN = "arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB";
  private static final String ROLE = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";

  @TempDir
  Path dir;

  @Test
  void sqlFormatPrintsTheGrantStatements() {
    CliRun run = CliRun.of("suggest", "--registry", "samples/registry.yaml", "--user", "user1", "--format", "sql",
        "samples/etl/01_seed_chains.sql");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out().lines().filter(l -> !l.startsWith("--")).toList()).containsExactly(
        "GRANT ASSUMEROLE ON '" + CHAIN + "' TO user1 FOR COPY, UNLOAD, EXTERNAL FUNCTION;");
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonHoldsRolesIamDocumentsGrantsAndTheComparison() {
    CliRun run = CliRun.of("suggest", "--registry", "samples/registry.yaml", "--user", "user1", "--format", "json",
        "samples/etl/01_seed_chains.sql");
    assertThat(run.code()).as(run.err()).isZero();
    Map<String, Object> json = run.json();
    assertThat(json).containsKeys("cluster", "roles", "chains", "grants", "gaps", "notes", "additions", "unused",
        "summary");
    assertThat((Map<String, Object>) json.get("summary")).containsEntry("statements", 4).containsEntry("resolved", 4)
        .containsEntry("complete", true);
    List<?> roles = (List<?>) json.get("roles");
    Map<?, ?> roleB = (Map<?, ?>) roles.get(1);
    assertThat(roleB.get("arn")).isEqualTo("arn:aws:iam::210987654321:role/RoleB");
    Map<?, ?> iam = (Map<?, ?>) roleB.get("iam");
    // the COPY reads the keys starting with redshift/venue_pipe_, which IAM names exactly (the registry
    // can only grant the folder redshift/)
    assertThat(String.valueOf(iam.get("permissions_policy"))).contains("s3:ListBucket",
        "s3:prefix=[redshift/venue_pipe_*]", "arn:aws:s3:::companyb/redshift/venue_pipe_*", "lambda:InvokeFunction",
        "glue:GetDatabase").doesNotContain("redshift/*");
    assertThat(String.valueOf(iam.get("trust_policy"))).contains("arn:aws:iam::123456789012:role/RoleA",
        "sts:ExternalId");
    assertThat((List<?>) json.get("unused")).anySatisfy(u -> assertThat(String.valueOf(u))
        .contains("RedshiftCopyUnload", "no statement uses it"));
  }

  @Test
  void iamFormatWithOutWritesDocumentsARegistryUsingThemAndTheGrants() throws Exception {
    Path out = dir.resolve("iam");
    CliRun run = CliRun.of("suggest", "--registry", "samples/registry.yaml", "--user", "user1", "--format", "iam",
        "--out", out.toString(), "samples/etl/01_seed_chains.sql");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(out.resolve("RoleA.trust.json")).exists();
    assertThat(out.resolve("RoleB.permissions.json")).exists();
    assertThat(Files.readString(out.resolve("grants.sql"))).contains("GRANT ASSUMEROLE ON '" + CHAIN + "'");
    assertThat(RegistryLoader.load(out.resolve("registry.yaml")).roles()).hasSize(2)
        .allSatisfy(r -> assertThat(r.permissionPolicies()).hasSize(1));
    assertThat((List<?>) run.json().get("roles")).hasSize(2);
  }

  /**
   * A role whose scripts read 400 folders gets a permissions policy larger than IAM accepts for a
   * role's inline policies (10,240 characters besides white space): the documents are still
   * written, and a warning names the file and what to do. The sample's own suggestion gets none.
   */
  @Test
  void aPolicyLargerThanIamAcceptsIsWarnedAbout() throws Exception {
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      script.append("copy t from 's3://acmedata/redshift/day").append(i).append("/' iam_role '").append(ROLE)
          .append("';\n");
    }
    Path out = dir.resolve("big");
    CliRun big = CliRun.withStdin(script.toString(), "suggest", "--registry", "samples/registry.yaml", "--user", "user1",
        "--format", "iam", "--out", out.toString(), "-");
    long counted = Files.readString(out.resolve("RedshiftCopyUnload.permissions.json")).chars()
        .filter(c -> !Character.isWhitespace(c)).count();

    assertThat(big.code()).as(big.err()).isZero();
    assertThat(counted).isGreaterThan(10_240);
    assertThat(big.err()).isEqualTo("iamguard: warning: RedshiftCopyUnload.permissions.json holds " + counted
        + " characters besides white space, more than the 10240 IAM allows a role's inline policies: merge folders"
        + " (--prefix-depth) or split it into managed policies" + System.lineSeparator());
    CliRun sample = CliRun.of("suggest", "--registry", "samples/registry.yaml", "--user", "user1", "--format", "iam",
        "samples/etl/01_seed_chains.sql");
    assertThat(sample.err()).isEmpty();
  }

  /** 80 users of one role: its trust policy names each (sts:ExternalId), more than IAM's default 2,048 characters. */
  @Test
  void aTrustPolicyLargerThanIamsDefaultQuotaIsWarnedAbout() throws Exception {
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < 80; i++) {
      script.append("set session authorization 'etl_user_number_").append(i).append("';\ncopy t from "
          + "'s3://acmedata/redshift/x/' iam_role '").append(ROLE).append("';\n");
    }
    Path out = dir.resolve("users");
    CliRun run = CliRun.withStdin(script.toString(), "suggest", "--cluster", "my-cluster", "--account", "123456789012",
        "--region", "us-west-2", "--user", "user1", "--format", "iam", "--out", out.toString(), "-");
    long counted = Files.readString(out.resolve("RedshiftCopyUnload.trust.json")).chars()
        .filter(c -> !Character.isWhitespace(c)).count();

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(counted).isGreaterThan(2_048);
    assertThat(run.err()).isEqualTo("iamguard: warning: RedshiftCopyUnload.trust.json holds " + counted
        + " characters besides white space, more than the 2048 IAM allows a trust policy by default: raise the"
        + " account's quota or trust fewer principals" + System.lineSeparator());
  }

  /**
   * An UNLOAD whose KMS key is named by alias needs what no document can grant: the JSON says
   * complete false and lists it under ungranted, standard error names the permission and the exit
   * code is 1; by key ARN the documents grant it and the suggestion is complete.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  @SuppressWarnings("unchecked")
  void aKmsKeyTheDocumentsCannotNameLeavesTheSuggestionIncomplete(boolean byAlias) throws Exception {
    String key = byAlias ? "alias/reports" : "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    Files.writeString(dir.resolve("unload.sql"), "unload ('select 1') to 's3://reports-bucket/out/' iam_role '" + ROLE
        + "' kms_key_id '" + key + "' encrypted;\n");
    CliRun run = CliRun.of("suggest", "--cluster", "c1", "--account", "123456789012", "--region", "us-west-2",
        "--format", "json", dir.resolve("unload.sql").toString());
    Map<String, Object> summary = (Map<String, Object>) run.json().get("summary");
    assertThat(summary).containsEntry("complete", !byAlias).containsEntry("unresolved", 0);
    assertThat((List<?>) run.json().get("ungranted")).hasSize(byAlias ? 1 : 0);
    String permissions = String.valueOf(((Map<?, ?>) ((Map<?, ?>) ((List<?>) run.json().get("roles")).get(0))
        .get("iam")).get("permissions_policy"));
    if (byAlias) {
      assertThat(run.code()).isEqualTo(ExitCodes.DENIED);
      assertThat(run.err()).contains("do not grant", "kms:GenerateDataKey");
      assertThat(permissions).doesNotContain("kms:");
    } else {
      assertThat(run.code()).as(run.err()).isZero();
      assertThat(permissions).contains("kms:GenerateDataKey", key);
    }
  }

  @Test
  void anIncompleteSuggestionExitsOneAndNamesTheStatements() {
    CliRun run = CliRun.withStdin("copy t from 's3://acme/x/' iam_role 'copy-unload';\n", "suggest", "--cluster", "c",
        "--account", "123456789012", "--region", "us-west-2", "-");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("1 of 1 statements could not be resolved", "-:1:1: COPY: 'copy-unload'");
    assertThat(run.out()).contains("# incomplete:", "roles: []");
  }

  @Test
  void errorsExitTwo() {
    assertThat(CliRun.withStdin("select 1;", "suggest", "-").err()).contains("without --registry, give --cluster ID");
    assertThat(CliRun.withStdin("select 1;", "suggest", "-").code()).isEqualTo(2);
    CliRun out = CliRun.withStdin("select 1;", "suggest", "--registry", "samples/registry.yaml", "--out", "x", "-");
    assertThat(out.code()).isEqualTo(2);
    assertThat(out.err()).contains("--out writes the IAM documents");
    CliRun both = CliRun.withStdin("select 1;", "suggest", "--registry", "samples/registry.yaml", "--user", "u",
        "--users-from-grants", "-");
    assertThat(both.code()).isEqualTo(2);
    CliRun empty = CliRun.of("suggest", "--registry", "samples/registry.yaml", dir.toString());
    assertThat(empty.code()).isEqualTo(2);
    assertThat(empty.err()).contains("no SQL statements to read");
    CliRun noGrants = CliRun.withStdin("select 1;", "suggest", "--users-from-grants", "--cluster", "c", "--account",
        "123456789012", "--region", "us-west-2", "-");
    assertThat(noGrants.err()).contains("--users-from-grants needs --registry");
  }

  @Test
  void aRegistryTheGuardWouldRefuseIsNeverWritten() {
    CliRun run = CliRun.withStdin("copy t from 's3://acme-lake/x/' iam_role 'arn:aws:iam::123456789012:role/L';",
        "suggest", "--cluster", "c", "--account", "123456789012", "--region", "us-wset-2", "-");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("us-wset-2", "did you mean \"us-west-2\"", "check --cluster, --account and --region");
  }

  @Test
  void usersFromGrantsTakesTheRegistrysUsers() {
    CliRun run = CliRun.of("suggest", "--registry", "samples/registry.yaml", "--users-from-grants", "--format", "sql",
        "samples/etl/01_seed_chains.sql");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("TO user1, user2, etl_bot FOR COPY, UNLOAD, EXTERNAL FUNCTION;");
  }

  @Test
  void prefixDepthGeneralisesDateFolders() {
    String script = "copy t from 's3://acme-lake/sales/2024-01-01/part_' iam_role 'arn:aws:iam::123456789012:role/L';\n"
        + "copy t from 's3://acme-lake/sales/2024-01-02/part_' iam_role 'arn:aws:iam::123456789012:role/L';\n";
    String[] args = {"suggest", "--cluster", "c", "--account", "123456789012", "--region", "us-west-2", "--format",
        "json", "--prefix-depth", "1", "-"};
    Map<?, ?> role = (Map<?, ?>) ((List<?>) CliRun.withStdin(script, args).json().get("roles")).get(0);
    assertThat(((Map<?, ?>) role.get("allow")).get("s3_read")).isEqualTo(List.of("s3://acme-lake/sales/"));
    args[10] = "0";
    role = (Map<?, ?>) ((List<?>) CliRun.withStdin(script, args).json().get("roles")).get(0);
    assertThat(((Map<?, ?>) role.get("allow")).get("s3_read"))
        .isEqualTo(List.of("s3://acme-lake/sales/2024-01-01/", "s3://acme-lake/sales/2024-01-02/"));
  }

  @Test
  void helpListsSuggest() {
    assertThat(CliRun.of("--help").out()).contains("suggest");
    assertThat(CliRun.of("suggest", "--help").out()).contains("--prefix-depth", "--users-from-grants", "Exit codes");
  }

  /**
   * One connection, two files: the first changes who runs the statements in a way the guard does
   * not follow (or ends a transaction after a switch), the second holds a COPY. Suggest, as the CLI
   * reads the files (in pieces, in order), lists the COPY as a gap and exits 1; the registry it
   * printed, given to {@code check} as {@code etl}, denies the COPY: the two agree. Controls: a
   * plain switch, followed by both, is granted and allowed. 10 first files x upper/lower case.
   * Failed before suggest asked the guard who runs each statement (exit 0, admin or etl granted).
   */
  @Test
  void aRunnerTheGuardCannotKnowAcrossFilesIsAGapAndCheckAgrees() throws Exception {
    String copy = "copy t from 's3://acme-data/in/' iam_role 'arn:aws:iam::123456789012:role/Loader';\n";
    List<String> unknown = List.of("begin;\nset session authorization 'admin';\nrollback;\n",
        "set session authorization 'admin';\nreset all;\n", "set session authorization 'admin';\ndiscard all;\n",
        "set role 'admin';\n", "set local session authorization 'admin';\n",
        "select set_config('session_authorization', 'admin', false);\n",
        "set session authorization 'admin';\nset session authorization default;\ncommit;\n",
        "call p();\n");
    List<String> followed = List.of("set session authorization 'admin';\n",
        "set session authorization 'admin';\nreset session authorization;\n");
    for (boolean upper : List.of(false, true)) {
      for (String first : concat(unknown, followed)) {
        String written = upper ? first.toUpperCase(java.util.Locale.ROOT).replace("'ADMIN'", "'admin'") : first;
        Path a = Files.writeString(dir.resolve("a.sql"), written);
        Path b = Files.writeString(dir.resolve("b.sql"), copy);
        CliRun suggest = CliRun.of("suggest", "--cluster", "c1", "--account", "123456789012", "--region", "us-west-2",
            "--user", "etl", a.toString(), b.toString());
        Path registry = Files.writeString(dir.resolve("suggested.yaml"), suggest.out());
        CliRun check = CliRun.of("check", "--registry", registry.toString(), "--user", "etl", a.toString(),
            b.toString());
        if (followed.contains(first)) {
          assertThat(suggest.code()).as(written + suggest.err()).isZero();
          assertThat(check.code()).as(written + check.out()).isZero();
        } else {
          assertThat(suggest.code()).as(written + suggest.err()).isEqualTo(1);
          assertThat(suggest.err()).as(written).contains("b.sql:1:1: COPY: who runs it cannot be known");
          assertThat(suggest.out()).as(written).doesNotContain("dbuser:c1/admin").doesNotContain("- etl");
          assertThat(check.code()).as(written + check.out()).isEqualTo(1);
          assertThat(check.out()).as(written).contains("IDENTITY_CHANGED_IN_TEXT");
        }
      }
    }
  }

  private static List<String> concat(List<String> one, List<String> two) {
    List<String> all = new java.util.ArrayList<>(one);
    all.addAll(two);
    return all;
  }
}
