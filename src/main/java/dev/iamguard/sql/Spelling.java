package dev.iamguard.sql;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" suggestions for misspelt names: registry keys, GRANT commands, CREDENTIALS keys.
 * It lives in the lowest package so that every other one can use it.
 */
public final class Spelling {

  private Spelling() {}

  /**
   * The candidate closest to {@code word} by edit distance (ignoring case), if it is close
   * enough to be a plausible typo: at most 2 edits, or a third of the word's length.
   */
  public static Optional<String> nearest(String word, Collection<String> candidates) {
    String lower = word.toLowerCase(Locale.ROOT);
    int limit = Math.max(2, word.length() / 3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return bestDistance <= limit ? Optional.ofNullable(best) : Optional.empty();
  }

  /** Levenshtein distance, two rows. */
  public static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
