package dev.iamguard.security;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;

/** A guard on samples/registry.yaml (the seed scenario), for the suites that judge statements against it. */
final class SampleGuard {
  private SampleGuard() {}

  static Guard load() {
    try {
      return new Guard(RegistryLoader.load(Path.of("samples/registry.yaml")));
    } catch (RegistryException e) {
      throw new AssertionError("samples/registry.yaml does not load: " + e.getMessage(), e);
    }
  }
}
