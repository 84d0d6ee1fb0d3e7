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

  /** A new temporary file beside {@code target}, to fill and then {@link #replace} with. */
  static Path temporaryBeside(Path target, String what) {
    Path absolute = target.toAbsolutePath();
    try {
      return Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".iamguard.tmp");
    } catch (IOException e) {
      throw new CliException(target + ": cannot write " + what + ": " + e.getMessage());
    }
  }

  /** Moves {@code temporary} over {@code target} in one step (keeping the target's permissions where it can). */
  static void replace(Path temporary, Path target, String what) {
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
