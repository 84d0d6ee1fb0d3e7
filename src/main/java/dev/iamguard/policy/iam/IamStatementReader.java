package dev.iamguard.policy.iam;

import dev.iamguard.policy.yaml.NodeMap;
import dev.iamguard.policy.yaml.YamlTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads one statement. Every element outside the supported subset is reported, never skipped:
 * an evaluator that ignored a Deny's NotPrincipal or a Condition operator would allow what IAM
 * denies.
 */
final class IamStatementReader {

  private static final List<String> KEYS = List.of("Sid", "Effect", "Principal", "NotPrincipal",
      "Action", "NotAction", "Resource", "NotResource", "Condition");
  private static final List<String> PRINCIPAL_KEYS =
      List.of("AWS", "Service", "Federated", "CanonicalUser");
  private static final Pattern SERVICE =
      Pattern.compile("[a-z0-9-]+(\\.[a-z0-9-]+)*\\.amazonaws\\.com(\\.cn)?");
  private static final Pattern ACTION = Pattern.compile("\\*|[^\\s:]+:\\S+");
  private static final String OPERATORS = "StringEquals, StringLike, ArnEquals, ArnLike";

  private final int index;
  private final String source;
  private final boolean variables;
  private final List<String> problems;
  private String label;

  private IamStatementReader(int index, String source, boolean variables, List<String> problems) {
    this.index = index;
    this.source = source;
    this.variables = variables;
    this.problems = problems;
    this.label = "statement " + index;
  }

  /**
   * Reads statement {@code index} (1-based), adding each problem to {@code problems}.
   *
   * @param variables whether {@code ${...}} is a policy variable (Version 2012-10-17)
   * @return the statement, empty when it had a problem
   */
  static Optional<IamStatement> read(Node node, int index, String source, boolean variables,
      List<String> problems) {
    return new IamStatementReader(index, source, variables, problems).read(node);
  }

  private Optional<IamStatement> read(Node node) {
    int before = problems.size();
    if (!(node instanceof MappingNode mapping)) {
      report(node, "a statement must be a JSON object, got " + YamlTree.describe(node));
      return Optional.empty();
    }
    Optional<String> sid = sidOf(mapping);
    sid.ifPresent(s -> label = "statement \"" + s + "\"");
    NodeMap map = NodeMap.read(mapping, KEYS, this::report);
    map.keyNode("NotPrincipal").ifPresent(k -> report(k,
        "NotPrincipal is not supported; name the trusted principals in Principal instead"));
    Optional<IamEffect> effect = effect(map);
    Optional<StatementPrincipal> principal = map.get("Principal").flatMap(this::principal);
    Optional<PatternList> actions = either(map, "Action", "NotAction", true)
        .map(n -> patterns(n, map, "Action", "NotAction", ACTION, true));
    Optional<PatternList> resources = either(map, "Resource", "NotResource", false)
        .map(n -> patterns(n, map, "Resource", "NotResource", null, false));
    List<IamCondition> conditions = map.get("Condition").map(this::conditions).orElse(List.of());
    if (problems.size() > before || effect.isEmpty() || actions.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new IamStatement(index, sid, YamlTree.line(node), effect.get(), principal,
        actions.get(), map.has("NotAction"), resources, map.has("NotResource"), conditions));
  }

