package dev.iamguard.sql;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process-wide cache of what was worked out from a text (a role ARN parsed, the tables of a
 * query), bounded in entries and in characters: a driver's cache lives as long as the application.
 * Bounding the entries alone let 4,096 texts of any length stay: 2,000 COPYs naming distinct
 * 50 KB role ARNs ran a 64 MB heap out of memory. Texts longer than {@code longest} are not
 * kept at all; when an entry would exceed either bound, the cache starts again empty (a crude
 * bound: the working set of one application is far smaller). Thread-safe; under races the
 * character count is approximate, by at most one text per racing thread.
 *
 * @param <V> what is kept for a text
 */
public final class TextCache<V> {
  private final int maxEntries;
  private final long maxChars;
  private final int longest;
  private final ConcurrentHashMap<String, V> entries = new ConcurrentHashMap<>();
  private final AtomicLong chars = new AtomicLong();

  /**
   * @param maxEntries the most texts kept
   * @param maxChars the most characters of texts kept, in all
   * @param longest the longest text kept
   */
  public TextCache(int maxEntries, long maxChars, int longest) {
    this.maxEntries = maxEntries;
    this.maxChars = maxChars;
    this.longest = longest;
  }

  /** What was kept for {@code text}, or null. */
  public V get(String text) {
    return entries.get(text);
  }

  /** Keeps {@code value} for {@code text}, unless the text is longer than this cache keeps. */
  public void put(String text, V value) {
    int length = text.length();
    if (length > longest) {
      return;
    }
    if (entries.size() >= maxEntries || chars.addAndGet(length) > maxChars) {
      entries.clear();
      chars.set(length);
    }
    entries.put(text, value);
  }

  /** Whether a text of this length may be kept. */
  public boolean keeps(int length) {
    return length <= longest;
  }

  /** The number of texts kept (tests). */
  int size() {
    return entries.size();
  }

  /** The characters of the texts kept, as counted (tests). */
  long chars() {
    return chars.get();
  }
}
