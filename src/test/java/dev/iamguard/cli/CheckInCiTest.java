package dev.iamguard.cli;

import static dev.iamguard.cli.CheckCommandTest.COPY_UNLOAD;
import static dev.iamguard.cli.CheckCommandTest.REGISTRY;
import static dev.iamguard.cli.CheckCommandTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16, "a CLI that CI can trust": the switches and exit codes a pipeline relies on. */
class CheckInCiTest {
  static final String DENIED = "unload ('select 1') to 's3://acmedata/exports/x_' iam_role 'copy-unload'";
  static final String REWRITTEN = "copy t from 's3://acmedata/redshift/x' iam_role 'copy-unload'";
  static final String WARNED = "copy job run load_t";
  static final String ALLOWED = "copy t from 's3://acmedata/redshift/x' iam_role default";

  @TempDir
  Path dir;

  Path file(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  static CliRun check(String stdin, String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "check";
    all[1] = "--registry";
    all[2] = REGISTRY;
    all[3] = "--user";
    all[4] = "user1";
    System.arraycopy(args, 0, all, 5, args.length);
    return CliRun.withStdin(stdin, all);
  }

  @AfterEach
  void noTerminal() {
    Main.stdinIsTerminal = false;
  }

  @Nested
  class NothingToCheck {
    @Test
    void anEmptyFolderIsAnError() throws IOException {
      Files.createDirectories(dir.resolve("empty/sub"));
      file("empty/sub/notes.txt", "copy t from 's3://x/y' iam_role default;");

      CliRun run = check("", dir.resolve("empty").toString());

      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).contains("no SQL statements to check", "empty holds no .sql files");
    }

    @Test
    void emptyStandardInputIsAnError() {
      CliRun run = check("");

      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).contains("no SQL statements to check: standard input held none");
    }

