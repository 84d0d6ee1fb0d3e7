package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The registry's JSON Schema, read by an independent implementation (networknt, draft 2020-12):
 * every sample registry is valid, what the loader refuses as an unknown key or a wrong type the
 * schema refuses too, and the schema names exactly the keys the loader reads.
 */
public class RegistrySchemaTest {
  private static final Schema SCHEMA =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(RegistrySchema.text(), InputFormat.JSON);
  private static final Load YAML = new Load(LoadSettings.builder().build());

  /** A registry's YAML as the JSON an editor's schema checker sees. */
  static String asJson(String yaml) {
    try {
      return new ObjectMapper().writeValueAsString(YAML.loadFromString(yaml));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** What the schema says of a registry's text (empty = valid). */
  public static List<String> errors(String yaml) {
    return SCHEMA.validate(asJson(yaml), InputFormat.JSON).stream().map(Object::toString).toList();
  }

  @Test
  void theSchemaIsInTheJarAndIsJson() throws IOException {
    assertThat(RegistrySchema.class.getResource(RegistrySchema.RESOURCE)).isNotNull();
    Map<?, ?> schema = new ObjectMapper().readValue(RegistrySchema.text(), Map.class);
    assertThat(schema.get("$schema")).isEqualTo("https://json-schema.org/draft/2020-12/schema");
  }

  @Test
  void everySampleRegistryIsValid() throws IOException {
    List<Path> registries;
    try (Stream<Path> files = Files.walk(Path.of("samples"))) {
      registries = files.filter(f -> f.getFileName().toString().matches("registry.*\\.yaml")).sorted().toList();
    }
    assertThat(registries).hasSizeGreaterThanOrEqualTo(4);
    for (Path registry : registries) {
      assertThat(errors(Files.readString(registry))).as(registry.toString()).isEmpty();
    }
  }

  @Test
  void whatTheLoaderRefusesAsAShapeTheSchemaRefusesToo() {
    String role = "version: 1\nroles:\n  - arn: arn:aws:iam::123456789012:role/R\n";
    for (String bad : List.of(
        "version: 1\nclustrs: []\n",
        role + "    alow: {s3_read: [\"s3://b/p/\"]}\n",
        role + "    allow: {s3_raed: [\"s3://b/p/\"]}\n",
        role + "    allow: {s3_read: \"s3://b/p/\"}\n",
        role + "    trust: {regions: us-west-2}\n",
        "version: 1\nclusters:\n  - {id: c1, account: \"123456789012\", region: us-west-2, attached: []}\n",
        "version: 1\npolicy: {mode: lenient}\n",
        "version: 1\ngrants:\n  - {on: [default], to: [PUBLIC], fro: [COPY]}\n",
        "clusters: []\n",
        // both short form and document for the same side
        role + "    trust: {regions: [us-west-2]}\n    policy_files: {trust: t.json}\n",
        role + "    allow: {s3_read: [\"s3://b/p/\"]}\n    policy_files: {permissions: [p.json]}\n")) {
      assertThat(errors(bad)).as(bad).isNotEmpty();
      assertThatThrownBy(() -> RegistryLoader.parse(bad, "r.yaml", null)).as(bad).isInstanceOf(RegistryException.class);
    }
  }

  /** The schema's property names at each place, beside the loader's key lists (its readers' KEYS constants). */
  @Test
  void theSchemaNamesTheKeysTheLoaderReads() throws ReflectiveOperationException, IOException {
    Map<?, ?> schema = new ObjectMapper().readValue(RegistrySchema.text(), Map.class);
    Map<?, ?> defs = (Map<?, ?>) schema.get("$defs");
    assertThat(properties(schema)).isEqualTo(keys(RegistryLoader.class, "KEYS"));
    assertThat(properties(defs.get("cluster"))).isEqualTo(keys(ClusterReader.class, "KEYS"));
    assertThat(properties(defs.get("role"))).isEqualTo(keys(RoleReader.class, "KEYS"));
    assertThat(properties(defs.get("trust"))).isEqualTo(keys(RoleReader.class, "TRUST_KEYS"));
    assertThat(properties(defs.get("allow"))).isEqualTo(keys(RoleReader.class, "ALLOW_KEYS"));
    assertThat(properties(defs.get("policyFiles"))).isEqualTo(keys(RoleReader.class, "POLICY_FILE_KEYS"));
    assertThat(properties(defs.get("grant"))).isEqualTo(keys(GrantReader.class, "KEYS"));
    assertThat(properties(defs.get("policy"))).isEqualTo(keys(SettingsReader.class, "KEYS"));
  }

  private static TreeSet<String> properties(Object node) {
    TreeSet<String> names = new TreeSet<>();
    ((Map<?, ?>) ((Map<?, ?>) node).get("properties")).keySet().forEach(k -> names.add((String) k));
    return names;
  }

  private static TreeSet<String> keys(Class<?> reader, String field) throws ReflectiveOperationException {
    Field keys = reader.getDeclaredField(field);
    keys.setAccessible(true);
    TreeSet<String> names = new TreeSet<>();
    ((List<?>) keys.get(null)).forEach(k -> names.add((String) k));
    return names;
  }
}
