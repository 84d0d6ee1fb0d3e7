package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.RedshiftRequests;
import dev.iamguard.policy.iam.RequestContext;
import dev.iamguard.policy.yaml.NodeMap;
import dev.iamguard.policy.yaml.YamlTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a {@code request_context} mapping: condition keys the guard cannot know, with the value
 * (or list of values) the requests carry, or {@code null} for a key the requests surely lack. The
 * keys the guard computes itself ({@link RedshiftRequests#COMPUTED_KEYS}) cannot be stated: a
 * registry that could set {@code sts:ExternalId} would decide its own trust.
 */
final class RequestContextReader {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]+:\\S+");

  private final Problems problems;

  RequestContextReader(Problems problems) {
    this.problems = problems;
  }

  /**
   * @param sourceArnComputed whether the guard computes {@code aws:SourceArn} here (a provisioned
   *     cluster), so that stating it is an error
   */
  Optional<RequestContext> read(Node node, String path, boolean sourceArnComputed) {
    Optional<NodeMap> map = problems.mapping(node, path, null);
    if (map.isEmpty()) {
      return Optional.empty();
    }
    RequestContext.Builder builder = RequestContext.builder();
    boolean ok = true;
    // condition key names are not case-sensitive: the builder keeps one value per key, so the last of
    // two spellings silently won (red-team review: aws:SourceVpce then AWS:SOURCEVPCE flipped an Allow)
    Map<String, String> seen = new HashMap<>();
    for (String key : map.get().keys()) {
      Node at = map.get().keyNode(key).orElseThrow();
      String keyPath = path + "." + key;
      String lower = key.toLowerCase(Locale.ROOT);
      String first = seen.putIfAbsent(lower, key);
      if (first != null) {
        problems.add(at, keyPath, "names condition key \"" + key + "\" and \"" + first + "\" (line "
            + YamlTree.line(map.get().keyNode(first).orElseThrow()) + "): condition key names are not"
            + " case-sensitive, so this is one key written twice; write it once with its value");
        ok = false;
      } else if (!KEY.matcher(key).matches()) {
        problems.add(at, keyPath, "\"" + key + "\" is not a condition key like aws:SourceVpce");
        ok = false;
      } else if (RedshiftRequests.COMPUTED_KEYS.contains(lower)
          || sourceArnComputed && lower.equals("aws:sourcearn")) {
        problems.add(at, keyPath, key + " is computed by the guard for every request (see the request context"
            + " table in the README); it cannot be stated in the registry");
        ok = false;
      } else {
        Node value = map.get().get(key).orElseThrow();
        Optional<List<String>> values = values(value, keyPath);
        if (values.isEmpty()) {
          ok = false;
        } else if (values.get().isEmpty()) {
          builder.absent(key);
        } else {
          builder.put(key, values.get());
        }
      }
    }
    return ok ? Optional.of(builder.build()) : Optional.empty();
  }

  /**
   * A value, a non-empty list of values, or null (absent: an empty list). A value is a string, a number or a
   * boolean, a boolean as JSON writes it ({@link Problems#value}); YAML's {@code ~} is null as JSON's is.
   */
  private Optional<List<String>> values(Node node, String path) {
    if (YamlTree.isNull(node)) {
      return Optional.of(List.of());
    }
    if (node instanceof ScalarNode) {
      return problems.value(node, path).map(List::of);
    }
    if (node instanceof SequenceNode sequence && !sequence.getValue().isEmpty()) {
      List<String> values = new ArrayList<>();
      for (Problems.Item item : problems.values(node, path)) {
        values.add(item.text());
      }
      return values.size() == sequence.getValue().size() ? Optional.of(values) : Optional.empty();
    }
    problems.add(node, path, "expected a value, a list of values, or null for a key the requests do not"
        + " carry; got " + YamlTree.describe(node));
    return Optional.empty();
  }
}
