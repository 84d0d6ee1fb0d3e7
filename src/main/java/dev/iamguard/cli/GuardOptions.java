package dev.iamguard.cli;

import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.PolicyFileScope;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options {@code check} and {@code rewrite} share: registry, identity and cluster. */
final class GuardOptions {
  @Option(names = "--registry", required = true, paramLabel = "FILE", description = "the role registry (YAML or JSON)")
  Path registry;

  @Option(names = "--user", required = true, paramLabel = "NAME", description = "the database user the statements run as")
  String user;

  @Option(names = "--cluster", paramLabel = "ID", description = "the cluster id; may be left out when the registry has one cluster")
  String cluster;

  @Option(names = "--group", paramLabel = "NAME", description = "a group of the user (repeatable)")
  List<String> groups = new ArrayList<>();

  @Option(names = "--policy-files-outside",
      description = "let the registry's policy_files lie outside its folder (absolute paths, .., links)")
  boolean policyFilesOutside;

  /** Loads the registry, or fails with code 2 naming file, line and field. */
  Registry loadRegistry() {
    if (!Files.exists(registry)) {
      throw new CliException(registry + ": no such registry file");
    }
    try {
      return RegistryLoader.load(registry,
          policyFilesOutside ? PolicyFileScope.ANYWHERE : PolicyFileScope.REGISTRY_FOLDER).registry();
    } catch (RegistryException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  /** The session the statements run in; the cluster must be in the registry. */
  Session session(Registry loaded) {
    DatabaseUserOption.require(user, "name the database user the statements run as, and its groups with --group");
    List<String> ids = loaded.clusters().stream().map(ClusterConfig::id).toList();
    if (cluster == null && ids.size() != 1) {
      throw new CliException("--cluster is required: " + registry + " describes clusters " + ids);
    }
    if (cluster != null && loaded.cluster(cluster).isEmpty()) {
      throw new CliException("--cluster " + cluster + " is not in " + registry + " (clusters: " + ids + ")");
    }
    // psql runs a script outside any transaction: its BEGIN starts one, its ROLLBACK takes back what it granted since
    Session session = new Session(user, groups, List.of(), cluster);
    return session.withGrants(session.grants().commit());
  }
}