    @Test
    void aFileOfCommentsIsAnError() throws IOException {
      Path comments = file("c.sql", "-- nothing yet\n/* todo; */\n;;\n");

      CliRun run = check("", "--format", "json", comments.toString());

      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).contains(comments + " holds none");
      assertThat((Map<String, Object>) at(run.json(), "summary")).containsEntry("statements", 0);
    }

    @Test
    void noPathWithATerminalOnStandardInputIsAnErrorNotAWait() {
      Main.stdinIsTerminal = true;

      CliRun run = check("select 1");

      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).contains("no PATH given and standard input is a terminal");
      assertThat(run.out()).isEmpty();
      assertThat(CliRun.withStdin("select 1", "explain").code()).isEqualTo(2);
    }

    @Test
    void upperCaseSqlFilesCount() throws IOException {
      file("etl/LOAD.SQL", DENIED + ";\n");
      file("etl/b.Sql", "select 1;\n");
      file("etl/c.sql.bak", DENIED + ";\n");

      CliRun run = check("", "--format", "json", dir.resolve("etl").toString());

      assertThat(run.code()).isEqualTo(1);
      List<Map<String, Object>> statements = at(run.json(), "statements");
      assertThat(statements).extracting(s -> Path.of((String) s.get("file")).getFileName().toString())
          .containsExactly("LOAD.SQL", "b.Sql");
    }
  }

  @Nested
  class FailOn {
    @Test
    void denyIsTheDefault() {
      assertThat(check(REWRITTEN + ";\n" + WARNED).code()).isZero();
      assertThat(check(DENIED).code()).isEqualTo(1);
      assertThat(check(REWRITTEN, "--fail-on", "deny").code()).isZero();
    }

    @Test
    void rewriteFailsOnARewriteButNotOnAWarning() {
      assertThat(check(REWRITTEN, "--fail-on", "rewrite").code()).isEqualTo(1);
      assertThat(check(WARNED + ";\n" + ALLOWED, "--fail-on", "rewrite").code()).isZero();
      assertThat(check(DENIED, "--fail-on", "rewrite").code()).isEqualTo(1);
    }

    @Test
    void warningFailsOnEverything() {
      assertThat(check(WARNED, "--fail-on", "warning").code()).isEqualTo(1);
      assertThat(check(REWRITTEN, "--fail-on", "warning").code()).isEqualTo(1);
      assertThat(check(ALLOWED, "--fail-on", "warning").code()).isZero();
    }

    @Test
    void anUnknownLevelIsAUsageError() {
      CliRun run = check(ALLOWED, "--fail-on", "never");

      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).contains("--fail-on", "deny, rewrite, warning");
    }
  }

  @Nested
  class Quiet {
    static final String SCRIPT = "select 1;\n" + REWRITTEN + ";\n" + WARNED + ";\n" + DENIED + ";\n";

    @Test
    void textPrintsOnlyWhatFails() {
      CliRun run = check(SCRIPT, "--quiet");

      assertThat(run.code()).isEqualTo(1);
      assertThat(run.out().lines()).singleElement().asString().startsWith("-:4:51: DENY S3_NOT_PERMITTED ");
      assertThat(check(SCRIPT, "-q", "--fail-on", "warning").out().lines())
          .extracting(l -> l.split(" ")[1]).containsExactly("REWRITE", "WARN", "DENY");
      assertThat(check("select 1;\n" + REWRITTEN, "--quiet").out()).isEmpty();
    }

    @Test
    void jsonListsOnlyStatementsWithFindingsOrRewritesAndCountsAll() {
      CliRun run = check(SCRIPT, "--quiet", "--format", "json");

      List<Map<String, Object>> statements = at(run.json(), "statements");
      assertThat(statements).extracting(s -> s.get("index")).containsExactly(2, 3, 4);
      assertThat((Map<String, Object>) at(run.json(), "summary")).containsEntry("statements", 4)
          .containsEntry("allowed", 2).containsEntry("rewritten", 1).containsEntry("denied", 1);
    }

    @Test
    void quietAndVerboseExcludeEachOther() {
      assertThat(check(SCRIPT, "--quiet", "--verbose").code()).isEqualTo(2);
    }
  }

  @Nested
  class Suppressions {
    @Test
    void aCommentOnTheLinesBeforeAStatementAcceptsItsFindingsOfThatRule() {
      String script = "select 1;\n-- iamguard:allow S3_NOT_PERMITTED legacy export, ticket 42\n" + DENIED + ";\n";

      CliRun text = check(script);
      CliRun json = check(script, "--format", "json");

      assertThat(text.code()).isZero();
      assertThat(text.out().lines()).containsExactly("2 statements: 1 allowed, 0 rewritten, 1 denied (1 finding suppressed)");
      Map<String, Object> finding = at(json.json(), "statements", 1, "findings", 0);
      assertThat(finding).containsEntry("rule", "S3_NOT_PERMITTED")
          .containsEntry("suppressed", Map.of("reason", "legacy export, ticket 42"));
      assertThat((Map<String, Object>) at(json.json(), "summary")).containsEntry("denied", 1).containsEntry("suppressed", 1);
      assertThat(check(script, "--verbose").out()).contains("-:3:51: SUPPRESSED S3_NOT_PERMITTED role ",
          "    reason: legacy export, ticket 42");
    }

    @Test
    void aCommentAfterAStatementOnItsLineAcceptsThatStatement() {
      String script = DENIED + "; -- iamguard:allow S3_NOT_PERMITTED moved next quarter\n" + DENIED + ";\n";

      CliRun run = check(script, "--format", "json");

      assertThat(run.code()).isEqualTo(1);
      assertThat((Map<String, Object>) at(run.json(), "statements", 0, "findings", 0)).containsKey("suppressed");
      assertThat((Map<String, Object>) at(run.json(), "statements", 1, "findings", 0)).doesNotContainKey("suppressed");
    }

    @Test
    void aCommentInsideAStatementAcceptsThatStatement() {
      String script = "unload ('select 1')\n  to 's3://acmedata/exports/x_' -- iamguard:allow s3_not_permitted shared drop\n"
          + "  iam_role 'copy-unload';\n" + DENIED + ";\n";

      CliRun run = check(script, "--format", "json");

      assertThat(run.code()).isEqualTo(1);
      assertThat((Map<String, Object>) at(run.json(), "statements", 0, "findings", 0))
          .containsEntry("suppressed", Map.of("reason", "shared drop"));
      assertThat((Map<String, Object>) at(run.json(), "statements", 1, "findings", 0)).doesNotContainKey("suppressed");
    }

    @Test
    void theMarkerInALiteralOrABlockCommentIsNoSuppression() {
      String script = "select '-- iamguard:allow S3_NOT_PERMITTED no';\n/* -- iamguard:allow S3_NOT_PERMITTED no */\n"
          + DENIED + ";\n";

      assertThat(check(script).code()).isEqualTo(1);
    }

    /** CLI probe F5: written as a block comment, a suppression accepted nothing and nothing said so. */
    @Test
    void aSuppressionWrittenAsABlockCommentAcceptsNothingAndSaysSo() {
      String script = "/* iamguard:allow S3_NOT_PERMITTED shared drop */\n" + DENIED + ";\n" + DENIED
          + "; /*\n * iamguard:allow S3_NOT_PERMITTED shared drop\n */\n";

      CliRun text = check(script);
      CliRun json = check(script, "--format", "json");

      assertThat(text.code()).isEqualTo(1);
      assertThat(json.code()).isEqualTo(1);
      assertThat(text.out()).contains("-:1:1: WARN SUPPRESSION_UNUSED S3_NOT_PERMITTED: ignored suppression: a block comment "
          + "suppresses nothing: write -- iamguard:allow RULE reason").contains("(2 unused suppressions)");
      assertThat((Map<String, Object>) at(json.json(), "statements", 0, "findings", 0)).doesNotContainKey("suppressed");
      assertThat((Map<String, Object>) at(json.json(), "statements", 1, "findings", 0)).doesNotContainKey("suppressed");
      assertThat((List<Map<String, Object>>) at(json.json(), "suppression_notes")).hasSize(2)
          .allSatisfy(n -> assertThat(n).containsEntry("kind", "unused").containsEntry("rules", "S3_NOT_PERMITTED"));
    }

    @Test
    void aSuppressionOfAnotherRuleAcceptsNothingAndIsReportedUnused() {
      String script = "-- iamguard:allow ROLE_UNKNOWN not this one\n" + DENIED + ";\n";

      CliRun text = check(script);
      CliRun json = check(script, "--format", "json");
      CliRun sarif = check(script, "--format", "sarif");

      assertThat(text.code()).isEqualTo(1);
      assertThat(text.out()).contains("-:1:1: WARN SUPPRESSION_UNUSED ROLE_UNKNOWN: unused suppression: statement 1 has no "
          + "ROLE_UNKNOWN finding").contains("(1 unused suppression)");
      assertThat((List<Map<String, Object>>) at(json.json(), "suppression_notes")).singleElement()
          .satisfies(n -> assertThat(n).containsEntry("kind", "unused").containsEntry("line", 1)
              .containsEntry("rules", "ROLE_UNKNOWN"));
      Map<String, Object> notification = at(sarif.json(), "runs", 0, "invocations", 0, "toolExecutionNotifications", 0);
      assertThat(notification).containsEntry("level", "warning");
      assertThat((String) at(notification, "descriptor", "id")).isEqualTo("SUPPRESSION_UNUSED");
      assertThat(check(script, "--fail-on", "warning").code()).isEqualTo(1);
      assertThat(check("-- iamguard:allow ROLE_UNKNOWN nothing here\nselect 1", "--fail-on", "warning").code())
          .isEqualTo(1);
      assertThat(check("-- iamguard:allow ROLE_UNKNOWN nothing here\nselect 1").code()).isZero();
    }

    @Test
    void aSuppressionWithoutAReasonOrWithAnUnknownRuleIsAnError() {
      CliRun noReason = check("-- iamguard:allow S3_NOT_PERMITTED\n" + DENIED + ";\n", "--format", "json");
      CliRun unknown = check("-- iamguard:allow S3_NOT_ALLOWED typo\n" + DENIED + ";\n");

      assertThat(noReason.code()).isEqualTo(2);
      assertThat(noReason.err()).contains("1 invalid suppressions");
      assertThat((Map<String, Object>) at(noReason.json(), "statements", 0, "findings", 0)).doesNotContainKey("suppressed");
      assertThat((String) at(noReason.json(), "suppression_notes", 0, "message"))
          .startsWith("invalid suppression: gives no reason");
      assertThat(unknown.code()).isEqualTo(2);
      assertThat(unknown.out()).contains("-:1:1: ERROR SUPPRESSION_INVALID S3_NOT_ALLOWED: invalid suppression: unknown "
          + "rule S3_NOT_ALLOWED");
    }

    @Test
    void sarifCarriesTheSuppressionWithItsJustification() {
      CliRun run = check("-- iamguard:allow S3_NOT_PERMITTED legacy export\n" + DENIED + ";\n", "--format", "sarif");

      assertThat(run.code()).isZero();
      Map<String, Object> result = at(run.json(), "runs", 0, "results", 0);
      assertThat((List<Object>) result.get("suppressions")).containsExactly(
          Map.of("kind", "inSource", "justification", "legacy export"));
    }
  }

  @Nested
  class Baselines {
    static final String SCRIPT = "select 1;\n" + DENIED + ";\n" + REWRITTEN + ";\n"
        + "copy t from 's3://acmedata/private/x' iam_role 'copy-unload';\n";

    @Test
    void aBaselineAcceptsTheFindingsItHoldsAndOnlyNewOnesFail() throws IOException {
      Path script = file("etl/load.sql", SCRIPT);
      Path baseline = dir.resolve("iamguard-baseline.json");

      CliRun write = check("", "--write-baseline", baseline.toString(), script.toString());
      assertThat(write.code()).isZero();
      assertThat(write.err()).contains("wrote 2 findings to the baseline");
      Map<String, Object> written = CliRun.json(Files.readString(baseline));
      assertThat(written).containsEntry("iamguard_baseline", 1);
      assertThat((List<Map<String, Object>>) written.get("findings")).extracting(f -> f.get("rule"))
          .containsExactly("S3_NOT_PERMITTED", "S3_NOT_PERMITTED");

      CliRun again = check("", "--baseline", baseline.toString(), "--format", "json", script.toString());
      assertThat(again.code()).isZero();
      assertThat((Map<String, Object>) at(again.json(), "summary")).containsEntry("baselined", 2).containsEntry("denied", 2);
      assertThat((Map<String, Object>) at(again.json(), "statements", 1, "findings", 0)).containsEntry("baselined", true);

      // moved down, re-indented, re-cased: still the same findings; one new denial fails
      Files.writeString(script, "\n\n-- moved\n" + SCRIPT.replace("unload (", "UNLOAD  (").replace("\n", "\n  ")
          + "\n" + DENIED.replace("x_", "y_") + ";\n");
      CliRun moved = check("", "--baseline", baseline.toString(), script.toString());
      assertThat(moved.code()).isEqualTo(1);
      assertThat(moved.out().lines().filter(l -> l.contains(": DENY "))).singleElement().asString()
          .startsWith(script + ":9:51: DENY S3_NOT_PERMITTED");
      assertThat(moved.out()).contains("(2 findings in the baseline)");
    }

    @Test
    void aBaselineCountsCopies() throws IOException {
      Path script = file("load.sql", DENIED + ";\n");
      Path baseline = dir.resolve("b.json");
      check("", "--write-baseline", baseline.toString(), script.toString());

      Files.writeString(script, DENIED + ";\n" + DENIED + ";\n");
      CliRun run = check("", "--baseline", baseline.toString(), "--format", "sarif", script.toString());

      assertThat(run.code()).isEqualTo(1);
      List<Map<String, Object>> results = at(run.json(), "runs", 0, "results");
      assertThat(results).extracting(r -> r.get("baselineState")).containsExactly("unchanged", "new");
      assertThat(results).extracting(r -> at(r, "partialFingerprints", SarifReport.FINGERPRINT))
          .doesNotContainNull().hasSize(2).allMatch(f -> f.equals(at(results.get(0), "partialFingerprints",
              SarifReport.FINGERPRINT)));
    }

    @Test
    void aBaselineOfAnotherFileAcceptsNothing() throws IOException {
      Path a = file("a.sql", DENIED + ";\n");
      Path b = file("b.sql", DENIED + ";\n");
      Path baseline = dir.resolve("b.json");
      check("", "--write-baseline", baseline.toString(), a.toString());

      assertThat(check("", "--baseline", baseline.toString(), b.toString()).code()).isEqualTo(1);
    }

    @Test
    void aMissingOrForeignBaselineIsAnError() throws IOException {
      CliRun missing = check(DENIED, "--baseline", dir.resolve("none.json").toString());
      Path foreign = file("foreign.json", "{\"version\": 3, \"items\": []}");
      CliRun wrong = check(DENIED, "--baseline", foreign.toString());

      assertThat(missing.code()).isEqualTo(2);
      assertThat(missing.err()).contains("none.json: no such baseline file");
      assertThat(wrong.code()).isEqualTo(2);
      assertThat(wrong.err()).contains("foreign.json: not an iamguard baseline");
    }

    @Test
    void noSecretReachesTheBaseline() throws IOException {
      Path script = file("keys.sql", "copy t from 's3://acmedata/redshift/x' access_key_id 'AKIAIOSFODNN7EXAMPLE' "
          + "secret_access_key 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';\n");
      Path baseline = dir.resolve("b.json");

      check("", "--write-baseline", baseline.toString(), script.toString());

      assertThat(Files.readString(baseline)).contains("STATIC_KEYS").doesNotContain("AKIA", "wJalr");
      assertThat(Baseline.fingerprint("f", new dev.iamguard.policy.Finding(dev.iamguard.policy.RuleId.STATIC_KEYS,
          "m", null, "r", 0), "copy t from 'x' access_key_id 'AKIAIOSFODNN7EXAMPLE'"))
          .isEqualTo(Baseline.fingerprint("f", new dev.iamguard.policy.Finding(dev.iamguard.policy.RuleId.STATIC_KEYS,
              "m", null, "r", 0), "copy t from 'x' access_key_id 'AKIAOTHERKEYEXAMPLE0'"));
    }
  }

  @Test
  void helpIsASubcommandToo() {
    CliRun help = CliRun.of("help", "check");

    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Usage: iamguard check", "--fail-on", "--baseline", "--quiet");
    assertThat(CliRun.of("help").out()).contains("explain", "check", "rewrite", "run", "help");
  }

  @Test
  void versionIsTheProjectsVersion() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    String version = pom.substring(pom.indexOf("<version>") + 9, pom.indexOf("</version>"));

    CliRun run = CliRun.of("--version");

    assertThat(run.code()).isZero();
    assertThat(run.out().strip()).isEqualTo("iamguard " + version);
  }

  /**
   * {@code -V} on a subcommand printed nothing, ran nothing and exited 0 (its standard options had
   * no version to print): {@code check -V ...}, a typo for {@code -v} in a CI job, passed a script
   * with denied statements. Every subcommand now refuses the option as a usage error.
   */
  @Test
  void noSubcommandTakesTheVersionOptionInsteadOfItsWork() {
    String registry = "samples/registry.yaml";
    String denied = "samples/etl/03_denied.sql";
    List<List<String>> commands = List.of(
        List.of("check", "--registry", registry, "--user", "user1", denied),
        List.of("explain", denied),
        List.of("rewrite", "--registry", registry, "--user", "user1", "--diff", denied),
        List.of("run", "--url", "jdbc:iamguard:h2:mem:version", "--registry", registry, "--user", "user1", denied),
        List.of("suggest", "--registry", registry, "--user", "user1", denied),
        List.of("registry", "validate", registry),
        List.of("registry", "schema"),
        List.of("access", "--registry", registry));
    for (List<String> command : commands) {
      for (String option : List.of("-V", "--version")) {
        List<String> args = new java.util.ArrayList<>(command);
        args.add(command.get(0).equals("registry") ? 2 : 1, option);

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.ERROR);
        assertThat(run.out()).as(String.join(" ", args)).isEmpty();
        assertThat(run.err()).as(String.join(" ", args)).contains("Unknown option: '" + option + "'");
      }
    }
    assertThat(CliRun.of("check", "--help").out()).doesNotContain("--version");
  }

  @Test
  void theRewriteLineNamesTheValueAsWrittenAndAsSent() {
    assertThat(check("copy t from 's3://acmedata/redshift/x' iam_role 'copy-unload' csv").out())
        .startsWith("-:1:1: REWRITE COPY IAM_ROLE 'copy-unload' -> '" + COPY_UNLOAD + "'\n");
  }
}
