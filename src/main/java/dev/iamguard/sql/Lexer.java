package dev.iamguard.sql;

/**
 * A single-pass, iterative lexer for Redshift SQL that reads text the way the server's scanner
 * (PostgreSQL's {@code scan.l}, with backslash escapes in literals) does.
 *
 * <p>What decides where a statement ends and what is code rather than text:
 * <ul>
 *   <li>whitespace is exactly space, tab, newline, carriage return and form feed; every character
 *       above 127 (the server sees its UTF-8 bytes, all {@code >= 0x80}) is name material, as in
 *       {@code ident_start}/{@code ident_cont}, and may start or continue a dollar-quote tag
 *       ({@code dolq_start}/{@code dolq_cont}): a no-break space, a zero-width character or an
 *       emoji is part of a name, never a separator;</li>
 *   <li>single-quoted literals with {@code ''} and backslash escapes, also prefixed {@code E'..'}
 *       and {@code N'..'}; bit strings {@code B'..'} and {@code X'..'} without either; a literal
 *       continues across whitespace holding a newline (and {@code --} comments) into the next
 *       quote ({@code 'a'\n'b'} is one literal {@code ab});</li>
 *   <li>double-quoted identifiers, {@code $$} and {@code $tag$} dollar quotes, {@code --} line
 *       comments and nested {@code /* *&#47;} comments.</li>
 * </ul>
 * An unpaired UTF-16 surrogate cannot be encoded: drivers send it as {@code ?}, and so it is read.
 * Unterminated forms become one token running to the end of the input, so nothing after them is
 * mistaken for code. Every method that reads one lexical form returns the offset just after it.
 *
 * <p>Each form is found with at most one search per occurrence of the character that ends it
 * (quotes and backslashes are searched with the String intrinsic and remembered until passed), so
 * any input is read in linear time.
 */
final class Lexer {
  /** Tokens at the start of a statement that classification looks at (CREATE OR REPLACE EXTERNAL ..). */
  private static final int CLASSIFY_TOKENS = 6;

  /** How a reading lexes the forms that lexers disagree on. */
  enum Reading {
    /**
     * Redshift's server: a backslash escapes in {@code '..'}, {@code E'..'} and {@code N'..'}, not
     * in {@code B'..'} and {@code X'..'}; {@code #} starts and continues a name ({@code #temp}).
     */
    REDSHIFT(true, true, false, true),
    /**
     * A backslash is an ordinary character in every literal, {@code E'..'} too: H2, and many
     * client-side statement splitters.
     */
    NO_ESCAPES(false, false, false, true),
    /**
     * PostgreSQL with {@code standard_conforming_strings=on} (its default), and the drivers'
     * statement splitters when the server says so: a backslash escapes in {@code E'..'} only, and
     * {@code #} is an operator.
     */
    POSTGRES_STANDARD(false, true, false, false),
    /**
     * A backslash escapes in every literal, bit strings included, and {@code #} is an operator
     * (PostgreSQL's {@code op_chars}): what a lexer that knows no bit strings and no {@code #temp}
     * names reads.
     */
    ESCAPES_EVERYWHERE(true, true, true, false);

    final boolean escapes;
    final boolean eEscapes;
    final boolean bitEscapes;
    final boolean hashInNames;

    Reading(boolean escapes, boolean eEscapes, boolean bitEscapes, boolean hashInNames) {
      this.escapes = escapes;
      this.eEscapes = eEscapes;
      this.bitEscapes = bitEscapes;
      this.hashInNames = hashInNames;
    }
  }

