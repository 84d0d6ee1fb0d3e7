package dev.iamguard.cli;

import dev.iamguard.policy.registry.RegularFile;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
    refuseUnlessFile(target, what);
    if (!Files.isSymbolicLink(target) || !Files.exists(target)) {
      return target;
    }
    try {
      return target.toRealPath();
    } catch (IOException e) {
      throw new CliException(target + ": cannot write " + what + ": " + why(target, e));
    }
  }

  /**
   * Refuses a {@code target} that is there but is not a regular file (links followed), before anything
   * is written: the new file is moved over the target, so a named pipe, a device (a link to
   * {@code /dev/null}, or {@code /dev/null} itself when run as root) or a folder was replaced by a
   * regular file, and the command said it wrote it. A path through a process's open files
   * ({@code /dev/stdout}, {@code /dev/fd/N}, {@code /proc/PID/fd/N}) is refused too, even when the
   * file open there is a regular one: the move would replace that file (the report standard output
   * is redirected to) rather than write to the stream. A target that does not exist is fine.
   *
   * @param what what the target is, for the message
   * @throws CliException naming the target and what it is
   */
  static void refuseUnlessFile(Path target, String what) {
    String kind = throughOpenFiles(target) ? "a process's open file (/dev/stdout, /dev/fd/N, /proc/PID/fd/N)"
        : RegularFile.notRegularKind(target);
    if (kind != null) {
      throw new CliException(target + ": cannot write " + what + ": it is " + kind + ", not a regular file;"
          + " iamguard writes files by moving a new one over the old, which would replace it: name a regular file"
          + NOTHING_WRITTEN);
    }
  }

  /** How a refusal ends: it comes before anything is written. */
  private static final String NOTHING_WRITTEN = "; nothing was written";

  /** The most links {@link #throughOpenFiles} follows (Linux's own limit). */
  private static final int MAX_LINKS = 40;

  /**
   * Whether {@code target}, or a link on the way to what it names, lies under {@code /proc} or is
   * one of {@code /dev/fd/...}, {@code /dev/stdin}, {@code /dev/stdout}, {@code /dev/stderr}. Each
   * step's folder is resolved first, so a link to such a folder is seen too.
   */
  private static boolean throughOpenFiles(Path target) {
    Path hop = target.toAbsolutePath().normalize();
    for (int i = 0; i <= MAX_LINKS; i++) {
      Path folder = hop.getParent();
      if (folder != null) {
        try {
          hop = folder.toRealPath().resolve(hop.getFileName());
        } catch (IOException e) {
          // a folder that is not there: the write fails with its own reason
        }
      }
      String path = hop.toString().replace('\\', '/');
      if (path.startsWith("/proc/") || path.startsWith("/dev/fd/") || path.equals("/dev/stdin")
          || path.equals("/dev/stdout") || path.equals("/dev/stderr")) {
        return true;
      }
      if (!Files.isSymbolicLink(hop)) {
        return false;
      }
      try {
        hop = hop.resolveSibling(Files.readSymbolicLink(hop)).normalize();
      } catch (IOException e) {
        return false;
      }
    }
    return false;
  }

  /**
   * The file whose content writing {@code target} replaces: {@code target} itself, or the file it
   * names when a symbolic link (for {@link #replaceAll}, which moves over what it is given).
   */
  static Path contentOf(Path target, String what) {
    return content(target, what);
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
      keepPermissions(temporary, Files.exists(target) ? target : null);
      move(temporary, target);
    } catch (IOException e) {
      delete(temporary);
      throw new CliException(target + ": cannot write " + what + ": " + why(target, e));
    }
  }

  /**
   * Moves each temporary file of {@code staged} over its target, all or none: a target that exists is
   * first moved aside, and if a move fails every target replaced so far gets its old file back (a
   * new one is removed) and the remaining temporary files are deleted, so a folder never holds part
   * of a set of files that only together say what to apply (IAM documents and the registry naming
   * them). The old files are removed once all are in place.
   *
   * @param staged temporary file to the target it replaces, in the order to move them
   * @param what what each target is, for messages
   */
  static void replaceAll(Map<Path, Path> staged, Function<Path, String> what) {
    Map<Path, Path> aside = new LinkedHashMap<>(); // target to its old file, moved aside
    List<Path> placed = new ArrayList<>();
    for (Map.Entry<Path, Path> file : staged.entrySet()) {
      Path target = file.getValue();
      try {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          Path old = temporaryBeside(target, what.apply(target));
          try {
            move(target, old);
          } catch (IOException e) {
            delete(old);
            throw e;
          }
          aside.put(target, old);
        }
        keepPermissions(file.getKey(), aside.get(target));
        move(file.getKey(), target);
        placed.add(target);
      } catch (IOException | CliException e) {
        String undone = undo(placed, aside, staged.keySet());
        // a refusal names the target itself, and what was undone is said once, after it
        String why = e instanceof IOException io ? target + ": cannot write " + what.apply(target) + ": " + why(target, io)
            : e.getMessage().replace(NOTHING_WRITTEN, "");
        throw new CliException(why + "; " + undone);
      }
    }
    aside.values().forEach(AtomicFile::delete);
  }

  /** Puts back what {@link #replaceAll} changed, and says whether it could. */
  private static String undo(List<Path> placed, Map<Path, Path> aside, Iterable<Path> temporaries) {
    List<Path> failed = new ArrayList<>();
    for (Map.Entry<Path, Path> old : aside.entrySet()) {
      try {
        move(old.getValue(), old.getKey());
      } catch (IOException e) {
        failed.add(old.getKey());
      }
    }
    for (Path target : placed) {
      if (!aside.containsKey(target)) {
        delete(target);
      }
    }
    temporaries.forEach(AtomicFile::delete);
    return failed.isEmpty() ? "nothing was written (the files there are as they were)"
        : "the old content of " + failed + " could not be put back; it is beside them as .NAME.*.iamguard.tmp";
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Gives {@code temporary} the permissions of {@code old} (null: none), where the file system has them. */
  private static void keepPermissions(Path temporary, Path old) {
    if (old == null) {
      return;
    }
    try {
      Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(old));
    } catch (UnsupportedOperationException | IOException ignored) {
      // not a POSIX file system: the new file keeps the default permissions
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
