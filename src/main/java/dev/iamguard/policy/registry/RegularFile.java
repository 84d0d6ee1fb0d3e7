package dev.iamguard.policy.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a file the registry consists of (the registry itself, a policy file) only when it is a
 * regular file. Opening a named pipe (FIFO) for reading waits until something writes to it, which
 * may be never: {@code registry validate}, {@code check} and a statement that triggered the
 * driver's reload hung. A folder, a device or a socket is no document either. Each is refused
 * before it is opened, saying what it is.
 */
public final class RegularFile {
  private RegularFile() {}

  /** A file that is there but is not a regular file; the message says what it is instead. */
  public static final class NotRegular extends IOException {
    private static final long serialVersionUID = 1L;

    NotRegular(String message) {
      super(message);
    }
  }

  /**
   * The bytes of {@code file} (symbolic links followed).
   *
   * @throws NotRegular when it is a folder, a named pipe, a device or a socket
   * @throws IOException when it cannot be read (missing, no permission)
   */
  public static byte[] read(Path file) throws IOException {
    refuseUnlessRegular(file);
    return Files.readAllBytes(file);
  }

  /**
   * Returns when {@code file} is a regular file, or does not exist (reading it then says so).
   *
   * @throws NotRegular when it is a folder, a named pipe, a device or a socket
   */
  public static void refuseUnlessRegular(Path file) throws NotRegular {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      return; // missing or unreadable: the read that follows fails with its own reason, and never waits
    }
    if (attributes.isRegularFile()) {
      return;
    }
    throw new NotRegular("is " + kind(file, attributes) + ", not a regular file; iamguard reads only regular files"
        + (attributes.isDirectory() ? ": name a file" : " (reading a pipe or device could wait forever)"));
  }

  /** What a non-regular file is, in words; the Unix file type when the platform tells it. */
  private static String kind(Path file, BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return "a folder";
    }
    try {
      // S_IFMT bits of st_mode: the "unix" view exists on Linux and macOS
      int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
      switch (type) {
        case 0010000:
          return "a named pipe (FIFO)";
        case 0140000:
          return "a socket";
        case 0020000:
          return "a character device";
        case 0060000:
          return "a block device";
        default:
          break;
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
      // no unix view here: say what is known
    }
    return "a special file (a named pipe, device or socket)";
  }
}
