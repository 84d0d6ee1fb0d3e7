package dev.iamguard.policy.registry;

import dev.iamguard.policy.yaml.YamlTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a file the registry consists of (the registry itself, a policy file) only when it is a
 * regular file. Opening a named pipe (FIFO) for reading waits until something writes to it, which
 * may be never: {@code registry validate}, {@code check} and a statement that triggered the
 * driver's reload hung. A folder, a device or a socket is no document either. Each is refused
 * before it is opened, saying what it is; a file larger than {@link #MAX_BYTES} before it is read.
 */
public final class RegularFile {
  private RegularFile() {}

  /**
   * The largest registry or policy file read, in bytes: as many as the code points
   * {@link YamlTree#MAX_CODE_POINTS} lets a document hold (64 MiB), so a file within it never passes
   * that limit (a UTF-8 code point takes one to four bytes), and one beyond it is refused before a
   * byte is read. Read whole, a 3 GB (sparse) file made the driver throw {@code OutOfMemoryError} out
   * of {@code Statement.execute} at reload, and the CLI took 39 s and 6.4 GB for a 1.2 GB one
   * (red-team review); a registry of 10,000 roles is about 3.4 MB.
   */
  public static final int MAX_BYTES = YamlTree.MAX_CODE_POINTS;

  /** A file that cannot be read as a document; the message says why, without the file's name. */
  public abstract static class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /** A file that is there but is not a regular file; the message says what it is instead. */
  public static final class NotRegular extends Refused {
    private static final long serialVersionUID = 1L;

    NotRegular(String message) {
      super(message);
    }
  }

  /** A file larger than {@link #MAX_BYTES}; the message says its size and the limit. */
  public static final class TooLarge extends Refused {
    private static final long serialVersionUID = 1L;

    TooLarge(long size, boolean atLeast) {
      super("is " + (atLeast ? "at least " : "") + String.format(Locale.ROOT, "%,d", size) + " bytes, more than the "
          + String.format(Locale.ROOT, "%,d", MAX_BYTES) + " (" + MAX_BYTES / (1024 * 1024)
          + " MiB) iamguard reads of a registry or policy file: is it the right file?");
    }
  }

  /**
   * The bytes of {@code file} (symbolic links followed), at most {@link #MAX_BYTES}.
   *
   * @throws NotRegular when it is a folder, a named pipe, a device or a socket
   * @throws TooLarge when it holds more than {@link #MAX_BYTES} (checked before reading, and while
   *     reading, for a file that grows meanwhile)
   * @throws IOException when it cannot be read (missing, no permission)
   */
  public static byte[] read(Path file) throws IOException {
    refuseUnlessRegular(file);
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long size = channel.size();
      if (size > MAX_BYTES) {
        throw new TooLarge(size, false);
      }
      InputStream in = Channels.newInputStream(channel);
      byte[] bytes = new byte[(int) size];
      int read = in.readNBytes(bytes, 0, bytes.length);
      if (read < bytes.length) {
        return Arrays.copyOf(bytes, read); // shrank since its size was read
      }
      // grown since: read on, up to one byte past the limit
      byte[] more = in.readNBytes(MAX_BYTES - read + 1);
      if (more.length == 0) {
        return bytes;
      }
      if (read + more.length > MAX_BYTES) {
        throw new TooLarge((long) read + more.length, true);
      }
      byte[] all = Arrays.copyOf(bytes, read + more.length);
      System.arraycopy(more, 0, all, read, more.length);
      return all;
    }
  }

  /**
   * The bytes of {@code file} however large, for the inputs that are no registry or policy file (the
   * AWS CLI outputs {@code registry import} reads).
   *
   * @throws NotRegular when it is a folder, a named pipe, a device or a socket
   * @throws IOException when it cannot be read (missing, no permission)
   */
  public static byte[] readAll(Path file) throws IOException {
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

  /**
   * What {@code file} is (symbolic links followed) when it exists and is not a regular file, in
   * words ({@code "a named pipe (FIFO)"}, {@code "a folder"}, {@code "a character device"}); null
   * when it is a regular file, is missing or cannot be examined.
   */
  public static String notRegularKind(Path file) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      return null;
    }
    return attributes.isRegularFile() ? null : kind(file, attributes);
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