  private final String sql;
  private final int from;
  private final int length;
  private final Reading reading;
  /** Scan mode stores only the first tokens of the current statement, to classify it. */
  private final boolean scanning;
  /** With {@link #statements}, a scan records every statement instead of stopping early. */
  private final Statements statements;
  /**
   * A statement scan keeps every token of the statements that need the grammar (each followed by
   * its semicolon, as in a whole-text tokenization), so the grammar never lexes them again; the
   * tokens of any other statement are dropped at its end.
   */
  private final boolean keepTokens;
  /** Index of the current statement's first token among {@link #tokens} (0 unless tokens are kept). */
  private int statementFirst;
  /**
   * Whether the current statement's tokens are all stored so far: past its first few, only when
   * its command or an auth word already says it needs the grammar. A statement found to need it
   * later (an auth word deep in a SELECT) is lexed again for the grammar, as every one used to be.
   */
  private boolean storing;
  /** The current statement's command once its first tokens are read (null before: see {@link #classify}). */
  private CommandKind statementKind;
  private Tokens tokens;
  private boolean needsInspection;
  private boolean statementNeedsParsing;
  /** {@link SessionEffects} of the text so far, and of the current statement. */
  private int effects;
  /**
   * A {@code ;} inside a {@code --} comment ({@link SessionEffects#DRIVER_SPLIT}): one at the line's
   * end counts too, since a driver that splits there sends the next line as a statement of its own,
   * which this reading continues the statement with (probe sq2 F1).
   */
  private boolean driverSplit;
  private int statementEffects;
  private int statementTokens;
  private int statementStart;
  private int statementEnd;
  private static final int UNKNOWN = -2;
  /** The next backslash at or after the last search, -1 when there is none; see {@link #backslashAtOrAfter}. */
  private int nextBackslash = UNKNOWN;
  /** The next single quote at or after the last search, -1 when there is none. */
  private int nextQuote = UNKNOWN;

  private Lexer(String sql, int from, int to, Reading reading, boolean scanning, Statements statements) {
    this.sql = sql;
    this.from = from;
    this.length = to;
    this.reading = reading;
    this.scanning = scanning;
    this.statements = statements;
    this.keepTokens = statements != null;
  }

  private Lexer(String sql, int from, int to, Reading reading, boolean scanning) {
    this(sql, from, to, reading, scanning, null);
  }

  /**
   * The statements of {@code sql} as offset ranges, from one pass: each with whether it needs the
   * grammar (an auth-carrying command, or an auth word somewhere in it). The pass keeps the tokens
   * of those statements only ({@link Statements#tokens}), which the grammar then reads.
   */
  static Statements statements(String sql) {
    Statements found = new Statements();
    Lexer lexer = new Lexer(sql, 0, sql.length(), Reading.REDSHIFT, true, found);
    found.tokens = lexer.run();
    found.backslashInLiteral = lexer.tokens.backslashInLiteral;
    found.readingsMayDiffer = lexer.tokens.readingsMayDiffer;
    found.psqlForms = lexer.tokens.psqlForms;
    return found;
  }

  /**
   * Statement ranges found by a scan: {start, end, flags, first token, end token} per statement,
   * the flags holding whether it needs parsing (bit 0) and its {@link SessionEffects} (the bits
   * above). A statement that needs parsing has its tokens {@code [tokenFrom, tokenTo)} in
   * {@link #tokens}, exactly as a tokenization of its range alone would give them, unless
   * {@link #tokenFrom} is -1.
   */
  static final class Statements {
    private static final int FIELDS = 5;
    private int[] ranges = new int[4 * FIELDS];
    private int count;
    /** The tokens of the statements that need parsing; null when none were kept. */
    private Tokens tokens;
    boolean backslashInLiteral;
    /** See {@link Tokens#readingsMayDiffer}. */
    boolean readingsMayDiffer;
    /** See {@link Tokens#psqlForms}. */
    boolean psqlForms;

    private void add(int start, int end, boolean needsParsing, int effects, int tokenFrom, int tokenTo) {
      if (count * FIELDS == ranges.length) {
        ranges = java.util.Arrays.copyOf(ranges, ranges.length * 2);
      }
      int k = count * FIELDS;
      ranges[k] = start;
      ranges[k + 1] = end;
      ranges[k + 2] = (needsParsing ? 1 : 0) | effects << 1;
      ranges[k + 3] = tokenFrom;
      ranges[k + 4] = tokenTo;
      count++;
    }

    /** The first {@code n} statements, with the same tokens. */
    Statements prefix(int n) {
      Statements first = new Statements();
      first.ranges = java.util.Arrays.copyOf(ranges, Math.max(n, 1) * FIELDS);
      first.count = n;
      first.tokens = tokens;
      first.backslashInLiteral = backslashInLiteral;
      first.readingsMayDiffer = readingsMayDiffer;
      first.psqlForms = psqlForms;
      return first;
    }

    /** The tokens kept for the statements that need parsing (see {@link #tokenFrom}). */
    Tokens tokens() {
      return tokens;
    }

