package dev.iamguard.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Loads a registry file (YAML, or JSON, which YAML 1.2 reads). Every problem is collected with
 * its line and field path, then reported at once in a {@link RegistryException}; nothing is
 * repaired or defaulted behind the user's back.
 */
public final class RegistryLoader {

  private static final List<String> KEYS =
      List.of("version", "clusters", "roles", "chains", "grants", "users", "db_roles", "policy");

  private RegistryLoader() {}

  /** Loads {@code file}; {@code policy_files} resolve against its folder. */
  public static Registry load(Path file) throws RegistryException {
    String source = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RegistryException(source, List.of(new RegistryProblem(source, 0, "",
          "cannot read the registry file (" + e.getClass().getSimpleName() + ": "
              + e.getMessage() + ")")));
    }
    Path folder = file.toAbsolutePath().getParent();
    return parse(text, source, folder);
  }

  /**
   * Reads registry text.
   *
   * @param sourceName names the text in problems
   * @param baseDir the folder {@code policy_files} resolve against; {@code null} when the text
   *     has no folder (then policy_files are reported as unresolvable)
   */
  public static Registry parse(String text, String sourceName, Path baseDir)
      throws RegistryException {
    Problems problems = new Problems(sourceName);
    Optional<Node> root;
    try {
      root = YamlTree.compose(text, sourceName);
    } catch (YamlTree.SyntaxError e) {
      problems.add(e.line(), "", "YAML syntax error: " + e.getMessage());
      throw new RegistryException(sourceName, problems.list());
    }
    if (root.isEmpty()) {
      problems.add(0, "", "the registry is empty; start it with version: 1");
      throw new RegistryException(sourceName, problems.list());
    }
    Registry registry = problems.mapping(root.get(), "", KEYS)
        .map(top -> read(top, problems, sourceName, baseDir)).orElse(null);
    if (registry == null || problems.count() > 0) {
      throw new RegistryException(sourceName, problems.list());
    }
    return registry;
  }

  private static Registry read(NodeMap top, Problems problems, String source, Path baseDir) {
    Optional<Node> version = problems.required(top, "version", "");
    version.ifPresent(n -> problems.text(n, "version").filter(v -> !v.equals("1"))
        .ifPresent(v -> problems.add(n, "version", "unsupported version \"" + v
            + "\"; this iamguard reads version: 1")));
    List<ClusterConfig> clusters = top.get("clusters")
        .map(n -> new ClusterReader(problems).read(n)).orElse(List.of());
    List<RoleConfig> roles = top.get("roles")
        .map(n -> new RoleReader(problems, baseDir).read(n)).orElse(List.of());
    List<ChainConfig> chains = top.get("chains")
        .map(n -> new ChainReader(problems).read(n, roles)).orElse(List.of());
    Optional<List<GrantConfig>> grants = top.get("grants")
        .map(n -> new GrantReader(problems).read(n));
    List<UserConfig> users = top.get("users")
        .map(n -> new UserReader(problems).read(n)).orElse(List.of());
    List<DbRoleConfig> dbRoles = top.get("db_roles")
        .map(n -> new UserReader(problems).readRoles(n)).orElse(List.of());
    PolicySettings settings = top.get("policy")
        .map(n -> new SettingsReader(problems).read(n)).orElse(PolicySettings.DEFAULTS);
    return new Registry(source, clusters, roles, chains, grants, users, settings, dbRoles);
  }
}
