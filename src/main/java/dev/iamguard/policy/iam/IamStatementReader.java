package dev.iamguard.policy.iam;

import dev.iamguard.policy.yaml.NodeMap;
import dev.iamguard.policy.yaml.YamlTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads one statement. What makes the statement unreadable (no Effect, a malformed Action) is
 * always reported. What is wrong in its other elements (a principal, a resource, an unknown
 * condition operator or a value the operator cannot take) is reported when the statement covers
 * an action the guard evaluates: an evaluator that ignored a Deny's condition would allow what
 * IAM denies. In a statement about other actions (EC2, CloudWatch, ...) it is kept with the
 * statement and the statement is skipped.
 */
final class IamStatementReader {

  private static final List<String> KEYS = List.of("Sid", "Effect", "Principal", "NotPrincipal",
      "Action", "NotAction", "Resource", "NotResource", "Condition");
  private static final List<String> PRINCIPAL_KEYS =
      List.of("AWS", "Service", "Federated", "CanonicalUser");
  private static final Pattern SERVICE =
      Pattern.compile("[a-z0-9-]+(\\.[a-z0-9-]+)*\\.amazonaws\\.com(\\.cn)?");
  private static final Pattern ACTION = Pattern.compile("\\*|[^\\s:]+:\\S+");
  /** The characters IAM takes in an action's service prefix (moto's policy_validation.py: "Vendor x is not valid"). */
  private static final Pattern SERVICE_PREFIX = Pattern.compile("[A-Za-z0-9.-]+");
  /** A service prefix, a name, and after a slash a tag key, which may hold spaces (aws:PrincipalTag/cost center). */
  private static final Pattern CONDITION_KEY = Pattern.compile("[A-Za-z0-9_.-]+:[^\\s/]+(/\\S([^\\t\\n\\r]*\\S)?)?");

  private final int index;
  private final String source;
  private final boolean variables;
  private final List<String> problems;
  /** Problems that count only if the statement is evaluated. */
  private final List<String> soft = new ArrayList<>();
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
    Optional<IamEffect> effect = effect(map);
    Optional<PatternList> actions = either(map, "Action", "NotAction", true)
        .map(n -> actions(n, map.has("Action") ? "Action" : "NotAction"));
    if (map.has("Principal") && map.has("NotPrincipal")) {
      report(map.keyNode("NotPrincipal").orElseThrow(), "a statement has either Principal or NotPrincipal, not both");
    }
    boolean allow = effect.filter(e -> e == IamEffect.ALLOW).isPresent();
    if (allow && map.has("NotPrincipal") && !map.has("Principal")) {
      // IAM, NotPrincipal element: "NotPrincipal must be used with "Effect":"Deny". Using it with
      // "Effect":"Allow" is not supported." Read as "everyone but", it would trust any caller.
      report(map.keyNode("NotPrincipal").orElseThrow(), "NotPrincipal with \"Effect\": \"Allow\" is not"
          + " supported by IAM (NotPrincipal must be used with \"Effect\": \"Deny\"); name the principals"
          + " to allow in Principal");
    }
    if (map.has("Resource") && map.has("NotResource")) {
      report(map.keyNode("NotResource").orElseThrow(), "a statement has either Resource or NotResource, not both");
    }
    if (problems.size() > before || effect.isEmpty() || actions.isEmpty()) {
      return Optional.empty();
    }
    boolean notAction = map.has("NotAction");
    boolean skipped = RedshiftRequests.EVALUATED_ACTIONS.stream()
        .noneMatch(a -> actions.get().matches(a) != notAction);
    String principalKey = map.has("NotPrincipal") ? "NotPrincipal" : "Principal";
    Optional<StatementPrincipal> principal = map.get(principalKey).map(n -> principal(n, principalKey));
    String resourceKey = map.has("NotResource") ? "NotResource" : "Resource";
    Optional<ResourceElement> resources = map.get(resourceKey).map(n -> resources(n, resourceKey));
    List<IamCondition> conditions = map.get("Condition").map(this::conditions).orElse(List.of());
    if (!skipped) {
      problems.addAll(soft);
      if (!soft.isEmpty()) {
        return Optional.empty();
      }
    }
    return Optional.of(new IamStatement(index, sid, YamlTree.line(node), effect.get(), principal,
        map.has("NotPrincipal"), actions.get(), notAction, resources, map.has("NotResource"), conditions,
        skipped, skipped ? soft : List.of()));
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

