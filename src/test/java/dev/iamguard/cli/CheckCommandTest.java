package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.RuleId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code iamguard check} as CLI.md defines it: JSON, SARIF and text reports, and the exit codes. */
class CheckCommandTest {
  static final String REGISTRY = "samples/registry.yaml";
  static final String COPY_UNLOAD = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  static final String CHAIN = "arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB";

  /** Three statements: allowed (line 2), rewritten (line 4), denied (line 6, clause on line 8). */
  static final String SCRIPT = "-- nightly\nselect 1;\n\ncopy sales from 's3://acmedata/redshift/sales/' iam_role 'copy-unload';\n"
      + "\nunload ('select * from users')\nto 's3://acmedata/exports/users_'\n  iam_role '" + COPY_UNLOAD + "';\n";

  @TempDir
  Path dir;

  /** samples/registry.yaml with policy.dynamic_sql: warn. */
  String warnRegistry() throws IOException {
    String registry = Files.readString(Path.of(REGISTRY));
    assertThat(registry).contains("dynamic_sql: deny");
    return script("warn-registry.yaml", registry.replace("dynamic_sql: deny", "dynamic_sql: warn")).toString();
  }

  Path script(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  static CliRun check(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "check";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRun.of(all);
  }

  @SuppressWarnings("unchecked")
  static <T> T at(Object json, Object... path) {
    Object node = json;
    for (Object step : path) {
      node = step instanceof Integer i ? ((List<Object>) node).get(i) : ((Map<String, Object>) node).get(step);
    }
    return (T) node;
  }

  @Nested
  class Json {
    @Test
    void matchesTheContractOfCliMd() throws IOException {
      Path file = script("etl/load.sql", SCRIPT);

      CliRun run = check("--registry", REGISTRY, "--user", "user1", "--format", "json", file.toString());

      assertThat(run.code()).isEqualTo(1);
      Map<String, Object> json = run.json();
      List<Map<String, Object>> statements = at(json, "statements");
      assertThat(statements).hasSize(3);
      assertThat(statements.get(0)).containsEntry("file", file.toString()).containsEntry("index", 1)
          .containsEntry("line", 2).containsEntry("column", 1).containsEntry("command", "OTHER")
          .containsEntry("decision", "ALLOW").containsEntry("findings", List.of()).containsEntry("sql", "select 1");
      assertThat(statements.get(1)).containsEntry("index", 2).containsEntry("line", 4).containsEntry("command", "COPY")
          .containsEntry("decision", "REWRITE").containsEntry("findings", List.of())
          .containsEntry("sql", "copy sales from 's3://acmedata/redshift/sales/' iam_role '" + COPY_UNLOAD + "'");
      Map<String, Object> denied = statements.get(2);
      assertThat(denied).containsEntry("index", 3).containsEntry("line", 6).containsEntry("column", 1)
          .containsEntry("command", "UNLOAD").containsEntry("decision", "DENY")
          .containsEntry("sql", "unload ('select * from users')\nto 's3://acmedata/exports/users_'\n  iam_role '"
              + COPY_UNLOAD + "'");
      List<Map<String, Object>> findings = at(denied, "findings");
      assertThat(findings).singleElement().satisfies(f -> {
        assertThat(f).containsOnlyKeys("rule", "severity", "message")
            .containsEntry("rule", "S3_NOT_PERMITTED").containsEntry("severity", "error");
        assertThat((String) f.get("message")).startsWith("iamguard: S3_NOT_PERMITTED in statement 3 (line 6, UNLOAD)")
            .contains(COPY_UNLOAD, "s3://acmedata/exports/users_", "Remedy: ");
      });
      assertThat((Map<String, Object>) at(json, "summary")).containsExactly(Map.entry("statements", 3),
          Map.entry("allowed", 1), Map.entry("rewritten", 1), Map.entry("denied", 1));
      assertThat(run.err()).isEmpty();
    }

    @Test
    void everyStatementOfEveryFileIsListedAndCounted() throws IOException {
      script("b/1.sql", "select 1; select 2");
      script("b/2.sql", "copy t from 's3://acmedata/redshift/x' iam_role default");

      CliRun run = check("--registry", REGISTRY, "--user", "user1", "--format", "json", dir.resolve("b").toString());

      assertThat(run.code()).isZero();
      List<Map<String, Object>> statements = at(run.json(), "statements");
      assertThat(statements).extracting(s -> Path.of((String) s.get("file")).getFileName().toString() + "#" + s.get("index"))
          .containsExactly("1.sql#1", "1.sql#2", "2.sql#1");
      assertThat((Map<String, Object>) at(run.json(), "summary")).containsEntry("statements", 3)
          .containsEntry("allowed", 3).containsEntry("rewritten", 0).containsEntry("denied", 0);
    }

    @Test
    void aWarningIsListedWithSeverityWarningAndDoesNotDeny() throws IOException {
      String procedure = "create procedure p(src varchar) as $$ begin execute 'copy t from ''' || src || ''' "
          + "iam_role default'; end; $$ language plpgsql";
      CliRun run = CliRun.withStdin(procedure, "check", "--registry", warnRegistry(), "--user", "user1", "--format", "json");

      assertThat(run.code()).isZero();
      Map<String, Object> statement = at(run.json(), "statements", 0);
      assertThat(statement).containsEntry("file", "-").containsEntry("decision", "ALLOW");
      assertThat((Map<String, Object>) at(statement, "findings", 0)).containsEntry("rule", "AUTH_DYNAMIC")
          .containsEntry("severity", "warning");

      CliRun denied = CliRun.withStdin(procedure, "check", "--registry", REGISTRY, "--user", "user1", "--format", "json");
      assertThat(denied.code()).isEqualTo(1);
      assertThat((Map<String, Object>) at(denied.json(), "statements", 0, "findings", 0))
          .containsEntry("rule", "AUTH_DYNAMIC").containsEntry("severity", "error");
    }
  }

  @Nested
  class Sarif {
    /** A registry switch that makes an unverifiable statement deny shows as an error result. */
    @Test
    void aResultTakesItsFindingsSeverity() throws IOException {
      Path registry = dir.resolve("deny-jobs.yaml");
      Files.writeString(registry, Files.readString(Path.of(REGISTRY)).replace("copy_job_run: warn", "copy_job_run: deny"));
      Path file = script("jobs.sql", "copy job run load_t;\n");

      CliRun denied = check("--registry", registry.toString(), "--user", "user1", "--format", "sarif", file.toString());
      CliRun warned = check("--registry", REGISTRY, "--user", "user1", "--format", "sarif", file.toString());

      assertThat(denied.code()).isEqualTo(1);
      List<Map<String, Object>> runs = at(denied.json(), "runs");
      List<Map<String, Object>> results = at(runs.get(0), "results");
      assertThat(results).extracting(r -> r.get("level")).containsExactly("error");
      assertThat(warned.code()).isZero();
      assertThat(warned.out()).contains("\"level\":\"warning\"");
    }

    @Test
    void isSarif210WithOneResultPerFinding() throws IOException {
      Path file = script("etl/load.sql", SCRIPT + "copy listing from 's3://acmedata/redshift/listing/'\n"
          + "access_key_id 'AKIAIOSFODNN7EXAMPLE' secret_access_key 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';\n");

      CliRun run = check("--registry", REGISTRY, "--user", "user1", "--format", "sarif", file.toString());

      assertThat(run.code()).isEqualTo(1);
      Map<String, Object> sarif = run.json();
      assertThat(sarif).containsEntry("version", "2.1.0");
      assertThat((String) sarif.get("$schema")).contains("sarif-2.1.0");
      List<Map<String, Object>> runs = at(sarif, "runs");
      assertThat(runs).hasSize(1);
      assertThat((String) at(runs.get(0), "tool", "driver", "name")).isEqualTo("iamguard");
      List<Map<String, Object>> rules = at(runs.get(0), "tool", "driver", "rules");
      assertThat(rules).extracting(r -> r.get("id"))
          .containsExactlyElementsOf(Arrays.stream(RuleId.values()).map(Enum::name).toList());
      assertThat(rules).allSatisfy(r -> assertThat((String) at(r, "shortDescription", "text")).isNotBlank());

      List<Map<String, Object>> results = at(runs.get(0), "results");
      assertThat(results).extracting(r -> r.get("ruleId"))
          .containsExactly("S3_NOT_PERMITTED", "STATIC_KEYS", "LONG_TERM_KEYS");
      for (Map<String, Object> result : results) {
        assertThat(result.get("level")).isEqualTo("error");
        assertThat((String) at(result, "message", "text")).startsWith("iamguard: " + result.get("ruleId"));
        assertThat(rules.get((Integer) result.get("ruleIndex")).get("id")).isEqualTo(result.get("ruleId"));
        List<Map<String, Object>> locations = at(result, "locations");
        assertThat(locations).hasSize(1);
        // outside the working folder (%SRCROOT%): an absolute file URI
        assertThat((Map<String, Object>) at(locations.get(0), "physicalLocation", "artifactLocation"))
            .containsExactly(Map.entry("uri", "file://" + file));
      }
      assertThat((Map<String, Object>) at(results.get(0), "locations", 0, "physicalLocation", "region"))
          .containsEntry("startLine", 8).containsEntry("startColumn", 3);
      assertThat((Map<String, Object>) at(results.get(1), "locations", 0, "physicalLocation", "region"))
          .containsEntry("startLine", 10).containsEntry("startColumn", 1);
      assertThat(run.out()).doesNotContain("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI");
    }

    @Test
    void aWarningIsAResultOfLevelWarning() throws IOException {
      CliRun run = CliRun.withStdin("select 1;\ncreate procedure p(src varchar) as $$\nbegin\n  execute 'copy t from ''' || src "
          + "|| ''' iam_role default';\nend; $$ language plpgsql", "check", "--registry", warnRegistry(), "--user", "user1",
          "--format", "sarif");

      assertThat(run.code()).isZero();
      Map<String, Object> result = at(run.json(), "runs", 0, "results", 0);
      assertThat(result).containsEntry("ruleId", "AUTH_DYNAMIC").containsEntry("level", "warning");
      assertThat((Map<String, Object>) at(result, "locations", 0, "physicalLocation", "region"))
          .containsEntry("startLine", 4).containsEntry("startColumn", 11);
      assertThat((String) at(result, "locations", 0, "physicalLocation", "artifactLocation", "uri")).isEqualTo("-");
    }

    @Test
    void aCleanScriptHasNoResults() {
      CliRun run = CliRun.withStdin("select 1", "check", "--registry", REGISTRY, "--user", "user1", "--format", "sarif");

      assertThat(run.code()).isZero();
      assertThat((List<Object>) at(run.json(), "runs", 0, "results")).isEmpty();
    }
  }

  @Nested
  class Text {
    @Test
    void oneLinePerFindingAndASummary() throws IOException {
      Path file = script("load.sql", SCRIPT);

      CliRun run = check("--registry", REGISTRY, "--user", "user1", file.toString());

      assertThat(run.code()).isEqualTo(1);
      List<String> lines = run.out().lines().toList();
      assertThat(lines).filteredOn(l -> l.contains(": DENY ")).singleElement().asString()
          .startsWith(file + ":8:3: DENY S3_NOT_PERMITTED role " + COPY_UNLOAD + " may not write s3://acmedata/");
      assertThat(lines).filteredOn(l -> l.contains(": REWRITE ")).singleElement().asString()
          .isEqualTo(file + ":4:1: REWRITE COPY IAM_ROLE 'copy-unload' -> '" + COPY_UNLOAD + "'");
      assertThat(lines).last().isEqualTo("3 statements: 1 allowed, 1 rewritten, 1 denied");
    }

    /** Issue 16: a line names the rule once and one place, and stays within 160 characters. */
    @Test
    void aLineNamesTheRuleOnceAndOnePlaceWithinTheWidth() throws IOException {
      Path file = script("a-rather-long-folder-name/and-a-long-file-name-too.sql", SCRIPT);

      CliRun run = check("--registry", REGISTRY, "--user", "user1", file.toString(), "samples/etl");

      List<String> findings = run.out().lines().filter(l -> l.contains(": DENY ") || l.contains(": WARN ")).toList();
      assertThat(findings).hasSizeGreaterThan(5).allSatisfy(line -> {
        assertThat(line.length()).isLessThanOrEqualTo(FindingText.WIDTH);
        String rule = line.split(" ")[2];
        assertThat(line.indexOf(rule)).isEqualTo(line.lastIndexOf(rule));
        assertThat(line).doesNotContain("iamguard:", "(line ", "in statement", "Remedy:");
      });
      assertThat(run.out().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(FindingText.WIDTH));
    }

    /** --verbose: the whole problem when the line had to cut it, and the remedy, on indented lines. */
    @Test
    void verboseAddsTheWholeProblemAndTheRemedy() throws IOException {
      Path file = script("load.sql", SCRIPT);

      List<String> lines = check("--registry", REGISTRY, "--user", "user1", "--verbose", file.toString())
          .out().lines().toList();

      int denial = lines.indexOf(lines.stream().filter(l -> l.contains(": DENY ")).findFirst().orElseThrow());
      assertThat(lines.get(denial)).endsWith("...");
      assertThat(lines.get(denial + 1)).startsWith("    why: role " + COPY_UNLOAD)
          .endsWith("its s3_write prefixes are [s3://acmedata/redshift/unload/]");
      assertThat(lines.get(denial + 2)).startsWith("    remedy: write under a permitted prefix");
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("    sent as: copy sales from"));
    }

    /** A finding inside a procedure body is located where the body's statement is in the file. */
    @Test
    void findingsInProcedureBodiesPointAtTheirLineInTheFile() throws IOException {
      Path file = script("procs.sql", "select 1; -- " + "a long comment ".repeat(30) + "\n"
          + "create procedure p() as '\nbegin\n\n\n\n"
          + "  copy t from ''s3://acmedata/secret/x'' iam_role ''" + COPY_UNLOAD + "'';\nend;' language plpgsql;\n"
          + "create procedure q() as $$\nbegin\n"
          + "  copy t from 's3://acmedata/secret/x' iam_role '" + COPY_UNLOAD + "';\nend;$$ language plpgsql;\n");

      CliRun run = check("--registry", REGISTRY, "--user", "user1", file.toString());

      List<String> denials = run.out().lines().filter(l -> l.contains(": DENY ")).toList();
      assertThat(denials).hasSize(2);
      assertThat(denials.get(0)).startsWith(file + ":7:40: DENY S3_NOT_PERMITTED role " + COPY_UNLOAD);
      assertThat(denials.get(1)).startsWith(file + ":11:40: DENY S3_NOT_PERMITTED role " + COPY_UNLOAD);
      // the message (JSON, SARIF) names the body's statement and the procedure
      List<Map<String, Object>> statements = at(check("--registry", REGISTRY, "--user", "user1", "--format", "json",
          file.toString()).json(), "statements");
      assertThat(statements.stream().flatMap(s -> CheckCommandTest.<List<Map<String, Object>>>at(s, "findings").stream())
          .map(f -> (String) f.get("message")).toList())
          .anySatisfy(m -> assertThat(m).contains(
              "in statement 1 (line 7, COPY) of the body of statement 2 (line 2, CREATE_PROCEDURE)"))
          .anySatisfy(m -> assertThat(m).contains(
              "in statement 1 (line 11, COPY) of the body of statement 3 (line 9, CREATE_PROCEDURE)"));
      CliRun sarif = check("--registry", REGISTRY, "--user", "user1", "--format", "sarif", file.toString());
      List<Map<String, Object>> results = at(sarif.json(), "runs", 0, "results");
      assertThat(results).extracting(r -> at(r, "locations", 0, "physicalLocation", "region", "startLine"))
          .containsExactly(7, 11);
    }

    /** Offsets inside a single-quoted body do not map back to the script: such findings point at the body. */
    @Test
    void findingsOfASingleQuotedBodyItselfPointAtTheBody() throws IOException {
      String procedure = "create procedure p() as\n  '\nbegin\n  %s;\nend;' language plpgsql;\n";
      String padding = "select 1; -- " + "a long comment ".repeat(30) + "\n";
      Path dynamic = script("dynamic.sql", padding
          + procedure.formatted("execute ''copy t from '' || src"));
      Path unreadable = script("unreadable.sql", padding + procedure.formatted("select 1 from t where iam_role ''x''"));

      assertThat(check("--registry", REGISTRY, "--user", "user1", dynamic.toString()).out().lines()
          .filter(l -> l.startsWith(dynamic + ":"))).singleElement().asString()
          .startsWith(dynamic + ":3:3: DENY AUTH_DYNAMIC ");
      assertThat(check("--registry", REGISTRY, "--user", "user1", unreadable.toString()).out().lines()
          .filter(l -> l.startsWith(unreadable + ":"))).singleElement().asString()
          .startsWith(unreadable + ":3:3: DENY AUTH_UNPARSEABLE ");
    }

    @Test
    void aCleanScriptPrintsOnlyTheSummary() {
      CliRun run = CliRun.withStdin("select 1;\ncopy t from 's3://acmedata/redshift/x' iam_role default",
          "check", "--registry", REGISTRY, "--user", "user1");

      assertThat(run.code()).isZero();
      assertThat(run.out().lines()).containsExactly("2 statements: 2 allowed, 0 rewritten, 0 denied");
    }
  }