    /**
     * The index in {@link #tokens()} of the first token of statement {@code i}, which needs
     * parsing; -1 when the scan did not keep its tokens (it found the need too late).
     */
    int tokenFrom(int i) {
      return ranges[i * FIELDS + 3];
    }

    /** The index in {@link #tokens()} just past the last token of statement {@code i}, which needs parsing. */
    int tokenTo(int i) {
      return ranges[i * FIELDS + 4];
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
      return ranges[i * FIELDS];
    }

    int end(int i) {
      return ranges[i * FIELDS + 1];
    }

    boolean needsParsing(int i) {
      return (ranges[i * FIELDS + 2] & 1) != 0;
    }

    /** The {@link SessionEffects} of statement {@code i}. */
    int effects(int i) {
      return ranges[i * FIELDS + 2] >>> 1;
    }
  }

  /**
   * The hot path: one pass over {@code sql} that stores no token beyond the first few of each
   * statement, and answers whether any statement is an auth-carrying command or holds an auth
   * word (or a literal with a backslash, or a form other lexers read differently). False means
   * the text can be sent without inspection.
   */
  static boolean needsInspection(String sql) {
    Lexer lexer = new Lexer(sql, 0, sql.length(), Reading.REDSHIFT, true);
    lexer.run();
    return lexer.needsInspection;
  }

  /**
   * The same pass as {@link #needsInspection}, answering also what the text may do to the session:
   * its {@link SessionEffects}, plus {@link SessionEffects#INSPECT} when it must be inspected (the
   * pass then stops early, so the other bits may be incomplete: the parsed script has them all).
   */
  static int scan(String sql) {
    Lexer lexer = new Lexer(sql, 0, sql.length(), Reading.REDSHIFT, true);
    lexer.run();
    int effects = lexer.effects | (lexer.needsInspection ? SessionEffects.INSPECT : 0);
    // only a text with a word the prefilter looks for can hide a statement that matters: a text it
    // passes stays one the scan finds nothing in
    return lexer.driverSplit && !Prefilter.clean(sql) ? effects | SessionEffects.DRIVER_SPLIT : effects;
  }

  /** Tokenizes {@code sql} the way Redshift does. */
  static Tokens tokenize(String sql) {
    return new Lexer(sql, 0, sql.length(), Reading.REDSHIFT, false).run();
  }

  /**
   * Tokenizes the region {@code [from, to)} of {@code sql} (a dollar-quoted procedure body); token
   * offsets stay offsets into {@code sql}.
   */
  static Tokens tokenize(String sql, int from, int to) {
    return new Lexer(sql, from, to, Reading.REDSHIFT, false).run();
  }

  /**
   * Tokenizes one statement range that a {@link #statements} scan found in a text whose literals
   * hold no backslash: the literals need no backslash search.
   */
  static Tokens tokenizeStatement(String sql, int from, int to) {
    Lexer lexer = new Lexer(sql, from, to, Reading.REDSHIFT, false);
    lexer.nextBackslash = -1;
    return lexer.run();
  }

  /** Tokenizes {@code sql} in another {@link Reading}, to find text whose meaning depends on who lexes it. */
  static Tokens tokenize(String sql, Reading reading) {
    return new Lexer(sql, 0, sql.length(), reading, false).run();
  }

  /** The most tokens presized for a text: a 1 MB script's (2.25 MB of arrays). */
  static final int PRESIZED_TOKENS = 1 << 18;

