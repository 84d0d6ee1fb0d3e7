package dev.iamguard.policy.registry;

import java.util.AbstractList;
import java.util.HashSet;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;

/**
 * An allow list of S3 prefixes (immutable) that answers {@link S3Prefixes#covered} by looking up
 * the few prefixes that can grant a location, not by comparing it with each: a role's list may
 * hold thousands (imported, or suggested from years of dated folders), and every COPY of it, and
 * every question the access report asks, compared with all of them ({@code access} of a role of
 * 40,000 prefixes: 28 s). Short lists are still compared one by one.
 */
public final class S3PrefixList extends AbstractList<S3Prefix> implements RandomAccess {
  /** Lists up to this long are compared one by one: cheaper than the lookups' substrings. */
  static final int COMPARED_UP_TO = 16;

  private final S3Prefix[] prefixes;
  /** Built on the first lookup (racing threads may each build one: they are equal). */
  private volatile Set<S3Prefix> index;

  private S3PrefixList(S3Prefix[] prefixes) {
    this.prefixes = prefixes;
  }

  /** {@code prefixes} as an immutable list with lookups (null elements refused, as {@link List#copyOf} does). */
  public static List<S3Prefix> of(List<S3Prefix> prefixes) {
    if (prefixes instanceof S3PrefixList list) {
      return list;
    }
    return new S3PrefixList(List.copyOf(prefixes).toArray(new S3Prefix[0]));
  }

  @Override
  public S3Prefix get(int index) {
    return prefixes[index];
  }

  @Override
  public int size() {
    return prefixes.length;
  }

  /**
   * True when one of these prefixes grants every key {@code uri} touches ({@link S3Prefixes#covered}):
   * only the whole bucket can, or, at each {@code /} of the key, the key up to it ({@code a} grants
   * {@code a/...}) and up to and with it ({@code a/}), or the key itself; each of those held is
   * then compared as {@code covered} compares.
   */
  boolean covers(String uri, boolean keyPrefix) {
    Set<S3Prefix> held = index;
    if (held == null) {
      held = new HashSet<>(List.of(prefixes));
      index = held;
    }
    // the bucket and key as S3Prefixes.covered reads them
    int slash = uri.length() < 5 ? -1 : uri.indexOf('/', 5);
    String bucket = uri.substring(Math.min(5, uri.length()), slash < 0 ? uri.length() : slash);
    String key = slash < 0 ? "" : uri.substring(slash + 1);
    if (grants(held, new S3Prefix(bucket, ""), uri, keyPrefix) || grants(held, new S3Prefix(bucket, key), uri, keyPrefix)) {
      return true;
    }
    for (int at = key.indexOf('/'); at >= 0; at = key.indexOf('/', at + 1)) {
      if (grants(held, new S3Prefix(bucket, key.substring(0, at)), uri, keyPrefix)
          || grants(held, new S3Prefix(bucket, key.substring(0, at + 1)), uri, keyPrefix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean grants(Set<S3Prefix> held, S3Prefix candidate, String uri, boolean keyPrefix) {
    return held.contains(candidate) && S3Prefixes.coveredByEach(List.of(candidate), uri, keyPrefix);
  }
}
