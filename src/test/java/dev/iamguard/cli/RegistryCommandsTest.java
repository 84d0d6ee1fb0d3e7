package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code registry import|validate|schema|diff} and {@code access} as a script sees them: exit codes
 * (0 clean, 1 warnings or access gained, 2 usage, registry or input error), JSON shapes, files written.
 */
class RegistryCommandsTest {
  private static final String SAMPLE = "samples/registry.yaml";
  private static final String SEED = "src/test/resources/awscli/seed/";

  @TempDir
  Path dir;

  private Path sampleWith(String from, String to) throws IOException {
    String text = Files.readString(Path.of(SAMPLE));
    assertThat(text).contains(from);
    return Files.writeString(dir.resolve("edited.yaml"), text.replace(from, to));
  }

  @Test
  void validateACleanRegistryExitsZero() {
    CliRun run = CliRun.of("registry", "validate", SAMPLE);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(SAMPLE + ": loads; 0 warnings\n");
  }

  @Test
  void validateWarningsExitOneWithFileLineAndCode() throws IOException {
    Path edited = sampleWith("alias: copy-unload", "alias: RoleA");
    CliRun run = CliRun.of("registry", "validate", edited.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).startsWith(edited + ":17: warning ALIAS_SHADOWS_ROLE roles[0].alias: alias \"RoleA\"")
        .endsWith(edited + ": loads; 1 warning\n");
    Map<String, Object> json = CliRun.of("registry", "validate", "--format", "json", edited.toString()).json();
    assertThat(json).containsEntry("file", edited.toString()).containsEntry("summary", Map.of("warnings", 1));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> warnings = (List<Map<String, Object>>) json.get("warnings");
    assertThat(warnings).singleElement().satisfies(w -> assertThat(w).containsEntry("code", "ALIAS_SHADOWS_ROLE")
        .containsEntry("line", 17).containsEntry("path", "roles[0].alias"));
  }

