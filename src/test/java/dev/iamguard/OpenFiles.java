package dev.iamguard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Which files this process holds open, read from {@code /proc/self/fd} (Linux). */
public final class OpenFiles {
  private static final Path DESCRIPTORS = Path.of("/proc/self/fd");

  private OpenFiles() {}

  /** Skips the calling test where the open files cannot be seen. */
  public static void require() {
    Assumptions.assumeTrue(Files.isDirectory(DESCRIPTORS), "skipped: no /proc/self/fd here to see which files are open");
  }

  /** How many descriptors of this process refer to {@code file} (0 when it does not exist). */
  public static long count(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    Path real = file.toRealPath();
    try (Stream<Path> descriptors = Files.list(DESCRIPTORS)) {
      return descriptors.filter(descriptor -> {
        try {
          return Files.readSymbolicLink(descriptor).equals(real);
        } catch (IOException | UnsupportedOperationException e) {
          return false; // closed since it was listed
        }
      }).count();
    }
  }

  /** True when a descriptor of this process refers to {@code file}. */
  public static boolean isOpen(Path file) throws IOException {
    return count(file) > 0;
  }
}
