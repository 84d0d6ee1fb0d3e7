package dev.iamguard.policy.iam;

import dev.iamguard.policy.yaml.NodeMap;
import dev.iamguard.policy.yaml.YamlTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads the text of an IAM policy into an {@link IamPolicy}: finds the document inside the
 * output of the AWS CLI, checks its top level and hands each statement to
 * {@link IamStatementReader}. Collects every problem before failing.
 */
final class IamDocumentReader {

  private static final List<String> DOCUMENT_KEYS = List.of("Version", "Id", "Statement");
  private static final List<String> VERSIONS = List.of("2012-10-17", "2008-10-17");

  private final String source;
  private final List<String> problems = new ArrayList<>();
  /** What a get-role or get-role-policy output said of its role, or null. */
  private IamPolicy.Wrapper wrapper;

  private IamDocumentReader(String source) {
    this.source = source;
  }

  static IamPolicy read(String text, String source) throws IamPolicyException {
    IamDocumentReader reader = new IamDocumentReader(source);
    IamPolicy policy = reader.readText(text);
    if (policy == null && reader.problems.isEmpty()) {
      reader.problems.add(source + ": the policy document could not be read");
    }
    if (!reader.problems.isEmpty()) {
      throw new IamPolicyException(source, reader.problems);
    }
    return policy;
  }

  /** Reads a document given as an already composed YAML node (an inline registry document). */
  static IamPolicy read(Node node, String source) throws IamPolicyException {
    IamDocumentReader reader = new IamDocumentReader(source);
    IamPolicy policy = reader.readRoot(node);
    if (policy == null && reader.problems.isEmpty()) {
      reader.problems.add(source + ": the policy document could not be read");
    }
    if (!reader.problems.isEmpty()) {
      throw new IamPolicyException(source, reader.problems);
    }
    return policy;
  }

  private IamPolicy readText(String text) {
    Optional<Node> root;
    try {
      String stripped = text.stripLeading();
      boolean json = stripped.startsWith("{") || stripped.startsWith("[");
      root = YamlTree.compose(json ? YamlTree.jsonForYaml(text) : text, source);
    } catch (YamlTree.SyntaxError e) {
      if (e.limit()) {
        problems.add(source + ": line " + e.line() + ": " + e.getMessage()); // names a bound, never the text
        return null;
      }
      // the parser's words may quote the text: say them only for what is meant to be a JSON document
      problems.add(source + ": line " + e.line() + ": not valid JSON" + (text.stripLeading().startsWith("{")
          ? ": " + e.getMessage() : "; not an IAM policy document (its content is not shown)"));
      return null;
    }
    if (root.isEmpty()) {
      problems.add(source + ": the policy document is empty");
      return null;
    }
    return readRoot(root.get());
  }

  private IamPolicy readRoot(Node root) {
    Optional<Node> document = unwrap(root);
    if (document.isEmpty()) {
      return null;
    }
    if (document.get() instanceof ScalarNode encoded && !YamlTree.isNull(encoded)) {
      return readEncoded(encoded);
    }
    return readDocument(document.get());
  }

  /**
   * Finds the policy document in what {@code aws iam get-role}, {@code get-role-policy} or
   * {@code get-policy-version} print, or takes the text as the document itself. The other
   * fields of those outputs (RoleName, Arn, CreateDate, ...) are metadata, not policy.
   */
  private Optional<Node> unwrap(Node root) {
    if (!(root instanceof MappingNode mapping)) {
      report(root, "expected a JSON object, got " + YamlTree.describe(root));
      return Optional.empty();
    }
    // what reading the top level finds (a duplicate key, say) quotes the file: it is reported only
    // once the file is known to be a policy document, never for some other file a registry names
    List<String> quoting = new ArrayList<>();
    NodeMap top = NodeMap.read(mapping, null, (at, message) -> quoting.add(at(at, message)));
    if (top.has("Statement") || top.has("Version") || top.has("Id")) {
      // the document itself: readDocument reads this mapping again and reports what quoting holds
      // (and more), so adding quoting too named each duplicate key twice
      return Optional.of(root);
    }
    if (top.has("PolicyDocument") || top.has("Role") || top.has("PolicyVersion")) {
      problems.addAll(quoting);
    }
    if (top.has("PolicyDocument")) {
      wrapper = new IamPolicy.Wrapper(null, scalar(top, "RoleName"), null);
      return top.get("PolicyDocument");
    }
    if (top.has("Role")) {
      Node role = top.get("Role").orElseThrow();
      if (role instanceof MappingNode roleMapping) {
        NodeMap fields = NodeMap.read(roleMapping, null, (at, message) -> { });
        String boundary = fields.get("PermissionsBoundary").filter(MappingNode.class::isInstance)
            .map(n -> scalar(NodeMap.read((MappingNode) n, null, (at, message) -> { }), "PermissionsBoundaryArn"))
            .orElse(null);
        wrapper = new IamPolicy.Wrapper(scalar(fields, "Arn"), scalar(fields, "RoleName"), boundary);
      }
      return field(role, "Role", "AssumeRolePolicyDocument");
    }
    if (top.has("PolicyVersion")) {
      Node version = top.get("PolicyVersion").orElseThrow();
      refuseOtherThanDefault(version);
      return field(version, "PolicyVersion", "Document");
    }
    report(root, "not an IAM policy: expected a document with Statement, or the output of"
        + " aws iam get-role (Role.AssumeRolePolicyDocument), get-role-policy (PolicyDocument)"
        + " or get-policy-version (PolicyVersion.Document); the file's content is not shown");
    return Optional.empty();
  }

