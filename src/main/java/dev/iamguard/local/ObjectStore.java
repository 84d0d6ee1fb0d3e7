package dev.iamguard.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The local folder standing in for S3: {@code s3://bucket/key} is {@code root/bucket/key}.
 * Listing follows S3 prefix semantics, not globbing or folders: {@code data/venue} matches
 * {@code data/venue.txt}, {@code data/venue_1.gz} and {@code data/venue/part1}; objects come back
 * in key order (UTF-8 byte order, as S3 lists them).
 */
final class ObjectStore {
  /** Staging folder for UNLOAD's files; a leading dot is never a valid bucket name, so no key maps here. */
  private static final String STAGING = ".iamguard-staging";

  private static final Comparator<StoredObject> KEY_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.uri().key().getBytes(StandardCharsets.UTF_8),
          b.uri().key().getBytes(StandardCharsets.UTF_8));

  private final Path root;

  ObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  /** The file of one object; refuses keys that would leave the root or cannot be file names. */
  Path path(S3Uri uri) throws SQLException {
    if (uri.key().isEmpty()) {
      return root.resolve(uri.bucket());
    }
    for (String segment : uri.key().split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw SqlStates.invalidOption("S3 key '" + uri + "' has an empty, '.' or '..' segment,"
            + " which the local S3 folder cannot represent as a file");
      }
    }
    Path path = root.resolve(uri.bucket()).resolve(uri.key()).normalize();
    if (!path.startsWith(root.resolve(uri.bucket()))) {
      throw SqlStates.invalidOption("S3 key '" + uri + "' does not map inside the local S3 folder");
    }
    return path;
  }

  /** Every object whose key starts with the prefix, in key order. */
  List<StoredObject> list(S3Uri prefix) throws SQLException {
    Path bucket = root.resolve(prefix.bucket());
    int lastSlash = prefix.key().lastIndexOf('/');
    // Only the folder named by the prefix up to its last '/' can hold matching keys.
    Path start = lastSlash < 0 ? bucket : path(prefix.withKey(prefix.key().substring(0, lastSlash)));
    List<StoredObject> found = new ArrayList<>();
    if (!Files.isDirectory(start)) {
      return found;
    }
    try (Stream<Path> files = Files.walk(start)) {
      files.filter(Files::isRegularFile).forEach(file -> {
        String key = bucket.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        if (key.startsWith(prefix.key())) {
          found.add(new StoredObject(prefix.withKey(key), file));
        }
      });
    } catch (IOException | UncheckedIOException e) {
      throw SqlStates.io("cannot list " + prefix + " in the local S3 folder " + root + ": " + e.getMessage(), e);
    }
    found.sort(KEY_ORDER);
    return found;
  }

  /** A fresh staging folder on the same file system as the buckets, so finished files move atomically. */
  Path newStagingFolder() throws IOException {
    Path staging = root.resolve(STAGING);
    Files.createDirectories(staging);
    return Files.createTempDirectory(staging, "unload-");
  }

  /** One object: its location and its file. */
  record StoredObject(S3Uri uri, Path file) {}
}
