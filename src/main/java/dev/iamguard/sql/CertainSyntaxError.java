package dev.iamguard.sql;

/**
 * Statements the server refuses as a syntax error before running any of them, known by their first
 * words. The rest of a comment's sentence read afresh from a {@code ;} in it
 * ({@code -- generated; do not edit}, {@code -- sanity check; end of step 2}) starts with a command
 * word but is no statement: a driver that split there would send a piece the server refuses.
 *
 * <p>Only a few commands are known, by the words their grammar allows after their first ones
 * (PostgreSQL's, of which Redshift's are a subset): {@code END}, {@code COMMIT}, {@code ABORT} and
 * {@code ROLLBACK} take only {@code WORK}, {@code TRANSACTION}, {@code AND}, {@code TO} or
 * {@code PREPARED} next (or nothing); {@code DO} only a string or {@code LANGUAGE};
 * {@code CALL name} only {@code (} or {@code .}; {@code TRUNCATE [TABLE] [ONLY] name} only a list,
 * {@code *} or its options. The tokens compared must stand apart by blanks alone, and hold no
 * {@code ;} (words, numbers, operators, dots, commas, parentheses): a comment or a literal between
 * or in them could hold a {@code ;} a driver splits at. For anything else the answer is false, so a caller that lets a
 * piece go on a true answer lets go only a piece the server refuses ({@code CertainSyntaxErrorServerTest}
 * holds the claim against PostgreSQL).
 */
final class CertainSyntaxError {
  private CertainSyntaxError() {}

  /** Whether the server refuses the statement of tokens {@code [from, to)} of {@code t} as a syntax error. */
  static boolean of(Tokens t, int from, int to) {
    if (to - from < 2 || !apart(t, from, to)) {
      return false;
    }
    if (t.isWord(from, "END") || t.isWord(from, "COMMIT") || t.isWord(from, "ABORT") || t.isWord(from, "ROLLBACK")) {
      return !t.isWord(from + 1, "WORK") && !t.isWord(from + 1, "TRANSACTION") && !t.isWord(from + 1, "AND")
          && !t.isWord(from + 1, "TO") && !t.isWord(from + 1, "PREPARED");
    }
    if (t.isWord(from, "DO")) {
      // U&'...' is a string to a server with standard_conforming_strings=on, lexed as the word U and more (probe sq4 F2)
      return !t.isWord(from + 1, "LANGUAGE") && !t.isWord(from + 1, "U");
    }
    if (!wordsApart(t, from, to)) {
      return false;
    }
    if (t.isWord(from, "CALL")) {
      // CALL takes a name and its parentheses: a name alone, or a word after it, is refused
      return from + 2 == to || wordsApart(t, from + 1, to);
    }
    if (t.isWord(from, "TRUNCATE")) {
      int name = from + 1;
      if (t.isWord(name, "TABLE") && wordsApart(t, name, to)) {
        name++;
      }
      if (t.isWord(name, "ONLY") && wordsApart(t, name, to)) {
        name++;
      }
      return name + 1 < to && wordsApart(t, name, to) && !t.isWord(name + 1, "RESTART")
          && !t.isWord(name + 1, "CONTINUE") && !t.isWord(name + 1, "CASCADE") && !t.isWord(name + 1, "RESTRICT");
    }
    return false;
  }

  /** Whether tokens {@code i} and {@code i + 1} (both before {@code to}) are plain words with only blanks between them. */
  private static boolean wordsApart(Tokens t, int i, int to) {
    return i + 1 < to && t.is(i + 1, TokenKind.WORD) && apart(t, i, to);
  }

  /**
   * Whether token {@code i} is a plain word and token {@code i + 1} (before {@code to}) one that
   * cannot hold a {@code ;} (a word, a number, an operator, a dot, a comma or a parenthesis), with
   * only blanks between them.
   */
  private static boolean apart(Tokens t, int i, int to) {
    if (i + 1 >= to || !t.is(i, TokenKind.WORD)) {
      return false;
    }
    TokenKind next = t.kind(i + 1);
    if (next != TokenKind.WORD && next != TokenKind.NUMBER && next != TokenKind.OPERATOR && next != TokenKind.DOT
        && next != TokenKind.COMMA && next != TokenKind.LEFT_PAREN && next != TokenKind.RIGHT_PAREN) {
      return false;
    }
    String source = t.source();
    for (int k = t.end(i); k < t.start(i + 1); k++) {
      char c = source.charAt(k);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\u000b') {
        return false;
      }
    }
    return true;
  }
}
