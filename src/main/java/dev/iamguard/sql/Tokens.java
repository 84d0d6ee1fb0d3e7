package dev.iamguard.sql;

import java.util.Arrays;

/**
 * The tokens of one SQL text, held in parallel int arrays.
 *
 * <p>A token is an index: its kind, start offset and end offset (exclusive) in {@link #source()}.
 * Parallel arrays keep the no-auth hot path to a handful of allocations, whatever the statement
 * length; the grammar reads text through the accessors without copying.
 */
final class Tokens {
  private static final TokenKind[] KINDS = TokenKind.values();

  private final String source;
  private final Lexer.Reading reading;
  private byte[] kinds;
  private int[] starts;
  private int[] ends;
  private int count;
  /** Set by the lexer when a single-quoted literal holds a backslash. */
  boolean backslashInLiteral;
  /**
   * Set by the lexer at a backslash outside literals, quoted names and comments, or a {@code :}
   * followed by a name's char (not {@code ::}): forms psql reads as meta-commands and variables.
   */
  boolean psqlForms;
  /** Set by the lexer when a single-quoted literal continues after a closing quote ({@code 'a'\n'b'}). */
  boolean continuedLiteral;
  /**
   * Where continued literals are not: pairs of offsets, from after a closing quote to the quote
   * that continues the literal (whitespace and comments between), in text order; null when no
   * literal continued.
   */
  private int[] literalGaps;
  private int literalGapEnds;
  /**
   * Set by the lexer when the text holds a form that another reading lexes differently (a
   * backslash in a bit string, {@code #} before {@code $}): the ambiguity check then compares.
   */
  boolean readingsMayDiffer;
  /**
   * Where the first form that sets {@link #readingsMayDiffer} is (-1 before one): the ambiguity
   * check reads the other reading from the statement that holds it, so that a verdict does not
   * depend on text far after it (a streaming reader could not know it).
   */
  int firstDifference = -1;
  /** Where the first literal holding a backslash starts (-1 before one): the PostgreSQL reading starts at its statement. */
  int firstBackslash = -1;
  /** How many procedure bodies enclose this text (0 at top level). */
  int depth;
  /** One bit per token: set for auth words, so the grammar never compares their text again. */
  private long[] authWords;
  /** Indices of the words that hold a no-break or zero-width space (see {@link Lexer#isConfusable}). */
  private int[] confusables;
  private int confusableCount;

  Tokens(String source, int capacity, Lexer.Reading reading) {
    this.source = source;
    this.reading = reading;
    this.kinds = new byte[capacity];
    this.starts = new int[capacity];
    this.ends = new int[capacity];
  }

  /** How many tokens the arrays hold before they grow (for tests of what a text costs). */
  int capacity() {
    return kinds.length;
  }

  void add(TokenKind kind, int start, int end) {
    if (count == kinds.length) {
      int grown = Math.max(16, count * 2);
      kinds = Arrays.copyOf(kinds, grown);
      starts = Arrays.copyOf(starts, grown);
      ends = Arrays.copyOf(ends, grown);
    }
    kinds[count] = (byte) kind.ordinal();
    starts[count] = start;
    ends[count] = end;
    count++;
  }

  /** Marks the last token added as an auth word. */
  void markAuthWord() {
    int i = count - 1;
    if (authWords == null) {
      authWords = new long[(kinds.length >> 6) + 1];
    } else if ((i >> 6) >= authWords.length) {
      authWords = Arrays.copyOf(authWords, Math.max(authWords.length * 2, (i >> 6) + 1));
    }
    authWords[i >> 6] |= 1L << i;
  }

  /** True when token {@code i} is an auth word ({@code IAM_ROLE}, {@code CREDENTIALS}, ...). */
  boolean isAuthWord(int i) {
    return authWords != null && i >= 0 && i < count && (i >> 6) < authWords.length
        && (authWords[i >> 6] & 1L << i) != 0;
  }

  /** True when an auth word lies among tokens {@code [from, to)}. */
  boolean hasAuthWordIn(int from, int to) {
    if (authWords == null) {
      return false;
    }
    for (int word = from >> 6; word <= (to - 1) >> 6 && word < authWords.length; word++) {
      long bits = authWords[word];
      if (bits == 0) {
        continue;
      }
      int low = word << 6;
      for (int i = Math.max(from, low); i < Math.min(to, low + 64); i++) {
        if ((bits & 1L << i) != 0) {
          return true;
        }
      }
    }
    return false;
  }

  /** Marks the last token added as a word holding a no-break or zero-width space. */
  void markConfusable() {
    if (confusables == null) {
      confusables = new int[4];
    } else if (confusableCount == confusables.length) {
      confusables = Arrays.copyOf(confusables, confusableCount * 2);
    }
    confusables[confusableCount++] = count - 1;
  }

  /**
   * The first word among tokens {@code [from, to)} that holds a no-break or zero-width space, or
   * -1.
   */
  int confusableIn(int from, int to) {
    for (int k = 0; k < confusableCount; k++) {
      if (confusables[k] >= from && confusables[k] < to) {
        return confusables[k];
      }
    }
    return -1;
  }

