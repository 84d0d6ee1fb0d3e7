package dev.iamguard.policy.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every field of the registry format, taken from its JSON Schema ({@link RegistrySchema}), and a
 * registry that loads and holds each of them once, which a test writes as YAML (block style, one
 * value a line) or as JSON with any one value or key replaced by a token of its own.
 */
final class RegistryFields {

  /** What a position takes, as the schema says. */
  enum Kind {
    /** A name, ARN, location, choice or number: its text is what counts. */
    TEXT,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A request context value: a string, number or boolean (and null, for the key as a whole: absent). */
    VALUE,
    /** A mapping or a list. */
    COLLECTION
  }

  /** A value in the registry: its path as problems name it, its path in the schema, what it takes. */
  record Field(String path, String schemaPath, Kind kind, boolean nullable) {}

  /** A key of a mapping whose keys are names (users, chains, ...): problems name the mapping's path. */
  record Key(String mapPath, String key, String schemaPath) {
    String path() {
      return join(mapPath, key);
    }
  }

  /** A registry text and the line each value (or key) of it starts on. */
  record Text(String text, Map<String, Integer> lines) {}

  private static final String A = "arn:aws:iam::123456789012:role/A";
  private static final String B = "arn:aws:iam::123456789012:role/B";
  private static final String P = "arn:aws:iam::123456789012:policy/P";
  private static final String PERMISSIONS = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
      + " \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bkt/*\"}]}";
  private static final String TRUST = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
      + " \"Principal\": {\"AWS\": \"" + A + "\"}, \"Action\": \"sts:AssumeRole\"}]}";

  private final Map<String, Object> tree = base();
  private final Map<String, Kind> kinds = new LinkedHashMap<>();
  private final Set<String> nullable = new HashSet<>();
  private final Set<String> namedKeys = new HashSet<>();
  private final List<Field> fields = new ArrayList<>();
  private final List<Key> keys = new ArrayList<>();

  RegistryFields() {
    JsonNode schema;
    try {
      schema = new ObjectMapper().readTree(RegistrySchema.text());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    walk(schema, schema, "", false);
    kinds.remove("");
    collect(tree, "", "");
  }

  /** Every value of the registry, each with its kind. */
  List<Field> fields() {
    return fields;
  }

  /** Every key of the registry's mappings of names. */
  List<Key> keys() {
    return keys;
  }

  /** The schema's paths ({@code roles[].alias}, {@code users.*.groups[]}) and what each takes. */
  Map<String, Kind> schemaPaths() {
    return kinds;
  }

  /** The schema's paths of mappings whose keys are names. */
  Set<String> schemaNamedKeys() {
    return namedKeys;
  }

  /**
   * The registry: two clusters (one serverless), two roles (the short form, and documents), a chain,
   * two grants (on default, on chains), a user, a Redshift role, every setting, two external schemas
   * (a chain string, a list) and a managed policy. Strings are Java strings, written plain when YAML
   * and JSON read them alike, else quoted.
   */
  private static Map<String, Object> base() {
    return map(
        "version", 1,
        "clusters", List.of(
            map("id", "c1", "account", "123456789012", "region", "us-west-2", "attached_roles", List.of(A, B),
                "default_role", A, "request_context", map("aws:SourceVpce", "vpce-1a2b", "aws:SourceVpc", List.of("vpc-1"))),
            map("id", "wg1", "account", "123456789012", "region", "us-west-2", "serverless", true,
                "workgroup_id", "0f0e0d0c-1234-5678-9abc-0123456789ab")),
        "managed_policies", map(P, PERMISSIONS),
        "roles", List.of(
            map("arn", A, "alias", "copy-a",
                "trust", map("regions", List.of("us-west-2"),
                    "db_users", List.of("arn:aws:redshift:us-west-2:123456789012:dbuser:c1/user1"),
                    "principals", List.of("arn:aws:iam::123456789012:root")),
                "allow", map("s3_read", List.of("s3://bkt/p/"), "s3_write", List.of("s3://bkt/u/"), "lambda", List.of("f1"),
                    "glue_databases", List.of("gdb"), "assume", List.of(B), "dynamodb_tables", List.of("t1"),
                    "emr_clusters", List.of("j-1")),
                "request_context", map("aws:SourceVpce", "vpce-1a2b", "aws:SourceVpc", List.of("vpc-1"))),
            map("arn", B, "policy_files", map("trust", TRUST, "permissions", List.of(PERMISSIONS),
                "managed", List.of(P), "boundary", P))),
        "chains", map("c1", List.of(A, B)),
        "grants", List.of(
            map("on", "default", "to", List.of("bob"), "for", List.of("COPY")),
            map("on", List.of(A + "," + B), "to", List.of("group:g1"), "for", List.of("UNLOAD"))),
        "users", map("bob", map("groups", List.of("g1"), "roles", List.of("r1"), "superuser", false)),
        "db_roles", map("r1", map("roles", List.of("r2"))),
        "policy", map("mode", "enforce", "credentials", "roles-only", "rewrite_aliases", true,
            "rewrite_default_role", false, "max_chain", 3, "session_role", "deny", "copy_job_run", "warn",
            "unknown_external_schema", "deny", "dynamic_sql", "deny",
            "keys", map("s3_read", List.of("s3://kbkt/r/"), "s3_write", List.of("s3://kbkt/w/"),
                "dynamodb_tables", List.of("t2"), "emr_clusters", List.of("j-2"))),
        "external_schemas", map(
            "s1", map("iam_role", A, "cluster", "c1", "database", "gdb", "catalog_id", "123456789012",
                "region", "us-west-2"),
            "s2", map("iam_role", List.of(A))));
  }

  private static Map<String, Object> map(Object... entries) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < entries.length; i += 2) {
      map.put((String) entries[i], entries[i + 1]);
    }
    return map;
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  // ---- the schema's paths

