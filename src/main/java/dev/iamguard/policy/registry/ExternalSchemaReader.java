package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.yaml.NodeMap;
import dev.iamguard.policy.yaml.YamlTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads the {@code external_schemas} section: schema name to the IAM_ROLE of its CREATE EXTERNAL
 * SCHEMA (a chain string {@code "arn,arn"} or a list of ARNs) and, optionally, its cluster and the
 * Glue database ({@code database}, {@code catalog_id}, {@code region}) its CREATE named. Every
 * role must be a registry role, so the tables' locations can be checked against its prefixes.
 */
final class ExternalSchemaReader {
  private static final List<String> KEYS = List.of("iam_role", "cluster", "database", "catalog_id", "region");

  private final Problems problems;
  private final RegistryValues values;

  ExternalSchemaReader(Problems problems) {
    this.problems = problems;
    this.values = new RegistryValues(problems);
  }

  List<ExternalSchemaConfig> read(Node section, List<RoleConfig> roles) {
    List<ExternalSchemaConfig> schemas = new ArrayList<>();
    Map<String, ExternalSchemaConfig> byName = new HashMap<>();
    NodeMap map = problems.mapping(section, "external_schemas", null).orElse(null);
    if (map == null) {
      return schemas;
    }
    for (String name : map.keys()) {
      String path = "external_schemas." + name;
      Node key = map.keyNode(name).orElseThrow();
      problems.mapping(map.get(name).orElseThrow(), path, KEYS).ifPresent(entry -> {
        int before = problems.count();
        List<RoleArn> chain = problems.required(entry, "iam_role", path).map(n -> chain(n, path + ".iam_role", roles))
            .orElse(List.of());
        Optional<String> cluster = entry.get("cluster").flatMap(n -> problems.text(n, path + ".cluster"));
        Optional<String> database = entry.get("database").flatMap(n -> problems.text(n, path + ".database"));
        Optional<String> catalogId = entry.get("catalog_id").flatMap(n -> problems.text(n, path + ".catalog_id"));
        Optional<String> region = entry.get("region").flatMap(n -> problems.text(n, path + ".region"));
        if (catalogId.isPresent() && !RoleArn.isAccountId(catalogId.get())) {
          problems.add(entry.get("catalog_id").orElseThrow(), path + ".catalog_id", "'" + catalogId.get()
              + "' is not a 12-digit AWS account id");
        }
        if ((catalogId.isPresent() || region.isPresent()) && database.isEmpty()) {
          problems.add(key, path, "catalog_id and region describe the schema's database: give its database too");
        }
        if (problems.count() > before) {
          return;
        }
        ExternalSchemaConfig schema = new ExternalSchemaConfig(name, chain, cluster, YamlTree.line(key), database,
            catalogId, region);
        ExternalSchemaConfig first = byName.putIfAbsent(name.toLowerCase(Locale.ROOT), schema);
        if (first != null) {
          problems.add(key, path, "external schema \"" + name + "\" differs only in case from \"" + first.name()
              + "\" (line " + first.line() + "); Redshift folds names to lower case");
        } else {
          schemas.add(schema);
        }
      });
    }
    return schemas;
  }

  private List<RoleArn> chain(Node node, String path, List<RoleConfig> roles) {
    List<Problems.Item> items;
    if (node instanceof ScalarNode) {
      // a null (null, ~) is no chain string: it was read as the text "null"
      Optional<String> text = problems.text(node, path);
      if (text.isEmpty()) {
        return List.of();
      }
      items = RoleArn.splitChain(text.get()).stream().map(t -> new Problems.Item(t, node, path)).toList();
    } else {
      items = problems.texts(node, path);
    }
    List<RoleArn> chain = new ArrayList<>();
    for (Problems.Item item : items) {
      values.roleArn(item).ifPresent(arn -> {
        if (roles.stream().noneMatch(r -> r.arn().equals(arn))) {
          problems.add(item.node(), item.path(), arn + " is not a role of this registry; add it under roles so the"
              + " schema's table locations can be checked against its prefixes");
        }
        chain.add(arn);
      });
    }
    if (items.isEmpty()) {
      problems.add(node, path, "no role: write the IAM_ROLE of the schema's CREATE EXTERNAL SCHEMA");
    }
    return chain;
  }
}
