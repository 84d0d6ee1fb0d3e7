package dev.iamguard.sql;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decoding of literal tokens into their values, the way the server's scanner builds them: quotes
 * removed, {@code ''} as one quote, every backslash escape of an escape string applied
 * ({@code \b \f \n \r \t}, octal {@code \ooo}, hex {@code \xhh}, Unicode {@code \\uXXXX} and
 * {@code \UXXXXXXXX}, and {@code \c} for any other {@code c}), the parts of a continued literal
 * joined, bit strings ({@code B'..'}, {@code X'..'}) taken as written.
 */
final class Literals {
  private Literals() {}

  /**
   * A literal's value as the server reads it.
   *
   * @param text the value (best effort where the server refuses it)
   * @param doubt why Redshift may read the value otherwise or refuse it, or null when it reads it
   *     exactly so: a Unicode escape (Redshift's PostgreSQL 8 scanner reads {@code \\u} as
   *     {@code u}; PostgreSQL 9 and later as a code point), or an octal or hex escape that makes a
   *     NUL or bytes that are not UTF-8
   * @param refused true when PostgreSQL refuses the literal (invalid UTF-8, NUL, a malformed
   *     Unicode escape)
   */
  record Value(String text, String doubt, boolean refused) {
    static Value of(String text) {
      return new Value(text, null, false);
    }
  }

  /** The value of a literal token as Redshift reads it. */
  static String value(String source, int start, int end, TokenKind kind) {
    return decode(source, start, end, kind, Lexer.Reading.REDSHIFT, true).text();
  }

  /**
   * The value of a literal token read in {@code reading}; {@code mayHoldBackslash} false (the
   * lexer saw no backslash in any literal) skips the search for escapes. An unterminated literal
   * yields what was written after its opening quote or tag.
   */
  static Value decode(String source, int start, int end, TokenKind kind, Lexer.Reading reading,
      boolean mayHoldBackslash) {
    switch (kind) {
      case STRING, UNTERMINATED_STRING, BIT_STRING: {
        boolean bit = isBitString(source, start);
        boolean escapes = bit ? reading.bitEscapes
            : (source.charAt(start) | 0x20) == 'e' ? reading.eEscapes : reading.escapes;
        return quoted(source, start, end, kind != TokenKind.UNTERMINATED_STRING, escapes, !bit, mayHoldBackslash, false);
      }
      case DOLLAR_STRING: {
        int tagEnd = source.indexOf('$', start + 1) + 1;
        int tagLength = tagEnd - start;
        return Value.of(unpairedAsQuestionMark(source.substring(tagEnd, end - tagLength)));
      }
      case UNTERMINATED_DOLLAR_STRING: {
        int tagEnd = source.indexOf('$', start + 1) + 1;
        return Value.of(unpairedAsQuestionMark(source.substring(Math.min(tagEnd, end), end)));
      }
      default:
        return Value.of(source.substring(start, end));
    }
  }

  /**
   * The text of a literal token as option arguments keep it: quotes removed, {@code ''},
   * {@code \'} and {@code \\} unescaped, parts of a continued literal joined, and every other
   * backslash sequence kept as written, for COPY and UNLOAD options ({@code DELIMITER '\t'},
   * {@code NULL AS '\N'}) that interpret them themselves.
   */
  static String optionText(String source, int start, int end, TokenKind kind) {
    if (kind == TokenKind.STRING || kind == TokenKind.UNTERMINATED_STRING) {
      boolean bit = isBitString(source, start);
      return quoted(source, start, end, kind == TokenKind.STRING, !bit, !bit, true, true).text();
    }
    return decode(source, start, end, kind, Lexer.Reading.REDSHIFT, true).text();
  }

  /** Where the value of a literal token starts in the source (after its opening quote or tag). */
  static int valueStart(String source, int start, TokenKind kind) {
    if (kind == TokenKind.DOLLAR_STRING || kind == TokenKind.UNTERMINATED_DOLLAR_STRING) {
      return source.indexOf('$', start + 1) + 1;
    }
    return source.charAt(start) == '\'' ? start + 1 : start + 2;
  }

  /** True for a {@code B'..'} or {@code X'..'} token (which may be unterminated). */
  private static boolean isBitString(String source, int start) {
    char prefix = (char) (source.charAt(start) | 0x20);
    return prefix == 'b' || prefix == 'x';
  }

