package dev.iamguard.policy.registry;

import java.util.List;
import java.util.Locale;

/**
 * Least-privilege matching of S3 locations against allowed prefixes, by path segment:
 * {@code s3://b/a} grants the key {@code a} and the keys under {@code a/} but not {@code ab};
 * {@code s3://b/a/} grants what starts with {@code a/}; {@code s3://b} grants the whole bucket.
 * A location is judged by every key the command can touch (issue 10, item 5): a COPY source or
 * UNLOAD target is a key prefix, so {@code s3://b/a} as a COPY source also reads {@code ab/..}
 * and lies inside {@code s3://b/a} only when written {@code s3://b/a/} or deeper.
 * A location holding {@code ..}, {@code .} or empty segments, or percent-encoded dots, slashes
 * or backslashes, is refused outright: such spellings are how prefixes are escaped elsewhere; so is
 * a bucket S3 would not read as written (upper case, spaces, percent signs, access point aliases).
 */
public final class S3Prefixes {
  private S3Prefixes() {}

  /** The most prefixes a message lists. */
  public static final int LISTED = 10;

  /**
   * {@code prefixes} as a message lists them: {@code [s3://a/, s3://b/]}, the first {@link #LISTED}
   * and how many more. A role imported from an account may hold thousands, and every denial of it
   * quotes them: listed whole, 4,000 denials of a role of 10,000 prefixes ran a 256 MB heap out of
   * memory, and the JSON report grew with denials times prefixes.
   */
  public static String listed(List<S3Prefix> prefixes) {
    return "[" + joined(prefixes) + "]";
  }

  /** {@code prefixes} joined by commas, cut as {@link #listed} cuts them: {@code s3://a/, s3://b/, and 3 more}. */
  public static String joined(List<S3Prefix> prefixes) {
    StringBuilder text = new StringBuilder();
    int shown = Math.min(prefixes.size(), LISTED);
    for (int i = 0; i < shown; i++) {
      text.append(i == 0 ? "" : ", ").append(prefixes.get(i));
    }
    return shown < prefixes.size() ? text.append(", and ").append(prefixes.size() - shown).append(" more").toString()
        : text.toString();
  }

  /** Why {@code uri} cannot be checked, or null when it can. */
  public static String problem(String uri) {
    if (!uri.regionMatches(true, 0, "s3://", 0, 5)) {
      return "is not an s3:// location";
    }
    int slash = uri.indexOf('/', 5);
    if (slash == 5 || uri.length() == 5) {
      return "has no bucket";
    }
    int key = slash < 0 ? uri.length() : slash + 1; // offsets, not substrings: this runs per location
    String bucket = bucketProblem(uri, slash < 0 ? uri.length() : slash);
    if (bucket != null) {
      return bucket;
    }
    if (hasReadingMarks(uri, key)) {
      String reading = readingProblem(uri, key); // the rare keys, in a method of their own: this one is per location
      if (reading != null) {
        return reading;
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

  /** Whether {@code uri} holds {@code %}, {@code ?} or {@code #} from {@code from} on (one pass: this runs per location). */
  private static boolean hasReadingMarks(String uri, int from) {
    for (int at = from; at < uri.length(); at++) {
      char ch = uri.charAt(at);
      if (ch == '%' || ch == '?' || ch == '#') {
        return true;
      }
    }
    return false;
  }

  /** Why a key holding {@code %}, {@code ?} or {@code #} cannot be checked in one of its readings, or null. */
  private static String readingProblem(String uri, int key) {
    if (uri.indexOf('%', key) >= 0) {
      String lower = uri.substring(key).toLowerCase(Locale.ROOT);
      if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c")) {
        return "holds a percent-encoded dot, slash or backslash";
      }
      String decoded = decoded(uri); // %252e: a second decoding must not find a way out either
      String problem = decoded == null ? null : problem(decoded);
      if (problem != null) {
        return "holds percent escapes that decode to a key that " + problem;
      }
    }
    String cut = cutAtQuery(uri);
    String problem = cut == null ? null : problem(cut);
    return problem == null ? null : "ends, read as a URL (at ? or #), in a key that " + problem;
  }

  /** The characters of an S3 bucket name: lower-case letters, digits, dots and hyphens. */
  private static final boolean[] BUCKET_CHARS = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      BUCKET_CHARS[c] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      BUCKET_CHARS[c] = true;
    }
    BUCKET_CHARS['.'] = true;
    BUCKET_CHARS['-'] = true;
  }

