package dev.iamguard.policy.registry;

/**
 * Where a registry's {@code policy_files} may be. Chosen by whoever loads the registry, never by
 * the registry: a file that could lift its own restriction would not be restricted.
 */
public enum PolicyFileScope {
  /** Only inside the registry file's folder or below it, real paths checked (the default). */
  REGISTRY_FOLDER,
  /** Anywhere: absolute paths and paths leaving the registry's folder are read as well. */
  ANYWHERE;

  /** How a user allows policy files outside the registry's folder, for messages. */
  static final String HOW_TO_ALLOW = "driver setting iamguard.policy-files-outside=true, CLI option"
      + " --policy-files-outside";
}
