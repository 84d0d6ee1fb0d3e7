package dev.iamguard.hadoop;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.UUID;

/**
 * One entry of the local S3 folder, reached without a check-then-act race: each folder from the
 * root down to the entry's parent is opened relative to the one above it without following a link
 * ({@link SecureDirectoryStream}, {@code openat} with {@code O_NOFOLLOW}), and everything done with
 * the entry (its status, listing, reading, moving, making a folder) is done relative to that opened
 * parent. A folder on the way swapped for a link after it was opened changes nothing: the opened
 * folder is the one acted in, wherever its name now leads. A link met on the way is refused.
 *
 * <p>Only where the platform offers {@link SecureDirectoryStream} (Linux); {@link #open} answers
 * null elsewhere, and the caller falls back to its path-based checks.
 */
final class Anchored implements Closeable {
  /**
   * Run after the folders are opened and before anything is done with the entry: a test seam that
   * plants links there deterministically, between the check and the act. Never set outside tests.
   */
  static volatile Runnable betweenCheckAndAct = () -> { };

  /**
   * Run after a folder on the way could not be opened and before the walk looks at what stands
   * there: a test seam where another writer makes the folder meanwhile. Never set outside tests.
   */
  static volatile Runnable betweenOpenAndLook = () -> { };

  /** How often a folder another writer made between the walk's open and its look is opened again. */
  private static final int REOPENS = 3;

  /** Where a folder a key needs is made first: no bucket name reaches it (a leading dot). */
  private static final String STAGING = ".iamguard-staging";

  /** What the walk down met where a folder was needed. */
  enum Way { OPEN, MISSING, UNDER_OBJECT }

  private final Path root;
  private final Deque<SecureDirectoryStream<Path>> opened = new ArrayDeque<>();
  private final Path name;
  private Way way = Way.OPEN;

  private Anchored(Path root, Path name) {
    this.root = root;
    this.name = name;
  }

