package dev.iamguard.policy.registry;

import dev.iamguard.policy.yaml.NodeMap;
import dev.iamguard.policy.yaml.YamlTree;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Loads a registry file (YAML, or JSON, which YAML 1.2 reads). Every problem is collected with
 * its line and field path, then reported at once in a {@link RegistryException}; nothing is
 * repaired or defaulted behind the user's back.
 */
public final class RegistryLoader {

  private static final List<String> KEYS =
      List.of("version", "clusters", "roles", "chains", "grants", "users", "db_roles", "policy", "external_schemas",
          "managed_policies");

  private RegistryLoader() {}

  /** A registry and every file it was loaded from, the registry file first. */
  public record Loaded(Registry registry, List<RegistrySource> sources) {
    public Loaded {
      sources = List.copyOf(sources);
    }
  }

  /**
   * Loads {@code file}; {@code policy_files} resolve against its folder and must lie inside it
   * ({@link PolicyFileScope#REGISTRY_FOLDER}).
   */
  public static Registry load(Path file) throws RegistryException {
    return load(file, PolicyFileScope.REGISTRY_FOLDER).registry();
  }

  /** Loads {@code file} with policy files allowed where {@code scope} says; returns the files read too. */
  public static Loaded load(Path file, PolicyFileScope scope) throws RegistryException {
    String source = file.toString();
    RegistryBytes.refuseFolder(file);
    byte[] bytes;
    try {
      bytes = RegularFile.read(file);
    } catch (RegularFile.Refused e) {
      throw new RegistryException(source, List.of(new RegistryProblem(source, 0, "", "the registry " + e.getMessage())));
    } catch (IOException e) {
      throw new RegistryException(source, List.of(new RegistryProblem(source, 0, "",
          "cannot read the registry file (" + e.getClass().getSimpleName() + ": "
              + e.getMessage() + ")")));
    }
    List<RegistrySource> sources = new ArrayList<>();
    sources.add(RegistrySource.of(file, bytes));
    Registry registry = parse(RegistryBytes.utf8(source, bytes), source, file.toAbsolutePath().getParent(),
        scope, sources);
    return new Loaded(registry, sources);
  }

  /**
   * Reads a registry's bytes as a file's are read: at most {@link RegularFile#MAX_BYTES}, strictly
   * UTF-8 (a bad byte is named by its line and column, not replaced): for a registry that is no file
   * ({@code classpath:}), whose bytes were decoded leniently before (a Latin-1 byte became U+FFFD and loaded).
   *
   * @param sourceName names the bytes in problems
   * @param baseDir as for {@link #parse(String, String, Path)}
   */
  public static Registry parse(byte[] bytes, String sourceName, Path baseDir) throws RegistryException {
    if (bytes.length > RegularFile.MAX_BYTES) {
      throw new RegistryException(sourceName, List.of(new RegistryProblem(sourceName, 0, "", "the registry "
          + new RegularFile.TooLarge(bytes.length, true).getMessage())));
    }
    return parse(RegistryBytes.utf8(sourceName, bytes), sourceName, baseDir);
  }

  /**
   * Reads registry text.
   *
   * @param sourceName names the text in problems
   * @param baseDir the folder {@code policy_files} resolve against (and must lie inside); {@code null}
   *     when the text has no folder (then policy_files are reported as unresolvable)
   */
  public static Registry parse(String text, String sourceName, Path baseDir)
      throws RegistryException {
    return parse(text, sourceName, baseDir, PolicyFileScope.REGISTRY_FOLDER, new ArrayList<>());
  }

  /** Reads registry text; adds the policy files read to {@code sources}. */
  private static Registry parse(String text, String sourceName, Path baseDir, PolicyFileScope scope,
      List<RegistrySource> sources) throws RegistryException {
    Problems problems = new Problems(sourceName);
    PolicyFileReader files = new PolicyFileReader(problems, baseDir, scope);
    Optional<Node> root;
    try {
      // JSON as policy files are read: a tab indenting JSON (jq --tab) is no YAML syntax error
      root = YamlTree.compose(YamlTree.asYaml(text), sourceName);
    } catch (YamlTree.SyntaxError e) {
      problems.add(e.line(), "", (e.limit() ? "" : "YAML syntax error: ") + e.getMessage());
      throw problems.exception();
    }
    if (root.isEmpty()) {
      problems.add(0, "", "the registry is empty; start it with version: 1");
      throw problems.exception();
    }
    Registry registry = problems.mapping(root.get(), "", KEYS)
        .map(top -> read(top, problems, sourceName, files)).orElse(null);
    if (registry == null || problems.count() > 0) {
      throw problems.exception();
    }
    sources.addAll(files.sources());
    return registry;
  }

  private static Registry read(NodeMap top, Problems problems, String source, PolicyFileReader files) {
    Optional<Node> version = problems.required(top, "version", "");
    version.ifPresent(n -> problems.text(n, "version").filter(v -> !v.equals("1"))
        .ifPresent(v -> problems.add(n, "version", "unsupported version \"" + v
            + "\"; this iamguard reads version: 1")));
    List<ClusterConfig> clusters = top.get("clusters")
        .map(n -> new ClusterReader(problems).read(n)).orElse(List.of());
    Map<String, ManagedPolicy> managed = top.get("managed_policies").map(files::readManaged).orElse(Map.of());
    List<RoleConfig> roles = top.get("roles")
        .map(n -> new RoleReader(problems, files, managed).read(n)).orElse(List.of());
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
    List<ExternalSchemaConfig> externalSchemas = top.get("external_schemas")
        .map(n -> new ExternalSchemaReader(problems).read(n, roles)).orElse(List.of());
    return new Registry(source, clusters, roles, chains, grants, users, settings, externalSchemas, dbRoles);
  }
}
