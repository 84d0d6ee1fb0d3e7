package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kept registry hands the import its aliases and the sections AWS does not know, and every role
 * ARN those sections name (chains, external schemas, grants, comma-separated chains too), so the
 * import keeps those roles; a registry that does not load hands over nothing and says why.
 */
class KeptRegistryTest {
  private static final String A = "arn:aws:iam::123456789012:role/RoleA";
  private static final String B = "arn:aws:iam::210987654321:role/RoleB";
  private static final String SPECTRUM = "arn:aws:iam::123456789012:role/Spectrum";
  private static final String GRANTED = "arn:aws:iam::123456789012:role/Granted";

  private static final String REGISTRY = """
      version: 1
      clusters:
        - id: c1
          account: "123456789012"
          region: us-west-2
          attached_roles: [%1$s, %3$s, %4$s]
      roles:
        - arn: %1$s
          alias: loader
          trust: { regions: [us-west-2] }
          allow: { assume: [%2$s] }
        - arn: %2$s
          trust: { principals: [%1$s] }
          allow: { s3_read: ["s3://companyb/x/"] }
        - arn: %3$s
          trust: { regions: [us-west-2] }
        - arn: %4$s
          alias: granted
          trust: { regions: [us-west-2] }
      chains:
        companyb: [%1$s, %2$s]
      external_schemas:
        spectrum: { iam_role: "%3$s", cluster: c1 }
      grants:
        - on: ["%1$s,%2$s", "%4$s"]
          to: [user1]
          for: [COPY]
      users:
        etl_bot: { groups: [etl] }
      policy:
        mode: audit
      """.formatted(A, B, SPECTRUM, GRANTED);

  @Test
  void takesAliasesSectionsAndTheRolesTheyName(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("kept.yaml");
    Files.writeString(file, REGISTRY);
    List<String> problems = new ArrayList<>();
    KeptRegistry kept = KeptRegistry.read(file, problems);
    assertThat(problems).isEmpty();
    assertThat(kept.aliases()).containsExactly(
        org.assertj.core.api.Assertions.entry(RegistryImport.key(A), "loader"),
        org.assertj.core.api.Assertions.entry(RegistryImport.key(GRANTED), "granted"));
    assertThat(kept.sections().keySet()).containsExactly("chains", "grants", "users", "external_schemas", "policy");
    // aliases first, then chains (RoleB), external schemas (Spectrum; the cluster id is no ARN), grants
    assertThat(kept.namedRoles()).containsExactly(RegistryImport.key(A), RegistryImport.key(GRANTED),
        RegistryImport.key(B), RegistryImport.key(SPECTRUM));
  }

  @Test
  void eachSectionNamesItsOwnRoles(@TempDir Path dir) throws Exception {
    // without aliases, each section alone brings its roles
    Path file = dir.resolve("kept.yaml");
    Files.writeString(file, REGISTRY.replace("alias: loader", "").replace("alias: granted", ""));
    KeptRegistry kept = KeptRegistry.read(file, new ArrayList<>());
    assertThat(kept.aliases()).isEmpty();
    assertThat(kept.namedRoles()).containsExactly(RegistryImport.key(A), RegistryImport.key(B),
        RegistryImport.key(SPECTRUM), RegistryImport.key(GRANTED));
  }

  @Test
  void aRegistryThatDoesNotLoadHandsOverNothing(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(file, "version: 2\n");
    List<String> problems = new ArrayList<>();
    KeptRegistry kept = KeptRegistry.read(file, problems);
    assertThat(problems.get(0)).isEqualTo("--keep " + file + " does not load; mend it first:");
    assertThat(problems).hasSizeGreaterThan(1).anySatisfy(p -> assertThat(p).contains("unsupported version"));
    assertThat(kept.aliases()).isEmpty();
    assertThat(kept.sections()).isEmpty();
    assertThat(kept.namedRoles()).isEmpty();
  }

  /**
   * A kept registry in JSON indented with tabs ({@code jq --tab}) is read as the registry loader reads it,
   * its aliases and sections kept; the loader took it, then the kept sections' reading refused its tabs.
   */
  @Test
  void aJsonRegistryIndentedWithTabsIsKept(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("kept.json");
    Files.writeString(file, "\uFEFF{\n\t\"version\": 1,\n\t\"roles\": [\n\t\t{\"arn\": \"" + A + "\",\n\t\t\t\"alias\":"
        + " \"loader\"}\n\t],\n\t\"policy\": {\n\t\t\"mode\":\t\"audit\"\n\t}\n}\n");
    List<String> problems = new ArrayList<>();
    KeptRegistry kept = KeptRegistry.read(file, problems);
    assertThat(problems).isEmpty();
    assertThat(kept.aliases()).containsExactly(org.assertj.core.api.Assertions.entry(RegistryImport.key(A), "loader"));
    assertThat(kept.sections())
        .containsExactly(org.assertj.core.api.Assertions.entry("policy", java.util.Map.of("mode", "audit")));
  }

  /**
   * Probe 24c F9: a kept setting written as YAML 1.2 writes a boolean (TRUE, False, True) is the boolean the
   * registry loaded as, so the import writes true or false; kept as the text "TRUE" it was written back in quotes,
   * which no longer loads as a boolean. A user key written Null stays that name, as the registry read it.
   */
  @Test
  void keptBooleansStayBooleans(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("kept.yaml");
    Files.writeString(file, REGISTRY.replace("  mode: audit", "  mode: audit\n  rewrite_default_role: TRUE\n"
        + "  rewrite_aliases: False").replace("etl_bot: { groups: [etl] }", "etl_bot: { groups: [etl], superuser: True }\n"
        + "  Null: { groups: [etl] }"));
    List<String> problems = new ArrayList<>();
    KeptRegistry kept = KeptRegistry.read(file, problems);
    assertThat(problems).isEmpty();
    assertThat(kept.sections().get("policy")).isEqualTo(java.util.Map.of("mode", "audit", "rewrite_default_role", true,
        "rewrite_aliases", false));
    java.util.Map<String, Object> written = new java.util.LinkedHashMap<>();
    written.put("version", 1);
    written.put("policy", kept.sections().get("policy"));
    written.put("users", kept.sections().get("users"));
    dev.iamguard.policy.registry.Registry again =
        dev.iamguard.policy.registry.RegistryLoader.parse(YamlText.write(written), "written.yaml", null);
    assertThat(again.settings().rewriteDefaultRole()).isTrue();
    assertThat(again.settings().rewriteAliases()).isFalse();
    assertThat(again.user("etl_bot").orElseThrow().superuser()).isTrue();
    assertThat(again.user("Null")).isPresent();
  }
}
