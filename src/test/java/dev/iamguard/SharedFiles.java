package dev.iamguard;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the read-only files beside the project ({@code ../shared}: corpus, seed, design). CI has
 * them; a clone without them skips the tests that need them, saying why.
 */
public final class SharedFiles {
  private SharedFiles() {}

  /** The shared folder: {@code -Diamguard.shared=DIR}, else {@code ../shared}; null when absent. */
  public static Path root() {
    String configured = System.getProperty("iamguard.shared");
    Path root = configured != null ? Path.of(configured) : Path.of("..", "shared");
    return Files.isDirectory(root) ? root.toAbsolutePath().normalize() : null;
  }

  /** {@code relative} inside the shared folder; skips the calling test when it is not there. */
  public static Path require(String relative) {
    Path root = root();
    Assumptions.assumeTrue(root != null && Files.exists(root.resolve(relative)),
        "skipped: ../shared/" + relative + " is not beside this clone (CI provides it; "
            + "or pass -Diamguard.shared=DIR)");
    return root.resolve(relative);
  }
}
