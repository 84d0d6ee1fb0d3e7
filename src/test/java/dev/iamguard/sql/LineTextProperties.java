package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Text printed on one line: every char of the Basic Multilingual Plane, alone and between others,
 * is escaped exactly when it could end a line, move the cursor, start a terminal escape or reorder
 * what a reader sees; the escaped text never holds such a char and reads back as the original.
 */
class LineTextProperties {

  /** The chars the class documents as unsafe (a surrogate is judged by its neighbours, see below). */
  static boolean unsafe(char c) {
    return c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x061c || c >= 0x200b && c <= 0x200f
        || c >= 0x2028 && c <= 0x202e || c >= 0x2060 && c <= 0x2069 || c == 0xfeff;
  }

  /** How an unsafe char is written. */
  static String escaped(char c) {
    return switch (c) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      default -> String.format("\\u%04x", (int) c);
    };
  }

  @Example
  void everyCharOfThePlaneIsEscapedExactlyWhenItIsUnsafe() {
    for (int code = 0; code <= Character.MAX_VALUE; code++) {
      char c = (char) code;
      if (Character.isSurrogate(c)) {
        continue;
      }
      String alone = String.valueOf(c);
      String expected = unsafe(c) ? escaped(c) : alone;
      assertThat(LineText.escape(alone)).as("U+%04X", code).isEqualTo(expected);
      assertThat(LineText.escape("a" + c + "b")).as("U+%04X", code).isEqualTo("a" + expected + "b");
      assertThat(LineText.needsEscape(alone)).as("U+%04X", code).isEqualTo(unsafe(c));
      String quoted = c == '"' || c == '\\' ? "\\" + c : expected;
      assertThat(LineText.quote("x" + c)).as("U+%04X", code).isEqualTo("\"x" + quoted + "\"");
    }
  }

  @Example
  void surrogatesArePrintedInPairsAndEscapedAlone() {
    String pair = "\ud83d\ude00";
    assertThat(LineText.escape(pair)).isEqualTo(pair);
    assertThat(LineText.escape("a" + pair + "b")).isEqualTo("a" + pair + "b");
    assertThat(LineText.needsEscape(pair)).isFalse();
    assertThat(LineText.escape("\ud83d")).isEqualTo("\\ud83d");
    assertThat(LineText.escape("\ud83dx")).isEqualTo("\\ud83dx");
    assertThat(LineText.escape("x\ud83d")).isEqualTo("x\\ud83d");
    assertThat(LineText.escape("\ude00")).isEqualTo("\\ude00");
    assertThat(LineText.escape("x\ude00")).isEqualTo("x\\ude00");
    assertThat(LineText.escape("\ude00\ud83d")).isEqualTo("\\ude00\\ud83d");
    assertThat(LineText.escape("\ud83d\ud83d\ude00")).isEqualTo("\\ud83d" + pair);
    assertThat(LineText.escape(pair + "\ude00")).isEqualTo(pair + "\\ude00");
    assertThat(LineText.quote("\ud83d")).isEqualTo("\"\\ud83d\"");
    assertThat(LineText.needsEscape("x\ude00")).isTrue();
  }

  @Example
  void nullAndSafeTextStayReadable() {
    assertThat(LineText.escape(null)).isEqualTo("null");
    assertThat(LineText.quote(null)).isEqualTo("\"\"");
    assertThat(LineText.needsEscape(null)).isFalse();
    assertThat(LineText.quote("")).isEqualTo("\"\"");
    assertThat(LineText.escape("")).isEqualTo("");
    String plain = "copy t from 's3://b/k' -- \u00e9t\u00e9 \u4e2d\u6587 \"q\" \\";
    assertThat(LineText.escape(plain)).isSameAs(plain);
    assertThat(LineText.quote("a \"b\"\nc\\")).isEqualTo("\"a \\\"b\\\"\\nc\\\\\"");
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(20),
        Arbitraries.of(List.of("a", "\n", "\r\n", "\u001b[31m", "\u202e", "\u2066", "\u200b", "\ufeff", "\u0085", "\u009b",
            "\ud83d\ude00", "\ud83d", "\ude00", "\"", "\\", "\u00e9", "\u0000")).list().ofMaxSize(12)
            .map(l -> String.join("", l)));
  }

  /** The escaped text is one line of safe chars, and unescaping it gives the original back. */
  @Property(tries = 1000)
  void escapedTextIsOneSafeLineThatReadsBack(@ForAll("texts") String text) {
    for (boolean quoted : new boolean[] {false, true}) {
      String out = quoted ? LineText.quote(text) : LineText.escape(text);
      assertThat(LineText.needsEscape(out)).as(out).isFalse();
      String body = quoted ? out.substring(1, out.length() - 1) : out;
      if (quoted || !text.contains("\\")) {
        assertThat(unescape(body)).isEqualTo(text);
      }
    }
    assertThat(LineText.needsEscape(text)).isEqualTo(!LineText.escape(text).equals(text));
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char n = s.charAt(++i);
      switch (n) {
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(n);
      }
    }
    return out.toString();
  }
}
