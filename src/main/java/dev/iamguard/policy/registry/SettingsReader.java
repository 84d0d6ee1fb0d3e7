package dev.iamguard.policy.registry;

import dev.iamguard.policy.yaml.NodeMap;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code policy} section; every absent key keeps its documented default. */
final class SettingsReader {

  private static final List<String> KEYS = List.of("mode", "credentials", "rewrite_aliases",
      "rewrite_default_role", "max_chain", "session_role", "copy_job_run", "unknown_external_schema", "keys",
      "dynamic_sql");
  private static final List<String> KEY_GRANTS = List.of("s3_read", "s3_write", "dynamodb_tables", "emr_clusters");

  private final Problems problems;
  private final RegistryValues values;

  SettingsReader(Problems problems) {
    this.problems = problems;
    this.values = new RegistryValues(problems);
  }

  PolicySettings read(Node section) {
    PolicySettings d = PolicySettings.DEFAULTS;
    Optional<NodeMap> found = problems.mapping(section, "policy", KEYS);
    if (found.isEmpty()) {
      return d;
    }
    NodeMap map = found.get();
    PolicySettings.Mode mode = map.get("mode").flatMap(n -> choice(n, "policy.mode",
        PolicySettings.Mode.class, "mode")).orElse(d.mode());
    PolicySettings.Credentials credentials = map.get("credentials").flatMap(n -> choice(n,
        "policy.credentials", PolicySettings.Credentials.class, "credentials")).orElse(d.credentials());
    boolean aliases = map.get("rewrite_aliases")
        .flatMap(n -> problems.bool(n, "policy.rewrite_aliases")).orElse(d.rewriteAliases());
    boolean defaultRole = map.get("rewrite_default_role")
        .flatMap(n -> problems.bool(n, "policy.rewrite_default_role")).orElse(d.rewriteDefaultRole());
    int maxChain = map.get("max_chain").flatMap(this::maxChain).orElse(d.maxChain());
    PolicySettings.Switch sessionRole = switchAt(map, "session_role", d.sessionRole());
    PolicySettings.Switch copyJobRun = switchAt(map, "copy_job_run", d.copyJobRun());
    PolicySettings.Switch unknownSchema = switchAt(map, "unknown_external_schema", d.unknownExternalSchema());
    PolicySettings.KeyGrants keys = map.get("keys").flatMap(this::keys).orElse(d.keys());
    PolicySettings.DynamicSql dynamicSql = map.get("dynamic_sql").flatMap(n -> choice(n, "policy.dynamic_sql",
        PolicySettings.DynamicSql.class, "dynamic_sql")).orElse(d.dynamicSql());
    return new PolicySettings(mode, credentials, aliases, defaultRole, maxChain, sessionRole, copyJobRun,
        unknownSchema, keys, dynamicSql);
  }

  private PolicySettings.Switch switchAt(NodeMap map, String key, PolicySettings.Switch fallback) {
    return map.get(key).flatMap(n -> choice(n, "policy." + key, PolicySettings.Switch.class, key)).orElse(fallback);
  }

  /** {@code keys: {s3_read: [...], s3_write: [...], dynamodb_tables: [...], emr_clusters: [...]}}. */
  private Optional<PolicySettings.KeyGrants> keys(Node node) {
    String path = "policy.keys";
    return problems.mapping(node, path, KEY_GRANTS).map(map -> new PolicySettings.KeyGrants(
        texts(map, "s3_read", path).stream().flatMap(i -> values.s3(i).stream()).toList(),
        texts(map, "s3_write", path).stream().flatMap(i -> values.s3(i).stream()).toList(),
        texts(map, "dynamodb_tables", path).stream().flatMap(i -> values.word(i, "DynamoDB table").stream()).toList(),
        texts(map, "emr_clusters", path).stream().flatMap(i -> values.word(i, "EMR cluster").stream()).toList()));
  }

  private List<Problems.Item> texts(NodeMap map, String key, String path) {
    return map.get(key).map(n -> problems.texts(n, path + "." + key)).orElse(List.of());
  }

  /** An enum constant written in lower case with hyphens: {@code roles-only}. */
  private <E extends Enum<E>> Optional<E> choice(Node node, String path, Class<E> type,
      String what) {
    Optional<String> text = problems.text(node, path);
    for (E constant : type.getEnumConstants()) {
      if (text.isPresent() && spelling(constant).equals(text.get().toLowerCase(Locale.ROOT))) {
        return Optional.of(constant);
      }
    }
    text.ifPresent(t -> problems.add(node, path, "unknown " + what + " \"" + t + "\"; expected "
        + String.join(", ", Arrays.stream(type.getEnumConstants())
            .map(SettingsReader::spelling).toList())));
    return Optional.empty();
  }

  private static String spelling(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private Optional<Integer> maxChain(Node node) {
    Optional<String> text = problems.text(node, "policy.max_chain");
    if (text.isPresent() && text.get().matches("[0-9]{1,2}")) {
      int value = Integer.parseInt(text.get());
      if (value >= 1 && value <= PolicySettings.REDSHIFT_MAX_CHAIN) {
        return Optional.of(value);
      }
    }
    text.ifPresent(t -> problems.add(node, "policy.max_chain", "max_chain must be a whole number"
        + " from 1 to " + PolicySettings.REDSHIFT_MAX_CHAIN + " (Redshift's limit), got \"" + t + "\""));
    return Optional.empty();
  }
}
