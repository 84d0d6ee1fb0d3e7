package dev.iamguard.policy.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Makes the things that are not regular files, for tests that put them where a registry file belongs. */
public enum NonRegularFiles {
  /** A named pipe: reading it waits for a writer that never comes. */
  FIFO("a named pipe (FIFO)"),
  /** A folder. */
  FOLDER("a folder"),
  /** A symbolic link to a named pipe: the link is followed, the pipe refused. */
  LINK_TO_FIFO("a named pipe (FIFO)");

  /** How a refusal names it. */
  public final String named;

  NonRegularFiles(String named) {
    this.named = named;
  }

  /** Puts one at {@code at} (which must not exist); skips the test where mkfifo is missing. */
  public void make(Path at) throws IOException, InterruptedException {
    switch (this) {
      case FOLDER -> Files.createDirectory(at);
      case FIFO -> fifo(at);
      case LINK_TO_FIFO -> {
        Path target = at.resolveSibling(at.getFileName() + ".pipe");
        fifo(target);
        Files.createSymbolicLink(at, target.getFileName());
      }
      default -> throw new IllegalStateException(name());
    }
  }

  private static void fifo(Path at) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder("mkfifo", at.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("mkfifo is missing here (" + e.getMessage() + "): no named pipe to test with");
      return;
    }
    Assumptions.assumeTrue(process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0,
        "mkfifo could not make a named pipe here");
  }
}
