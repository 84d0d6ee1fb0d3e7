package dev.iamguard.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that readers see the old content or the new, never half of it: the new content
 * goes to a temporary file beside it, which is then moved over it.
 */
final class AtomicFile {
  private AtomicFile() {}

  /**
   * Where {@code target}'s content lives: through symbolic links, so that writing a link's content
   * rewrites the file it names and leaves the link a link.
   */
  private static Path content(Path target, String what) {
    if (!Files.isSymbolicLink(target) || !Files.exists(target)) {
      return target;
    }
    try {
      return target.toRealPath();
    } catch (IOException e) {
      throw new CliException(target + ": cannot write " + what + ": " + e.getMessage());
    }
  }

  /** A new temporary file beside {@code target} (beside the file a link names), to fill and then {@link #replace} with. */
  static Path temporaryBeside(Path target, String what) {
    Path absolute = content(target, what).toAbsolutePath();
    try {
      return Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".iamguard.tmp");
    } catch (IOException e) {
      throw new CliException(target + ": cannot write " + what + ": " + e.getMessage());
    }
  }

  /**
   * Moves {@code temporary} over {@code link} (over the file it names, when a symbolic link) in one
   * step, keeping the target's permissions where it can.
   */
  static void replace(Path temporary, Path link, String what) {
    Path target = content(link, what);
    try {
      if (Files.exists(target)) {
        try {
          Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException | IOException ignored) {
          // not a POSIX file system: the new file keeps the default permissions
        }
      }
      try {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      delete(temporary);
      throw new CliException(target + ": cannot write " + what + ": " + e.getMessage());
    }
  }

  /** Writes {@code text} as UTF-8 to {@code target} atomically. */
  static void write(Path target, CharSequence text, String what) {
    Path temporary = temporaryBeside(target, what);
    try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
      writer.append(text);
    } catch (IOException e) {
      delete(temporary);
      throw new CliException(target + ": cannot write " + what + ": " + e.getMessage());
    }
    replace(temporary, target, what);
  }

  static void delete(Path temporary) {
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException ignored) {
      // a temporary file left behind is named .NAME.*.iamguard.tmp: harmless
    }
  }
}