  /** A principal element; an element whose content has problems still marks the statement as having one. */
  private StatementPrincipal principal(Node node, String element) {
    StatementPrincipal none = new StatementPrincipal(false, List.of(), List.of(), List.of());
    if (node instanceof ScalarNode scalar && scalar.getValue().equals("*")) {
      return StatementPrincipal.everyone();
    }
    if (!(node instanceof MappingNode mapping)) {
      String got = node instanceof ScalarNode s ? "\"" + s.getValue() + "\"" : YamlTree.describe(node);
      soft(node, element + " must be \"*\" or an object with AWS, Service, Federated or CanonicalUser, got " + got);
      return none;
    }
    NodeMap map = NodeMap.read(mapping, PRINCIPAL_KEYS, this::soft);
    List<String> services = new ArrayList<>();
    for (Item item : map.get("Service").map(n -> strings(n, element + " Service", true)).orElse(List.of())) {
      String service = item.text().toLowerCase(Locale.ROOT);
      if (SERVICE.matcher(service).matches()) {
        services.add(service);
      } else {
        soft(item.node(), element + " Service \"" + item.text()
            + "\" is not a service principal like redshift.amazonaws.com");
      }
    }
    List<AwsPrincipal> aws = new ArrayList<>();
    for (Item item : map.get("AWS").map(n -> strings(n, element + " AWS", true)).orElse(List.of())) {
      AwsPrincipal.Parsed parsed = AwsPrincipal.parseInDocument(item.text());
      parsed.principal().ifPresent(aws::add);
      parsed.problem().ifPresent(why -> soft(item.node(), element + " AWS \"" + item.text()
          + "\" is not an account, role, user or session ARN, an account id or \"*\" (" + why + ")"));
    }
    List<String> others = new ArrayList<>();
    for (String kind : List.of("Federated", "CanonicalUser")) {
      map.get(kind).ifPresent(n -> strings(n, element + " " + kind, true)
          .forEach(i -> others.add(kind + ":" + i.text())));
    }
    if (mapping.getValue().isEmpty()) {
      soft(node, element + " names no principal");
    }
    return new StatementPrincipal(false, services, aws, others);
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

  private PatternList actions(Node node, String element) {
    List<String> texts = new ArrayList<>();
    for (Item item : strings(node, element, false)) {
      boolean shaped = ACTION.matcher(item.text()).matches();
      Optional<String> refused = shaped ? refusedAction(item.text()) : Optional.empty();
      if (!shaped) {
        report(item.node(), element + " \"" + item.text() + "\" is not \"service:action\" or \"*\"");
      } else if (refused.isPresent()) {
        report(item.node(), element + " \"" + item.text() + "\" is not an action IAM accepts: IAM refuses it: \""
            + refused.get() + "\" (an action is a service prefix of letters, digits, - and ., one colon and"
            + " the action name, wildcards in the name only)");
      } else {
        texts.add(item.text());
      }
    }
    return PatternList.of(texts, true);
  }

  /**
   * What IAM answers to an action written as {@code service:name} that it refuses to store, empty
   * when it takes it: read as a pattern, {@code *:GetObject} or {@code s?:GetObject} would grant
   * {@code s3:GetObject} where no role in AWS can hold the statement (ActionServicePrefixTest).
   */
  private static Optional<String> refusedAction(String action) {
    if (action.equals("*")) {
      return Optional.empty();
    }
    int colon = action.indexOf(':');
    String service = action.substring(0, colon);
    if (action.indexOf(':', colon + 1) >= 0) {
      return Optional.of("Actions/Condition can contain only one colon.");
    }
    if (service.indexOf('*') >= 0 || service.indexOf('?') >= 0) {
      return Optional.of("Action vendors (e.g., aws, ec2, etc.) must not contain wildcards");
    }
    if (!SERVICE_PREFIX.matcher(service).matches()) {
      return Optional.of("Vendor " + service + " is not valid");
    }
    return Optional.empty();
  }

  private ResourceElement resources(Node node, String element) {
    List<PolicyText> texts = new ArrayList<>();
    for (Item item : strings(node, element, true)) {
      boolean arn = item.text().startsWith("arn:");
      // an ARN IAM refuses, such as one short of a part (arn:aws:s3::bucket/key), matches nothing: a
      // Deny or NotResource with it would allow what its author denied (probe 24c F5)
      Optional<String> malformed = arn ? ResourceArnShape.problem(item.text(), variables) : Optional.empty();
      if (!arn && !item.text().equals("*")) {
        soft(item.node(), element + " \"" + item.text() + "\" is not an ARN or \"*\"");
      } else if (malformed.isPresent()) {
        soft(item.node(), element + " \"" + item.text() + "\" is not an ARN IAM accepts: " + malformed.get());
      } else {
        texts.add(PolicyText.parse(item.text(), variables, true, p -> soft(item.node(), element + " " + p)));
      }
    }
    return new ResourceElement(texts, element.startsWith("Not"));
  }

  private List<IamCondition> conditions(Node node) {
    if (!(node instanceof MappingNode mapping)) {
      soft(node, "Condition must be an object, got " + YamlTree.describe(node));
      return List.of();
    }
    List<IamCondition> conditions = new ArrayList<>();
    NodeMap operators = NodeMap.read(mapping, null, this::soft);
    for (String name : operators.keys()) {
      Node keyNode = operators.keyNode(name).orElseThrow();
      ConditionOperator.Parsed operator = ConditionOperator.parse(name);
      if (operator.operator().isEmpty()) {
        soft(keyNode, operator.problem());
        continue;
      }
      Node block = operators.get(name).orElseThrow();
      if (!(block instanceof MappingNode keys)) {
        soft(block, name + " must be an object of condition keys, got " + YamlTree.describe(block));
        continue;
      }
      NodeMap byKey = NodeMap.read(keys, null, this::soft);
      // Condition key names are not case-sensitive: two spellings are one key, and whether IAM
      // ANDs, merges or drops them is not documented (Access Analyzer: "Duplicate keys with
      // different case" is an error), so neither reading may decide a Deny away.
      Map<String, String> seen = new HashMap<>();
      for (String key : byKey.keys()) {
        Node at = byKey.keyNode(key).orElseThrow();
        String first = seen.putIfAbsent(key.toLowerCase(Locale.ROOT), key);
        if (first != null) {
          soft(at, name + " names condition key \"" + key + "\" and \"" + first + "\" (line "
              + YamlTree.line(byKey.keyNode(first).orElseThrow()) + "): condition key names are not"
              + " case-sensitive, so this is one key written twice; write it once with all its values");
          continue;
        }
        if (!CONDITION_KEY.matcher(key).matches()) {
          soft(at, "condition key \"" + key + "\" is not a condition key like aws:SourceAccount or s3:prefix");
          continue;
        }
        List<String> values = strings(byKey.get(key).orElseThrow(), name + " " + key, true).stream()
            .map(Item::text).toList();
        boolean vars = variables && operator.operator().get().family().variables;
        IamCondition.read(operator.operator().get(), key, values, vars, p -> soft(at, p))
            .ifPresent(conditions::add);
      }
    }
    return conditions;
  }

  /** A string value with its node, for problems that point at one list element. */
  private record Item(String text, Node node) {}

  /** A string or a non-empty list of strings (numbers and booleans read as their text). */
  private List<Item> strings(Node node, String element, boolean softly) {
    java.util.function.BiConsumer<Node, String> out = softly ? this::soft : this::report;
    if (node instanceof ScalarNode scalar && !YamlTree.isNull(node)) {
      return List.of(new Item(text(scalar), node));
    }
    if (node instanceof SequenceNode sequence) {
      List<Item> items = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        if (item instanceof ScalarNode s && !YamlTree.isNull(item)) {
          items.add(new Item(text(s), item));
        } else {
          out.accept(item, element + " list elements must be strings, got " + YamlTree.describe(item));
        }
      }
      if (sequence.getValue().isEmpty()) {
        out.accept(node, element + " list is empty");
      }
      return items;
    }
    out.accept(node, element + " must be a string or a list of strings, got " + YamlTree.describe(node));
    return List.of();
  }

