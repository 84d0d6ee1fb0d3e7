package dev.iamguard.sql;

/**
 * A single-pass, iterative lexer for Redshift SQL.
 *
 * <p>It knows what decides where a statement ends and what is code rather than text: single-quoted
 * literals ({@code ''} and backslash escapes), double-quoted identifiers, {@code $$} and
 * {@code $tag$} dollar quotes, {@code --} line comments and nested {@code /* *&#47;} comments.
 * Unterminated forms become one token running to the end of the input, so nothing after them is
 * mistaken for code. Every method that reads one lexical form returns the offset just after it.
 */
final class Lexer {
  /** Tokens at the start of a statement that classification looks at (CREATE OR REPLACE EXTERNAL ..). */
  private static final int CLASSIFY_TOKENS = 6;

  private final String sql;
  private final int from;
  private final int length;
  private final boolean backslashEscapes;
  /** Scan mode stores only the first tokens of the current statement, to classify it. */
  private final boolean scanning;
  private Tokens tokens;
  private boolean needsInspection;

  private Lexer(String sql, int from, int to, boolean backslashEscapes, boolean scanning) {
    this.sql = sql;
    this.from = from;
    this.length = to;
    this.backslashEscapes = backslashEscapes;
    this.scanning = scanning;
  }

  /**
   * The hot path: one pass over {@code sql} that stores no token beyond the first few of each
   * statement, and answers whether any statement is an auth-carrying command or holds an auth
   * word (or a literal with a backslash). False means the text can be sent without inspection.
   */
  static boolean needsInspection(String sql) {
    Lexer lexer = new Lexer(sql, 0, sql.length(), true, true);
    lexer.run();
    return lexer.needsInspection;
  }

  /** Tokenizes {@code sql} the way Redshift does: a backslash escapes inside a literal. */
  static Tokens tokenize(String sql) {
    return new Lexer(sql, 0, sql.length(), true, false).run();
  }

  /**
   * Tokenizes the region {@code [from, to)} of {@code sql} (a dollar-quoted procedure body); token
   * offsets stay offsets into {@code sql}.
   */
  static Tokens tokenize(String sql, int from, int to) {
    return new Lexer(sql, from, to, true, false).run();
  }

  /**
   * Tokenizes {@code sql} reading backslashes in literals as plain characters, the way PostgreSQL
   * with {@code standard_conforming_strings=on} (and H2) does; used to detect text whose meaning
   * depends on who lexes it.
   */
  static Tokens tokenizeStandardConforming(String sql) {
    return new Lexer(sql, 0, sql.length(), false, false).run();
  }

  private Tokens run() {
    tokens = new Tokens(sql, scanning ? CLASSIFY_TOKENS : Math.min(1 + (length - from) / 3, 64));
    int p = from;
    while (p < length) {
      char c = sql.charAt(p);
      int next;
      if (isWhitespace(c)) {
        next = p + 1;
      } else if (c == '-' && p + 1 < length && sql.charAt(p + 1) == '-') {
        next = skipLineComment(p);
      } else if (c == '/' && p + 1 < length && sql.charAt(p + 1) == '*') {
        next = skipBlockComment(p);
        if (next < 0) {
          emit(TokenKind.UNTERMINATED_COMMENT, p, length);
          next = length;
        }
      } else if (c == '\'') {
        next = readString(p);
      } else if (c == '"') {
        next = readQuotedIdentifier(p);
        emit(next < 0 ? TokenKind.UNTERMINATED_IDENTIFIER : TokenKind.QUOTED_IDENTIFIER, p, next < 0 ? length : next);
        next = next < 0 ? length : next;
      } else if (c == '$') {
        next = readDollar(p);
      } else if (isWordStart(c)) {
        next = readWord(p);
        emit(TokenKind.WORD, p, next);
        if (!tokens.authWordSeen && AuthWords.isAuthWord(sql, p, next)) {
          tokens.authWordSeen = true;
          needsInspection = true;
        }
      } else if (isDigit(c) || c == '.' && p + 1 < length && isDigit(sql.charAt(p + 1))) {
        next = readNumber(p);
        emit(TokenKind.NUMBER, p, next);
      } else {
        next = p + 1;
        emit(punctuation(c), p, next);
      }
      p = scanning && needsInspection ? length : next; // a scan stops at the first reason to inspect
    }
    if (scanning) {
      endStatement();
    }
    return tokens;
  }

  /** Stores a token; in scan mode, only the first few of each statement, classified at its end. */
  private void emit(TokenKind kind, int start, int end) {
    if (!scanning) {
      tokens.add(kind, start, end);
    } else if (kind == TokenKind.SEMICOLON) {
      endStatement();
    } else if (tokens.count() < CLASSIFY_TOKENS) {
      tokens.add(kind, start, end);
    }
  }

  private void endStatement() {
    if (tokens.count() > 0 && CommandParser.classify(tokens, 0, tokens.count()) != CommandKind.OTHER) {
      needsInspection = true;
    }
    tokens.clear();
  }

