package dev.iamguard.sql;

/**
 * How far every reader of a text reads it as the guard does: the Redshift driver's and
 * pgjdbc's statement splitters, H2's parser, and the server in either setting of
 * {@code standard_conforming_strings}. Up to that offset they all agree where each literal, quoted
 * name and comment starts and ends, so none of them finds a {@code ;} outside code in a line
 * comment that starts there, and none splits the text at one.
 *
 * <p>The forms on which readers are known or may be expected to disagree end the prefix: a block
 * comment holding a {@code /} ({@code /}{@code *}{@code /} is a whole one to the drivers, and the
 * server nests them) or a char beyond printable ASCII, a {@code /} in code (H2 reads {@code //} as
 * a line comment) but a division standing apart, a {@code $} (dollar quotes, whose tags the drivers read by Java's identifier
 * classes and H2 not at all), except a parameter's and an untagged dollar quote's that stand apart,
 * a backslash (an escape in one reading, a char in another), a parameter ({@code ?} or {@code $1})
 * that a char beside it could join (the drivers write {@code $1} or the value for a {@code ?}), a
 * brace (JDBC escapes), {@code #} (an operator to PostgreSQL, part of a name to Redshift) but at
 * the start of a temporary table's name ({@code #stage}), a backquote, a char beyond ASCII (the
 * driver may send it as a backslash's byte in another client encoding), and a control char other
 * than a tab or a line break. What is left are words, numbers, punctuation, parameters standing
 * apart, brackets around names and numbers, literals and quoted names of printable ASCII but a backslash (their only escape, a doubled
 * quote, every reader takes alike, and nothing inside them but their closing quote means anything
 * to any reader), whitespace, block comments ended by their first {@code *}{@code /} for all, and
 * line comments of printable ASCII (read to the line's end by all; a char such as U+2028 might end
 * one early for some reader). Other brackets end it too (quoted names to H2 in its SQL Server
 * mode, where {@code [a -- b]} holds no comment).
 * {@code AgreedPrefixTest} holds the Redshift driver's and pgjdbc's splitters and H2 to this,
 * {@code AgreedPrefixServerTest} the server.
 */
final class AgreedPrefix {
  private AgreedPrefix() {}

  /**
   * The offset up to which every reader reads {@code sql} as {@code tokens} (the reading a check
   * follows) does; {@code sql.length()} when that is the whole text. Always at a token's start or in
   * a gap between tokens, never inside a comment.
   */
  static int of(String sql, Tokens tokens) {
    int at = 0;
    for (int k = 0; k < tokens.count(); k++) {
      int gapEnd = plainGapEnd(sql, at, tokens.start(k));
      if (gapEnd < tokens.start(k) || !plainToken(sql, tokens, k)) {
        return gapEnd;
      }
      at = tokens.end(k);
    }
    return plainGapEnd(sql, at, sql.length());
  }

  /**
   * Where the gap {@code [from, to)} between two tokens stops holding only blanks, line comments and
   * plain block comments ({@code to} when it holds nothing else).
   */
  private static int plainGapEnd(String sql, int from, int to) {
    return plainGapEnd(sql, from, to, true);
  }

