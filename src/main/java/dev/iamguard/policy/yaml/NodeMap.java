package dev.iamguard.policy.yaml;

import dev.iamguard.sql.Spelling;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The entries of a YAML/JSON mapping by key. Building one reports keys that are not scalars,
 * duplicated keys (SnakeYAML's composer keeps both, and a silent "last one wins" would hide a
 * mistake) and keys outside the allowed set, with the nearest allowed key as a suggestion.
 */
public final class NodeMap {

  /** Where problems found while reading go; the caller binds the location (path, statement). */
  @FunctionalInterface
  public interface Sink {
    void report(Node at, String message);
  }

  private final MappingNode node;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

  private NodeMap(MappingNode node) {
    this.node = node;
  }

  /**
   * Reads a mapping whose keys must come from {@code allowedKeys} (compared exactly).
   *
   * @param allowedKeys the valid keys, or {@code null} to accept any key
   */
  public static NodeMap read(MappingNode node, Collection<String> allowedKeys, Sink sink) {
    NodeMap map = new NodeMap(node);
    for (NodeTuple tuple : node.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode scalar) || YamlTree.isNull(keyNode)) {
        sink.report(keyNode, "a key must be a plain name, got " + YamlTree.describe(keyNode));
        continue;
      }
      String key = scalar.getValue();
      NodeTuple first = map.entries.get(key);
      if (first != null) {
        sink.report(keyNode, "duplicate key \"" + key + "\" (first at line "
            + YamlTree.line(first.getKeyNode()) + ")");
        continue;
      }
      if (allowedKeys != null && !allowedKeys.contains(key)) {
        sink.report(keyNode, unknownKey(key, allowedKeys));
        continue;
      }
      map.entries.put(key, tuple);
    }
    return map;
  }

  private static String unknownKey(String key, Collection<String> allowedKeys) {
    return Spelling.nearest(key, allowedKeys)
        .map(best -> "unknown key \"" + key + "\"; did you mean \"" + best + "\"?")
        .orElseGet(() -> "unknown key \"" + key + "\"; valid keys: " + String.join(", ", allowedKeys));
  }

  public MappingNode node() {
    return node;
  }

  public Set<String> keys() {
    return entries.keySet();
  }

  public boolean has(String key) {
    return entries.containsKey(key);
  }

  public Optional<Node> get(String key) {
    return Optional.ofNullable(entries.get(key)).map(NodeTuple::getValueNode);
  }

  /** The key node itself, for problems about the entry as a whole. */
  public Optional<Node> keyNode(String key) {
    return Optional.ofNullable(entries.get(key)).map(NodeTuple::getKeyNode);
  }
}
