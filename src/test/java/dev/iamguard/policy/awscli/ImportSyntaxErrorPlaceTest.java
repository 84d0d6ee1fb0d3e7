package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * An AWS CLI file (--iam, --redshift, --serverless) that is not JSON is refused at the line and column of
 * what is wrong, in words, whichever document of the file holds it: never at the document's first line with
 * the parser's context ("line 1: not valid JSON (while parsing a flow mapping)") or its reader's
 * "special characters are not allowed". The oracle is the place the defect was put (a control character) or
 * the token after the comma taken out (the first one the parser cannot take), worked out from the text,
 * not from the parser.
 */
class ImportSyntaxErrorPlaceTest {
  /** Code points YAML's reader refuses (JSON refuses them unescaped too), a tab, line feed and carriage return aside. */
  private static final int[] REFUSED = {0x00, 0x01, 0x07, 0x08, 0x0B, 0x0C, 0x0E, 0x1B, 0x1F, 0xFFFE, 0xFFFF};

  private static List<String> inputs() throws IOException {
    List<String> texts = new ArrayList<>();
    for (String name : List.of("describe-clusters.json", "account-123456789012.json", "account-210987654321.json")) {
      texts.add(Files.readString(ImportFixtures.SEED.resolve(name), StandardCharsets.UTF_8));
    }
    return texts;
  }

  @Test
  void aControlCharacterIsNamedAtItsLineAndColumnInAnyDocumentOfTheFile() throws IOException {
    int cases = 0;
    for (String text : inputs()) {
      String[] lines = text.split("\n", -1);
      for (int k = 0; k < lines.length - 1; k += 3) {
        String line = lines[k];
        int indent = line.length() - line.stripLeading().length();
        for (int at : new int[] {0, indent, line.length()}) {
          if (!insideTheDocument(text, k, at) || line.startsWith("{") || line.startsWith("}")) {
            continue; // between documents (a file may hold several), the file says otherwise what is wrong
          }
          int c = REFUSED[(k + at) % REFUSED.length];
          String bad = insert(text, k, at, c);
          // alone, the second of two documents (one a line after the other), and after another on the same line
          assertRefusedAt(bad, k + 1, at + 1, c);
          String first = text.stripTrailing();
          assertRefusedAt(first + "\n" + bad, k + 2 + lineCount(first), at + 1, c);
          assertRefusedAt(first + bad, k + 1 + lineCount(first), k == 0 ? first.length() - first.lastIndexOf('\n') + at
              : at + 1, c);
          cases += 3;
        }
      }
    }
    assertThat(cases).isGreaterThan(100);
  }

  @Test
  void aMissingCommaIsNamedAtTheTokenThatFollowsIt() throws IOException {
    int cases = 0;
    for (String text : inputs()) {
      String[] lines = text.split("\n", -1);
      for (int k = 0; k < lines.length - 1; k++) {
        if (!lines[k].endsWith(",") || lines[k + 1].isBlank()) {
          continue;
        }
        lines[k] = lines[k].substring(0, lines[k].length() - 1);
        String bad = String.join("\n", lines);
        lines[k] = lines[k] + ",";
        String next = lines[k + 1];
        // after a string, a list or an object the first token the parser cannot take is the next line's; after
        // true, false, null or a number YAML reads on (a plain value may go on over lines) to the colon after it
        boolean closed = lines[k].endsWith("\"") || lines[k].endsWith("}") || lines[k].endsWith("]");
        String where = "input.json: line " + (k + 2) + (closed ? ", column " + (next.length() - next.stripLeading().length() + 1) : ", column ");
        ImportException e = refused(bad);
        assertThat(e.problems()).as("comma taken from line %d", k + 1).singleElement().asString()
            .startsWith(where).contains(": not valid JSON: ").doesNotContain("while parsing");
        // in a second document every line it names (the missing comma's, where the list or mapping opened)
        // is the file's: the lines of the first document and its line break further down
        String first = text.stripTrailing();
        int shift = lineCount(first) + 1;
        java.util.regex.Matcher lineNumber = java.util.regex.Pattern.compile("line (\\d+)").matcher(e.problems().get(0));
        String shifted = lineNumber.replaceAll(m -> "line " + (Integer.parseInt(m.group(1)) + shift));
        assertThat(refused(first + "\n" + bad).problems()).singleElement().asString()
            .startsWith("input.json: line " + (k + 2 + shift) + ", column ").isEqualTo(shifted);
        cases += 2;
      }
    }
    assertThat(cases).isGreaterThan(50);
  }

  private static void assertRefusedAt(String text, int line, int column, int c) {
    ImportException e = refused(text);
    assertThat(e.problems()).as("U+%04X at line %d, column %d", c, line, column).singleElement().asString()
        .isEqualTo(String.format(Locale.ROOT, "input.json: line %d, column %d: not valid JSON: the character U+%04X (%s)"
            + " cannot stand in YAML or JSON text, not even in quotes: remove it, or write it as the escape \\u%04X"
            + " inside double quotes", line, column, c, c < 0x20 ? "a control character" : "not a character", c));
  }

  private static ImportException refused(String text) {
    ImportException e = catchThrowableOfType(() -> AwsJson.read(text, "input.json"), ImportException.class);
    assertThat(e).as("refused: %s", text.length() > 300 ? text.substring(0, 300) : text).isNotNull();
    return e;
  }

  /** {@code text} with code point {@code c} put at the 0-based column {@code at} of its 0-based line {@code k}. */
  private static String insert(String text, int k, int at, int c) {
    String[] lines = text.split("\n", -1);
    lines[k] = lines[k].substring(0, at) + new String(Character.toChars(c)) + lines[k].substring(at);
    return String.join("\n", lines);
  }

  /** Whether the 0-based column {@code at} of line {@code k} lies after the document's first { and not after its last }. */
  private static boolean insideTheDocument(String text, int k, int at) {
    int offset = 0;
    for (int i = 0; i < k; i++) {
      offset = text.indexOf('\n', offset) + 1;
    }
    offset += at;
    return offset > text.indexOf('{') && offset <= text.lastIndexOf('}');
  }

  /** The line breaks in {@code text}: a text appended to it starts on line (this + 1). */
  private static int lineCount(String text) {
    return (int) text.chars().filter(ch -> ch == '\n').count();
  }
}
