package dev.iamguard.local;

import java.util.Locale;

/**
 * Whether a text is one JSON value as RFC 8259 writes it, before SnakeYAML Engine composes it: the
 * engine reads YAML 1.2, a superset, and would load what Redshift refuses as malformed JSON
 * (unquoted or single-quoted strings, comments, tags) and change values silently (a line break in
 * a string read as a space, the YAML escape {@code \N} as U+0085, an alias expanded: a record of a
 * few hundred bytes that expands past any heap). Nesting is bounded by the caller.
 */
final class JsonSyntax {
  private final String text;
  private int at;

  private JsonSyntax(String text) {
    this.text = text;
  }

  /** Null when {@code text} is one JSON value with white space around it; else what is wrong, and where. */
  static String problem(String text) {
    JsonSyntax syntax = new JsonSyntax(text);
    try {
      syntax.value();
      syntax.space();
      if (syntax.at < text.length()) {
        syntax.fail("more text after the JSON value");
      }
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private void value() {
    space();
    if (at >= text.length()) {
      fail("a value is missing");
    }
    char c = text.charAt(at);
    switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> word("true");
      case 'f' -> word("false");
      case 'n' -> word("null");
      default -> {
        if (c == '-' || c >= '0' && c <= '9') {
          number();
        } else {
          fail("'" + printable(c) + "' starts no JSON value (strings take double quotes)");
        }
      }
    }
  }

  private void object() {
    at++;
    space();
    if (peek() == '}') {
      at++;
      return;
    }
    while (true) {
      space();
      if (peek() != '"') {
        fail("a member name must be a string in double quotes");
      }
      string();
      space();
      expect(':');
      value();
      space();
      if (peek() == ',') {
        at++;
      } else {
        expect('}');
        return;
      }
    }
  }

  private void array() {
    at++;
    space();
    if (peek() == ']') {
      at++;
      return;
    }
    while (true) {
      value();
      space();
      if (peek() == ',') {
        at++;
      } else {
        expect(']');
        return;
      }
    }
  }

  private void string() {
    at++;
    while (at < text.length()) {
      char c = text.charAt(at++);
      if (c == '"') {
        return;
      }
      if (c < 0x20) {
        at--;
        fail("a control character (U+" + String.format(Locale.ROOT, "%04X", (int) c) + ") in a string must be escaped");
      }
      if (c == '\\') {
        char e = at < text.length() ? text.charAt(at++) : 0;
        if (e == 'u') {
          for (int k = 0; k < 4; k++) {
            if (at >= text.length() || !isHexDigit(text.charAt(at++))) {
              fail("\\u takes four hexadecimal digits");
            }
          }
        } else if ("\"\\/bfnrt".indexOf(e) < 0 || e == 0) {
          at -= 2;
          fail("'\\" + printable(e) + "' is no JSON escape");
        }
      }
    }
    fail("a string is not closed");
  }

  private void number() {
    int start = at;
    if (peek() == '-') {
      at++;
    }
    if (peek() == '0') {
      at++;
    } else if (digits() == 0) {
      fail("a number needs digits");
    }
    if (peek() == '.') {
      at++;
      if (digits() == 0) {
        fail("a number needs digits after its '.'");
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      at++;
      if (peek() == '+' || peek() == '-') {
        at++;
      }
      if (digits() == 0) {
        fail("a number needs digits in its exponent");
      }
    }
    if (at == start) {
      fail("a number is missing");
    }
  }

  private int digits() {
    int start = at;
    while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
      at++;
    }
    return at - start;
  }

  private void word(String word) {
    if (!text.startsWith(word, at)) {
      fail("expected " + word);
    }
    at += word.length();
  }

  private void expect(char c) {
    if (peek() != c) {
      fail(at >= text.length() ? "expected '" + c + "' before the end" : "expected '" + c + "', found '"
          + printable(text.charAt(at)) + "'");
    }
    at++;
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : 0;
  }

  private void space() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      at++;
    }
  }

  private void fail(String why) {
    throw new IllegalArgumentException(why + " (at character " + (at + 1) + ")");
  }

  private static String printable(char c) {
    return c < 0x20 || c == 0x7F ? String.format(Locale.ROOT, "U+%04X", (int) c) : String.valueOf(c);
  }

  /** An ASCII hexadecimal digit, the only kind a JSON unicode escape takes (Character.digit also takes Arabic-Indic and fullwidth ones). */
  private static boolean isHexDigit(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }
}
