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
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads the IAM documents a role's {@code policy_files} name, relative to the registry file.
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

  /** Reads the file named at {@code node}, which must hold a policy of {@code kind}. */
  Optional<IamPolicy> read(Node node, String path, IamPolicy.Kind kind) {
    return problems.text(node, path).flatMap(name -> read(name, node, path, kind));
  }

  /** Reads a list of permission policy files. */
  List<IamPolicy> readAll(Node node, String path) {
    List<IamPolicy> policies = new ArrayList<>();
    List<Problems.Item> items = problems.texts(node, path);
    if (Problems.isEmptyList(node)) {
      problems.add(node, path, "empty list: name at least one permission policy file, or remove"
          + " the key");
    }
    for (Problems.Item item : items) {
      read(item.text(), item.node(), item.path(), IamPolicy.Kind.PERMISSIONS)
          .ifPresent(policies::add);
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
      byte[] bytes = Files.readAllBytes(file);
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      read.add(RegistrySource.of(file, bytes));
    } catch (CharacterCodingException e) {
      problems.add(node, path, "policy file " + name + " is not UTF-8 text, so not an IAM policy document");
      return Optional.empty();
    } catch (IOException e) {
      problems.add(node, path, "cannot read policy file " + name + " (resolved to "
          + file.toAbsolutePath().normalize() + "): " + e.getClass().getSimpleName()
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
