package dev.iamguard.sql;

/**
 * A lexical form that a text ended inside, read on the way {@link Lexer} reads it: a quoted
 * literal (with its reading's escapes and doubled quotes, and the continuation of a closed literal
 * across a line end), a quoted name, a dollar quote, a block or a line comment. An
 * {@link AlternativeReading} keeps one across the reader's cuts instead of the form's text, so a
 * literal that another reading opens and never closes costs no memory.
 *
 * <p>{@link #read} scans from where the last read stopped and keeps only what the next read needs:
 * nothing inside a literal or a comment, the last characters a dollar quote's tag could begin in,
 * the text after a literal's closing quote while whitespace and comments could still lead to its
 * continuation (the lexer reads that text again when the literal ends there).
 */
final class OpenForm {
  /** The kinds of form. */
  enum Kind { LITERAL, QUOTED_NAME, DOLLAR_QUOTE, BLOCK_COMMENT, LINE_COMMENT }

  /** What {@link #read} returns when the text ends before the form does. */
  static final int MORE = -1;

  final Kind kind;
  /** Where the form's token starts in the script: its prefix letter, quote, tag or comment opening. */
  final long start;
  private final boolean escapes;
  private final boolean doubling;
  private final String tag;
  private int depth;
  /** A literal's escaping backslash was the last character read: the next one is taken as it is. */
  private boolean escaped;
  /** The read stopped right after a literal's closing quote: what follows decides whether it goes on. */
  private boolean afterQuote;
  /** After {@link #MORE}: where the next read must start in the same text (what comes before is not needed). */
  private int resume;
  /** After the end was found at the end of the input: the form was not closed. */
  private boolean unterminated;

  private OpenForm(Kind kind, long start, boolean escapes, boolean doubling, String tag, int depth) {
    this.kind = kind;
    this.start = start;
    this.escapes = escapes;
    this.doubling = doubling;
    this.tag = tag;
    this.depth = depth;
  }

  /**
   * The form whose token of {@code kind} starts at {@code at} in {@code text} (at {@code start} in
   * the script), as {@code reading} lexes it; {@link #read} it from {@link #contentStart}.
   */
  static OpenForm of(TokenKind kind, String text, int at, long start, Lexer.Reading reading) {
    switch (kind) {
      case STRING, BIT_STRING, UNTERMINATED_STRING -> {
        char first = text.charAt(at);
        boolean bit = (first | 0x20) == 'b' || (first | 0x20) == 'x';
        boolean escapes = bit ? reading.bitEscapes : (first | 0x20) == 'e' ? reading.eEscapes : reading.escapes;
        return new OpenForm(Kind.LITERAL, start, escapes, !bit, null, 0);
      }
      case QUOTED_IDENTIFIER, UNTERMINATED_IDENTIFIER -> {
        return new OpenForm(Kind.QUOTED_NAME, start, false, true, null, 0);
      }
      case DOLLAR_STRING, UNTERMINATED_DOLLAR_STRING -> {
        return new OpenForm(Kind.DOLLAR_QUOTE, start, false, false, text.substring(at, text.indexOf('$', at + 1) + 1), 0);
      }
      case UNTERMINATED_COMMENT -> {
        return new OpenForm(Kind.BLOCK_COMMENT, start, false, false, null, 1);
      }
      default -> throw new IllegalArgumentException("not a form: " + kind);
    }
  }

  /** A line comment that starts at {@code start} in the script. */
  static OpenForm lineComment(long start) {
    return new OpenForm(Kind.LINE_COMMENT, start, false, false, null, 0);
  }

  /** Where the form's content starts in {@code text}, whose token starts at {@code at}. */
  int contentStart(String text, int at) {
    return switch (kind) {
      case LITERAL -> text.charAt(at) == '\'' ? at + 1 : at + 2;
      case QUOTED_NAME -> at + 1;
      case DOLLAR_QUOTE -> at + tag.length();
      case BLOCK_COMMENT, LINE_COMMENT -> at + 2;
    };
  }

  /**
   * Reads on from {@code from} in {@code text}: the offset in {@code text} just after the form, or
   * {@link #MORE} when {@code text} ends first and more text may change the end (then
   * {@link #resume()} says where to read on). At the end of the input ({@code eof}) an unclosed form
   * ends with the text, as the lexer ends it.
   */
  int read(String text, int from, boolean eof) {
    return switch (kind) {
      case LITERAL -> literal(text, from, eof);
      case QUOTED_NAME -> quotedName(text, from, eof);
      case DOLLAR_QUOTE -> dollarQuote(text, from, eof);
      case BLOCK_COMMENT -> blockComment(text, from, eof);
      case LINE_COMMENT -> lineComment(text, from, eof);
    };
  }