  /**
   * The parts of word token {@code i} between the characters that look like spaces, as
   * {start, end, start, end, ...}: what a reader who takes those characters for spaces sees.
   */
  int[] segments(int i) {
    int[] bounds = new int[4];
    int n = 0;
    int from = starts[i];
    for (int p = starts[i]; p <= ends[i]; p++) {
      if (p == ends[i] || source.charAt(p) >= 0x80 && Lexer.isConfusable(source.charAt(p))) {
        if (p > from) {
          if (n + 2 > bounds.length) {
            bounds = Arrays.copyOf(bounds, bounds.length * 2);
          }
          bounds[n++] = from;
          bounds[n++] = p;
        }
        from = p + 1;
      }
    }
    return Arrays.copyOf(bounds, n);
  }

  /** True when a part of word token {@code i} (see {@link #segments}) is {@code upperCaseWord}, ignoring case. */
  boolean hasSegment(int i, String upperCaseWord) {
    int[] bounds = segments(i);
    for (int k = 0; k < bounds.length; k += 2) {
      if (bounds[k + 1] - bounds[k] == upperCaseWord.length() && sameWord(source, bounds[k], upperCaseWord)) {
        return true;
      }
    }
    return false;
  }

  /** Forgets the tokens from index {@code n} on (scan mode reuses the buffer for each statement). */
  void truncate(int n) {
    if (n == 0) {
      authWords = null;
    } else if (authWords != null) {
      for (int i = n; i < count && (i >> 6) < authWords.length; i++) {
        authWords[i >> 6] &= ~(1L << i);
      }
    }
    while (confusableCount > 0 && confusables[confusableCount - 1] >= n) {
      confusableCount--;
    }
    count = n;
  }

  String source() {
    return source;
  }

  int count() {
    return count;
  }

  TokenKind kind(int i) {
    return KINDS[kinds[i]];
  }

  int start(int i) {
    return starts[i];
  }

  int end(int i) {
    return ends[i];
  }

  /** The first token starting at or after {@code offset}, or {@link #count()} when none does: a binary search. */
  int firstFrom(int offset) {
    int low = 0;
    int high = count;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (starts[mid] < offset) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** The token's text exactly as written, quotes included. */
  String text(int i) {
    return source.substring(starts[i], ends[i]);
  }

  /** True when token {@code i} exists and is a word equal to {@code upperCaseWord}, ignoring case. */
  boolean isWord(int i, String upperCaseWord) {
    if (i < 0 || i >= count || kinds[i] != TokenKind.WORD.ordinal()) {
      return false;
    }
    int length = ends[i] - starts[i];
    return length == upperCaseWord.length() && sameWord(source, starts[i], upperCaseWord);
  }

  /**
   * Compares {@code source} at {@code start} with an upper-case keyword of ASCII letters, digits
   * and underscores, ignoring the case of the source: a lower-case letter XOR 0x20 is its upper
   * case, and no other word character maps onto a keyword character that way.
   */
  static boolean sameWord(String source, int start, String upperCaseWord) {
    for (int k = 0; k < upperCaseWord.length(); k++) {
      char c = source.charAt(start + k);
      char w = upperCaseWord.charAt(k);
      if (c != w && (c ^ 0x20) != w) {
        return false;
      }
    }
    return true;
  }

  boolean is(int i, TokenKind kind) {
    return i >= 0 && i < count && kinds[i] == kind.ordinal();
  }

  /**
   * The word's text folded to upper case in its ASCII letters, as the server folds key words, or
   * null when token {@code i} is not a word ({@code \u0131N}, dotless i, is no IN: Unicode folding made it one).
   */
  String upperWord(int i) {
    if (!is(i, TokenKind.WORD)) {
      return null;
    }
    String known = Keywords.lookup(source, starts[i], ends[i]);
    return known != null ? known : AsciiCase.toUpperCase(text(i));
  }

  /** The known keyword token {@code i} spells in any case (see {@link Keywords}), or null. */
  String keyword(int i) {
    return is(i, TokenKind.WORD) ? Keywords.lookup(source, starts[i], ends[i]) : null;
  }

  /**
   * The value of literal token {@code i} as the server reads it (see {@link Literals}), with why
   * Redshift might read it otherwise; an unterminated literal yields what was written after its
   * opening quote.
   */
  Literals.Value literal(int i) {
    return Literals.decode(source, starts[i], ends[i], kind(i), reading, backslashInLiteral);
  }

  /** The text of {@link #literal} alone. */
  String literalValue(int i) {
    return literal(i).text();
  }

  /** The text of literal token {@code i} as option arguments keep it (see {@link Literals#optionText}). */
  String optionText(int i) {
    return Literals.optionText(source, starts[i], ends[i], kind(i));
  }

  /** Records a continued literal's gap {@code [from, to)} (the lexer's; rare: no cost otherwise). */
  void literalGap(int from, int to) {
    continuedLiteral = true;
    if (literalGaps == null) {
      literalGaps = new int[8];
    } else if (literalGapEnds + 2 > literalGaps.length) {
      literalGaps = java.util.Arrays.copyOf(literalGaps, literalGaps.length * 2);
    }
    literalGaps[literalGapEnds++] = from;
    literalGaps[literalGapEnds++] = to;
  }

  /** The gaps of continued literals within {@code [from, to)}, as {@link #literalGap} pairs. */
  int[] literalGaps(int from, int to) {
    // a binary search for the first: a region's tokens are asked once for each literal in it
    int low = 0;
    int high = literalGapEnds / 2;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (literalGaps[2 * mid] < from) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    int first = 2 * low;
    int last = first;
    while (last < literalGapEnds && literalGaps[last + 1] <= to) {
      last += 2;
    }
    return java.util.Arrays.copyOfRange(literalGaps == null ? new int[0] : literalGaps, first, last);
  }
}