  private static TokenKind punctuation(char c) {
    switch (c) {
      case ';':
        return TokenKind.SEMICOLON;
      case '(':
        return TokenKind.LEFT_PAREN;
      case ')':
        return TokenKind.RIGHT_PAREN;
      case ',':
        return TokenKind.COMMA;
      case '.':
        return TokenKind.DOT;
      case '?':
        return TokenKind.PARAMETER;
      default:
        return TokenKind.OPERATOR;
    }
  }

  /** Skips a {@code --} comment starting at {@code p}; returns the offset of the line end. */
  private int skipLineComment(int p) {
    int q = p + 2;
    while (q < length && sql.charAt(q) != '\n' && sql.charAt(q) != '\r') {
      q++;
    }
    return q;
  }

  /**
   * Skips a block comment starting at {@code p}, counting nested {@code /*} openings; returns the
   * offset after its closing {@code *&#47;}, or -1 when the input ends first.
   */
  private int skipBlockComment(int p) {
    int depth = 0;
    int q = p;
    while (q + 1 < length) {
      char c = sql.charAt(q);
      char d = sql.charAt(q + 1);
      if (c == '/' && d == '*') {
        depth++;
        q += 2;
      } else if (c == '*' && d == '/') {
        depth--;
        q += 2;
        if (depth == 0) {
          return q;
        }
      } else {
        q++;
      }
    }
    return -1;
  }

  /**
   * Reads a single-quoted literal starting at {@code p}; returns the offset after its closing
   * quote, or the input length when it is unterminated (the token then says so).
   */
  private int readString(int p) {
    int q = p + 1;
    while (q < length) {
      char c = sql.charAt(q);
      if (c == '\\') {
        tokens.backslashInLiteral = true;
        needsInspection = true; // the ambiguity check needs the full token list
        if (backslashEscapes) {
          q += 2;
          continue;
        }
      } else if (c == '\'') {
        if (q + 1 < length && sql.charAt(q + 1) == '\'') {
          q += 2;
          continue;
        }
        emit(TokenKind.STRING, p, q + 1);
        return q + 1;
      }
      q++;
    }
    emit(TokenKind.UNTERMINATED_STRING, p, length);
    return length;
  }

  /** Reads a double-quoted identifier at {@code p}; returns the offset after it, or -1. */
  private int readQuotedIdentifier(int p) {
    int q = p + 1;
    while (q < length) {
      if (sql.charAt(q) == '"') {
        if (q + 1 < length && sql.charAt(q + 1) == '"') {
          q += 2;
          continue;
        }
        return q + 1;
      }
      q++;
    }
    return -1;
  }

  /**
   * Reads what starts with {@code $} at {@code p}: a positional parameter ({@code $1}), a dollar
   * quote ({@code $$} or {@code $tag$} up to the same tag), or a lone {@code $}; returns the offset
   * after it.
   */
  private int readDollar(int p) {
    int q = p + 1;
    if (q < length && isDigit(sql.charAt(q))) {
      while (q < length && isDigit(sql.charAt(q))) {
        q++;
      }
      emit(TokenKind.PARAMETER, p, q);
      return q;
    }
    while (q < length && isTagChar(sql.charAt(q), q == p + 1)) {
      q++;
    }
    if (q >= length || sql.charAt(q) != '$') {
      emit(TokenKind.OPERATOR, p, p + 1);
      return p + 1;
    }
    int tagEnd = q + 1;
    int close = sql.indexOf(sql.substring(p, tagEnd), tagEnd);
    if (close < 0 || close + (tagEnd - p) > length) {
      emit(TokenKind.UNTERMINATED_DOLLAR_STRING, p, length);
      return length;
    }
    int end = close + (tagEnd - p);
    emit(TokenKind.DOLLAR_STRING, p, end);
    return end;
  }

  private int readWord(int p) {
    int q = p + 1;
    while (q < length && isWordPart(sql.charAt(q))) {
      q++;
    }
    return q;
  }

  private int readNumber(int p) {
    int q = p;
    while (q < length && (isDigit(sql.charAt(q)) || sql.charAt(q) == '.')) {
      q++;
    }
    if (q < length && (sql.charAt(q) == 'e' || sql.charAt(q) == 'E')) {
      int r = q + 1;
      if (r < length && (sql.charAt(r) == '+' || sql.charAt(r) == '-')) {
        r++;
      }
      if (r < length && isDigit(sql.charAt(r))) {
        q = r;
        while (q < length && isDigit(sql.charAt(q))) {
          q++;
        }
      }
    }
    return q;
  }

  /**
   * Whitespace includes every Unicode space: reading a no-break space as a separator can only make
   * the guard see more clauses, never fewer.
   */
  static boolean isWhitespace(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == 0x0B
        || c > 127 && (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isWordStart(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '#'
        || c > 127 && Character.isLetter(c);
  }

  private static boolean isWordPart(char c) {
    return isWordStart(c) || isDigit(c) || c == '$' || c > 127 && Character.isLetterOrDigit(c);
  }

  private static boolean isTagChar(char c, boolean first) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c > 127 && Character.isLetter(c)
        || !first && isDigit(c);
  }
}
