package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A JSON registry is read as a JSON policy file is: white space as JSON takes it. Indented with tabs,
 * as {@code jq --tab} and Python's {@code json.dumps(indent='\t')} write it, it was refused as a YAML tab
 * error (red-team review), though the README says JSON works.
 *
 * <p>Generated: tab layouts (indenting, between tokens, after colons and commas, after a line break) x starts
 * (as is, white space or newlines first, a byte order mark) x line ends (LF, CRLF); loaded from a file and
 * from text. A JSON registry with an error still names its line.
 */
class JsonRegistryTabsTest {
  @TempDir
  Path dir;

  private static final String ROLE = "arn:aws:iam::123456789012:role/R";

  private static String registry(String layout) {
    return switch (layout) {
      case "jq --tab" -> "{\n\t\"version\": 1,\n\t\"roles\": [\n\t\t{\n\t\t\t\"arn\": \"" + ROLE + "\",\n\t\t\t\"allow\": {\n"
          + "\t\t\t\t\"s3_read\": [\n\t\t\t\t\t\"s3://lake/p/\"\n\t\t\t\t]\n\t\t\t}\n\t\t}\n\t]\n}\n";
      case "tabs between tokens" -> "{\"version\":\t1,\t\"roles\":\t[{\"arn\"\t:\t\"" + ROLE + "\",\t\"allow\":\t"
          + "{\"s3_read\":\t[\"s3://lake/p/\"]}}]\t}";
      default -> "{\"version\": 1,\n\t\t\"roles\": [{\"arn\": \"" + ROLE + "\",\n\t\"allow\": "
          + "{\"s3_read\": [\"s3://lake/p/\"]}}\n\t]\n}";
    };
  }

  static Stream<Arguments> jsonRegistries() {
    List<Arguments> all = new ArrayList<>();
    for (String layout : List.of("jq --tab", "tabs between tokens", "tabs after a newline")) {
      for (String start : List.of("", "  \n", "\n\t\n", "\uFEFF", "\uFEFF\t")) {
        for (String lineEnd : List.of("\n", "\r\n")) {
          all.add(Arguments.of(layout, start, lineEnd));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}, start {1}, line end {2}")
  @MethodSource("jsonRegistries")
  void aJsonRegistryIndentedWithTabsLoads(String layout, String start, String lineEnd) throws Exception {
    String text = start + registry(layout).replace("\n", lineEnd);
    Path file = dir.resolve("r.json");
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));

    for (Registry loaded : List.of(RegistryLoader.load(file), RegistryLoader.parse(text, "r.json", dir))) {
      assertThat(loaded.roles()).singleElement().satisfies(role ->
          assertThat(role.allow().orElseThrow().s3Read()).containsExactly(new S3Prefix("lake", "p/")));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void aProblemOfATabbedJsonRegistryNamesItsLine(String layout) {
    String text = registry(layout).replace("s3://lake/p/", "s3://LAKE/p/");
    int line = (int) text.substring(0, text.indexOf("s3://LAKE")).chars().filter(c -> c == '\n').count() + 1;

    RegistryException e = assertThrows(RegistryException.class, () -> RegistryLoader.parse(text, "r.json", dir));

    assertThat(e.problems()).singleElement().asString().startsWith("r.json:" + line + ": roles[0].allow.s3_read[0]");
  }

  static Stream<String> layouts() {
    return Stream.of("jq --tab", "tabs between tokens", "tabs after a newline");
  }
}