  /** CLI.md: "2 = usage, registry or I/O error (the message names the file and, for a registry, the line and field)". */
  @Nested
  class ExitStatus {
    @Test
    void zeroWhenNothingIsDeniedAndOneWhenSomethingIs() {
      assertThat(CliRun.withStdin("select 1", "check", "--registry", REGISTRY, "--user", "user1").code()).isZero();
      assertThat(CliRun.withStdin("copy t from 's3://x/y' iam_role default", "check", "--registry", REGISTRY,
          "--user", "user1").code()).isEqualTo(1);
    }

    @Test
    void aMissingRegistryFile() {
      CliRun run = check("--registry", dir.resolve("nope.yaml").toString(), "--user", "user1", "-");

      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).contains("nope.yaml", "no such registry file");
      assertThat(run.out()).isEmpty();
    }

    @Test
    void aRegistryWithAnErrorNamesFileLineAndField() throws IOException {
      Path registry = script("bad.yaml", "version: 1\nclusters:\n  - id: my-cluster\n    account: \"1234\"\n"
          + "    region: us-west-2\n");

      CliRun run = CliRun.withStdin("select 1", "check", "--registry", registry.toString(), "--user", "user1");

      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).contains(registry + ":4: clusters[0].account");
      assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnknownCluster() {
      CliRun run = CliRun.withStdin("select 1", "check", "--registry", REGISTRY, "--user", "user1", "--cluster", "other");

      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).contains("--cluster other", "my-cluster");
    }

    @Test
    void noClusterWithATwoClusterRegistry() throws IOException {
      Path registry = script("two.yaml", Files.readString(Path.of(REGISTRY)).replace("\nroles:\n",
          "\n  - {id: other-cluster, account: \"123456789012\", region: us-east-1}\nroles:\n"));

      CliRun run = CliRun.withStdin("select 1", "check", "--registry", registry.toString(), "--user", "user1");
      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).contains("--cluster is required", "my-cluster", "other-cluster");

      CliRun named = CliRun.withStdin("select 1", "check", "--registry", registry.toString(), "--user", "user1",
          "--cluster", "other-cluster");
      assertThat(named.code()).isZero();
    }

    @Test
    void aMissingInputFile() {
      CliRun run = check("--registry", REGISTRY, "--user", "user1", dir.resolve("missing.sql").toString());

      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).contains("missing.sql: no such file or folder");
      assertThat(run.out()).isEmpty();
    }

    @Test
    void missingRequiredOptionsAreUsageErrors() {
      assertThat(CliRun.withStdin("select 1", "check", "--user", "user1").code()).isEqualTo(2);
      assertThat(CliRun.withStdin("select 1", "check", "--registry", REGISTRY).code()).isEqualTo(2);
      assertThat(CliRun.withStdin("select 1", "check", "--registry", REGISTRY, "--user", "u", "--format", "xml").code())
          .isEqualTo(2);
    }
  }

  @Test
  void groupsGivenOnTheCommandLineCountForGrants() {
    String chainCopy = "copy venue from 's3://companyb/redshift/venue_pipe_' iam_role '" + CHAIN + "'";

    assertThat(CliRun.withStdin(chainCopy, "check", "--registry", REGISTRY, "--user", "user2").code()).isEqualTo(1);
    assertThat(CliRun.withStdin(chainCopy, "check", "--registry", REGISTRY, "--user", "user2", "--group", "etl").code())
        .isZero();
  }

  /** The samples/etl scripts against samples/registry.yaml, as a reader of the seed expects them. */
  @Nested
  class SampleScripts {
    final CliRun run = check("--registry", REGISTRY, "--user", "user1", "--format", "json", "samples/etl");

    String decisionAt(String file, int line) {
      List<Map<String, Object>> statements = at(run.json(), "statements");
      Map<String, Object> statement = statements.stream()
          .filter(s -> s.get("file").equals("samples/etl/" + file) && s.get("line").equals(line))
          .findFirst().orElseThrow(() -> new AssertionError("no statement at " + file + ":" + line));
      List<Map<String, Object>> findings = at(statement, "findings");
      return statement.get("decision") + " " + findings.stream().map(f -> (String) f.get("rule")).toList();
    }

    @Test
    void theSeedsChainsAreAllowed() {
      assertThat(decisionAt("01_seed_chains.sql", 3)).isEqualTo("ALLOW []");
      assertThat(decisionAt("01_seed_chains.sql", 7)).isEqualTo("ALLOW []");
      assertThat(decisionAt("01_seed_chains.sql", 11)).isEqualTo("ALLOW []");
      assertThat(decisionAt("01_seed_chains.sql", 15)).isEqualTo("ALLOW []");
    }

    @Test
    void aliasesAndChainNamesAreRewrittenAndDefaultIsSentAsWritten() {
      assertThat(decisionAt("02_rewrites.sql", 2)).isEqualTo("REWRITE []");
      assertThat(decisionAt("02_rewrites.sql", 7)).isEqualTo("REWRITE []");
      assertThat(decisionAt("02_rewrites.sql", 13)).isEqualTo("ALLOW []");
    }

    @Test
    void eachDeniedStatementBreaksTheRuleItsCommentNames() {
      assertThat(decisionAt("03_denied.sql", 4)).isEqualTo("DENY [S3_NOT_PERMITTED]");
      // RoleB is not attached, trusts only RoleA's account (not Redshift), and the registry's grants cover
      // RoleB only inside the RoleA,RoleB chain
      assertThat(decisionAt("03_denied.sql", 10))
          .isEqualTo("DENY [ROLE_NOT_ATTACHED, REGION_NOT_TRUSTED, ASSUMEROLE_NOT_GRANTED]");
      assertThat(decisionAt("03_denied.sql", 15)).isEqualTo("DENY [CHAIN_FORMAT]");
      assertThat(decisionAt("03_denied.sql", 20)).isEqualTo("DENY [STATIC_KEYS, LONG_TERM_KEYS]");
    }

    @Test
    void theNightlyJobRewritesItsAliasAndDeniesItsExportOutsideThePrefix() {
      assertThat(decisionAt("nightly.sql", 13)).isEqualTo("REWRITE []");
      assertThat(decisionAt("nightly.sql", 19)).isEqualTo("ALLOW []");
      assertThat(decisionAt("nightly.sql", 30)).isEqualTo("ALLOW []");
      assertThat(decisionAt("nightly.sql", 36)).isEqualTo("DENY [S3_NOT_PERMITTED]");
    }

    @Test
    void theSummaryAndExitCode() {
      assertThat(run.code()).isEqualTo(1);
      // 01: 4 allowed; 02: 2 rewritten, 1 allowed; 03: 4 denied;
      // nightly: 3 CREATE TABLE, 1 COPY, 1 INSERT, 1 UNLOAD allowed, 1 COPY rewritten, 1 UNLOAD denied
      assertThat((Map<String, Object>) at(run.json(), "summary")).containsEntry("statements", 19)
          .containsEntry("allowed", 11).containsEntry("rewritten", 3).containsEntry("denied", 5);
      assertThat(run.out()).doesNotContain("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    }
  }
}
