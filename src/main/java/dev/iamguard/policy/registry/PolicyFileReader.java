package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.IamPolicyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.iamguard.policy.yaml.NodeMap;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads the IAM documents a role's {@code policy_files} and the {@code managed_policies} name,
 * relative to the registry file, or written inline as a mapping (the document itself).
 *
 * <p>By default a policy file must really lie inside the registry's folder (or below it): an
 * absolute path, a {@code ..} that climbs out, or a symbolic link leading elsewhere is a registry
 * problem, so a registry cannot make iamguard read (and quote in its errors) any file on the
 * machine. {@link PolicyFileScope#ANYWHERE}, chosen by whoever loads the registry (a driver
 * setting or a CLI option, never the registry itself), lifts that. Every file read is recorded
 * with a digest of its bytes, for the reload watcher.
 */
final class PolicyFileReader {

  private final Problems problems;
  private final Path baseDir;
  private final PolicyFileScope scope;
  private final List<RegistrySource> read = new ArrayList<>();

  PolicyFileReader(Problems problems, Path baseDir, PolicyFileScope scope) {
    this.problems = problems;
    this.baseDir = baseDir;
    this.scope = scope;
  }

  /** The files read so far, each with the digest of the bytes read. */
  List<RegistrySource> sources() {
    return List.copyOf(read);
  }

  /**
   * Reads the file named at {@code node}, or the document written there inline, which must hold a
   * policy of {@code kind}.
   */
  Optional<IamPolicy> read(Node node, String path, IamPolicy.Kind kind) {
    if (node instanceof MappingNode) {
      return inline(node, path, kind, () -> IamPolicy.fromNode(node, "inline document"));
    }
    return problems.text(node, path).flatMap(text -> writtenAsText(text)
        ? inline(node, path, kind, () -> IamPolicy.parse(text, "inline document"))
        : read(text, node, path, kind));
  }

  /**
   * Whether a text is a JSON document rather than a file name: as CloudFormation, Terraform's
   * {@code jsonencode} or a copy from the console write a policy (probe 24c F6: it was looked for
   * as a file named after the whole document). No policy file's name starts with a brace.
   */
  private static boolean writtenAsText(String text) {
    return text.stripLeading().startsWith("{");
  }

  /** Reads a document; IamPolicyException only. */
  @FunctionalInterface
  private interface Document {
    IamPolicy read() throws IamPolicyException;
  }

  /**
   * An inline document (a mapping, or JSON text in a string): its problems name the registry path
   * ("inline document ...") and the registry's lines; decisions name it by its registry path.
   */
  private Optional<IamPolicy> inline(Node node, String path, IamPolicy.Kind kind, Document document) {
    try {
      IamPolicy policy = document.read();
      if (policy.kind() != kind) {
        problems.add(node, path, "the inline document is a " + IamPolicy.describe(policy.kind())
            + ", expected a " + IamPolicy.describe(kind));
        return Optional.empty();
      }
      return Optional.of(policy.renamed(problems.source() + " " + path));
    } catch (IamPolicyException e) {
      e.problems().forEach(p -> problems.add(node, path, p));
      return Optional.empty();
    }
  }

  /**
   * Reads {@code managed_policies}: policy ARNs ({@code arn:<partition>:iam::<account or aws>:policy/[path/]name})
   * to a file or inline document, each a permission policy.
   */
  Map<String, ManagedPolicy> readManaged(Node section) {
    Map<String, ManagedPolicy> managed = new LinkedHashMap<>();
    Optional<NodeMap> map = problems.mapping(section, "managed_policies", null);
    for (String arn : map.map(NodeMap::keys).orElse(java.util.Set.of())) {
      String path = "managed_policies." + arn;
      Node value = map.get().get(arn).orElseThrow();
      if (!MANAGED_ARN.matcher(arn).matches()) {
        problems.add(map.get().keyNode(arn).orElseThrow(), path, "\"" + arn + "\" is not a managed policy ARN"
            + " like arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess or arn:aws:iam::123456789012:policy/Name");
        continue;
      }
      read(value, path, IamPolicy.Kind.PERMISSIONS).ifPresent(p -> managed.put(arn, new ManagedPolicy(arn, p)));
    }
    return managed;
  }

