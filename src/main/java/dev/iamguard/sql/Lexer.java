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
  /** With {@link #statements}, a scan records every statement instead of stopping early. */
  private final Statements statements;
  private Tokens tokens;
  private boolean needsInspection;
  private boolean statementNeedsParsing;
  /** {@link SessionEffects} of the text so far, and of the current statement. */
  private int effects;
  private int statementEffects;
  private int statementTokens;
  private int statementStart;
  private int statementEnd;
  private static final int UNKNOWN = -2;
  private int nextBackslash = UNKNOWN;

  private Lexer(String sql, int from, int to, boolean backslashEscapes, boolean scanning, Statements statements) {
    this.sql = sql;
    this.from = from;
    this.length = to;
    this.backslashEscapes = backslashEscapes;
    this.scanning = scanning;
    this.statements = statements;
  }

  private Lexer(String sql, int from, int to, boolean backslashEscapes, boolean scanning) {
    this(sql, from, to, backslashEscapes, scanning, null);
  }

  /**
   * The statements of {@code sql} as offset ranges, from one pass that stores no tokens: each with
   * whether it needs the grammar (an auth-carrying command, or an auth word somewhere in it). Only
   * those statements are then tokenized again and parsed.
   */
  static Statements statements(String sql) {
    Statements found = new Statements();
    Lexer lexer = new Lexer(sql, 0, sql.length(), true, true, found);
    lexer.run();
    found.backslashInLiteral = lexer.tokens.backslashInLiteral;
    return found;
  }

  /**
   * Statement ranges found by a scan: {start, end, flags} per statement, the flags holding whether
   * it needs parsing (bit 0) and its {@link SessionEffects} (the bits above).
   */
  static final class Statements {
    private int[] ranges = new int[12];
    private int count;
    boolean backslashInLiteral;

    void add(int start, int end, boolean needsParsing, int effects) {
      if (count * 3 == ranges.length) {
        ranges = java.util.Arrays.copyOf(ranges, ranges.length * 2);
      }
      ranges[count * 3] = start;
      ranges[count * 3 + 1] = end;
      ranges[count * 3 + 2] = (needsParsing ? 1 : 0) | effects << 1;
      count++;
    }

    int count() {
      return count;
    }

    /** True when some statement needs the grammar. */
    boolean anyNeedsParsing() {
      for (int i = 0; i < count; i++) {
        if (needsParsing(i)) {
          return true;
        }
      }
      return false;
    }

    int start(int i) {
      return ranges[i * 3];
    }

    int end(int i) {
      return ranges[i * 3 + 1];
    }

    boolean needsParsing(int i) {
      return (ranges[i * 3 + 2] & 1) != 0;
    }

    /** The {@link SessionEffects} of statement {@code i}. */
    int effects(int i) {
      return ranges[i * 3 + 2] >>> 1;
    }
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

  /**
   * The same pass as {@link #needsInspection}, answering also what the text may do to the session:
   * its {@link SessionEffects}, plus {@link SessionEffects#INSPECT} when it must be inspected (the
   * pass then stops early, so the other bits may be incomplete: the parsed script has them all).
   */
  static int scan(String sql) {
    Lexer lexer = new Lexer(sql, 0, sql.length(), true, true);
    lexer.run();
    return lexer.effects | (lexer.needsInspection ? SessionEffects.INSPECT : 0);
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
   * Tokenizes one statement range that a {@link #statements} scan found in a text whose literals
   * hold no backslash: the literals need no backslash search.
   */
  static Tokens tokenizeStatement(String sql, int from, int to) {
    Lexer lexer = new Lexer(sql, from, to, true, false);
    lexer.nextBackslash = -1;
    return lexer.run();
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
    tokens = new Tokens(sql, scanning ? CLASSIFY_TOKENS : Math.max(16, (length - from) / 4));
    int p = from;
    boolean stopEarly = scanning && statements == null;
    while (p < length) {
      char c = at(p);
      int next;
      switch (LEADS[c]) { // one table lookup picks the lexical form a character starts
        case SPACE -> next = p + 1;
        case WORD -> next = word(p);
        case QUOTE -> next = readString(p);
        case DOUBLE_QUOTE -> next = quotedIdentifier(p);
        case DIGIT -> {
          next = readNumber(p);
          emit(TokenKind.NUMBER, p, next);
        }
        case DOLLAR -> next = readDollar(p);
        case MINUS -> next = p + 1 < length && at(p + 1) == '-' ? skipLineComment(p) : punctuation(c, p);
        case SLASH -> next = p + 1 < length && at(p + 1) == '*' ? blockComment(p) : punctuation(c, p);
        case DOT -> {
          if (p + 1 < length && isDigit(at(p + 1))) {
            next = readNumber(p);
            emit(TokenKind.NUMBER, p, next);
          } else {
            next = punctuation(c, p);
          }
        }
        default -> next = punctuation(c, p);
      }
      // a scan stops at the first reason to inspect; a statement scan goes on to the end
      p = stopEarly && needsInspection ? length : next;
    }
    if (scanning) {
      endStatement();
    }
    return tokens;
  }

  /** What a character starts: the entries of {@link #LEADS}. */
  private static final byte OTHER = 0;
  private static final byte SPACE = 1;
  private static final byte WORD = 2;
  private static final byte QUOTE = 3;
  private static final byte DOUBLE_QUOTE = 4;
  private static final byte DIGIT = 5;
  private static final byte DOLLAR = 6;
  private static final byte MINUS = 7;
  private static final byte SLASH = 8;
  private static final byte DOT = 9;
  private static final byte[] LEADS = new byte[Character.MAX_VALUE + 1];

  static {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      char ch = (char) c;
      boolean wordStart = c < 128 ? ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '_' || ch == '#'
          : Character.isLetter(ch);
      LEADS[c] = isWhitespace(ch) ? SPACE : wordStart ? WORD : isDigit(ch) ? DIGIT
          : ch == '\'' ? QUOTE : ch == '"' ? DOUBLE_QUOTE : ch == '$' ? DOLLAR : ch == '-' ? MINUS
          : ch == '/' ? SLASH : ch == '.' ? DOT : OTHER;
    }
  }

  /** The character at offset {@code i}. */
  private char at(int i) {
    return sql.charAt(i);
  }

  /** {@code set_config} written as a quoted identifier (quoted, it is case-sensitive). */
  private static final String QUOTED_SET_CONFIG = "\"set_config\"";

  /** Reads a word at {@code p} and notes auth words and {@code set_config}; returns the offset after it. */
  private int word(int p) {
    int next = readWord(p);
    emit(TokenKind.WORD, p, next);
    int kind = AuthWords.kind(sql, p, next);
    if (kind != AuthWords.NONE) {
      note(kind);
    }
    return next;
  }

  /** Notes a word {@link AuthWords#kind} recognised (rare: kept out of {@link #word}, which runs for every word). */
  private void note(int kind) {
    if (kind == AuthWords.AUTH) {
      needsInspection = true;
      statementNeedsParsing = true;
      if (!scanning) {
        tokens.markAuthWord();
      }
    } else {
      statementEffects |= SessionEffects.IDENTITY;
    }
  }

  /** A quoted identifier at {@code p}, or an unterminated one to the end; returns the offset after it. */
  private int quotedIdentifier(int p) {
    int next = readQuotedIdentifier(p);
    if (next < 0) {
      emit(TokenKind.UNTERMINATED_IDENTIFIER, p, length);
      return length;
    }
    emit(TokenKind.QUOTED_IDENTIFIER, p, next);
    if (next - p == QUOTED_SET_CONFIG.length() && sql.startsWith(QUOTED_SET_CONFIG, p)) {
      statementEffects |= SessionEffects.IDENTITY;
    }
    return next;
  }

  /** A block comment at {@code p}, or an unterminated one to the end; returns the offset after it. */
  private int blockComment(int p) {
    int next = skipBlockComment(p);
    if (next >= 0) {
      return next;
    }
    emit(TokenKind.UNTERMINATED_COMMENT, p, length);
    return length;
  }

  /** A one-character token at {@code p}; returns the offset after it. */
  private int punctuation(char c, int p) {
    emit(punctuation(c), p, p + 1);
    return p + 1;
  }

  /** Stores a token; in scan mode, only the first few of each statement, classified at its end. */
  private void emit(TokenKind kind, int start, int end) {
    if (!scanning) {
      tokens.add(kind, start, end);
    } else if (kind == TokenKind.SEMICOLON) {
      endStatement();
    } else {
      if (statementTokens < CLASSIFY_TOKENS) { // past these, a scan only counts and moves the end
        if (statementTokens == 0) {
          statementStart = start;
        }
        tokens.add(kind, start, end);
      }
      statementTokens++;
      statementEnd = end;
    }
  }

  private void endStatement() {
    if (tokens.count() > 0) {
      CommandKind kind = CommandParser.classify(tokens, 0, tokens.count());
      if (kind != CommandKind.OTHER) {
        needsInspection = true;
        statementNeedsParsing = true;
      }
      statementEffects |= CommandParser.sessionEffects(kind, tokens, 0); // the same first tokens: no second pass
    }
    boolean onlyUnterminatedComment = statementTokens == 1 && tokens.kind(0) == TokenKind.UNTERMINATED_COMMENT;
    if (statements != null && statementTokens > 0 && !onlyUnterminatedComment) {
      statements.add(statementStart, statementEnd, statementNeedsParsing, statementEffects);
    }
    effects |= statementEffects;
    statementEffects = 0;
    statementNeedsParsing = false;
    statementTokens = 0;
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
    while (q < length && at(q) != '\n' && at(q) != '\r') {
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
      char c = at(q);
      char d = at(q + 1);
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
    // String.indexOf is an intrinsic: literals (S3 paths, UNLOAD queries) are skipped in bulk
    int backslash = backslashAtOrAfter(q);
    while (true) {
      int quote = indexOf('\'', q);
      if (backslash >= 0 && (quote < 0 || backslash < quote)) {
        tokens.backslashInLiteral = true;
        needsInspection = true; // the ambiguity check needs the full token list
        if (backslashEscapes) {
          q = backslash + 2; // the escaped character, a quote included, does not end the literal
          backslash = backslashAtOrAfter(q);
        } else {
          backslash = backslashAtOrAfter(backslash + 1);
        }
        continue;
      }
      if (quote < 0) {
        emit(TokenKind.UNTERMINATED_STRING, p, length);
        return length;
      }
      if (quote + 1 < length && at(quote + 1) == '\'') {
        q = quote + 2;
        continue;
      }
      emit(TokenKind.STRING, p, quote + 1);
      return quote + 1;
    }
  }

  /**
   * The next backslash at or after {@code from}, or -1. Remembered, and searched again only once
   * the lexer has passed it: one search per backslash in the whole text, never one per literal.
   */
  private int backslashAtOrAfter(int from) {
    if (nextBackslash != -1 && (nextBackslash == UNKNOWN || nextBackslash < from)) {
      nextBackslash = indexOf('\\', from);
    }
    return nextBackslash;
  }

  /** The next {@code c} at or after {@code from} inside the region, or -1. */
  private int indexOf(char c, int from) {
    if (from >= length) {
      return -1;
    }
    if (length == sql.length()) {
      return sql.indexOf(c, from);
    }
    if (c != '\\') {
      // A quote not found in the region ends the region's lexing (the form is unterminated), so a
      // search past the region happens at most once per region: still linear, and intrinsic.
      int q = sql.indexOf(c, from);
      return q < length ? q : -1;
    }
    for (int q = from; q < length; q++) { // a backslash is searched once per region: never past it
      if (sql.charAt(q) == c) {
        return q;
      }
    }
    return -1;
  }

  /** Reads a double-quoted identifier at {@code p}; returns the offset after it, or -1. */
  private int readQuotedIdentifier(int p) {
    int q = p + 1;
    while (true) {
      int quote = indexOf('"', q);
      if (quote < 0) {
        return -1;
      }
      if (quote + 1 < length && at(quote + 1) == '"') {
        q = quote + 2;
        continue;
      }
      return quote + 1;
    }
  }

  /**
   * Reads what starts with {@code $} at {@code p}: a positional parameter ({@code $1}), a dollar
   * quote ({@code $$} or {@code $tag$} up to the same tag), or a lone {@code $}; returns the offset
   * after it.
   */
  private int readDollar(int p) {
    int q = p + 1;
    if (q < length && isDigit(at(q))) {
      while (q < length && isDigit(at(q))) {
        q++;
      }
      emit(TokenKind.PARAMETER, p, q);
      return q;
    }
    while (q < length && isTagChar(at(q), q == p + 1)) {
      q++;
    }
    if (q >= length || at(q) != '$') {
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
    while (q < length && (CLASSES[sql.charAt(q)] & WORD_PART) != 0) {
      q++;
    }
    return q;
  }

  private int readNumber(int p) {
    int q = p;
    while (q < length && (isDigit(at(q)) || at(q) == '.')) {
      q++;
    }
    if (q < length && (at(q) == 'e' || at(q) == 'E')) {
      int r = q + 1;
      if (r < length && (at(r) == '+' || at(r) == '-')) {
        r++;
      }
      if (r < length && isDigit(at(r))) {
        q = r;
        while (q < length && isDigit(at(q))) {
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

  /**
   * Which characters continue a word, for every char: the word loop tests one table entry per
   * character, with no ASCII branch and no bounds check (a char always indexes a 64 KiB table).
   */
  private static final byte WORD_PART = 1;
  private static final byte[] CLASSES = new byte[Character.MAX_VALUE + 1];

  static {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      boolean part = c < 128
          ? c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '#' || c >= '0' && c <= '9' || c == '$'
          : Character.isLetterOrDigit(c);
      CLASSES[c] = part ? WORD_PART : 0;
    }
  }

  private static boolean isTagChar(char c, boolean first) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c > 127 && Character.isLetter(c)
        || !first && isDigit(c);
  }
}