  private Tokens run() {
    // a token every 4 chars is presized up to 1 MB of text; past that the arrays grow with the tokens
    // found, so a 100 MB comment costs a few arrays, not 225 MB
    int capacity = scanning ? CLASSIFY_TOKENS + 2 : Math.max(16, Math.min((length - from) / 4, PRESIZED_TOKENS));
    tokens = new Tokens(sql, capacity, reading);
    int p = from;
    boolean stopEarly = scanning && statements == null;
    while (p < length) {
      char c = at(p);
      int next;
      switch (LEADS[c]) { // one table lookup picks the lexical form a character starts
        case SPACE -> next = p + 1;
        case WORD -> next = word(p);
        case QUOTE -> next = readString(p, p, TokenKind.STRING, reading.escapes, true);
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
        case HASH -> next = reading.hashInNames ? unusualWord(p, p + 1) : punctuation(c, p);
        case WIDE -> next = unusualWord(p, p + 1);
        case SURROGATE -> next = surrogatePairAt(p) ? unusualWord(p, p + 2) : punctuation('?', p);
        default -> next = c == ';' && scanning ? semicolon(p) : punctuation(c, p);
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
  private static final byte HASH = 10;
  private static final byte SURROGATE = 11;
  /** A character above 127 (not a surrogate): name material that {@link #unusualWord} reads. */
  private static final byte WIDE = 12;
  private static final byte[] LEADS = new byte[Character.MAX_VALUE + 1];

  static {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      char ch = (char) c;
      LEADS[c] = isWhitespace(ch) ? SPACE
          : Character.isSurrogate(ch) ? SURROGATE
          : c >= 0x80 ? WIDE
          : ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '_' ? WORD
          : isDigit(ch) ? DIGIT : ch == '\'' ? QUOTE : ch == '"' ? DOUBLE_QUOTE : ch == '$' ? DOLLAR
          : ch == '-' ? MINUS : ch == '/' ? SLASH : ch == '.' ? DOT : ch == '#' ? HASH : OTHER;
    }
  }

  /** The character at offset {@code i}. */
  private char at(int i) {
    return sql.charAt(i);
  }

  /** True when a high surrogate at {@code i} is followed by a low one: one code point above U+FFFF. */
  private boolean surrogatePairAt(int i) {
    return Character.isHighSurrogate(at(i)) && i + 1 < length && Character.isLowSurrogate(at(i + 1));
  }

  /**
   * Reads a word that starts with an ASCII letter or {@code _} at {@code p}; returns the offset
   * after it. The common word (ASCII letters, digits, {@code _}, {@code $}) takes one table lookup
   * per character and one for the character that ends it: a word that ends at {@code #}, a quote
   * or a character above 127 is finished by {@link #unusualWord}.
   */
  private int word(int p) {
    int q = p + 1;
    byte stop = 0; // the class of the character that ends the loop (a word part's when the text ends)
    while (q < length && ((stop = CLASSES[sql.charAt(q)]) & WORD_PART) != 0) {
      q++;
    }
    if ((stop & SECOND_LOOK) != 0) {
      return unusualWord(p, q);
    }
    emitWord(p, q);
    return q;
  }

  /** Stores a word and notes auth words and {@code set_config}. */
  private void emitWord(int p, int q) {
    emit(TokenKind.WORD, p, q);
    int kind = AuthWords.kind(sql, p, q);
    if (kind != AuthWords.NONE) {
      note(kind);
    }
  }

  /** {@code set_config} written as a quoted identifier (quoted, it is case-sensitive). */
  private static final String QUOTED_SET_CONFIG = "\"set_config\"";

  /** Notes a word {@link AuthWords#kind} recognised (rare: kept out of {@link #word}, which runs for every word). */
  private void note(int kind) {
    if (kind == AuthWords.AUTH) {
      needsInspection = true;
      statementNeedsParsing = true;
      if (!scanning || storing) {
        tokens.markAuthWord();
      }
    } else {
      statementEffects |= SessionEffects.IDENTITY;
    }
  }

  /** True when the quoted identifier at {@code p} follows {@code U&} (PostgreSQL's Unicode escapes). */
  static boolean unicodeEscaped(String sql, int p) {
    return p >= 2 && sql.charAt(p - 1) == '&' && (sql.charAt(p - 2) | 0x20) == 'u';
  }

  /** A quoted identifier at {@code p}, or an unterminated one to the end; returns the offset after it. */
  private int quotedIdentifier(int p) {
    int next = readQuotedIdentifier(p);
    if (next < 0) {
      emit(TokenKind.UNTERMINATED_IDENTIFIER, p, length);
      return length;
    }
    emit(TokenKind.QUOTED_IDENTIFIER, p, next);
    if (next - p == QUOTED_SET_CONFIG.length() && sql.startsWith(QUOTED_SET_CONFIG, p) || unicodeEscaped(sql, p)) {
      statementEffects |= SessionEffects.IDENTITY; // U&"set\005fconfig" is set_config to PostgreSQL: fail closed
    }
    return next;
  }

  /**
   * The rest of a word that starts at {@code p} and has been read up to {@code q}, where the table
   * stopped at {@code #}, a character above 127 or a quote: characters that look like spaces and
   * surrogate pairs are name material (an unpaired surrogate ends the word: it is sent as '?'), and
   * a one-letter word before a quote may be a literal's prefix.
   */
  private int unusualWord(int p, int q) {
    boolean confusable = (CLASSES[at(p)] & CONFUSABLE) != 0;
    if (at(p) == '#' && p + 1 < length && at(p + 1) == '$') {
      readingDiffers(p); // PostgreSQL reads '#' as an operator: '$' would start a dollar quote
    }
    while (q < length) {
      char c = at(q);
      if ((CLASSES[c] & WORD_PART) != 0) {
        q++;
      } else if (c == '#') {
        if (!reading.hashInNames) {
          break;
        }
        if (q + 1 < length && at(q + 1) == '$') {
          readingDiffers(q);
        }
        q++;
      } else if (c < 0x80) {
        break;
      } else if ((CLASSES[c] & CONFUSABLE) != 0) {
        confusable = true;
        q++;
      } else if (surrogatePairAt(q)) {
        q += 2;
      } else {
        break;
      }
    }
    if (q == p + 1 && q < length && at(q) == '\'') {
      switch (at(p) | 0x20) {
        case 'e' -> {
          return readString(p, q, TokenKind.STRING, reading.eEscapes, true);
        }
        case 'n' -> {
          return readString(p, q, TokenKind.STRING, reading.escapes, true);
        }
        case 'b', 'x' -> {
          return readString(p, q, TokenKind.BIT_STRING, reading.bitEscapes, false);
        }
        default -> { }
      }
    }
    emitWord(p, q);
    if (confusable) {
      // a no-break or zero-width space inside a name: harmless to the server, a trap for readers
      needsInspection = true;
      statementNeedsParsing = true;
      if (!scanning || storing) {
        tokens.markConfusable();
      }
    }
    return q;
  }

  /** Notes a form at {@code at} that another reading lexes differently, for the ambiguity check. */
  private void readingDiffers(int at) {
    if (!tokens.readingsMayDiffer) {
      tokens.firstDifference = at;
    }
    tokens.readingsMayDiffer = true;
    needsInspection = true;
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
    TokenKind kind = punctuation(c);
    if (kind == TokenKind.OPERATOR && (c == '\\' || c == ':' && PsqlForms.isInterpolation(sql, p, from, length))) {
      tokens.psqlForms = true;
    }
    emit(kind, p, p + 1);
    return p + 1;
  }

  /**
   * Stores a token; in scan mode, only the first few of each statement, classified at its end (a
   * statement scan keeps them all until then: see {@link #keepTokens}).
   */
  private void emit(TokenKind kind, int start, int end) {
    if (!scanning) {
      tokens.add(kind, start, end);
    } else if (kind == TokenKind.SEMICOLON) {
      // run() ends a scan's statements itself; kept so no other path can skip a statement's end
      // (routing ; through punctuation instead measured slower: C2 inlined differently)
      semicolon(start);
    } else {
      if (statementTokens < CLASSIFY_TOKENS) {
        if (statementTokens == 0) {
          statementStart = start;
          storing = keepTokens;
        }
        tokens.add(kind, start, end);
      } else if (storing) { // past the first tokens, a scan only counts and moves the end
        storeDeep(kind, start, end);
      }
      statementTokens++;
      statementEnd = end;
    }
  }

  /**
   * Ends the statement at the {@code ;} at {@code p} (a scan); returns the offset after it. Kept
   * apart from {@link #emit}, which runs for every token: with the statement's end in it, emit
   * compiled too big to be inlined where tokens are read, and every token paid a call.
   */
  private int semicolon(int p) {
    if (endStatement()) {
      tokens.add(TokenKind.SEMICOLON, p, p + 1); // ends the kept statement's tokens as a whole-text tokenization does
      statementFirst = tokens.count();
    }
    return p + 1;
  }

  /** Stores a token past the current statement's first ones, unless they say it needs no grammar: see {@link #storing}. */
  private void storeDeep(TokenKind kind, int start, int end) {
    if (statementTokens == CLASSIFY_TOKENS) {
      statementKind = classify();
      storing = statementNeedsParsing || statementKind != CommandKind.OTHER;
      if (!storing) {
        return;
      }
    }
    tokens.add(kind, start, end);
  }

  /** The command the current statement starts with, from its first tokens. */
  private CommandKind classify() {
    int first = statementFirst;
    return CommandParser.classify(tokens, first, first + Math.min(tokens.count() - first, CLASSIFY_TOKENS));
  }

  /** Classifies and records the statement just read; true when its tokens are kept for the grammar. */
  private boolean endStatement() {
    int first = statementFirst;
    if (tokens.count() > first) {
      // the classification sees the first tokens only, whether or not the scan keeps more
      CommandKind kind = statementKind != null ? statementKind : classify();
      if (kind != CommandKind.OTHER) {
        needsInspection = true;
        statementNeedsParsing = true;
      }
      statementEffects |= CommandParser.sessionEffects(kind, tokens, first); // the same first tokens: no second pass
    }
    boolean onlyUnterminatedComment = statementTokens == 1 && tokens.kind(first) == TokenKind.UNTERMINATED_COMMENT;
    boolean recorded = statements != null && statementTokens > 0 && !onlyUnterminatedComment;
    boolean kept = recorded && statementNeedsParsing && storing;
    if (recorded) {
      statements.add(statementStart, statementEnd, statementNeedsParsing, statementEffects, kept ? first : -1,
          tokens.count());
    }
    effects |= statementEffects;
    statementEffects = 0;
    statementNeedsParsing = false;
    statementTokens = 0;
    statementKind = null;
    if (!kept) {
      tokens.truncate(first);
    }
    return kept;
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
    boolean semicolon = false;
    while (q < length && at(q) != '\n' && at(q) != '\r') {
      semicolon |= at(q) == ';';
      q++;
    }
    if (semicolon && scanning) {
      driverSplit = true;
    }
    return q;
  }

  /**
   * Skips a block comment starting at {@code p}, counting nested {@code /*} openings; returns the
   * offset after its closing {@code *&#47;}, or -1 when the input ends first.
   */
  private int skipBlockComment(int p) {
    return blockCommentEnd(sql, p, length);
  }

  /**
   * The offset after the block comment that starts at {@code p} in {@code sql} (nested {@code /*}
   * openings counted, as the lexer reads it), or -1 when it runs past {@code length}.
   */
  static int blockCommentEnd(String sql, int p, int length) {
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
   * Reads a quoted literal that starts at {@code p} (its prefix letter or opening quote) and
   * opens at {@code quote}. With {@code escapes} a backslash escapes the next character; with
   * {@code doubling} {@code ''} stands for a quote (bit strings have neither: their first quote
   * ends them). After a closing quote the literal continues when only whitespace holding a newline
   * and {@code --} comments lead to another quote. Returns the offset after its last closing
   * quote, or the input length when it is unterminated (the token then says so).
   */
  private int readString(int p, int quote, TokenKind kind, boolean escapes, boolean doubling) {
    int q = quote + 1;
    while (true) {
      int close = quoteAtOrAfter(q);
      int backslash = backslashAtOrAfter(q);
      if (backslash >= 0 && (close < 0 || backslash < close)) {
        tokens.backslashInLiteral = true;
        if (tokens.firstBackslash < 0) {
          tokens.firstBackslash = p;
        }
        needsInspection = true; // the ambiguity check needs the full token list
        if (kind == TokenKind.BIT_STRING && !escapes) {
          readingDiffers(p); // a lexer without bit strings would read this backslash as an escape
        }
        if (escapes) {
          // an escaped character, a quote included, does not end the literal; a run of escapes
          // is stepped through without searching
          q = backslash + 2;
          while (q + 1 < length && at(q) == '\\') {
            q += 2;
          }
          continue;
        }
        // an ordinary character: the quote found is the end, whatever backslashes come before it
      }
      if (close < 0) {
        emit(TokenKind.UNTERMINATED_STRING, p, length);
        return length;
      }
      if (doubling && close + 1 < length && at(close + 1) == '\'') {
        q = close + 2;
        continue;
      }
      // a continuation needs a line end (or a comment, which runs to one) after the spaces
      int gap = close + 1;
      while (gap < length && (at(gap) == ' ' || at(gap) == '\t' || at(gap) == '\f')) {
        gap++;
      }
      int resume = gap < length && (at(gap) == '\n' || at(gap) == '\r' || at(gap) == '-') ? continuation(gap) : -1;
      if (resume > 0) {
        tokens.literalGap(close + 1, resume - 1);
        q = resume;
        continue;
      }
      emit(kind, p, close + 1);
      return close + 1;
    }
  }

  /**
   * Where a literal whose closing quote is just before {@code q} continues: when spaces, tabs, form
   * feeds, line ends and {@code --} comments, holding at least one line end, lead to a quote, the
   * offset after that quote; else -1 ({@code quotecontinue} of scan.l).
   */
  private int continuation(int q) {
    boolean newline = false;
    while (q < length) {
      char c = at(q);
      if (c == '\n' || c == '\r') {
        newline = true;
        q++;
      } else if (c == ' ' || c == '\t' || c == '\f') {
        q++;
      } else if (c == '-' && q + 1 < length && at(q + 1) == '-') {
        q = skipLineComment(q);
      } else {
        return c == '\'' && newline ? q + 1 : -1;
      }
    }
    return -1;
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

  /** The next single quote at or after {@code from}, or -1; remembered like {@link #backslashAtOrAfter}. */
  private int quoteAtOrAfter(int from) {
    if (nextQuote != -1 && (nextQuote == UNKNOWN || nextQuote < from)) {
      nextQuote = indexOf('\'', from);
    }
    return nextQuote;
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
    for (int n = tagChar(q, true); n > 0; n = tagChar(q, false)) {
      q += n;
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

  /**
   * How many chars at {@code q} make one dollar-quote tag character ({@code [A-Za-z\200-\377_]},
   * digits too when not {@code first}): 1, 2 for a surrogate pair, 0 for none.
   */
  private int tagChar(int q, boolean first) {
    if (q >= length) {
      return 0;
    }
    char c = at(q);
    if (c < 0x80) {
      return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || !first && isDigit(c) ? 1 : 0;
    }
    if (!Character.isSurrogate(c)) {
      return 1;
    }
    return surrogatePairAt(q) ? 2 : 0;
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
   * The server's whitespace ({@code space} of scan.l): space, tab, newline, carriage return, form
   * feed. A vertical tab is not one, and neither is any character above 127 (name material).
   */
  /**
   * Whether {@code c} continues the server's word (scan.l's ident_cont): an ASCII letter, digit,
   * {@code _} or {@code $}, and every char beyond ASCII (its UTF-8 bytes are all {@code >= 0x80}).
   */
  static boolean continuesWord(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c > 0x7F;
  }

  static boolean isWhitespace(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * Which characters continue a word, for every char: the word loop tests one table entry per
   * character, with no ASCII branch and no bounds check (a char always indexes a 64 KiB table).
   * {@code #} (a name character in Redshift only), surrogates and the characters that look like
   * spaces are left out so the loop stops at them for a second look; the last two are name
   * material all the same.
   */
  private static final byte WORD_PART = 1;
  /** A character above 127 that renders as a space or not at all (no-break space, U+200B, BOM, ...). */
  private static final byte CONFUSABLE = 4;
  /** Where the common word loop stops but the word may go on or be a literal's prefix: {@code #}, a quote, above 127. */
  private static final byte SECOND_LOOK = 8;
  private static final byte[] CLASSES = new byte[Character.MAX_VALUE + 1];

  static {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      char ch = (char) c;
      boolean confusable = c >= 0x80 && (Character.isWhitespace(ch) || Character.isSpaceChar(ch)
          || Character.getType(ch) == Character.FORMAT || Character.getType(ch) == Character.CONTROL);
      boolean part = c < 128
          ? c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9' || c == '$'
          : !Character.isSurrogate(ch) && !confusable;
      boolean secondLook = !part && (c >= 0x80 || c == '#' || c == '\'');
      CLASSES[c] = (byte) ((part ? WORD_PART : 0) | (confusable ? CONFUSABLE : 0) | (secondLook ? SECOND_LOOK : 0));
    }
  }

  /** True when {@code c} (above 127) renders as a space or not at all, yet is name material to the server. */
  static boolean isConfusable(char c) {
    return (CLASSES[c] & CONFUSABLE) != 0;
  }
}
