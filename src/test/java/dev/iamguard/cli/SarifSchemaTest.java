package dev.iamguard.cli;

import static dev.iamguard.cli.CheckCommandTest.REGISTRY;
import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.iamguard.policy.RuleId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: SARIF as GitHub code scanning wants it, and valid against the SARIF 2.1.0 schema
 * (committed under src/test/resources/sarif, MIT licence).
 */
class SarifSchemaTest {
  static final Schema SARIF = load();

  @TempDir
  Path dir;

  static Schema load() {
    try (InputStream in = SarifSchemaTest.class.getResourceAsStream("/sarif/sarif-2.1.0-rtm.5.json")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(text, InputFormat.JSON);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void assertValid(String sarif) {
    assertThat(SARIF.validate(sarif, InputFormat.JSON)).as(sarif).isEmpty();
  }

  @Test
  void theSchemaRejectsWhatIsNotSarif() {
    assertThat(SARIF.validate("{\"version\": \"2.1.0\", \"runs\": [{\"results\": []}]}", InputFormat.JSON)).isNotEmpty();
  }

  @Test
  void theSamplesWithSuppressionsBaselineAndNotesAreValidSarif() throws IOException {
    Path script = Files.writeString(dir.resolve("s.sql"), "-- iamguard:allow S3_NOT_PERMITTED legacy\n"
        + "unload ('select 1') to 's3://acmedata/exports/x_' iam_role 'copy-unload';\n"
        + "-- iamguard:allow ROLE_UNKNOWN unused\nselect 1;\n-- iamguard:allow CHAIN_FORMAT\nselect 2;\n");
    Path baseline = dir.resolve("b.json");
    CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--write-baseline", baseline.toString(), "samples/etl");

    for (CliRun run : List.of(
        CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--format", "sarif", "samples/etl"),
        CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--format", "sarif", "--baseline",
            baseline.toString(), "samples/etl", script.toString()),
        CliRun.withStdin("select 1", "check", "--registry", REGISTRY, "--user", "user1", "--format", "sarif"))) {
      assertValid(run.out());
    }
  }

  @Property(tries = 40)
  void generatedScriptsGiveValidSarif(@ForAll("scripts") String script) {
    assertValid(CliRun.withStdin(script, "check", "--registry", REGISTRY, "--user", "user1", "--format", "sarif").out());
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> scripts() {
    return new StreamingCheckTest().scripts();
  }

  @Test
  @SuppressWarnings("unchecked")
  void whatGitHubCodeScanningReads() {
    CliRun run = CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--format", "sarif", "samples/etl");
    Map<String, Object> sarif = run.json();
    Map<String, Object> log = CheckCommandTest.at(sarif, "runs", 0);

    Map<String, Object> driver = CheckCommandTest.at(log, "tool", "driver");
    assertThat(driver).containsEntry("name", "iamguard").containsEntry("version", Main.Version.version());
    assertThat((String) driver.get("version")).doesNotContain("development");
    List<Map<String, Object>> rules = (List<Map<String, Object>>) driver.get("rules");
    assertThat(rules).hasSize(RuleId.values().length).allSatisfy(rule -> {
      assertThat((String) rule.get("helpUri")).startsWith("https://").endsWith("#rules");
      Map<String, Object> properties = (Map<String, Object>) rule.get("properties");
      assertThat(Double.parseDouble((String) properties.get("security-severity"))).isBetween(0.1, 10.0);
      assertThat((List<String>) properties.get("tags")).contains("security");
    });
    assertThat(rules).filteredOn(r -> r.get("id").equals("STATIC_KEYS")).singleElement()
        .satisfies(r -> assertThat(CheckCommandTest.<String>at(r, "properties", "security-severity")).isEqualTo("9.0"));
    assertThat(rules).filteredOn(r -> r.get("id").equals("COPY_JOB_UNCHECKED")).singleElement()
        .satisfies(r -> assertThat(CheckCommandTest.<String>at(r, "properties", "security-severity")).isEqualTo("3.0"));
    // issue 10: AUTH_DYNAMIC denies by default (policy.dynamic_sql: warn lowers it per finding)
    assertThat(rules).filteredOn(r -> r.get("id").equals("AUTH_DYNAMIC")).singleElement()
        .satisfies(r -> assertThat(CheckCommandTest.<String>at(r, "properties", "security-severity")).isEqualTo("5.0"))
        .satisfies(r -> assertThat(CheckCommandTest.<String>at(r, "defaultConfiguration", "level")).isEqualTo("error"));

    assertThat(CheckCommandTest.<String>at(log, "originalUriBaseIds", SarifReport.SRCROOT, "uri"))
        .isEqualTo(Path.of("").toAbsolutePath().toUri().toString()).endsWith("/");
    List<Map<String, Object>> results = (List<Map<String, Object>>) log.get("results");
    assertThat(results).hasSize(8).allSatisfy(result -> {
      Map<String, Object> artifact = CheckCommandTest.at(result, "locations", 0, "physicalLocation", "artifactLocation");
      assertThat(artifact).containsEntry("uriBaseId", SarifReport.SRCROOT);
      assertThat((String) artifact.get("uri")).startsWith("samples/etl/").endsWith(".sql");
      assertThat(CheckCommandTest.<String>at(result, "message", "text")).startsWith("iamguard: " + result.get("ruleId"));
      assertThat(CheckCommandTest.<String>at(result, "partialFingerprints", SarifReport.FINGERPRINT)).hasSize(32);
    });
  }
}