  /** Where the next {@link #read} starts after {@link #MORE}. */
  int resume() {
    return resume;
  }

  /** True when the form ran to the end of the input. */
  boolean unterminated() {
    return unterminated;
  }

  private int more(int at) {
    resume = at;
    return MORE;
  }

  private int unterminatedAt(int end) {
    unterminated = true;
    return end;
  }

  /** {@code Lexer.readString} one character at a time; {@code from} is just after the closing quote when {@link #afterQuote}. */
  private int literal(String text, int from, boolean eof) {
    int n = text.length();
    int q = from;
    while (true) {
      if (afterQuote) {
        int after = q; // just after the closing quote: where the literal ends unless it goes on
        if (after >= n) {
          return eof ? after : more(after);
        }
        if (doubling && text.charAt(after) == '\'') {
          afterQuote = false;
          q = after + 1;
          continue;
        }
        int gap = after;
        while (gap < n && (text.charAt(gap) == ' ' || text.charAt(gap) == '\t' || text.charAt(gap) == '\f')) {
          gap++;
        }
        if (gap >= n) {
          return eof ? after : more(after);
        }
        char c = text.charAt(gap);
        if (c != '\n' && c != '\r' && c != '-') {
          return after;
        }
        int resumed = continuation(text, gap);
        if (resumed == MORE) {
          return eof ? after : more(after);
        }
        if (resumed < 0) {
          return after;
        }
        afterQuote = false;
        q = resumed;
        continue;
      }
      for (; q < n; q++) {
        char c = text.charAt(q);
        if (escaped) {
          escaped = false;
        } else if (c == '\\' && escapes) {
          escaped = true;
        } else if (c == '\'') {
          break;
        }
      }
      if (q >= n) {
        return eof ? unterminatedAt(n) : more(n);
      }
      afterQuote = true;
      q++;
    }
  }

  /**
   * {@code Lexer.continuation}: after spaces, line ends and {@code --} comments holding a line end,
   * the offset after the quote the literal goes on at; -2 when it ends; {@link #MORE} when the text
   * ends first.
   */
  private static int continuation(String text, int q) {
    int n = text.length();
    boolean newline = false;
    while (q < n) {
      char c = text.charAt(q);
      if (c == '\n' || c == '\r') {
        newline = true;
        q++;
      } else if (c == ' ' || c == '\t' || c == '\f') {
        q++;
      } else if (c == '-') {
        if (q + 1 >= n) {
          return MORE;
        }
        if (text.charAt(q + 1) != '-') {
          return -2;
        }
        q += 2;
        while (q < n && text.charAt(q) != '\n' && text.charAt(q) != '\r') {
          q++;
        }
      } else {
        return c == '\'' && newline ? q + 1 : -2;
      }
    }
    return MORE;
  }

  /** {@code Lexer.readQuotedIdentifier}: a doubled quote goes on, any other ends the name. */
  private int quotedName(String text, int from, boolean eof) {
    int n = text.length();
    int q = from;
    while (true) {
      int quote = text.indexOf('"', q);
      if (quote < 0) {
        return eof ? unterminatedAt(n) : more(n);
      }
      if (quote + 1 >= n) {
        return eof ? quote + 1 : more(quote);
      }
      if (text.charAt(quote + 1) != '"') {
        return quote + 1;
      }
      q = quote + 2;
    }
  }

  /** The closing tag; a tag cut by the end of the text is read again with what follows. */
  private int dollarQuote(String text, int from, boolean eof) {
    int close = text.indexOf(tag, from);
    if (close >= 0) {
      return close + tag.length();
    }
    int n = text.length();
    return eof ? unterminatedAt(n) : more(Math.max(from, n - tag.length() + 1));
  }

  /** {@code Lexer.skipBlockComment}: pairs of characters, nested openings counted. */
  private int blockComment(String text, int from, boolean eof) {
    int n = text.length();
    int q = from;
    while (q + 1 < n) {
      char c = text.charAt(q);
      char d = text.charAt(q + 1);
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
    return eof ? unterminatedAt(n) : more(q);
  }

  /** Up to the line end, which the lexer reads as whitespace. */
  private int lineComment(String text, int from, boolean eof) {
    int n = text.length();
    int q = from;
    while (q < n && text.charAt(q) != '\n' && text.charAt(q) != '\r') {
      q++;
    }
    return q < n || eof ? q : more(n);
  }
}
