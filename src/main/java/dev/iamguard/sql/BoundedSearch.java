package dev.iamguard.sql;

/**
 * Searches that stop at a bound. {@code text.indexOf(c, from)} whose answer counts only below
 * {@code to} reads on to the end of the text when there is none: asked once per piece, run or
 * literal, that made reading a text quadratic in its length (a masked statement of 100,000 short
 * literals and no {@code ://} searched the rest of the text once per literal).
 */
final class BoundedSearch {
  private BoundedSearch() {}

  /** The first {@code c} in {@code from..to} of {@code text}, or -1. */
  static int indexOf(String text, char c, int from, int to) {
    int end = Math.min(to, text.length());
    for (int i = Math.max(from, 0); i < end; i++) {
      if (text.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  /** The first {@code what} that starts in {@code from..to} and ends by {@code to}, or -1. */
  static int indexOf(String text, String what, int from, int to) {
    int last = Math.min(to, text.length()) - what.length();
    for (int i = Math.max(from, 0); i <= last; i++) {
      if (text.startsWith(what, i)) {
        return i;
      }
    }
    return -1;
  }

  /** The last {@code c} in {@code from..to} of {@code text}, or -1. */
  static int lastIndexOf(String text, char c, int from, int to) {
    for (int i = Math.min(to, text.length()) - 1; i >= Math.max(from, 0); i--) {
      if (text.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }
}