  /** A managed policy's ARN: the AWS account ("aws") or a 12-digit one, an optional path. */
  static final java.util.regex.Pattern MANAGED_ARN =
      java.util.regex.Pattern.compile("arn:aws(-[a-z]+)*:iam::(aws|[0-9]{12}):policy/([\\x21-\\x7E]*/)?[\\w+=,.@-]{1,128}");

  /** Reads a list of permission policies: file names or inline documents. */
  List<IamPolicy> readAll(Node node, String path) {
    List<IamPolicy> policies = new ArrayList<>();
    if (Problems.isEmptyList(node)) {
      problems.add(node, path, "empty list: name at least one permission policy file, or remove"
          + " the key");
    }
    List<Node> items = problems.items(node, path).orElse(List.of());
    for (int i = 0; i < items.size(); i++) {
      read(items.get(i), path + "[" + i + "]", IamPolicy.Kind.PERMISSIONS).ifPresent(policies::add);
    }
    return policies;
  }

  private Optional<IamPolicy> read(String name, Node node, String path, IamPolicy.Kind kind) {
    if (baseDir == null) {
      problems.add(node, path, "policy file " + name + " cannot be resolved: the registry was"
          + " given as text without a folder; load it from a file or pass its folder");
      return Optional.empty();
    }
    Optional<Path> resolved = resolve(name, node, path);
    if (resolved.isEmpty()) {
      return Optional.empty();
    }
    Path file = resolved.get();
    String text;
    try {
      byte[] bytes = RegularFile.read(file);
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      read.add(RegistrySource.of(file, bytes));
    } catch (CharacterCodingException e) {
      problems.add(node, path, "policy file " + name + " is not UTF-8 text, so not an IAM policy document");
      return Optional.empty();
    } catch (RegularFile.Refused e) {
      problems.add(node, path, "policy file " + name + " " + e.getMessage());
      return Optional.empty();
    } catch (IOException e) {
      // the folder, not the resolved path: the name may hold what reports mask, which a path would
      // quote again unmasked (probe 24c F2)
      problems.add(node, path, "cannot read policy file " + name + " (looked for in "
          + baseDir.toAbsolutePath().normalize() + "): " + e.getClass().getSimpleName()
          + "; policy_files are relative to the registry file's folder");
      return Optional.empty();
    }
    try {
      IamPolicy policy = IamPolicy.parse(text, name);
      if (policy.kind() != kind) {
        problems.add(node, path, name + " is a " + IamPolicy.describe(policy.kind())
            + ", expected a " + IamPolicy.describe(kind));
        return Optional.empty();
      }
      return Optional.of(policy);
    } catch (IamPolicyException e) {
      e.problems().forEach(p -> problems.add(node, path, p));
      return Optional.empty();
    }
  }

  /** The file {@code name} names, when the scope lets it be read; else reports why not. */
  private Optional<Path> resolve(String name, Node node, String path) {
    Path file;
    try {
      file = baseDir.resolve(name).normalize();
    } catch (InvalidPathException e) {
      problems.add(node, path, "policy file " + name + " is not a valid path");
      return Optional.empty();
    }
    if (scope == PolicyFileScope.ANYWHERE) {
      return Optional.of(file);
    }
    String allow = "; policy_files must lie inside the registry's folder " + baseDir.toAbsolutePath().normalize()
        + " unless whoever loads the registry allows files elsewhere (" + PolicyFileScope.HOW_TO_ALLOW + ")";
    if (Path.of(name).isAbsolute()) {
      problems.add(node, path, "policy file " + name + " is an absolute path" + allow);
      return Optional.empty();
    }
    Path folder = baseDir.toAbsolutePath().normalize();
    if (!file.toAbsolutePath().startsWith(folder)) {
      problems.add(node, path, "policy file " + name + " climbs out of the registry's folder" + allow);
      return Optional.empty();
    }
    try {
      if (Files.exists(file) && !file.toRealPath().startsWith(folder.toRealPath())) {
        problems.add(node, path, "policy file " + name + " is (or lies under) a symbolic link that leads out of"
            + " the registry's folder" + allow);
        return Optional.empty();
      }
    } catch (IOException e) {
      // unreadable: reported when it is read
    }
    return Optional.of(file);
  }
}