  @Test
  void validateARegistryThatDoesNotLoadExitsTwoNamingLineAndField() throws IOException {
    Path broken = sampleWith("s3_read: [\"s3://acmedata/redshift/\"]", "s3_read: [\"acmedata/redshift/\"]");
    CliRun run = CliRun.of("registry", "validate", broken.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(broken + ":25: roles[0].allow.s3_read[0]");
    assertThat(CliRun.of("registry", "validate", dir.resolve("missing.yaml").toString()).code()).isEqualTo(2);
    assertThat(CliRun.of("registry", "validate", "--format", "sarif", SAMPLE).code()).isEqualTo(2);
    assertThat(CliRun.of("registry").code()).isEqualTo(2);
  }

  @Test
  void schemaPrintsTheShippedSchema() {
    CliRun run = CliRun.of("registry", "schema");
    assertThat(run.code()).isZero();
    assertThat(run.json()).containsEntry("$schema", "https://json-schema.org/draft/2020-12/schema")
        .containsKey("$defs");
  }

  @Test
  void importToStandardOutputOrToAFolderThatThenLoadsAndValidates() throws IOException {
    Path out = dir.resolve("imported");
    CliRun run = CliRun.of("registry", "import", "--iam", SEED + "account-123456789012.json",
        SEED + "account-210987654321.json", "--redshift", SEED + "describe-clusters.json", "--grants",
        SEED + "svv_iam_privileges.csv", "--keep", SAMPLE, "--out", out.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("OldCopyRole is removing").contains("wrote " + out.resolve("registry.yaml"));
    assertThat(out.resolve("iam/123456789012/RoleA/trust.json")).exists();

    CliRun validate = CliRun.of("registry", "validate", out.resolve("registry.yaml").toString());
    // OldCopyRole is imported (it has its documents) but attached to no cluster any more: no one can use it
    assertThat(validate.code()).isEqualTo(1);
    assertThat(validate.out()).contains("warning ROLE_UNUSABLE roles[0]: no one can use "
        + "arn:aws:iam::123456789012:role/OldCopyRole").contains("loads; 1 warning");

    // the same decisions, rule ids and SQL sent (messages may say "trust document" where the sample says "trust")
    for (String user : List.of("user1", "user2", "user3", "etl_bot")) {
      CliRun check = CliRun.of("check", "--registry", out.resolve("registry.yaml").toString(), "--user", user,
          "--format", "json", "samples/etl");
      CliRun handWritten = CliRun.of("check", "--registry", SAMPLE, "--user", user, "--format", "json", "samples/etl");
      assertThat(check.code()).isEqualTo(handWritten.code());
      assertThat(decisions(check)).as(user).isEqualTo(decisions(handWritten)).hasSizeGreaterThan(15);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> decisions(CliRun run) {
    return ((List<Map<String, Object>>) run.json().get("statements")).stream()
        .map(s -> s.get("file") + ":" + s.get("line") + " " + s.get("decision") + " "
            + ((List<Map<String, Object>>) s.get("findings")).stream().map(f -> f.get("rule")).toList() + " " + s.get("sql"))
        .toList();
  }

  @Test
  void importWithoutOutPrintsOneSelfContainedRegistry() throws IOException {
    CliRun run = CliRun.of("registry", "import", "--iam", SEED + "account-123456789012.json",
        SEED + "account-210987654321.json", "--redshift", SEED + "describe-clusters.json", "--grants",
        SEED + "svv_iam_privileges.csv", "--keep", SAMPLE);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("# Imported by iamguard registry import").contains("Statement:")
        .doesNotContain(".json\n");
    assertThat(run.err()).contains("OldCopyRole is removing").doesNotContain("wrote");
    // the printed registry, saved anywhere, decides as the hand-written one
    Path saved = Files.writeString(dir.resolve("elsewhere.yaml"), run.out());
    for (String user : List.of("user1", "user2")) {
      assertThat(decisions(CliRun.of("check", "--registry", saved.toString(), "--user", user, "--format", "json",
          "samples/etl"))).isEqualTo(decisions(CliRun.of("check", "--registry", SAMPLE, "--user", user, "--format",
          "json", "samples/etl")));
    }
  }

  @Test
  void importProblemsExitTwoAndWriteNothing() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"RoleDetailList\": [{\"RoleName\": \"R\"}]}");
    Path out = dir.resolve("never");
    CliRun run = CliRun.of("registry", "import", "--iam", bad.toString(), "--redshift", SEED + "describe-clusters.json",
        "--out", out.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("nothing was written").contains(bad + ": RoleDetailList[0].Arn: missing");
    assertThat(out).doesNotExist();
    assertThat(CliRun.of("registry", "import", "--redshift", SEED + "describe-clusters.json").code()).isEqualTo(2);
    assertThat(CliRun.of("registry", "import", "--iam", dir.resolve("none.json").toString()).code()).isEqualTo(2);
  }

  @Test
  void accessInTextJsonAndHtml() {
    CliRun text = CliRun.of("access", "--registry", SAMPLE);
    assertThat(text.code()).isZero();
    assertThat(text.out()).startsWith("cluster | user or group | role or chain | command | resource\n")
        .contains("my-cluster | user1 | arn:aws:iam::123456789012:role/RedshiftCopyUnload | COPY | s3://acmedata/redshift/\n");

    Map<String, Object> json = CliRun.of("access", "--registry", SAMPLE, "--format", "json").json();
    assertThat(json).containsKeys("registry", "principals", "paths", "access", "summary");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> access = (List<Map<String, Object>>) json.get("access");
    assertThat(access).contains(Map.of("cluster", "my-cluster", "principal", "user1",
        "auth", "arn:aws:iam::123456789012:role/RedshiftCopyUnload",
        "roles", List.of("arn:aws:iam::123456789012:role/RedshiftCopyUnload"), "command", "COPY",
        "resource_kind", "s3_read", "resource", "s3://acmedata/redshift/"));
    long lines = text.out().lines().count();
    assertThat(access).hasSize((int) lines - 2);

    CliRun html = CliRun.of("access", "--registry", SAMPLE, "--format", "html");
    assertThat(html.code()).isZero();
    assertThat(html.out()).startsWith("<!DOCTYPE html>").contains("<svg").contains("s3://acmedata/redshift/")
        .contains("RoleB")
        // self-contained: nothing fetched (the only URL is the SVG namespace)
        .doesNotContain("src=").doesNotContain("<link").doesNotContain("href=\"http").doesNotContain("url(")
        .endsWith("</html>\n");
  }

  @Test
  void diffExitsOneOnGainedAccessOnly() throws IOException {
    Path wide = sampleWith("s3_read: [\"s3://acmedata/redshift/\"]", "s3_read: [\"s3://acmedata/\"]");
    CliRun same = CliRun.of("registry", "diff", SAMPLE, SAMPLE);
    assertThat(same.code()).isZero();
    assertThat(same.out()).isEqualTo("0 gained, 0 lost\n");

    CliRun gained = CliRun.of("registry", "diff", SAMPLE, wide.toString());
    assertThat(gained.code()).isEqualTo(1);
    assertThat(gained.out()).contains("+ my-cluster | user1 | arn:aws:iam::123456789012:role/RedshiftCopyUnload"
        + " | COPY | s3://acmedata/\n").endsWith(" gained, 0 lost\n");

    CliRun lost = CliRun.of("registry", "diff", "--format", "json", wide.toString(), SAMPLE);
    assertThat(lost.code()).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Object> summary = (Map<String, Object>) lost.json().get("summary");
    assertThat(summary).containsEntry("gained", 0);
    assertThat((Integer) summary.get("lost")).isPositive();

    assertThat(CliRun.of("registry", "diff", SAMPLE).code()).isEqualTo(2);
    assertThat(CliRun.of("registry", "diff", SAMPLE, dir.resolve("none.yaml").toString()).code()).isEqualTo(2);
  }
}
