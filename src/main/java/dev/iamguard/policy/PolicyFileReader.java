package dev.iamguard.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the IAM documents a role's {@code policy_files} name, relative to the registry file. */
final class PolicyFileReader {

  private final Problems problems;
  private final Path baseDir;

  PolicyFileReader(Problems problems, Path baseDir) {
    this.problems = problems;
    this.baseDir = baseDir;
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
    Path file = baseDir.resolve(name);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
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
}