  /**
   * Opens the folders leading to {@code names} (the bucket, then the key's segments) under
   * {@code root}, making missing ones when {@code make}; null where the platform has no
   * {@link SecureDirectoryStream}.
   *
   * @throws LinkException when a folder on the way is a symbolic link
   */
  static Anchored open(Path root, java.util.List<String> names, boolean make) throws IOException {
    if (make) {
      Files.createDirectories(root); // the folder standing in for S3 is the configuration's, trusted as named
    } else if (!Files.isDirectory(root)) {
      Anchored none = new Anchored(root, Path.of(names.get(names.size() - 1)));
      none.way = Way.MISSING; // no folder yet: no key exists
      return none;
    }
    DirectoryStream<Path> top = Files.newDirectoryStream(root);
    if (!(top instanceof SecureDirectoryStream<Path> secure)) {
      top.close();
      return null;
    }
    Anchored anchored = new Anchored(root, Path.of(names.get(names.size() - 1)));
    anchored.opened.push(secure);
    try {
      for (String folder : names.subList(0, names.size() - 1)) {
        if (!anchored.enter(Path.of(folder), make)) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      anchored.close();
      throw e;
    }
    betweenCheckAndAct.run();
    return anchored;
  }

  /** Opens {@code folder} in the innermost opened folder, never through a link; false when it cannot be. */
  private boolean enter(Path folder, boolean make) throws IOException {
    SecureDirectoryStream<Path> parent = opened.peek();
    for (int attempt = 0; ; attempt++) {
      try {
        opened.push(parent.newDirectoryStream(folder, LinkOption.NOFOLLOW_LINKS));
        return true;
      } catch (IOException e) {
        betweenOpenAndLook.run();
        BasicFileAttributes attributes = attributes(parent, folder);
        if (attributes == null && make && attempt == 0) {
          makeFolder(parent, folder);
          continue;
        }
        if (attributes == null) {
          way = Way.MISSING;
        } else if (attributes.isSymbolicLink()) {
          throw new LinkException();
        } else if (!attributes.isDirectory()) {
          way = Way.UNDER_OBJECT;
        } else if (e instanceof java.nio.file.NoSuchFileException && attempt < REOPENS) {
          // made by another writer between the open and the look (two Spark tasks writing under a new
          // _temporary folder at once): one of them failed its task with NoSuchFileException _temporary
          continue;
        } else {
          throw e;
        }
        return false;
      }
    }
  }

  /**
   * Makes the folder {@code folder} in the opened {@code parent}: made in the staging folder, then
   * moved there with {@code renameat}, as Java offers no {@code mkdirat}. A name taken meanwhile
   * (by a folder, a file or a link) is left as it is.
   */
  private void makeFolder(SecureDirectoryStream<Path> parent, Path folder) throws IOException {
    Path staging = root.resolve(STAGING);
    Files.createDirectories(staging);
    try (SecureDirectoryStream<Path> top = (SecureDirectoryStream<Path>) Files.newDirectoryStream(root);
        SecureDirectoryStream<Path> stage = top.newDirectoryStream(Path.of(STAGING), LinkOption.NOFOLLOW_LINKS)) {
      Path fresh = Path.of("folder-" + UUID.randomUUID());
      Files.createDirectory(staging.resolve(fresh));
      if (attributes(parent, folder) != null) {
        stage.deleteDirectory(fresh);
        return;
      }
      try {
        stage.move(fresh, parent, folder);
      } catch (IOException e) {
        stage.deleteDirectory(fresh); // the name was taken meanwhile
      }
    }
  }

  private static BasicFileAttributes attributes(SecureDirectoryStream<Path> folder, Path entry) throws IOException {
    try {
      return folder.getFileAttributeView(entry, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .readAttributes();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** What the walk met: every folder opened, or one missing, or a file where a folder was needed. */
  Way way() {
    return way;
  }

  /** The entry's attributes, its link not followed; null when it is missing (or the way was). */
  BasicFileAttributes attributes() throws IOException {
    return way == Way.OPEN ? attributes(opened.peek(), name) : null;
  }

  /** The entry opened as a folder, never through a link (closed by the caller). */
  SecureDirectoryStream<Path> folder() throws IOException {
    return opened.peek().newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
  }

  /** The entry's attributes inside an opened folder, links not followed; null when it is gone. */
  static BasicFileAttributes attributes(SecureDirectoryStream<Path> folder, String entry) throws IOException {
    return attributes(folder, Path.of(entry));
  }

  /** The entry opened for reading, never through a link ({@code O_NOFOLLOW}). */
  SeekableByteChannel read() throws IOException {
    return opened.peek().newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
  }

  /** Makes the entry a folder, in the opened parent; true when made, false when its name is taken. */
  boolean makeFolder() throws IOException {
    if (way != Way.OPEN || attributes() != null) {
      return false;
    }
    makeFolder(opened.peek(), name);
    BasicFileAttributes made = attributes();
    return made != null && made.isDirectory();
  }

  /**
   * Moves the entry to {@code target}'s entry with {@code renameat}, relative to both opened
   * parents: names only, no link followed on either side.
   *
   * @throws FileAlreadyExistsException when the target's name is taken (checked in the opened parent)
   */
  void moveTo(Anchored target) throws IOException {
    if (target.attributes() != null) {
      throw new FileAlreadyExistsException(target.name.toString());
    }
    opened.peek().move(name, target.opened.peek(), target.name);
  }

  /** Moves the entry to {@code target}'s entry with {@code renameat}, replacing a file there at once. */
  void replace(Anchored target) throws IOException {
    opened.peek().move(name, target.opened.peek(), target.name);
  }

  /** The opened parent folder of the entry, for acts this class does not name (a recursive delete). */
  SecureDirectoryStream<Path> parent() {
    return opened.peek();
  }

  /** The entry's name in its parent. */
  Path name() {
    return name;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** A folder on the way to the entry is a symbolic link. */
  static final class LinkException extends IOException {
    private static final long serialVersionUID = 1L;

    LinkException() {
      super("a folder on the way is a symbolic link");
    }
  }
}
