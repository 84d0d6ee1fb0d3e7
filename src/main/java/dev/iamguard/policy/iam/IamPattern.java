package dev.iamguard.policy.iam;

import java.util.BitSet;

/**
 * An IAM wildcard pattern: {@code *} matches any run of characters (the empty one too),
 * {@code ?} exactly one, everything else itself.
 *
 * <p>Matching simulates the pattern as a set of positions ("states") that a text read so far
 * can have reached, one step per character: linear in text length times pattern length, with
 * none of the exponential backtracking a regex translation can show on many stars. The same
 * state set answers the two questions about every text that starts with a prefix (see
 * {@link PatternList}).
 */
final class IamPattern {

  private final String text;
  private final int[] symbols;
  private final boolean ignoreCase;
  /** No wildcard at all: most Resource ARNs, matched by plain comparison. */
  private final boolean literal;
  /** For each position i: the suffix from i holds no literal, only {@code *} and {@code ?}. */
  private final boolean[] wildOnly;
  /** For each position i: the number of {@code ?} in the suffix from i. */
  private final int[] singles;
  /** For each position i: the suffix from i holds a {@code *}. */
  private final boolean[] starred;

  private IamPattern(String text, boolean ignoreCase) {
    this.text = text;
    this.ignoreCase = ignoreCase;
    this.symbols = text.codePoints().map(c -> ignoreCase ? fold(c) : c).toArray();
    this.literal = text.indexOf('*') < 0 && text.indexOf('?') < 0;
    int n = symbols.length;
    wildOnly = new boolean[n + 1];
    singles = new int[n + 1];
    starred = new boolean[n + 1];
    wildOnly[n] = true;
    for (int i = n - 1; i >= 0; i--) {
      wildOnly[i] = wildOnly[i + 1] && (symbols[i] == '*' || symbols[i] == '?');
      singles[i] = singles[i + 1] + (symbols[i] == '?' ? 1 : 0);
      starred[i] = starred[i + 1] || symbols[i] == '*';
    }
  }

  static IamPattern of(String text, boolean ignoreCase) {
    return new IamPattern(text, ignoreCase);
  }

  String text() {
    return text;
  }

  boolean matches(String candidate) {
    if (literal) {
      return ignoreCase ? text.equalsIgnoreCase(candidate) : text.equals(candidate);
    }
    return statesAfter(candidate).get(symbols.length);
  }

  /** Whether some text starting with {@code prefix} matches: every live state can finish. */
  boolean matchesSomeStartingWith(String prefix) {
    return !statesAfter(prefix).isEmpty();
  }

  /**
   * The positions reachable after reading {@code input}, closed over stars (a star may match
   * nothing, so being before it means being after it too).
   */
  BitSet statesAfter(String input) {
    int n = symbols.length;
    BitSet current = new BitSet(n + 1);
    BitSet next = new BitSet(n + 1);
    current.set(0);
    closeOverStars(current);
    for (int k = 0; k < input.length() && !current.isEmpty(); ) {
      int c = input.codePointAt(k);
      k += Character.charCount(c);
      int symbol = ignoreCase ? fold(c) : c;
      next.clear();
      for (int i = current.nextSetBit(0); i >= 0 && i < n; i = current.nextSetBit(i + 1)) {
        int p = symbols[i];
        if (p == '*') {
          next.set(i);
        } else if (p == '?' || p == symbol) {
          next.set(i + 1);
        }
      }
      closeOverStars(next);
      BitSet swap = current;
      current = next;
      next = swap;
    }
    return current;
  }

  private void closeOverStars(BitSet states) {
    for (int i = states.nextSetBit(0); i >= 0 && i < symbols.length; i = states.nextSetBit(i + 1)) {
      if (symbols[i] == '*') {
        states.set(i + 1);
      }
    }
  }

  /** The suffix from state {@code i} holds no literal: it matches a text by length alone. */
  boolean wildOnlyFrom(int i) {
    return wildOnly[i];
  }

  /** Number of {@code ?} in the suffix from state {@code i}: its shortest match length. */
  int singlesFrom(int i) {
    return singles[i];
  }

  /** Whether the suffix from state {@code i} has a star: it matches any longer text as well. */
  boolean starredFrom(int i) {
    return starred[i];
  }

  private static int fold(int c) {
    return Character.toLowerCase(Character.toUpperCase(c));
  }

  @Override
  public String toString() {
    return text;
  }
}