  /**
   * A scalar's text, a boolean as JSON writes it: IAM reads JSON's {@code true} as "true", and a YAML document's
   * unquoted {@code True} is that boolean (as the text "True" it compared unlike JSON's {@code true} in a
   * case-sensitive condition).
   */
  private static String text(ScalarNode scalar) {
    return YamlTree.bool(scalar).map(String::valueOf).orElse(scalar.getValue());
  }

  /**
   * Whether the statements form a trust policy (every one has a Principal, none a Resource), a
   * permission policy (none has a Principal, each has a Resource) or a resource-based policy such
   * as a bucket policy (every one has both).
   */
  static Optional<IamPolicy.Kind> kindOf(List<IamStatement> statements, String source,
      List<String> problems) {
    IamStatement first = statements.get(0);
    boolean principal = first.hasPrincipal();
    boolean resource = first.hasResource();
    int before = problems.size();
    for (IamStatement s : statements) {
      String where = source + ": " + s.label() + ", line " + s.line() + ": ";
      if (s.hasPrincipal() != principal) {
        problems.add(where + (principal ? "has no Principal, but " + first.label() + " has one"
            : "has a Principal, but " + first.label() + " has none")
            + ": a trust policy needs a Principal in every statement, a permission policy in none");
      } else if (principal && s.hasResource() != resource) {
        problems.add(where + (resource ? "has no Resource, but " + first.label() + " has one"
            : "Resource is not allowed in a trust policy (" + first.label() + " has none)")
            + ": a bucket (resource-based) policy needs a Resource in every statement, a trust policy in none");
      } else if (!principal && !s.hasResource()) {
        problems.add(where + "missing Resource (or NotResource)");
      }
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(!principal ? IamPolicy.Kind.PERMISSIONS
        : resource ? IamPolicy.Kind.RESOURCE : IamPolicy.Kind.TRUST);
  }

  private void report(Node at, String message) {
    problems.add(source + ": " + label + ", line " + YamlTree.line(at) + ": " + message);
  }

  private void soft(Node at, String message) {
    soft.add(source + ": " + label + ", line " + YamlTree.line(at) + ": " + message);
  }
}
