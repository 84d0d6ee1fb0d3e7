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
  private byte[] kinds;
  private int[] starts;
  private int[] ends;
  private int count;
  /** Set by the lexer when a word that can open or carry an auth clause was seen. */
  boolean authWordSeen;
  /** Set by the lexer when a single-quoted literal holds a backslash. */
  boolean backslashInLiteral;
  /** How many procedure bodies enclose this text (0 at top level). */
  int depth;

  Tokens(String source, int capacity) {
    this.source = source;
    this.kinds = new byte[capacity];
    this.starts = new int[capacity];
    this.ends = new int[capacity];
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

  /** Forgets the tokens (scan mode reuses the buffer for each statement). */
  void clear() {
    count = 0;
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
    return length == upperCaseWord.length()
        && source.regionMatches(true, starts[i], upperCaseWord, 0, length);
  }

  boolean is(int i, TokenKind kind) {
    return i >= 0 && i < count && kinds[i] == kind.ordinal();
  }

  /** The word's text folded to upper case, or null when token {@code i} is not a word. */
  String upperWord(int i) {
    if (!is(i, TokenKind.WORD)) {
      return null;
    }
    return text(i).toUpperCase(java.util.Locale.ROOT);
  }

  /**
   * The value of a literal token: quotes removed, {@code ''} and backslash-quote unescaped, other
   * backslash sequences kept as written (COPY options such as {@code DELIMITER '\t'} interpret
   * them later). An unterminated literal yields what was written after its opening quote.
   */
  String literalValue(int i) {
    return Literals.value(source, starts[i], ends[i], kind(i));
  }
}
