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
      throw new CliException(target + ": cannot write " + what + ": " + why(target, e));
    }
  }

  /** A new temporary file beside {@code target} (beside the file a link names), to fill and then {@link #replace} with. */
  static Path temporaryBeside(Path target, String what) {
    Path absolute = content(target, what).toAbsolutePath();
    try {
      return Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".iamguard.tmp");
    } catch (IOException e) {
      throw new CliException(target + ": cannot write " + what + ": " + why(target, e));
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
      throw new CliException(target + ": cannot write " + what + ": " + why(target, e));
    }
  }

  /** Writes {@code text} as UTF-8 to {@code target} atomically. */
  static void write(Path target, CharSequence text, String what) {
    Path temporary = temporaryBeside(target, what);
    try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
      writer.append(text);
    } catch (IOException e) {
      delete(temporary);
      throw new CliException(target + ": cannot write " + what + ": " + why(target, e));
    }
    replace(temporary, target, what);
  }

  /**
   * Why {@code target} cannot be written, in words: a file system error's message is often a bare
   * path, and here the path of the temporary file beside the target (CLI probe F3).
   */
  private static String why(Path target, IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      Path folder = target.toAbsolutePath().getParent();
      return folder != null && !Files.isDirectory(folder) ? "no such folder: " + folder : "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (Files.isDirectory(target)) {
      return "it is a folder";
    }
    if (e instanceof java.nio.file.FileSystemException failed) {
      return failed.getReason() != null ? failed.getReason() : e.getClass().getSimpleName();
    }
    return String.valueOf(e.getMessage());
  }

  static void delete(Path temporary) {
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException ignored) {
      // a temporary file left behind is named .NAME.*.iamguard.tmp: harmless
    }
  }
}
