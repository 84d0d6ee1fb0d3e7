package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.IamPolicyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A character YAML's reader refuses (a NUL, an escape sequence pasted from a terminal, U+FFFE) anywhere in a
 * registry or an IAM policy document is a problem at its line, saying its column and which character it is.
 * Before, the registry's problem had no line ("registry.yaml: YAML syntax error: special characters are not
 * allowed") and a policy document's said line 0. The oracle is where the character was put.
 */
class ControlCharacterPlaceTest {
  private static final int[] REFUSED = {0x00, 0x01, 0x02, 0x07, 0x08, 0x0B, 0x0C, 0x0E, 0x10, 0x1B, 0x1F, 0xFFFE,
      0xFFFF};

  @Test
  void aRegistryNamesTheLineAndColumnOfTheCharacter() throws IOException {
    String registry = Files.readString(Path.of("samples/registry.yaml"), StandardCharsets.UTF_8);
    String[] lines = registry.split("\n", -1);
    int cases = 0;
    for (int k = 0; k < lines.length; k++) {
      String line = lines[k];
      int indent = line.length() - line.stripLeading().length();
      // line start, first character, inside (a key, a value, a quoted value, a comment), end
      for (int at : new int[] {0, indent, (indent + line.length()) / 2, line.length()}) {
        int c = REFUSED[(k * 7 + at) % REFUSED.length];
        String text = insert(lines, k, at, c);
        RegistryException e = catchThrowableOfType(
            () -> RegistryLoader.parse(text, "registry.yaml", null), RegistryException.class);
        assertThat(e).as("U+%04X at line %d, column %d", c, k + 1, at + 1).isNotNull();
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).line()).isEqualTo(k + 1);
        assertThat(e.problems().get(0).message()).isEqualTo("YAML syntax error: " + refusal(k + 1, at + 1, c));
        cases++;
      }
    }
    assertThat(cases).isGreaterThan(200);
  }

  @Test
  void aPolicyDocumentNamesTheLineAndColumnOfTheCharacter() throws IOException {
    String document = Files.readString(Path.of("samples/iam/RedshiftCopyUnload.s3.json"), StandardCharsets.UTF_8);
    String[] lines = document.split("\n", -1);
    int cases = 0;
    for (int k = 1; k < lines.length - 1; k++) {
      String line = lines[k];
      int indent = line.length() - line.stripLeading().length();
      for (int at : new int[] {0, indent, (indent + line.length()) / 2, line.length()}) {
        int c = REFUSED[(k * 5 + at) % REFUSED.length];
        String text = insert(lines, k, at, c);
        IamPolicyException e = catchThrowableOfType(() -> IamPolicy.parse(text, "policy.json"), IamPolicyException.class);
        assertThat(e).as("U+%04X at line %d, column %d", c, k + 1, at + 1).isNotNull();
        assertThat(e.problems()).singleElement().asString()
            .isEqualTo("policy.json: line " + (k + 1) + ": not valid JSON: " + refusal(k + 1, at + 1, c));
        cases++;
      }
    }
    assertThat(cases).isGreaterThan(20);
  }

  private static String refusal(int line, int column, int c) {
    return String.format(Locale.ROOT, "at line %d, column %d: the character U+%04X (%s) cannot stand in YAML or JSON"
        + " text, not even in quotes: remove it, or write it as the escape \\u%04X inside double quotes", line, column,
        c, c < 0x20 ? "a control character" : "not a character", c);
  }

  /** The lines with code point {@code c} put at the 0-based column {@code at} of the 0-based line {@code k}. */
  private static String insert(String[] lines, int k, int at, int c) {
    String[] copy = lines.clone();
    copy[k] = copy[k].substring(0, at) + new String(Character.toChars(c)) + copy[k].substring(at);
    return String.join("\n", copy);
  }
}
