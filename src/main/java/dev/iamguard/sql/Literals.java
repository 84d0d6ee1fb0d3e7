package dev.iamguard.sql;

/** Decoding of literal tokens into their values. */
final class Literals {
  private Literals() {}

  static String value(String source, int start, int end, TokenKind kind) {
    return value(source, start, end, kind, true);
  }

  /**
   * The value of a literal token; {@code mayHoldBackslash} false (the lexer saw no backslash in
   * any literal) lets the search for escapes look for quotes alone, with the String intrinsic.
   */
  static String value(String source, int start, int end, TokenKind kind, boolean mayHoldBackslash) {
    switch (kind) {
      case STRING:
        return unescape(source, start + 1, end - 1, mayHoldBackslash);
      case UNTERMINATED_STRING:
        return unescape(source, start + 1, end, mayHoldBackslash);
      case DOLLAR_STRING: {
        int tagEnd = source.indexOf('$', start + 1) + 1;
        int tagLength = tagEnd - start;
        return source.substring(tagEnd, end - tagLength);
      }
      case UNTERMINATED_DOLLAR_STRING: {
        int tagEnd = source.indexOf('$', start + 1) + 1;
        return source.substring(Math.min(tagEnd, end), end);
      }
      default:
        return source.substring(start, end);
    }
  }

  /** Where the value of a literal token starts in the source (after its opening quote or tag). */
  static int valueStart(String source, int start, TokenKind kind) {
    if (kind == TokenKind.DOLLAR_STRING || kind == TokenKind.UNTERMINATED_DOLLAR_STRING) {
      return source.indexOf('$', start + 1) + 1;
    }
    return start + 1;
  }

  private static String unescape(String source, int from, int to, boolean mayHoldBackslash) {
    int firstEscape = -1;
    if (mayHoldBackslash) {
      for (int p = from; p < to; p++) {
        char c = source.charAt(p);
        if (c == '\'' || c == '\\') {
          firstEscape = p;
          break;
        }
      }
    } else {
      // a terminated literal's closing quote bounds this search
      int quote = source.indexOf('\'', from);
      firstEscape = quote >= 0 && quote < to ? quote : -1;
    }
    if (firstEscape < 0) {
      return source.substring(from, to);
    }
    StringBuilder value = new StringBuilder(to - from);
    value.append(source, from, firstEscape);
    for (int p = firstEscape; p < to; p++) {
      char c = source.charAt(p);
      if ((c == '\'' || c == '\\') && p + 1 < to) {
        char next = source.charAt(p + 1);
        if (c == '\'' && next == '\'' || c == '\\' && (next == '\'' || next == '\\')) {
          value.append(next);
          p++;
          continue;
        }
      }
      value.append(c);
    }
    return value.toString();
  }
}