  /** The Sid is read first so that every other problem of the statement can name it. */
  private Optional<String> sidOf(MappingNode mapping) {
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals("Sid")) {
        Node value = tuple.getValueNode();
        if (value instanceof ScalarNode s && !YamlTree.isNull(s) && !s.getValue().isEmpty()) {
          return Optional.of(s.getValue());
        }
        boolean emptyText = value instanceof ScalarNode s && !YamlTree.isNull(s);
        report(value, emptyText ? "Sid must not be empty; remove it or name the statement"
            : "Sid must be a string, got " + YamlTree.describe(value));
      }
    }
    return Optional.empty();
  }

  private Optional<IamEffect> effect(NodeMap map) {
    Optional<Node> node = map.get("Effect");
    if (node.isEmpty()) {
      report(map.node(), "missing Effect (\"Allow\" or \"Deny\")");
      return Optional.empty();
    }
    String text = node.get() instanceof ScalarNode s ? s.getValue() : YamlTree.describe(node.get());
    if (text.equals("Allow") || text.equals("Deny")) {
      return Optional.of(text.equals("Allow") ? IamEffect.ALLOW : IamEffect.DENY);
    }
    report(node.get(), "Effect must be \"Allow\" or \"Deny\", got \"" + text + "\"");
    return Optional.empty();
  }

  private Optional<StatementPrincipal> principal(Node node) {
    if (node instanceof ScalarNode scalar && scalar.getValue().equals("*")) {
      return Optional.of(StatementPrincipal.everyone());
    }
    if (!(node instanceof MappingNode mapping)) {
      String got = node instanceof ScalarNode s ? "\"" + s.getValue() + "\"" : YamlTree.describe(node);
      report(node, "Principal must be \"*\" or an object with AWS or Service, got " + got);
      return Optional.empty();
    }
    NodeMap map = NodeMap.read(mapping, PRINCIPAL_KEYS, this::report);
    for (String unsupported : List.of("Federated", "CanonicalUser")) {
      map.keyNode(unsupported).ifPresent(k -> report(k, "Principal " + unsupported
          + " is not supported (only \"*\", AWS and Service principals)"));
    }
    List<String> services = new ArrayList<>();
    for (Item item : map.get("Service").map(n -> strings(n, "Principal Service")).orElse(List.of())) {
      String service = item.text().toLowerCase(Locale.ROOT);
      if (SERVICE.matcher(service).matches()) {
        services.add(service);
      } else {
        report(item.node(), "Principal Service \"" + item.text()
            + "\" is not a service principal like redshift.amazonaws.com");
      }
    }
    List<AwsPrincipal> aws = new ArrayList<>();
    for (Item item : map.get("AWS").map(n -> strings(n, "Principal AWS")).orElse(List.of())) {
      AwsPrincipal.Parsed parsed = AwsPrincipal.parse(item.text());
      parsed.principal().ifPresent(aws::add);
      parsed.problem().ifPresent(why -> report(item.node(), "Principal AWS \"" + item.text()
          + "\" is not a role ARN, account root or account id (" + why + ")"));
    }
    if (mapping.getValue().isEmpty()) {
      report(node, "Principal names no principal");
    }
    return Optional.of(new StatementPrincipal(false, services, aws));
  }

  /** The value of whichever of the two exclusive elements is present. */
  private Optional<Node> either(NodeMap map, String positive, String negative, boolean required) {
    if (map.has(positive) && map.has(negative)) {
      report(map.keyNode(negative).orElseThrow(),
          "a statement has either " + positive + " or " + negative + ", not both");
      return Optional.empty();
    }
    if (required && !map.has(positive) && !map.has(negative)) {
      report(map.node(), "missing " + positive + " (or " + negative + ")");
    }
    return map.get(positive).or(() -> map.get(negative));
  }

  private PatternList patterns(Node node, NodeMap map, String positive, String negative,
      Pattern shape, boolean ignoreCase) {
    String element = map.has(positive) ? positive : negative;
    List<String> texts = new ArrayList<>();
    for (Item item : strings(node, element)) {
      if (shape != null && !shape.matcher(item.text()).matches()) {
        report(item.node(), element + " \"" + item.text() + "\" is not \"service:action\" or \"*\"");
      } else if (shape == null && !item.text().equals("*") && !item.text().startsWith("arn:")) {
        report(item.node(), element + " \"" + item.text() + "\" is not an ARN or \"*\"");
      } else {
        checkNoVariable(item, element);
        texts.add(item.text());
      }
    }
    return PatternList.of(texts, ignoreCase);
  }

  private List<IamCondition> conditions(Node node) {
    if (!(node instanceof MappingNode mapping)) {
      report(node, "Condition must be an object, got " + YamlTree.describe(node));
      return List.of();
    }
    List<IamCondition> conditions = new ArrayList<>();
    NodeMap operators = NodeMap.read(mapping, null, this::report);
    for (String name : operators.keys()) {
      Node keyNode = operators.keyNode(name).orElseThrow();
      Optional<IamCondition.Operator> operator = IamCondition.Operator.named(name);
      if (operator.isEmpty()) {
        report(keyNode, unsupportedOperator(name));
        continue;
      }
      Node block = operators.get(name).orElseThrow();
      if (!(block instanceof MappingNode keys)) {
        report(block, name + " must be an object of condition keys, got " + YamlTree.describe(block));
        continue;
      }
      NodeMap byKey = NodeMap.read(keys, null, this::report);
      for (String key : byKey.keys()) {
        conditionFor(operator.get(), key, byKey).ifPresent(conditions::add);
      }
    }
    return conditions;
  }

  private Optional<IamCondition> conditionFor(IamCondition.Operator operator, String key,
      NodeMap byKey) {
    if (!key.equalsIgnoreCase(TrustRequest.EXTERNAL_ID) && !key.equalsIgnoreCase(IamPolicy.LIST_PREFIX)) {
      report(byKey.keyNode(key).orElseThrow(),
          "condition key \"" + key + "\" is not supported (only sts:ExternalId and s3:prefix)");
      return Optional.empty();
    }
    List<String> values = new ArrayList<>();
    for (Item item : strings(byKey.get(key).orElseThrow(), operator.jsonName() + " " + key)) {
      if (operator.onArns() && item.text().split(":", 6).length != 6) {
        report(item.node(), operator.jsonName() + " value \"" + item.text()
            + "\" is not an ARN (6 colon-separated fields)");
      } else {
        checkNoVariable(item, operator.jsonName() + " value");
        values.add(item.text());
      }
    }
    return Optional.of(new IamCondition(operator, key, values));
  }

  private static String unsupportedOperator(String name) {
    String why;
    if (name.endsWith("IfExists")) {
      why = "IfExists variants are not evaluated";
    } else if (name.startsWith("ForAnyValue:") || name.startsWith("ForAllValues:")) {
      why = "set operators are not evaluated";
    } else {
      why = "it is not evaluated";
    }
    return "condition operator \"" + name + "\" is not supported: " + why + "; supported: "
        + OPERATORS;
  }

  private void checkNoVariable(Item item, String element) {
    if (variables && item.text().contains("${")) {
      report(item.node(), element + " \"" + item.text()
          + "\" uses a policy variable (${...}), which is not supported");
    }
  }

  /** A string value with its node, for problems that point at one list element. */
  private record Item(String text, Node node) {}

  /** A string or a non-empty list of strings. */
  private List<Item> strings(Node node, String element) {
    if (node instanceof ScalarNode scalar && !YamlTree.isNull(node)) {
      return List.of(new Item(scalar.getValue(), node));
    }
    if (node instanceof SequenceNode sequence) {
      List<Item> items = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        if (item instanceof ScalarNode s && !YamlTree.isNull(item)) {
          items.add(new Item(s.getValue(), item));
        } else {
          report(item, element + " list elements must be strings, got " + YamlTree.describe(item));
        }
      }
      if (sequence.getValue().isEmpty()) {
        report(node, element + " list is empty");
      }
      return items;
    }
    report(node, element + " must be a string or a list of strings, got " + YamlTree.describe(node));
    return List.of();
  }

  /**
   * Whether the statements form a trust policy (every one has a Principal, none a Resource) or
   * a permission policy (none has a Principal, each has a Resource or NotResource).
   */
  static Optional<IamPolicy.Kind> kindOf(List<IamStatement> statements, String source,
      List<String> problems) {
    IamStatement first = statements.get(0);
    boolean trust = first.hasPrincipal();
    int before = problems.size();
    for (IamStatement s : statements) {
      String where = source + ": " + s.label() + ", line " + s.line() + ": ";
      if (s.hasPrincipal() != trust) {
        problems.add(where + (trust ? "has no Principal, but " + first.label() + " has one"
            : "has a Principal, but " + first.label() + " has none")
            + ": a trust policy needs a Principal in every statement, a permission policy in none");
      } else if (trust && !s.resources().isEmpty()) {
        problems.add(where + "Resource is not allowed in a trust policy");
      } else if (!trust && s.resources().isEmpty()) {
        problems.add(where + "missing Resource (or NotResource)");
      }
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(trust ? IamPolicy.Kind.TRUST : IamPolicy.Kind.PERMISSIONS);
  }

  private void report(Node at, String message) {
    problems.add(source + ": " + label + ", line " + YamlTree.line(at) + ": " + message);
  }
}