  private void walk(JsonNode root, JsonNode node, String path, boolean context) {
    if (node.has("$ref")) {
      String def = node.get("$ref").asText().substring("#/$defs/".length());
      if (def.equals("boolean")) {
        put(path, Kind.BOOLEAN);
      } else if (def.equals("iamDocument")) {
        put(path, Kind.COLLECTION); // an IAM document is judged by the IAM reader
      } else {
        walk(root, root.get("$defs").get(def), path, context || def.equals("requestContext"));
      }
      return;
    }
    for (String alternatives : List.of("oneOf", "anyOf")) {
      node.path(alternatives).forEach(alternative -> walk(root, alternative, path, context));
    }
    Set<String> types = new HashSet<>();
    node.path("type").forEach(t -> types.add(t.asText()));
    if (node.path("type").isTextual()) {
      types.add(node.get("type").asText());
    }
    if (types.contains("null")) {
      nullable.add(path);
    }
    boolean scalar = types.contains("string") || types.contains("number") || types.contains("integer")
        || types.contains("boolean") || types.isEmpty() && (node.has("enum") || node.has("const"));
    if (scalar) {
      put(path, context ? Kind.VALUE : Kind.TEXT);
    }
    if (types.contains("object") || node.has("properties")) {
      put(path, Kind.COLLECTION);
      node.path("properties").fields().forEachRemaining(e -> walk(root, e.getValue(), join(path, e.getKey()), context));
      if (node.path("additionalProperties").isObject()) {
        namedKeys.add(path);
        walk(root, node.get("additionalProperties"), path + ".*", context);
      }
    }
    if (types.contains("array")) {
      put(path, Kind.COLLECTION);
      walk(root, node.get("items"), path + "[]", context);
    }
  }

  /** A position that takes a scalar is a scalar position (a chain string or a list, say). */
  private void put(String path, Kind kind) {
    kinds.merge(path, kind, (a, b) -> a.ordinal() <= b.ordinal() ? a : b);
  }

  // ---- the registry's positions

  private static final Pattern INDEX = Pattern.compile("\\[\\d+]");

