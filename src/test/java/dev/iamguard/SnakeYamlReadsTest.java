package dev.iamguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every text iamguard gives SnakeYAML Engine goes through {@code sql.ShortReadReader}: the library
 * reads the second half of a surrogate pair past the end of its buffer when a read filled it, so a
 * char outside the BMP at char 1,024 of a text threw IndexOutOfBoundsException out of loading. The
 * registry, IAM documents, JSON records and manifests had the reader; the baseline did not, and
 * {@code check --baseline} printed a stack trace ({@code cli.BaselineAstralCharTest}). This test
 * keeps every entry point, present and future, to the reader.
 */
class SnakeYamlReadsTest {
  private static final Path MAIN = Path.of("src", "main", "java");

  /** An entry point that reads a Reader: the Reader must be the short-read one, on the same line. */
  static final Pattern READER_ENTRY =
      Pattern.compile("\\b(parseReader|composeReader|composeAllFromReader|loadFromReader|loadAllFromReader)\\(|new StreamReader\\(");

  /** An entry point that makes its own Reader (of a String or an InputStream), which cannot be short. */
  static final Pattern OWN_READER = Pattern.compile(
      "\\b(parseString|composeString|composeAllFromString|loadFromString|loadAllFromString"
          + "|parseInputStream|composeInputStream|composeAllFromInputStream|loadFromInputStream|loadAllFromInputStream)\\(");

  static boolean refused(String line) {
    return OWN_READER.matcher(line).find() || READER_ENTRY.matcher(line).find() && !line.contains("ShortReadReader");
  }

  @Test
  void everySnakeYamlReadGoesThroughTheShortReadReader() throws IOException {
    List<String> refused = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          if (refused(lines.get(i))) {
            refused.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
          }
        }
      }
    }
    assertThat(refused).as("SnakeYAML reads not through sql.ShortReadReader").isEmpty();
  }

  @Test
  void theScanKnowsAReadThroughTheShortReaderFromOneWithout() {
    assertThat(Stream.of(
        "reader.events = new Parse(settings).parseReader(in).iterator();",
        "Optional<Node> node = compose.composeReader(new StringReader(text));",
        "document = new Load(settings).loadFromString(text);",
        "new Compose(settings).composeString(text)",
        "new Load(settings).loadFromInputStream(in)",
        "new ScannerImpl(settings, new StreamReader(settings, text))"))
        .allMatch(SnakeYamlReadsTest::refused);
    assertThat(Stream.of(
        "reader.events = new Parse(settings).parseReader(new ShortReadReader(in)).iterator();",
        "Optional<Node> node = compose.composeReader(dev.iamguard.sql.ShortReadReader.of(object));",
        "new StreamReader(settings, dev.iamguard.sql.ShortReadReader.of(text))",
        "String loadFromFile = \"x\";"))
        .noneMatch(SnakeYamlReadsTest::refused);
  }
}