  /**
   * Reports a {@code get-policy-version} output of a version that is not the policy's default
   * ({@code "IsDefaultVersion": false}): IAM evaluates the default version alone, so this one's
   * statements would decide what the role may do where they do not (red-team review: a broader
   * version 3 allowed a COPY its narrower default denies). {@code registry import} refuses it too.
   */
  private void refuseOtherThanDefault(Node version) {
    if (!(version instanceof MappingNode mapping)) {
      return; // field reports it
    }
    NodeMap fields = NodeMap.read(mapping, null, (at, message) -> { });
    Optional<Node> flag = fields.get("IsDefaultVersion");
    if (flag.isPresent() && !(flag.get() instanceof ScalarNode scalar && scalar.getValue().equals("true"))) {
      String id = scalar(fields, "VersionId");
      String named = id != null && id.matches("v[0-9]{1,9}") ? " " + id : "";
      report(flag.get(), "PolicyVersion" + named + " is not the policy's default version (IsDefaultVersion is not"
          + " true), and IAM evaluates only the default: export the default version (aws iam get-policy names it"
          + " as DefaultVersionId; aws iam get-policy-version --version-id it)");
    }
  }

  /** A wrapper's text field, or null when it has none. */
  private static String scalar(NodeMap fields, String key) {
    return fields.get(key).filter(ScalarNode.class::isInstance).map(n -> ((ScalarNode) n).getValue()).orElse(null);
  }

  /** The named field of a wrapper object, reported when missing. */
  private Optional<Node> field(Node wrapper, String wrapperName, String key) {
    Optional<Node> value = wrapper instanceof MappingNode m
        ? NodeMap.read(m, null, this::report).get(key) : Optional.empty();
    if (value.isEmpty()) {
      report(wrapper, wrapperName + " has no " + key);
    }
    return value;
  }

  /** The raw IAM API returns documents URL-encoded inside a JSON string. */
  private IamPolicy readEncoded(ScalarNode encoded) {
    Optional<String> decoded;
    try {
      decoded = IamPolicy.documentText(encoded.getValue());
    } catch (IllegalArgumentException e) {
      report(encoded, "the policy document is " + e.getMessage());
      return null;
    }
    if (decoded.isEmpty()) {
      report(encoded, "the policy document is a string that is neither JSON nor URL-encoded JSON");
      return null;
    }
    String json = decoded.get();
    String inner = source + " (document embedded at line " + YamlTree.line(encoded) + ")";
    try {
      IamPolicy policy = IamDocumentReader.read(json, inner);
      return policy.withSource(source);
    } catch (IamPolicyException e) {
      problems.addAll(e.problems());
      return null;
    }
  }

  private IamPolicy readDocument(Node node) {
    if (!(node instanceof MappingNode mapping)) {
      report(node, "the policy document must be a JSON object, got " + YamlTree.describe(node));
      return null;
    }
    NodeMap document = NodeMap.read(mapping, DOCUMENT_KEYS, this::report);
    Optional<String> version = document.get("Version").flatMap(this::version);
    Optional<String> id = document.get("Id").flatMap(n -> text(n, "Id"));
    Optional<Node> statementNode = document.get("Statement");
    if (statementNode.isEmpty()) {
      report(mapping, "missing Statement");
      return null;
    }
    List<Node> items = statementItems(statementNode.get());
    boolean variables = version.map(v -> v.equals("2012-10-17")).orElse(false);
    List<IamStatement> statements = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      IamStatementReader.read(items.get(i), i + 1, source, variables, problems)
          .ifPresent(statements::add);
    }
    if (statements.size() != items.size() || statements.isEmpty()) {
      return null;
    }
    Optional<IamPolicy.Kind> kind = IamStatementReader.kindOf(statements, source, problems);
    return kind.map(k -> new IamPolicy(source, version, id, statements, k, Optional.ofNullable(wrapper))).orElse(null);
  }

  private Optional<String> version(Node node) {
    Optional<String> version = text(node, "Version");
    if (version.isPresent() && !VERSIONS.contains(version.get())) {
      report(node, "Version must be \"2012-10-17\" or \"2008-10-17\", got \"" + version.get() + "\"");
      return Optional.empty();
    }
    return version;
  }

  private List<Node> statementItems(Node node) {
    if (node instanceof MappingNode) {
      return List.of(node);
    }
    if (node instanceof SequenceNode sequence) {
      if (sequence.getValue().isEmpty()) {
        report(node, "the Statement list is empty");
      }
      return sequence.getValue();
    }
    report(node, "Statement must be an object or a list of objects, got " + YamlTree.describe(node));
    return List.of();
  }

  private Optional<String> text(Node node, String element) {
    if (node instanceof ScalarNode scalar && !YamlTree.isNull(node)) {
      return Optional.of(scalar.getValue());
    }
    report(node, element + " must be a string, got " + YamlTree.describe(node));
    return Optional.empty();
  }

  private void report(Node at, String message) {
    problems.add(at(at, message));
  }

  private String at(Node at, String message) {
    return source + ": line " + YamlTree.line(at) + ": " + message;
  }
}
