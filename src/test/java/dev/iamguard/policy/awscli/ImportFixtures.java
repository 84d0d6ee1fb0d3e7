package dev.iamguard.policy.awscli;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Inputs for imports in tests, and the imported registry written to a folder and loaded. */
final class ImportFixtures {
  static final Path SEED = Path.of("src/test/resources/awscli/seed");
  static final Path SAMPLE_REGISTRY = Path.of("samples/registry.yaml");

  private ImportFixtures() {}

  static RegistryImport.Input input(Path file) {
    try {
      return new RegistryImport.Input(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RegistryImport.Input text(String name, String text) {
    return new RegistryImport.Input(name, text);
  }

  /** The seed scenario's exports, with samples/registry.yaml kept. */
  static RegistryImport.Request seed(RegistryImport.Layout layout) {
    return new RegistryImport.Request(
        List.of(input(SEED.resolve("account-123456789012.json")), input(SEED.resolve("account-210987654321.json"))),
        List.of(input(SEED.resolve("describe-clusters.json"))), List.of(),
        Optional.of(input(SEED.resolve("svv_iam_privileges.csv"))), Optional.of(SAMPLE_REGISTRY), false, layout);
  }

  static RegistryImport.Result run(RegistryImport.Request request) {
    try {
      return RegistryImport.run(request);
    } catch (ImportException e) {
      throw new AssertionError(String.join("\n", e.problems()), e);
    }
  }

  /** Writes the result into {@code folder} as {@code registry import --out} does, and loads it. */
  static Registry write(RegistryImport.Result result, Path folder) {
    try {
      for (Map.Entry<String, String> file : result.files().entrySet()) {
        Path path = folder.resolve(file.getKey());
        Files.createDirectories(path.getParent());
        Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
      }
      Path registry = folder.resolve(RegistryImport.REGISTRY_FILE);
      Files.writeString(registry, result.registry(), StandardCharsets.UTF_8);
      return RegistryLoader.load(registry);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RegistryException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
