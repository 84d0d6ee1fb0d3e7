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

/** Reads the {@code chains} section: name to list of role ARNs. */
final class ChainReader {

  private final Problems problems;
  private final RegistryValues values;

  ChainReader(Problems problems) {
    this.problems = problems;
    this.values = new RegistryValues(problems);
  }

  /**
   * Reads the chains; {@code roles} are the roles read before, whose aliases a chain name must
   * not repeat ({@code IAM_ROLE 'name'} has to resolve one way only).
   */
  List<ChainConfig> read(Node section, List<RoleConfig> roles) {
    Map<String, RoleConfig> aliases = new HashMap<>();
    roles.forEach(r -> r.alias().ifPresent(a -> aliases.put(a.toLowerCase(Locale.ROOT), r)));
    List<ChainConfig> chains = new ArrayList<>();
    Map<String, ChainConfig> byName = new HashMap<>();
    NodeMap map = problems.mapping(section, "chains", null).orElse(null);
    if (map == null) {
      return chains;
    }
    for (String name : map.keys()) {
      String path = "chains." + name;
      Node key = map.keyNode(name).orElseThrow();
      Optional<String> valid = values.name(new Problems.Item(name, key, path), "chain name");
      List<RoleArn> arns = chain(map.get(name).orElseThrow(), path);
      if (valid.isEmpty() || arns.isEmpty()) {
        continue;
      }
      ChainConfig chain = new ChainConfig(name, arns, YamlTree.line(key));
      RoleConfig aliased = aliases.get(name.toLowerCase(Locale.ROOT));
      ChainConfig first = byName.putIfAbsent(name.toLowerCase(Locale.ROOT), chain);
      if (aliased != null) {
        problems.add(key, path, "chain name \"" + name + "\" is also the alias of " + aliased.arn()
            + " (line " + aliased.line() + "); IAM_ROLE '" + name + "' would be ambiguous, so"
            + " rename one");
      } else if (first != null) {
        problems.add(key, path, "chain name \"" + name + "\" differs only in case from \""
            + first.name() + "\" (line " + first.line() + ")");
      } else {
        chains.add(chain);
      }
    }
    return chains;
  }

  private List<RoleArn> chain(Node node, String path) {
    int before = problems.count();
    List<Problems.Item> items = problems.texts(node, path);
    List<RoleArn> roles = items.stream().flatMap(i -> values.roleArn(i).stream()).toList();
    if (Problems.isEmptyList(node)) {
      problems.add(node, path, "empty chain: list the role ARNs in order");
    }
    for (int i = 1; i < roles.size(); i++) {
      if (!roles.get(i).partition().equals(roles.get(i - 1).partition())) {
        problems.add(node, path, "the chain crosses from partition " + roles.get(i - 1).partition() + " to "
            + roles.get(i).partition() + " (" + roles.get(i) + "); AWS partitions have separate IAM, so a chain"
            + " never crosses them");
        break;
      }
    }
    return problems.count() > before ? List.of() : roles;
  }
}