  /**
   * A bucket the guard cannot name as S3 would: S3 bucket names "can consist only of lowercase
   * letters, numbers, dots (.), and hyphens (-)" (S3 User Guide, bucket naming rules), so an upper
   * case letter, a space, a percent sign or any other character leaves open which bucket the
   * request reaches (host names ignore case; a client may trim or decode), while the guard would
   * compare the text as written and miss a Deny on the bucket it reaches. The reserved suffixes
   * {@code -s3alias} and {@code --ol-s3} are access point aliases: they address another bucket the
   * guard cannot see. Length and first/last character rules are not checked: breaking them names no
   * other bucket.
   */
  private static String bucketProblem(String uri, int end) {
    for (int at = 5; at < end; at++) {
      char ch = uri.charAt(at);
      if (ch >= 128 || !BUCKET_CHARS[ch]) {
        return "names a bucket with a character S3 bucket names do not hold (only lower-case letters, digits,"
            + " dots and hyphens), so which bucket it reaches cannot be checked";
      }
    }
    if (uri.startsWith("-s3alias", end - 8) || uri.startsWith("--ol-s3", end - 7)) {
      return "names an access point alias (-s3alias, --ol-s3), whose bucket cannot be checked";
    }
    return null;
  }

  /**
   * The location with its key's {@code %XX} escapes decoded (as UTF-8), or null when the key holds
   * none. Whether Redshift decodes an S3 path before it asks S3 is documented nowhere the guard
   * knows, and either reading may reach a key a Deny names ({@code p%69i/} is {@code pii/}), so a
   * location must be permitted under both (one decoding; what it decodes to is judged as written).
   */
  public static String decoded(String uri) {
    int slash = uri.indexOf('/', 5);
    if (slash < 0 || uri.indexOf('%', slash) < 0) {
      return null;
    }
    StringBuilder out = new StringBuilder(uri.length()).append(uri, 0, slash + 1);
    java.io.ByteArrayOutputStream escaped = new java.io.ByteArrayOutputStream();
    boolean changed = false;
    for (int at = slash + 1; at < uri.length(); ) {
      int high = uri.charAt(at) == '%' && at + 2 < uri.length() ? hex(uri.charAt(at + 1)) : -1;
      int low = high < 0 ? -1 : hex(uri.charAt(at + 2));
      if (low >= 0) { // a run of escapes is one UTF-8 byte sequence
        escaped.write(high * 16 + low);
        at += 3;
        changed = true;
        continue;
      }
      out.append(escaped.toString(java.nio.charset.StandardCharsets.UTF_8)).append(uri.charAt(at++));
      escaped.reset();
    }
    return changed ? out.append(escaped.toString(java.nio.charset.StandardCharsets.UTF_8)).toString() : null;
  }

  /**
   * The location ended at the first {@code ?} or {@code #} of its key, as a URL parser reads a query
   * or fragment, or null when the key holds neither: S3 keys may hold both, and whether Redshift
   * reads them as part of the key is not documented ({@code s3://b/pii?/} may be {@code s3://b/pii}).
   */
  public static String cutAtQuery(String uri) {
    int slash = uri.indexOf('/', 5);
    if (slash < 0) {
      return null;
    }
    int query = uri.indexOf('?', slash);
    int fragment = uri.indexOf('#', slash);
    int end = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
    return end < 0 ? null : uri.substring(0, end);
  }

  /**
   * The other keys a client may read {@code uri} as, each to be permitted as well: its
   * percent-decoded readings ({@link #decoded}, once, twice, ...) and each of those, and the
   * location itself, ended at {@code ?} or {@code #} ({@link #cutAtQuery}). Empty for a key with
   * none of {@code % ? #}.
   */
  public static java.util.List<String> otherReadings(String uri) {
    int slash = uri.indexOf('/', 5);
    if (slash < 0 || !hasReadingMarks(uri, slash)) {
      return List.of();
    }
    java.util.List<String> readings = new java.util.ArrayList<>();
    for (String reading = uri; reading != null; reading = decoded(reading)) {
      if (reading != uri) {
        readings.add(reading);
      }
      String cut = cutAtQuery(reading);
      if (cut != null) {
        readings.add(cut);
      }
    }
    return readings;
  }

