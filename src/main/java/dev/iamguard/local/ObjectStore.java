package dev.iamguard.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The local folder standing in for S3: {@code s3://bucket/key} is {@code root/bucket/key}.
 * Listing follows S3 prefix semantics, not globbing or folders: {@code data/venue} matches
 * {@code data/venue.txt}, {@code data/venue_1.gz} and {@code data/venue/part1}; objects come back
 * in key order (UTF-8 byte order, as S3 lists them).
 *
 * <p>Containment: every object read or written must really lie inside its bucket folder. Paths
 * are checked on their real location (symbolic links resolved), so a link inside the folder,
 * whether it names a file, a folder, the bucket itself or the staging folder, cannot make a COPY
 * read or an UNLOAD write anywhere else on the machine; such an object is refused with
 * {@code 58030}, never skipped silently. COPY and UNLOAD go through no link at all, even one that
 * stays in the bucket ({@link #pathToRead}, {@link #pathToWrite}).
 */
final class ObjectStore {
  /** Staging folder for UNLOAD's files; a leading dot is never a valid bucket name, so no key maps here. */
  private static final String STAGING = ".iamguard-staging";

  private static final Comparator<StoredObject> KEY_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.uri().key().getBytes(StandardCharsets.UTF_8),
          b.uri().key().getBytes(StandardCharsets.UTF_8));

  /**
   * The locks UNLOADs publish under, one chosen by the real path of the folder (two spellings of
   * one folder, or two connections each with its own store, share it). A fixed set, so that no
   * folder is remembered for the life of the driver.
   */
  private static final Object[] PUBLISHING = new Object[64];

  static {
    for (int i = 0; i < PUBLISHING.length; i++) {
      PUBLISHING[i] = new Object();
    }
  }

  private final Path root;

  ObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  /**
   * The file of one object; refuses keys that would leave the root or cannot be file names
   * (22023). Where the file or one of its folders exists, its real location must be inside the
   * bucket folder (58030).
   */
  Path path(S3Uri uri) throws SQLException {
    Path bucket = bucketFolder(uri);
    if (uri.key().isEmpty()) {
      contained(uri, bucket);
      return bucket;
    }
    String[] segments = uri.key().split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw SqlStates.invalidOption("S3 key '" + uri + "' has an empty, '.' or '..' segment,"
            + " which the local S3 folder cannot represent as a file");
      }
      if (segment.indexOf('\\') >= 0) {
        // Windows reads it as a folder separator: 'a\..\b' would be a file outside the prefix the
        // guard checked. Refused on every system, so a script behaves the same on every machine.
        throw SqlStates.invalidOption("S3 key '" + uri + "' holds a backslash, which the local S3 folder refuses"
            + " (a folder separator on Windows)");
      }
    }
    Path path = resolve(bucket, uri);
    // one file name per key segment: no file system may read a segment as more than one
    if (!path.startsWith(bucket) || path.getNameCount() != bucket.getNameCount() + segments.length) {
      throw SqlStates.invalidOption("S3 key '" + uri + "' does not map inside the local S3 folder");
    }
    contained(uri, path);
    return path;
  }

  private static Path resolve(Path bucket, S3Uri uri) throws SQLException {
    try {
      return bucket.resolve(uri.key()).normalize();
    } catch (InvalidPathException e) {
      throw SqlStates.invalidOption("S3 key '" + uri + "' holds a character no local file name can have"
          + " (NUL or another character the file system refuses)");
    }
  }

  private Path bucketFolder(S3Uri uri) throws SQLException {
    try {
      Path bucket = root.resolve(uri.bucket());
      if (!bucket.getParent().equals(root)) {
        throw SqlStates.invalidOption("S3 location '" + uri + "' has no valid bucket name");
      }
      return bucket;
    } catch (InvalidPathException e) {
      throw SqlStates.invalidOption("S3 bucket of '" + uri + "' holds a character no local folder name can have"
          + " (NUL or another character the file system refuses)");
    }
  }

  /**
   * Refuses {@code path} when it, or its nearest existing folder, really lies outside the bucket
   * folder under the real root: a symbolic link somewhere on the way leads elsewhere.
   */
  void contained(S3Uri uri, Path path) throws SQLException {
    Path existing = path;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null || !existing.startsWith(root.resolve(uri.bucket()))) {
      return;  // nothing of the bucket exists yet: nothing can lead out of it
    }
    Path real;
    Path realBucket;
    try {
      real = existing.toRealPath();
      realBucket = root.toRealPath().resolve(uri.bucket());
    } catch (IOException e) {
      // a dangling link, or a loop: it cannot be followed, so it cannot be proven to stay inside
      throw outside(uri, path);
    }
    if (!real.startsWith(realBucket)) {
      throw outside(uri, path);
    }
  }

  /**
   * The file UNLOAD writes for one object: {@link #path}, and no symbolic link on the way at all,
   * not even one that stays in the bucket: through a link an UNLOAD would write, and with
   * ALLOWOVERWRITE replace, objects of another prefix than the one the guard checked (58030).
   */
  Path pathToWrite(S3Uri uri) throws SQLException {
    Path path = path(uri);
    if (throughLink(uri, path)) {
      throw SqlStates.io("UNLOAD to " + uri + " is refused: its local file " + path + " is (or lies under) a"
          + " symbolic link; UNLOAD writes only where its key names, never through a link", null);
    }
    return path;
  }

  /**
   * The file COPY reads for one object (a source key, the folder of a source prefix, a manifest or
   * a manifest's entry): {@link #path}, and, as for {@link #pathToWrite}, no symbolic link on the
   * way, not even one that stays in the bucket (58030). The guard decided on the key, and an IAM
   * policy can deny any key under an allowed prefix (a Deny on {@code data/secret/*} beside an
   * Allow on {@code data/*}); through a link a COPY would load an object the guard never checked.
   * Checking the link's target against the checked prefix instead would still need the registry's
   * answer for the target key, and S3 has no links, so no Redshift behaviour is lost by refusing.
   */
  Path pathToRead(S3Uri uri) throws SQLException {
    Path path = path(uri);
    if (throughLink(uri, path)) {
      throw SqlStates.io("COPY from " + uri + " is refused: its key is (or lies under) a symbolic link in the local"
          + " S3 folder; COPY reads only the object its key names, never through a link", null);
    }
    return path;
  }

  /** Whether {@code path}, or one of its existing folders inside the bucket, is a symbolic link. */
  private boolean throughLink(S3Uri uri, Path path) throws SQLException {
    Path bucket = root.resolve(uri.bucket());
    Path existing = path;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null || !existing.startsWith(bucket)) {
      return false;  // nothing of the bucket exists yet: no link on the way (path checked the bucket itself)
    }
    try {
      Path real = existing.toRealPath();
      Path lexical = root.toRealPath().resolve(root.relativize(existing));
      return !real.equals(lexical) || Files.isSymbolicLink(path);
    } catch (IOException e) {
      throw outside(uri, path);
    }
  }

  private SQLException outside(S3Uri uri, Path path) {
    return SqlStates.io("S3 object " + uri + " is refused: its local file " + path + " is (or lies under) a"
        + " symbolic link that leads outside the bucket folder " + root.resolve(uri.bucket())
        + "; the local S3 emulation never reads or writes outside its folder", null);
  }

  /**
   * Every object whose key starts with the prefix, in key order. As S3 lists by prefix from an
   * index, only what may match is read: a folder's entries are matched by name before anything
   * else is asked of them, and only the folders on the prefix's way or under it are entered (a
   * walk of the whole folder took a COPY of one key 0.37 s beside 100,000 other files).
   */
  List<StoredObject> list(S3Uri prefix) throws SQLException {
    Path bucket = path(prefix.withKey(""));
    resolve(bucket, prefix);  // a prefix no file name can start with is refused, not listed as empty
    int lastSlash = prefix.key().lastIndexOf('/');
    // Only the folder named by the prefix up to its last '/' can hold matching keys.
    String startKey = lastSlash < 0 ? "" : prefix.key().substring(0, lastSlash + 1);
    Path start = lastSlash < 0 ? bucket : path(prefix.withKey(prefix.key().substring(0, lastSlash)));
    List<StoredObject> found = new ArrayList<>();
    if (!Files.isDirectory(start)) {
      return found;
    }
    List<Path> candidates = new ArrayList<>();
    try {
      if (Files.isSymbolicLink(start)) {
        candidates.add(start); // never entered: checked below as the link it is
      } else {
        collect(start, startKey, prefix.key(), candidates);
      }
    } catch (IOException | UncheckedIOException e) {
      throw SqlStates.io("cannot list " + prefix + " in the local S3 folder " + root + ": " + e.getMessage(), e);
    }
    for (Path file : candidates) {
      String key = bucket.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
      if (!key.startsWith(prefix.key())) {
        continue;
      }
      S3Uri uri = prefix.withKey(key);
      contained(uri, file);
      if (Files.isRegularFile(file)) {
        found.add(new StoredObject(uri, file));
      }
    }
    found.sort(KEY_ORDER);
    return found;
  }

  /**
   * Adds the files and links under {@code folder} (whose keys start with {@code folderKey}) whose
   * keys start with the prefix, entering only folders whose keys do; links are never followed. It
   * starts at the prefix's last folder, so no folder on the way needs entering.
   */
  private static void collect(Path folder, String folderKey, String prefix, List<Path> into) throws IOException {
    DirectoryStream.Filter<Path> matches = entry -> (folderKey + entry.getFileName()).startsWith(prefix);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, matches)) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          collect(entry, folderKey + entry.getFileName() + "/", prefix, into);
        } else if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(entry)) {
          into.add(entry);
        }
      }
    }
  }

  /**
   * A fresh staging folder on the same file system as the buckets, so finished files move
   * atomically; refused when the staging folder is a link leading out of the root.
   */
  Path newStagingFolder() throws IOException, SQLException {
    return Files.createTempDirectory(stagingFolder(), "unload-");
  }

  /**
   * A fresh, empty staging file beside {@link #newStagingFolder}'s folders: an object being written
   * that no listing, COPY or key can see until it is moved to its key.
   */
  Path newStagingFile() throws IOException, SQLException {
    // not createTempFile: its owner-only permissions would stay with the object once moved to its key
    return Files.createFile(stagingFolder().resolve("object-" + java.util.UUID.randomUUID()));
  }

  private Path stagingFolder() throws IOException, SQLException {
    Path staging = root.resolve(STAGING);
    Files.createDirectories(staging);
    if (!staging.toRealPath().startsWith(root.toRealPath()) || Files.isSymbolicLink(staging)) {
      throw SqlStates.io("the staging folder " + staging + " is a symbolic link; the local S3 emulation writes"
          + " only inside its folder " + root, null);
    }
    return staging;
  }

  /**
   * The lock an UNLOAD holds while it moves its files to their keys: the same object for every
   * store of this folder in the JVM, found by the folder's real path (the staging folder made it).
   */
  Object publishLock() throws IOException {
    return PUBLISHING[Math.floorMod(root.toRealPath().hashCode(), PUBLISHING.length)];
  }

  /** One object: its location and its file. */
  record StoredObject(S3Uri uri, Path file) {}
}
