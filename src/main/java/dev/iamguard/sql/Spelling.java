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

  /** Levenshtein distance: insertions, deletions and substitutions. */
  public static int distance(String a, String b) {
    return distance(a, b, false);
  }

  /**
   * The optimal string alignment distance: Levenshtein's edits and swaps of two neighbours, each
   * one edit (a typed {@code ACESS} and {@code SECERT} are one edit from the word meant).
   */
  public static int distanceWithSwaps(String a, String b) {
    return distance(a, b, true);
  }

  /**
   * Whether {@code a} and {@code b} are at most {@code max} edits apart by {@link #distanceWithSwaps}
   * (a swap of neighbours one edit), for a small {@code max}. Only the cells of the table within
   * {@code max} of its diagonal are worked out (a cell further off it is further than {@code max}:
   * each step off the diagonal is an edit), and the search stops at a row holding no cell within
   * {@code max}: no later cell is less than the least of the row above it (a swap's cell, one more
   * than the cell two rows up and two columns left, is never less than the cell between them).
   * The secret search asks this of each name before a literal that
   * shares letters with a keyword: working out the whole table was a sixth of {@code check}'s time
   * on a script of COPYs naming roles.
   */
  public static boolean withinSwapDistance(String a, String b, int max) {
    int n = b.length();
    if (max < 0 || Math.abs(a.length() - n) > max) {
      return false;
    }
    int far = max + 1; // every value above max is as good as any other: it is capped here
    int[] before = new int[n + 1];
    int[] previous = new int[n + 1];
    int[] current = new int[n + 1];
    for (int j = 0; j <= n; j++) {
      previous[j] = Math.min(j, far);
    }
    for (int i = 1; i <= a.length(); i++) {
      int from = Math.max(1, i - max);
      int to = Math.min(n, i + max);
      current[from - 1] = from == 1 ? Math.min(i, far) : far;
      if (to < n) {
        current[to + 1] = far; // read as the row above by the next row, one cell further right
      }
      int least = current[from - 1];
      char ai = a.charAt(i - 1);
      for (int j = from; j <= to; j++) {
        int substitution = previous[j - 1] + (ai == b.charAt(j - 1) ? 0 : 1);
        int d = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
        if (i > 1 && j > 1 && ai == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d = Math.min(d, before[j - 2] + 1);
        }
        current[j] = Math.min(d, far);
        least = Math.min(least, current[j]);
      }
      if (least > max) {
        return false;
      }
      int[] oldest = before;
      before = previous;
      previous = current;
      current = oldest;
    }
    return previous[n] <= max;
  }

  /** Both distances over rows of the table: the one before the previous row is kept for swaps. */
  private static int distance(String a, String b, boolean swaps) {
    int[] before = new int[b.length() + 1];
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        int d = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
        if (swaps && i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d = Math.min(d, before[j - 2] + 1);
        }
        current[j] = d;
      }
      int[] oldest = before;
      before = previous;
      previous = current;
      current = oldest;
    }
    return previous[b.length()];
  }
}