  private static int hex(char ch) {
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
        : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
  }

  /**
   * True when every key the command can touch lies inside one of {@code allowed}: with
   * {@code keyPrefix} every key that starts with the location's key (COPY source, UNLOAD target),
   * otherwise the one key it names (manifest, JSONPaths file, library).
   */
  public static boolean covered(List<S3Prefix> allowed, String uri, boolean keyPrefix) {
    if (allowed instanceof S3PrefixList list && list.size() > S3PrefixList.COMPARED_UP_TO) {
      return list.covers(uri, keyPrefix);
    }
    return coveredByEach(allowed, uri, keyPrefix);
  }

  /**
   * The prefixes other than {@code s3://bucket/key} itself that may grant what it names: only those
   * at its segment boundaries can, the whole bucket and, at each {@code /} of the key, the key up to
   * it ({@code a} grants {@code a/...}) and up to and with it ({@code a/}). Looking these few up
   * replaces comparing with every prefix there is.
   */
  public static List<S3Prefix> above(String bucket, String key) {
    List<S3Prefix> above = new java.util.ArrayList<>();
    if (!key.isEmpty()) {
      above.add(new S3Prefix(bucket, ""));
    }
    for (int slash = key.indexOf('/'); slash >= 0; slash = key.indexOf('/', slash + 1)) {
      above.add(new S3Prefix(bucket, key.substring(0, slash)));
      if (slash + 1 < key.length()) {
        above.add(new S3Prefix(bucket, key.substring(0, slash + 1)));
      }
    }
    return above;
  }

  /**
   * The only prefixes that may grant what the location {@code uri} touches ({@link #covered} of
   * each alone): those {@link #above} it and itself, its bucket and key read as {@code covered} reads them.
   */
  public static List<S3Prefix> mayGrant(String uri) {
    int slash = uri.length() < 5 ? -1 : uri.indexOf('/', 5);
    String bucket = uri.substring(Math.min(5, uri.length()), slash < 0 ? uri.length() : slash);
    String key = slash < 0 ? "" : uri.substring(slash + 1);
    List<S3Prefix> candidates = above(bucket, key);
    candidates.add(new S3Prefix(bucket, key));
    return candidates;
  }

  /** {@link #covered}, comparing the location with each of {@code allowed}. */
  static boolean coveredByEach(List<S3Prefix> allowed, String uri, boolean keyPrefix) {
    // offsets into uri, not substrings: this runs for every location of every inspected statement
    int slash = uri.length() < 5 ? -1 : uri.indexOf('/', 5);
    int bucketLength = (slash < 0 ? uri.length() : slash) - 5;
    int key = slash < 0 ? uri.length() : slash + 1;
    for (int at = 0; at < allowed.size(); at++) {
      S3Prefix prefix = allowed.get(at);
      String bucket = prefix.bucket();
      if (bucket.length() == bucketLength && uri.startsWith(bucket, 5) && covers(prefix.key(), uri, key, keyPrefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A granted key {@code a} holds the key {@code a} and the keys under {@code a/}; {@code a/} only
   * the keys under it; an empty one the whole bucket. A prefix location is inside only when every
   * key that starts with it is: {@code a} is not inside {@code a} (it also starts {@code ab}), but
   * {@code a/} and {@code a/x} are. The location's key is {@code uri} from {@code key} on.
   */
  private static boolean covers(String allowedKey, String uri, int key, boolean keyPrefix) {
    if (allowedKey.isEmpty()) {
      return true;
    }
    if (allowedKey.endsWith("/")) {
      return uri.startsWith(allowedKey, key);
    }
    int keyLength = uri.length() - key;
    int length = allowedKey.length();
    if (keyLength > length && uri.charAt(key + length) == '/' && uri.startsWith(allowedKey, key)) {
      return true;
    }
    return !keyPrefix && keyLength == length && uri.startsWith(allowedKey, key);
  }
}
