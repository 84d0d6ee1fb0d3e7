package dev.iamguard.policy.iam;

import java.util.BitSet;

/**
 * An IAM wildcard pattern: {@code *} matches any run of characters (the empty one too),
 * {@code ?} exactly one, everything else itself. Wildcards are held as {@link #STAR} and
 * {@link #ONE}, so a pattern built from resolved policy variables can hold a literal {@code *} or
 * {@code ?} ({@code ${*}}, {@code ${?}}, or a variable's value).
 *
 * <p>An ARN pattern ({@link #ofSymbols} with {@code colonBounded}, as a Resource element builds) follows the IAM reference for the Resource element: a wildcard
 * matches within one colon-separated segment and never a {@code :}, except a {@code *} that ends
 * the pattern, which may match the rest of the resource part, colons included
 * ({@code function:my-function*} matches {@code function:my-function:prod}).
 *
 * <p>Matching simulates the pattern as a set of positions ("states") that a text read so far
 * can have reached, one step per character: linear in text length times pattern length, with
 * none of the exponential backtracking a regex translation can show on many stars. The same
 * state set answers the two questions about every text that starts with a prefix (see
 * {@link PatternList}).
 */
final class IamPattern {

  /** The symbol of a {@code *} wildcard. */
  static final int STAR = -1;
  /** The symbol of a {@code ?} wildcard. */
  static final int ONE = -2;
  /**
   * A run of any characters, colons included even in an ARN pattern: what an unknown policy
   * variable stands for when the guard asks whether a text could match at all.
   */
  static final int ANY = -3;

  private final String text;
  private final int[] symbols;
  private final boolean ignoreCase;
  /** Wildcards do not match {@code :}, except a final star (ARN patterns). */
  private final boolean colonBounded;
  /** No wildcard at all: most Resource ARNs, matched by plain comparison. */
  private final boolean literal;
  /** The literal text when {@link #literal}. */
  private final String literalText;
  /** For each position i: the suffix from i holds no literal, only {@code *} and {@code ?}. */
  private final boolean[] wildOnly;
  /** For each position i: the number of {@code ?} in the suffix from i. */
  private final int[] singles;
  /** For each position i: the suffix from i holds a {@code *}. */
  private final boolean[] starred;
  /** The number of symbols before the first wildcard: read one state at a time, no set needed. */
  private final int head;

  private IamPattern(String text, int[] raw, boolean ignoreCase, boolean colonBounded) {
    this.text = text;
    this.ignoreCase = ignoreCase;
    this.colonBounded = colonBounded;
    this.symbols = new int[raw.length];
    boolean wild = false;
    for (int i = 0; i < raw.length; i++) {
      symbols[i] = raw[i] < 0 || !ignoreCase ? raw[i] : fold(raw[i]);
      wild |= raw[i] < 0;
    }
    int first = 0;
    while (first < raw.length && raw[first] >= 0) {
      first++;
    }
    this.head = first;
    this.literal = !wild;
    this.literalText = wild ? null : new String(raw, 0, raw.length);
    int n = symbols.length;
    wildOnly = new boolean[n + 1];
    singles = new int[n + 1];
    starred = new boolean[n + 1];
    wildOnly[n] = true;
    for (int i = n - 1; i >= 0; i--) {
      wildOnly[i] = wildOnly[i + 1] && symbols[i] < 0;
      singles[i] = singles[i + 1] + (symbols[i] == ONE ? 1 : 0);
      starred[i] = starred[i + 1] || symbols[i] == STAR || symbols[i] == ANY;
    }
  }

  /** {@code text} with {@code *} and {@code ?} as wildcards. */
  static IamPattern of(String text, boolean ignoreCase) {
    return new IamPattern(text, symbolsOf(text), ignoreCase, false);
  }

  /**
   * A pattern of symbols: code points, {@link #STAR} and {@link #ONE}.
   *
   * @param text how the pattern was written, for messages
   */
  static IamPattern ofSymbols(String text, int[] symbols, boolean ignoreCase, boolean colonBounded) {
    return new IamPattern(text, symbols, ignoreCase, colonBounded);
  }

  /** The symbols of a text whose {@code *} and {@code ?} are wildcards. */
  static int[] symbolsOf(String text) {
    return text.codePoints().map(c -> c == '*' ? STAR : c == '?' ? ONE : c).toArray();
  }

  String text() {
    return text;
  }

  boolean matches(String candidate) {
    if (literal) {
      return ignoreCase ? equalsIgnoringAsciiCase(literalText, candidate) : literalText.equals(candidate);
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
    // the literal head has one state at a time: compared directly, and a text that leaves it is
    // refused before any set is built (most resource patterns name another bucket or key)
    int k = 0;
    int state = 0;
    while (state < head && k < input.length()) {
      int c = input.codePointAt(k);
      if ((ignoreCase ? fold(c) : c) != symbols[state]) {
        return current;
      }
      k += Character.charCount(c);
      state++;
    }
    BitSet next = new BitSet(n + 1);
    current.set(state);
    closeOverStars(current);
    while (k < input.length() && !current.isEmpty()) {
      int c = input.codePointAt(k);
      k += Character.charCount(c);
      int symbol = ignoreCase ? fold(c) : c;
      next.clear();
      for (int i = current.nextSetBit(0); i >= 0 && i < n; i = current.nextSetBit(i + 1)) {
        int p = symbols[i];
        if (p == STAR || p == ANY) {
          if (c != ':' || !colonBounded || p == ANY || i == n - 1) {
            next.set(i);
          }
        } else if (p == ONE ? c != ':' || !colonBounded : p == symbol) {
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
      if (symbols[i] == STAR || symbols[i] == ANY) {
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

  /** Whether wildcards stop at {@code :} (an ARN pattern). */
  boolean colonBounded() {
    return colonBounded;
  }

  /**
   * ASCII letters to lower case, every other char as it is: IAM compares action names (ASCII) and
   * {@code IgnoreCase} values so, and Java's Unicode folding made {@code \u017f3:GetObject} (long s),
   * {@code s3:ListBuc\u212aet} (Kelvin sign) and {@code s3:L\u0131stBucket} (dotless i) grant the S3
   * actions they only resemble.
   */
  private static int fold(int c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
  }

  /** {@code a} and {@code b} equal but for the case of ASCII letters (see {@link #fold}). */
  static boolean equalsIgnoringAsciiCase(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    for (int i = 0; i < a.length(); i++) {
      if (fold(a.charAt(i)) != fold(b.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
