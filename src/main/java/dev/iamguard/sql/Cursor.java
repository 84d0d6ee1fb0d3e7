package dev.iamguard.sql;

/** A position in the tokens of one statement, with the few moves the grammar needs. */
final class Cursor {
  final Tokens tokens;
  final int limit;
  int pos;

  Cursor(Tokens tokens, int from, int limit) {
    this.tokens = tokens;
    this.pos = from;
    this.limit = limit;
  }

  boolean atEnd() {
    return pos >= limit;
  }

  /** Kind of the current token; null at the end of the statement. */
  TokenKind kind() {
    return pos < limit ? tokens.kind(pos) : null;
  }

  boolean is(TokenKind kind) {
    return pos < limit && tokens.kind(pos) == kind;
  }

  boolean isWord(String upperCaseWord) {
    return pos < limit && tokens.isWord(pos, upperCaseWord);
  }

  boolean isWordAt(int offset, String upperCaseWord) {
    return pos + offset < limit && tokens.isWord(pos + offset, upperCaseWord);
  }

  /** Moves past the word when it is current; says whether it was. */
  boolean acceptWord(String upperCaseWord) {
    if (isWord(upperCaseWord)) {
      pos++;
      return true;
    }
    return false;
  }

  /** Moves past the words when they all follow in order; otherwise stays. */
  boolean acceptWords(String... upperCaseWords) {
    for (int k = 0; k < upperCaseWords.length; k++) {
      if (!isWordAt(k, upperCaseWords[k])) {
        return false;
      }
    }
    pos += upperCaseWords.length;
    return true;
  }

  boolean accept(TokenKind kind) {
    if (is(kind)) {
      pos++;
      return true;
    }
    return false;
  }

  /** True when the current token is a complete literal ('..' or $$..$$). */
  boolean isLiteral() {
    return pos < limit && tokens.kind(pos).isLiteral();
  }

  /** True when the current token is a complete single-quoted literal. */
  boolean isString() {
    return is(TokenKind.STRING);
  }

  String literalValue() {
    return tokens.literalValue(pos);
  }

  Span span() {
    return new Span(tokens.start(pos), tokens.end(pos));
  }

  int offset() {
    return pos < limit ? tokens.start(pos) : (limit > 0 ? tokens.end(limit - 1) : 0);
  }

  /**
   * Moves past a parenthesised group when one starts here, nesting included; returns the index
   * after its closing parenthesis (or the statement end when it is never closed), or -1 when no
   * group starts here.
   */
  int skipGroup() {
    if (!is(TokenKind.LEFT_PAREN)) {
      return -1;
    }
    int depth = 0;
    while (pos < limit) {
      TokenKind kind = tokens.kind(pos++);
      if (kind == TokenKind.LEFT_PAREN) {
        depth++;
      } else if (kind == TokenKind.RIGHT_PAREN && --depth == 0) {
        break;
      }
    }
    return pos;
  }

  /**
   * Reads a possibly qualified name ({@code schema.table}, {@code "Quoted".t}, {@code #temp});
   * returns its parts as written joined by dots, or null when no name starts here. What stands
   * between the parts (whitespace, comments) is not part of the name for Redshift, so it is left
   * out: {@code spectrum}, a comment, {@code .t} is table {@code spectrum.t}, not one of another schema.
   */
  String readName() {
    if (!is(TokenKind.WORD) && !is(TokenKind.QUOTED_IDENTIFIER)) {
      return null;
    }
    String part = tokens.text(pos++);
    if (!is(TokenKind.DOT)) {
      return part; // most names have one part: no builder, no second copy
    }
    StringBuilder name = new StringBuilder(part);
    while (is(TokenKind.DOT) && pos + 1 < limit
        && (tokens.kind(pos + 1) == TokenKind.WORD || tokens.kind(pos + 1) == TokenKind.QUOTED_IDENTIFIER)) {
      name.append('.').append(tokens.text(pos + 1));
      pos += 2;
    }
    return name.toString();
  }

  /** The current token's text, for messages about keywords; never used on literals. */
  String wordText() {
    return pos < limit && tokens.kind(pos) == TokenKind.WORD ? tokens.text(pos) : null;
  }
}