  /** As {@link #plainGapEnd(String, int, int)}; without {@code blockComments}, a block comment ends the plain part. */
  private static int plainGapEnd(String sql, int from, int to, boolean blockComments) {
    int i = from;
    while (i < to) {
      char c = sql.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        i++;
      } else if (blockComments && c == '/' && i + 1 < to && sql.charAt(i + 1) == '*') {
        int end = plainBlockCommentEnd(sql, i, to);
        if (end < 0) {
          return i;
        }
        i = end;
      } else if (c == '-' && i + 1 < to && sql.charAt(i + 1) == '-') {
        int comment = i;
        while (i < to && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
          char d = sql.charAt(i++);
          if (!printable(d)) {
            return comment; // a reader may end the comment there (U+2028, NEL, a vertical tab): code after it
          }
        }
      } else {
        return i; // a char the lexer kept out of every token
      }
    }
    return to;
  }

  /**
   * The offset after the block comment at {@code start} when every reader ends it at its first
   * {@code *}{@code /}: it holds no {@code /} (the drivers read {@code /}{@code *}{@code /} as a
   * whole comment, and the server counts a nested {@code /}{@code *}) and only printable ASCII, tabs
   * and line breaks; -1 otherwise, or when it does not end before {@code to}.
   */
  private static int plainBlockCommentEnd(String sql, int start, int to) {
    for (int i = start + 2; i + 1 < to; i++) {
      char c = sql.charAt(i);
      if (c == '*' && sql.charAt(i + 1) == '/') {
        return i + 2;
      }
      if (c == '/' || !printable(c)) {
        return -1;
      }
    }
    return -1;
  }

  private static boolean plainToken(String sql, Tokens tokens, int k) {
    int start = tokens.start(k);
    int end = tokens.end(k);
    switch (tokens.kind(k)) {
      case STRING, QUOTED_IDENTIFIER, BIT_STRING -> {
        // a literal continued across a line break holds the gaps between its parts, read as gaps between tokens
        int[] gaps = tokens.literalGaps(start, end);
        int from = start;
        for (int g = 0; g + 1 < gaps.length; g += 2) {
          if (!plainChars(sql, from, gaps[g], false) || plainGapEnd(sql, gaps[g], gaps[g + 1], false) < gaps[g + 1]) {
            return false;
          }
          from = gaps[g + 1];
        }
        return plainChars(sql, from, end, false);
      }
      case WORD -> {
        return plainChars(sql, temporaryName(sql, start, end) ? start + 1 : start, end, true);
      }
      case OPERATOR -> {
        // PostgreSQL's reading of a temporary table's name: the operator '#', then the name
        return end - start == 1
            && (temporaryName(sql, start, Math.min(end + 1, sql.length())) || division(sql, start) || bracket(sql, start))
            || plainChars(sql, start, end, true);
      }
      case NUMBER, SEMICOLON, LEFT_PAREN, RIGHT_PAREN, COMMA, DOT -> {
        return plainChars(sql, start, end, true);
      }
      case PARAMETER -> {
        return plainParameter(sql, start, end);
      }
      case DOLLAR_STRING -> {
        return plainDollarQuote(sql, start, end);
      }
      default -> {
        return false; // anything left open
      }
    }
  }

  /**
   * Whether the parameter {@code sql[start, end)}, a {@code ?} or a {@code $1}, stands apart: the
   * drivers send a prepared statement's {@code ?} as {@code $1} and, in simple query mode, as the
   * value in parentheses, so a {@code ?} that a name char, a {@code $}, a {@code ?}, a quote or a
   * {@code -} touches could join it (a name {@code x$1}, the escape {@code ??}, a literal
   * {@code 'a''v'} or a comment {@code --1} where a driver writes a value bare). Between the chars
   * allowed here, every reader reads {@code ?}, {@code $1} and a written value as one token ending
   * where the parameter does.
   */
  private static boolean plainParameter(String sql, int start, int end) {
    if (end - start == 1 ? sql.charAt(start) != '?' : !isDigits(sql, start + 1, end)) {
      return false;
    }
    return (start == 0 || APART_BEFORE.indexOf(sql.charAt(start - 1)) >= 0)
        && (end == sql.length() || APART_AFTER.indexOf(sql.charAt(end)) >= 0);
  }

  /**
   * Whether the dollar quote {@code sql[start, end)} is one every reader ends where the guard does:
   * untagged ({@code $$}: H2 knows no tags, and the drivers read a tag by Java's identifier
   * classes), after a char that cannot continue a name (the drivers take {@code 1$$} for no
   * quote), holding only printable ASCII, tabs and line breaks (no reader reads an escape there),
   * so that the first {@code $$} after it ends it for all, a {@code $1} or {@code $a$} inside too:
   * {@code as $$ begin ... where id = $1; end; $$}.
   */
  private static boolean plainDollarQuote(String sql, int start, int end) {
    if (end - start < 4 || !sql.startsWith("$$", start) || !sql.startsWith("$$", end - 2)
        || start > 0 && APART_BEFORE.indexOf(sql.charAt(start - 1)) < 0) {
      return false;
    }
    for (int i = start + 2; i < end - 2; i++) {
      char c = sql.charAt(i);
      if (!printable(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the word {@code sql[start, end)} is a temporary table's name, {@code #} and a name that
   * starts with a letter or {@code _}: Redshift and H2's SQL Server mode read one name, PostgreSQL
   * the operator {@code #} and a name, H2 otherwise a syntax error, all ending it where the guard
   * does ({@code #$} would start a dollar quote after PostgreSQL's operator: the {@code $} is not
   * plain).
   */
  private static boolean temporaryName(String sql, int start, int end) {
    if (end - start < 2 || sql.charAt(start) != '#') {
      return false;
    }
    char first = sql.charAt(start + 1);
    return first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z' || first == '_';
  }

  /**
   * Whether the {@code /} at {@code at} is a division every reader reads as one: between a name's,
   * a number's or a literal's end, a bracket or a blank, where no {@code /} or {@code *} beside it
   * makes H2's {@code //} or anyone's block comment.
   */
  private static boolean division(String sql, int at) {
    return sql.charAt(at) == '/' && at > 0 && at + 1 < sql.length()
        && (asciiNameChar(sql.charAt(at - 1)) || DIVISION_BEFORE.indexOf(sql.charAt(at - 1)) >= 0)
        && (asciiNameChar(sql.charAt(at + 1)) || DIVISION_AFTER.indexOf(sql.charAt(at + 1)) >= 0);
  }

  /**
   * Whether the bracket at {@code at} is one of a pair around names, numbers, blanks, dots, commas,
   * plus signs and lone minus signs ({@code orders[0]}, {@code a[i + 1]}): H2 in its SQL Server mode
   * reads such a pair as a quoted name, ended by its first {@code ]} as everyone else's subscript is,
   * and nothing inside it opens a literal or a comment for any reader ({@code [']']} or
   * {@code [a--b]} would).
   */
  private static boolean bracket(String sql, int at) {
    char c = sql.charAt(at);
    int step = c == '[' ? 1 : c == ']' ? -1 : 0;
    char other = c == '[' ? ']' : '[';
    for (int i = at + step; step != 0 && i >= 0 && i < sql.length(); i += step) {
      if (sql.charAt(i) == other) {
        return true;
      }
      if (!bracketed(sql, i)) {
        return false;
      }
    }
    return false;
  }

  private static boolean bracketed(String sql, int i) {
    char c = sql.charAt(i);
    return asciiNameChar(c) || c == ' ' || c == '\t' || c == '.' || c == ',' || c == '+'
        || c == '-' && (i == 0 || sql.charAt(i - 1) != '-') && (i + 1 == sql.length() || sql.charAt(i + 1) != '-');
  }

  private static final String DIVISION_BEFORE = " \t\n\r)'\"";
  private static final String DIVISION_AFTER = " \t\n\r('\".";

  private static boolean asciiNameChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
  }

  /** Chars after which a parameter or a dollar quote stands apart. */
  private static final String APART_BEFORE = " \t\n\r(,;=<>+*%|!";
  /** Chars before which a parameter stands apart ({@code ?::text}, {@code ?-- note}). */
  private static final String APART_AFTER = " \t\n\r),;=<>+-*%|!:";

  private static boolean isDigits(String sql, int from, int to) {
    if (from >= to || sql.charAt(from - 1) != '$') {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (sql.charAt(i) < '0' || sql.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code sql[from, to)} holds only plain chars: in code, no {@code /} either (H2's
   * {@code //}, a block comment); inside a literal or quoted name, any printable ASCII but a
   * backslash, since every reader reads to its closing quote there and nothing else ({@code $},
   * {@code ?}, braces, brackets and {@code #} mean something only in code: {@code '^[0-9]+$'}).
   */
  private static boolean plainChars(String sql, int from, int to, boolean code) {
    for (int i = from; i < to; i++) {
      char c = sql.charAt(i);
      if (code ? !plainChar(c) || c == '/' : !plainQuotedChar(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean plainQuotedChar(char c) {
    return printable(c) && c != '\\';
  }

  private static boolean plainChar(char c) {
    return printable(c) && c != '$' && c != '\\' && c != '?' && c != '{' && c != '}' && c != '#' && c != '`'
        && c != '[' && c != ']';
  }

  /** Printable ASCII, a tab or a line break: chars every reader and every client encoding take alike. */
  private static boolean printable(char c) {
    return c >= 0x20 && c < 0x7F || c == '\t' || c == '\n' || c == '\r';
  }
}