  private void collect(Object value, String path, String schemaPath) {
    if (!path.isEmpty()) {
      Kind kind = kinds.get(schemaPath);
      if (kind == null) {
        throw new IllegalStateException("the test registry holds " + path + ", which the schema does not name");
      }
      fields.add(new Field(path, schemaPath, kind, nullable.contains(schemaPath)));
    }
    if (value instanceof Map<?, ?> map) {
      boolean named = namedKeys.contains(schemaPath);
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = (String) e.getKey();
        if (named) {
          keys.add(new Key(path, key, schemaPath));
        }
        collect(e.getValue(), join(path, key), named ? schemaPath + ".*" : join(schemaPath, key));
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        collect(list.get(i), path + "[" + i + "]", schemaPath + "[]");
      }
    }
  }

  /** The schema's paths the registry holds, for the check that it holds each. */
  Set<String> heldSchemaPaths() {
    Set<String> held = new HashSet<>();
    fields.forEach(f -> held.add(f.schemaPath()));
    return held;
  }

  // ---- writing

  /** The registry as block YAML, with {@code values} (path to a YAML token) and {@code keyTokens} (path to a key) replaced. */
  Text yaml(Map<String, String> values, Map<String, String> keyTokens) {
    Writer writer = new Writer(values, keyTokens, false);
    writer.mapping(tree, "", 0, false);
    return new Text(writer.out.toString(), writer.lines);
  }

  /** The registry as JSON, one value a line, with {@code values} (path to a JSON token) replaced. */
  Text json(Map<String, String> values) {
    Writer writer = new Writer(values, Map.of(), true);
    writer.jsonValue(tree, "", 0);
    return new Text(writer.out.toString(), writer.lines);
  }

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9_./:@+=*-]*");

  private static final class Writer {
    final StringBuilder out = new StringBuilder();
    final Map<String, Integer> lines = new LinkedHashMap<>();
    final Map<String, String> values;
    final Map<String, String> keyTokens;
    final boolean json;
    int line = 1;

    Writer(Map<String, String> values, Map<String, String> keyTokens, boolean json) {
      this.values = values;
      this.keyTokens = keyTokens;
      this.json = json;
    }

    void newline() {
      out.append('\n');
      line++;
    }

    /** A scalar: numbers and booleans as written, strings plain where that is safe in YAML, else in double quotes. */
    String scalar(Object value) {
      if (!(value instanceof String text)) {
        return String.valueOf(value);
      }
      if (!json && PLAIN.matcher(text).matches() && !text.matches("(?i)true|false|null|yes|no|on|off|y|n")) {
        return text;
      }
      return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A key: plain where that is safe (the registry's own keys, on included, are plain names in YAML 1.2). */
    String key(String key) {
      return PLAIN.matcher(key).matches() ? key : scalar(key);
    }

    void mapping(Map<?, ?> map, String path, int indent, boolean onThisLine) {
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(first && onThisLine)) {
          out.append(" ".repeat(indent));
        }
        first = false;
        String child = join(path, (String) e.getKey());
        lines.put(child, line);
        out.append(keyTokens.getOrDefault(child, key((String) e.getKey()))).append(':');
        value(e.getValue(), child, indent);
      }
    }

    void value(Object value, String path, int indent) {
      String token = values.get(path);
      if (token != null || !(value instanceof Map<?, ?> || value instanceof List<?>)) {
        out.append(' ').append(token != null ? token : scalar(value));
        newline();
      } else if (value instanceof Map<?, ?> map) {
        newline();
        mapping(map, path, indent + 2, false);
      } else {
        newline();
        List<?> list = (List<?>) value;
        for (int i = 0; i < list.size(); i++) {
          String item = path + "[" + i + "]";
          lines.put(item, line);
          out.append(" ".repeat(indent + 2)).append('-');
          String itemToken = values.get(item);
          if (itemToken == null && list.get(i) instanceof Map<?, ?> map) {
            out.append(' ');
            mapping(map, item, indent + 4, true);
          } else {
            out.append(' ').append(itemToken != null ? itemToken : scalar(list.get(i)));
            newline();
          }
        }
      }
    }

    /** JSON, each member and element on a line of its own (so the line of each value is known). */
    void jsonValue(Object value, String path, int indent) {
      String token = values.get(path);
      if (token != null) {
        out.append(token);
      } else if (value instanceof Map<?, ?> map) {
        out.append('{');
        newline();
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          String child = join(path, (String) e.getKey());
          out.append(" ".repeat(indent + 2));
          lines.put(child, line);
          out.append(scalar(e.getKey())).append(": ");
          jsonValue(e.getValue(), child, indent + 2);
          out.append(++i < map.size() ? "," : "");
          newline();
        }
        out.append(" ".repeat(indent)).append('}');
      } else if (value instanceof List<?> list) {
        out.append('[');
        newline();
        for (int i = 0; i < list.size(); i++) {
          String item = path + "[" + i + "]";
          out.append(" ".repeat(indent + 2));
          lines.put(item, line);
          jsonValue(list.get(i), item, indent + 2);
          out.append(i + 1 < list.size() ? "," : "");
          newline();
        }
        out.append(" ".repeat(indent)).append(']');
      } else {
        out.append(scalar(value));
      }
    }
  }
}
