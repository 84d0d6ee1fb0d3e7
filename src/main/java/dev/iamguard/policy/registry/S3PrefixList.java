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
   * of those that may ({@link S3Prefixes#mayGrant}), each held is compared as {@code covered} compares.
   */
  boolean covers(String uri, boolean keyPrefix) {
    Set<S3Prefix> held = index;
    if (held == null) {
      held = new HashSet<>(List.of(prefixes));
      index = held;
    }
    for (S3Prefix candidate : S3Prefixes.mayGrant(uri)) {
      if (held.contains(candidate) && S3Prefixes.coveredByEach(List.of(candidate), uri, keyPrefix)) {
        return true;
      }
    }
    return false;
  }
}
