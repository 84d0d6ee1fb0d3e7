package dev.iamguard.policy;

import java.util.List;
import java.util.Locale;

/**
 * Least-privilege matching of S3 locations against allowed prefixes, by path segment:
 * {@code s3://b/a} grants {@code s3://b/a} and {@code s3://b/a/x} but not {@code s3://b/ab};
 * {@code s3://b/a/} grants what starts with {@code a/}; {@code s3://b} grants the whole bucket.
 * A location holding {@code ..}, {@code .} or empty segments, or percent-encoded dots, slashes
 * or backslashes, is refused outright: such spellings are how prefixes are escaped elsewhere.
 */
final class S3Prefixes {
  private S3Prefixes() {}

  /** Why {@code uri} cannot be checked, or null when it can. */
  static String problem(String uri) {
    if (!uri.regionMatches(true, 0, "s3://", 0, 5)) {
      return "is not an s3:// location";
    }
    int slash = uri.indexOf('/', 5);
    if (slash == 5 || uri.length() == 5) {
      return "has no bucket";
    }
    int key = slash < 0 ? uri.length() : slash + 1; // offsets, not substrings: this runs per location
    if (uri.indexOf('%', key) >= 0) {
      String lower = uri.substring(key).toLowerCase(Locale.ROOT);
      if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c")) {
        return "holds a percent-encoded dot, slash or backslash";
      }
    }
    if (uri.indexOf("//", key) >= 0 || uri.startsWith("/", key)) {
      return "holds an empty path segment (//)";
    }
    for (int start = key; start <= uri.length(); ) {
      int end = uri.indexOf('/', start);
      end = end < 0 ? uri.length() : end;
      int length = end - start;
      if (length == 1 && uri.charAt(start) == '.' || length == 2 && uri.startsWith("..", start)) {
        return "holds a . or .. path segment";
      }
      start = end + 1;
    }
    return null;
  }

  /** True when one of {@code allowed} covers every object {@code uri} can name. */
  static boolean covered(List<S3Location> allowed, String uri) {
    String bucket = dev.iamguard.sql.S3Location.bucket(uri);
    String key = dev.iamguard.sql.S3Location.key(uri);
    for (S3Location prefix : allowed) {
      if (prefix.bucket().equals(bucket) && covers(prefix.key(), key)) {
        return true;
      }
    }
    return false;
  }

  private static boolean covers(String allowedKey, String key) {
    if (allowedKey.isEmpty()) {
      return true;
    }
    if (allowedKey.endsWith("/")) {
      return key.startsWith(allowedKey);
    }
    return key.equals(allowedKey) || key.startsWith(allowedKey + "/");
  }
}