  private static Value quoted(String s, int start, int end, boolean terminated, boolean escapes,
      boolean doubling, boolean mayHoldBackslash, boolean keepEscapes) {
    int from = valueStart(s, start, TokenKind.STRING);
    int stop = terminated ? end - 1 : end;
    // one part without a quote or backslash inside: the text as written
    int quote = s.indexOf('\'', from);
    if ((quote < 0 || quote >= stop) && (!escapes || !mayHoldBackslash || !holds(s, '\\', from, stop))) {
      return Value.of(unpairedAsQuestionMark(s.substring(from, stop)));
    }
    return new Decoder(s, end, escapes, doubling, keepEscapes).run(from);
  }

  private static boolean holds(String s, char c, int from, int to) {
    for (int p = from; p < to; p++) {
      if (s.charAt(p) == c) {
        return true;
      }
    }
    return false;
  }

  /** {@code text} with each unpaired surrogate replaced by {@code ?}, as drivers encode it. */
  static String unpairedAsQuestionMark(String text) {
    StringBuilder out = null;
    for (int p = 0; p < text.length(); p++) {
      char c = text.charAt(p);
      if (!Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && p + 1 < text.length() && Character.isLowSurrogate(text.charAt(p + 1))) {
        p++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text);
      }
      out.setCharAt(p, '?');
    }
    return out == null ? text : out.toString();
  }

  /**
   * Decodes the parts of a quoted literal into UTF-8 bytes, as the server's scanner collects
   * them, then checks them the way the server does: escapes make bytes, and the bytes together
   * must be UTF-8 without NUL.
   */
  private static final class Decoder {
    private final String s;
    private final int end;
    private final boolean escapes;
    private final boolean doubling;
    private final boolean keepEscapes;
    private final ByteArrayOutputStream bytes;
    private String doubt;
    private boolean refused;
    private boolean madeBytes;

    Decoder(String s, int end, boolean escapes, boolean doubling, boolean keepEscapes) {
      this.s = s;
      this.end = end;
      this.escapes = escapes;
      this.doubling = doubling;
      this.keepEscapes = keepEscapes;
      this.bytes = new ByteArrayOutputStream(64);
    }

    Value run(int from) {
      int p = from;
      while (p < end) {
        char c = s.charAt(p);
        if (c == '\'') {
          if (doubling && p + 1 < end && s.charAt(p + 1) == '\'') {
            bytes.write('\'');
            p += 2;
            continue;
          }
          int next = nextPart(p + 1);
          if (next < 0) {
            break;
          }
          p = next + 1;
        } else if (c == '\\' && escapes && p + 1 < end) {
          p = keepEscapes ? kept(p) : escape(p);
        } else {
          p = character(p);
        }
      }
      return finish();
    }

    /** The opening quote of the next part of a continued literal after a closing quote, or -1. */
    private int nextPart(int p) {
      while (p < end) {
        char c = s.charAt(p);
        if (c == '\'') {
          return p;
        }
        if (c == '-' && p + 1 < end && s.charAt(p + 1) == '-') {
          while (p < end && s.charAt(p) != '\n' && s.charAt(p) != '\r') {
            p++;
          }
        } else {
          p++;
        }
      }
      return -1;
    }

    /** Appends the character at {@code p} (a surrogate pair whole, an unpaired one as '?'). */
    private int character(int p) {
      char c = s.charAt(p);
      if (c < 0x80) {
        bytes.write(c);
        return p + 1;
      }
      int codePoint = c;
      int next = p + 1;
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && next < end && Character.isLowSurrogate(s.charAt(next))) {
          codePoint = Character.toCodePoint(c, s.charAt(next++));
        } else {
          codePoint = '?';
        }
      }
      utf8(codePoint);
      return next;
    }

    private void utf8(int codePoint) {
      if (codePoint < 0x80) {
        bytes.write(codePoint);
      } else if (codePoint < 0x800) {
        bytes.write(0xC0 | codePoint >> 6);
        bytes.write(0x80 | codePoint & 0x3F);
      } else if (codePoint < 0x10000) {
        bytes.write(0xE0 | codePoint >> 12);
        bytes.write(0x80 | codePoint >> 6 & 0x3F);
        bytes.write(0x80 | codePoint & 0x3F);
      } else {
        bytes.write(0xF0 | codePoint >> 18);
        bytes.write(0x80 | codePoint >> 12 & 0x3F);
        bytes.write(0x80 | codePoint >> 6 & 0x3F);
        bytes.write(0x80 | codePoint & 0x3F);
      }
    }

    /** Old option text: only {@code \'} and {@code \\} lose their backslash. */
    private int kept(int p) {
      char next = s.charAt(p + 1);
      if (next != '\'' && next != '\\') {
        bytes.write('\\');
      }
      return character(p + 1);
    }

    /** Applies the escape at {@code p} (a backslash); returns the offset after it. */
    private int escape(int p) {
      char next = s.charAt(p + 1);
      if (next >= '0' && next <= '7') {
        int q = p + 1;
        int value = 0;
        while (q < end && q < p + 4 && s.charAt(q) >= '0' && s.charAt(q) <= '7') {
          value = value * 8 + s.charAt(q++) - '0';
        }
        rawByte(value & 0xFF);
        return q;
      }
      if (next == 'x' && p + 2 < end && hex(s.charAt(p + 2)) >= 0) {
        int value = hex(s.charAt(p + 2));
        int q = p + 3;
        if (q < end && hex(s.charAt(q)) >= 0) {
          value = value * 16 + hex(s.charAt(q++));
        }
        rawByte(value);
        return q;
      }
      if (next == 'u' || next == 'U') {
        return unicode(p, next == 'u' ? 4 : 8);
      }
      switch (next) {
        case 'b' -> bytes.write('\b');
        case 'f' -> bytes.write('\f');
        case 'n' -> bytes.write('\n');
        case 'r' -> bytes.write('\r');
        case 't' -> bytes.write('\t');
        default -> {
          return character(p + 1);
        }
      }
      return p + 2;
    }

    private void rawByte(int value) {
      madeBytes = true;
      bytes.write(value);
    }

    /**
     * A {@code \\u} or {@code \U} escape as PostgreSQL 9 and later read it (a code point; a
     * surrogate pair written as two escapes). Redshift's scanner predates them: it is a doubt.
     */
    private int unicode(int p, int digits) {
      doubt = "a \\u or \\U escape (Redshift's scanner and PostgreSQL's read it differently)";
      int codePoint = hexValue(p + 2, digits);
      if (codePoint < 0) {
        refused = true; // PostgreSQL: invalid Unicode escape
        return character(p + 1);
      }
      int q = p + 2 + digits;
      if (Character.isHighSurrogate((char) codePoint) && codePoint <= 0xFFFF) {
        int low = q + 1 < end && s.charAt(q) == '\\' && s.charAt(q + 1) == 'u' ? hexValue(q + 2, 4) : -1;
        if (low >= 0 && Character.isLowSurrogate((char) low)) {
          utf8(Character.toCodePoint((char) codePoint, (char) low));
          return q + 6;
        }
        refused = true;
        return q;
      }
      if (codePoint == 0 || codePoint > Character.MAX_CODE_POINT
          || Character.isSurrogate((char) codePoint) && codePoint <= 0xFFFF) {
        refused = true;
        return q;
      }
      utf8(codePoint);
      return q;
    }

    private int hexValue(int from, int digits) {
      if (from + digits > end) {
        return -1;
      }
      long value = 0;
      for (int i = from; i < from + digits; i++) {
        int digit = hex(s.charAt(i));
        if (digit < 0) {
          return -1;
        }
        value = value * 16 + digit;
      }
      return value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    private static int hex(char c) {
      return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private Value finish() {
      byte[] all = bytes.toByteArray();
      if (madeBytes) {
        for (byte b : all) {
          if (b == 0) {
            refused = true;
            doubt = "an escape that makes a NUL character";
            break;
          }
        }
        try {
          String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(all)).toString();
          return new Value(text, doubt, refused);
        } catch (CharacterCodingException notUtf8) {
          return new Value(new String(all, StandardCharsets.UTF_8),
              "octal or hex escapes that make bytes which are not UTF-8", true);
        }
      }
      return new Value(new String(all, StandardCharsets.UTF_8), doubt, refused);
    }
  }
}
