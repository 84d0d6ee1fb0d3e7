package dev.iamguard.sql;

/**
 * Makes text from outside (user names, SQL literals, file names, messages quoting them) safe to
 * print on one line of a log or a terminal: every character that could end a line, move the
 * cursor, start a terminal escape sequence or reorder what a reader sees is written as an escape.
 * Escaped: C0 controls ({@code \n}, {@code \r} and {@code \t} by name, the others, ESC included, as
 * {@code \}{@code u001b}), DEL, the C1 controls (NEL U+0085 and CSI U+009B among them), the line and
 * paragraph separators U+2028/U+2029, the bidirectional formatting characters (U+061C, U+200E,
 * U+200F, U+202A to U+202E, U+2066 to U+2069), zero-width characters and the BOM (U+200B to U+200D,
 * U+2060, U+FEFF), and unpaired surrogates. Everything else, letters of every script included, is
 * kept as it is.
 */
public final class LineText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private LineText() {}

  /** {@code text} with every unsafe character escaped; backslashes and quotes are kept. */
  public static String escape(String text) {
    if (text == null) {
      return "null";
    }
    int first = firstUnsafe(text, false);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
    append(out, text, first, false);
    return out.toString();
  }

  /**
   * {@code text} in double quotes, with backslash and double quote escaped as well, so that a
   * reader can always tell where the value ends: {@code "a \"b\"\nc"}.
   */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder(text == null ? 2 : text.length() + 2).append('"');
    if (text != null) {
      append(out, text, 0, true);
    }
    return out.append('"').toString();
  }

  /** True when {@code text} holds a character {@link #escape} would rewrite. */
  public static boolean needsEscape(String text) {
    return text != null && firstUnsafe(text, false) >= 0;
  }

  private static int firstUnsafe(String text, boolean quoted) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (unsafe(text, i, c) || quoted && (c == '"' || c == '\\')) {
        return i;
      }
    }
    return -1;
  }

  private static void append(StringBuilder out, String text, int from, boolean quoted) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted && (c == '"' || c == '\\')) {
        out.append('\\').append(c);
      } else if (!unsafe(text, i, c)) {
        out.append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else {
        out.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
      }
    }
  }

  private static boolean unsafe(String text, int i, char c) {
    if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
      return true;
    }
    if (c < 0x61c) {
      return false;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
    }
    return c == 0x61c || c >= 0x200b && c <= 0x200f || c >= 0x2028 && c <= 0x202e || c >= 0x2060 && c <= 0x2069
        || c == 0xfeff;
  }
}
