package dev.iamguard.cli;

import dev.iamguard.policy.registry.PolicyFileScope;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a registry a registry command names; a registry that does not load is a CLI error (exit 2). */
final class RegistryFiles {
  private RegistryFiles() {}

  static Registry load(Path file, boolean policyFilesOutside) {
    if (!Files.exists(file)) {
      throw new CliException(file + ": no such registry file");
    }
    try {
      return RegistryLoader.load(file, policyFilesOutside ? PolicyFileScope.ANYWHERE : PolicyFileScope.REGISTRY_FOLDER)
          .registry();
    } catch (RegistryException e) {
      throw new CliException(e.getMessage(), e);
    }
  }
}
