package dev.iamguard.policy.registry;

import dev.iamguard.policy.yaml.NodeMap;
import dev.iamguard.policy.yaml.YamlTree;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Collects the problems of one registry file, and reads nodes as the type a field needs,
 * reporting a mismatch ("expected a list, got a string") instead of failing. Scalars are taken
 * as their text whatever JSON would type them, so an unquoted {@code 123456789012} is an account id;
 * what only YAML reads as a null or a boolean ({@code ~}, {@code True}: {@link YamlTree#yamlReading}) is
 * never taken as text.
 */
final class Problems {

  /** A scalar value with where it sits, for problems about one list element. */
  record Item(String text, Node node, String path) {}

  /**
   * The most problems kept: a registry of millions of bad entries made as many problems, and one
   * message of hundreds of megabytes (200,000 bad list items, 5 MB of YAML: 24 MB); past this many
   * only their number is kept. The first
   * problems are the ones to fix first, as later ones often follow from them.
   */
  static final int KEPT = 1_000;

  private final String source;
  private final List<RegistryProblem> problems = new ArrayList<>();
  private int count;

  Problems(String source) {
    this.source = source;
  }

  String source() {
    return source;
  }

  void add(Node at, String path, String message) {
    add(YamlTree.line(at), path, message);
  }

  void add(int line, String path, String message) {
    if (count++ < KEPT) {
      problems.add(new RegistryProblem(source, line, path, message));
    }
  }

  /** A sink for {@link NodeMap} that reports at {@code path}. */
  NodeMap.Sink at(String path) {
    return (node, message) -> add(node, path, message);
  }

  /** How many problems so far: a reader compares counts to tell whether a part was clean. */
  int count() {
    return count;
  }

  /** The problems found, the first {@link #KEPT} of them, with their number. */
  RegistryException exception() {
    return new RegistryException(source, problems, count);
  }

  /** The entries of a mapping whose keys must be among {@code keys}. */
  Optional<NodeMap> mapping(Node node, String path, Collection<String> keys) {
    if (node instanceof MappingNode mapping) {
      return Optional.of(NodeMap.read(mapping, keys, at(path)));
    }
    wrongType(node, path, "a mapping");
    return Optional.empty();
  }

  /** The text of a scalar. */
  Optional<String> text(Node node, String path) {
    if (node instanceof ScalarNode scalar && !YamlTree.isNull(node) && YamlTree.yamlReading(node).isEmpty()) {
      return Optional.of(scalar.getValue());
    }
    wrongType(node, path, "a string");
    return Optional.empty();
  }

  /**
   * The text of a scalar that may be a string, a number or a boolean (a condition value): a boolean as JSON
   * writes it, so YAML's {@code True} is "true", as IAM reads JSON's {@code true}.
   */
  Optional<String> value(Node node, String path) {
    Optional<Boolean> bool = YamlTree.bool(node);
    return bool.isPresent() ? Optional.of(bool.get().toString()) : text(node, path);
  }

  /** The elements of a list. */
  Optional<List<Node>> items(Node node, String path) {
    if (node instanceof SequenceNode sequence) {
      return Optional.of(sequence.getValue());
    }
    wrongType(node, path, "a list");
    return Optional.empty();
  }

  /** The texts of a list of scalars, each with its own path ({@code path[i]}). */
  List<Item> texts(Node node, String path) {
    return each(node, path, this::text);
  }

  /** The {@link #value values} of a list of scalars, each with its own path. */
  List<Item> values(Node node, String path) {
    return each(node, path, this::value);
  }

  private List<Item> each(Node node, String path, java.util.function.BiFunction<Node, String, Optional<String>> read) {
    List<Item> texts = new ArrayList<>();
    List<Node> items = items(node, path).orElse(List.of());
    for (int i = 0; i < items.size(); i++) {
      String itemPath = path + "[" + i + "]";
      Node item = items.get(i);
      read.apply(item, itemPath).ifPresent(t -> texts.add(new Item(t, item, itemPath)));
    }
    return texts;
  }

  /** Whether {@code node} is a list with no elements (not: a list whose elements all failed). */
  static boolean isEmptyList(Node node) {
    return node instanceof SequenceNode sequence && sequence.getValue().isEmpty();
  }

  /** {@code true} or {@code false} (in YAML also {@code True}, {@code FALSE}, ...; quoted {@code "true"} as well). */
  Optional<Boolean> bool(Node node, String path) {
    Optional<Boolean> bool = YamlTree.bool(node);
    if (bool.isPresent()) {
      return bool;
    }
    if (!(node instanceof ScalarNode scalar) || YamlTree.isNull(node)) {
      wrongType(node, path, "true or false");
      return Optional.empty();
    }
    String text = scalar.getValue();
    if (text.equals("true") || text.equals("false")) {
      return Optional.of(text.equals("true"));
    }
    add(node, path, "expected true or false, got \"" + text + "\"");
    return Optional.empty();
  }

  /**
   * Reports a node that is not what the field takes. What only YAML reads as a null or a boolean is named with
   * its spelling and, where the field takes text, how to write it as text: {@code '~'} is the text "~".
   */
  private void wrongType(Node node, String path, String expected) {
    String written = node instanceof ScalarNode scalar ? scalar.getValue() : "";
    Optional<String> reading = YamlTree.yamlReading(node);
    String quote = reading.isPresent() && expected.equals("a string")
        ? "quote it ('" + written + "') if that is the text meant" : "";
    String remove = path.endsWith("]") ? "the item" : "the key";
    if (YamlTree.isNull(node)) {
      String or = quote.isEmpty() && !expected.contains(" or ") ? " or " : ", or ";
      add(node, path, "has no value" + reading.map(r -> ": " + written + " is " + r).orElse("") + "; give "
          + expected + (quote.isEmpty() ? "" : ", " + quote) + or + "remove " + remove);
    } else if (reading.isPresent()) {
      add(node, path, "expected " + expected + ", got " + written + ", which is " + reading.get()
          + (quote.isEmpty() ? "" : "; " + quote));
    } else {
      add(node, path, "expected " + expected + ", got " + YamlTree.describe(node));
    }
  }

  /** Reports {@code missing required field "key"} when absent, and returns the value. */
  Optional<Node> required(NodeMap map, String key, String path) {
    Optional<Node> value = map.get(key);
    if (value.isEmpty()) {
      add(map.node(), path, "missing required field \"" + key + "\"");
    }
    return value;
  }
}
