package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The policy files an import writes are JSON as the AWS CLI prints it (two spaces an indent, keys
 * in order, commas between and only between entries), with every character the registry's YAML
 * 1.2 reader would refuse escaped; the AWS CLI output is split into its documents, each named by
 * its place and line.
 */
class JsonTextTest {

  @Test
  void nestedValuesAreIndentedTwoSpacesALevel() {
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Effect", "Allow");
    statement.put("Action", List.of("s3:GetObject", "s3:ListBucket"));
    statement.put("Condition", Map.of());
    statement.put("NotAction", List.of());
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("Version", "2012-10-17");
    document.put("Statement", List.of(statement, Map.of("Sid", "x")));
    document.put("Count", 2);
    document.put("Flag", true);
    document.put("Nothing", null);
    assertThat(JsonText.write(document)).isEqualTo("""
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": [
                "s3:GetObject",
                "s3:ListBucket"
              ],
              "Condition": {},
              "NotAction": []
            },
            {
              "Sid": "x"
            }
          ],
          "Count": 2,
          "Flag": true,
          "Nothing": null
        }
        """);
    assertThat(JsonText.write(List.of(List.of("a")))).isEqualTo("[\n  [\n    \"a\"\n  ]\n]\n");
    assertThat(JsonText.write("plain")).isEqualTo("\"plain\"\n");
  }

  @ParameterizedTest(name = "U+{0}")
  @CsvSource({
      "0000, \\u0000", "001f, \\u001f", "0020, ' '", "007e, ~", "007f, \\u007f", "0080, \\u0080", "009f, \\u009f",
      "00a0, \u00a0", "00e9, é", "2028, \\u2028", "2029, \\u2029", "2027, \u2027", "feff, \\ufeff", "fffd, \ufffd",
      "0022, \\\"", "005c, \\\\", "000a, \\n", "000d, \\r", "0009, \\t"})
  void charactersYamlRefusesAreEscaped(String hex, String written) {
    char c = (char) Integer.parseInt(hex, 16);
    assertThat(JsonText.write("a" + c + "b")).isEqualTo("\"a" + written + "b\"\n");
  }

  @Test
  void whatIsWrittenReadsBackAsTheSameValue() throws Exception {
    StringBuilder every = new StringBuilder();
    for (char c = 0; c < 0x3000; c++) {
      every.append(c);
    }
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("k\"ey", every.toString());
    value.put("list", Arrays.asList("x", null, false, 7, Map.of("in", List.of())));
    Object back = AwsJson.read(JsonText.write(value), "t.json").get(0).value();
    assertThat(back).isEqualTo(value);
  }

  @Test
  void documentsOfAFileAreNumberedWithTheirLines() throws Exception {
    String text = "\uFEFF{\"a\": \"}{\\\"\"}\n\n  [1,\n 2]\n{\"b\": {\"c\": []}}";
    List<AwsJson.Document> documents = AwsJson.read(text, "out.json");
    assertThat(documents).extracting(AwsJson.Document::index).containsExactly(1, 2, 3);
    assertThat(documents).extracting(AwsJson.Document::line).containsExactly(1, 3, 5);
    assertThat(documents.get(0).value()).isEqualTo(Map.of("a", "}{\""));
    assertThat(documents.get(1).value()).isEqualTo(List.of(1, 2));
    assertThat(documents.get(2).label(3)).isEqualTo("out.json (document 3 of 3, line 5)");
    assertThat(documents.get(0).label(1)).isEqualTo("out.json");
  }

  @Test
  void invalidJsonIsNamedByFileAndLineInOneLine() {
    assertThatThrownBy(() -> AwsJson.read("{}\n\n{\"a\": 1, \"a\": 2}", "dup.json"))
        .isInstanceOfSatisfying(ImportException.class, e -> assertThat(e.problems()).singleElement()
            .satisfies(p -> assertThat(p).isEqualTo("dup.json: line 3: not valid JSON: duplicate key \"a\" (each key of a"
                + " JSON object must be named once; which value counts is not defined)")));
    assertThatThrownBy(() -> AwsJson.read("{}\n[", "cut.json")).isInstanceOfSatisfying(ImportException.class,
        e -> assertThat(e.problems()).containsExactly(
            "cut.json: line 2: a JSON document starts here but does not end (the file is cut short?)"));
    assertThatThrownBy(() -> AwsJson.read(" \n\t", "blank.json")).isInstanceOfSatisfying(ImportException.class,
        e -> assertThat(e.problems()).containsExactly("blank.json: empty; expected the JSON the AWS CLI prints"));
  }

  /**
   * A document nesting deeper than the YAML reader's limit is named by its file and the line where
   * it goes too deep; the engine's own loader recursed per level, and 100,000 nested lists or
   * objects overflowed the stack (the command line then blamed "a statement"). Run on a thread of a
   * 256 KB stack, which the recursion to the end overflows.
   */
  @Test
  void aDocumentNestedTooDeepIsNamedWhereItGoesTooDeep() throws Exception {
    String lists = "{}\n{\"Roles\":\n" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    String objects = "{\"a\": ".repeat(100_000) + "1" + "}".repeat(100_000);
    String lines = "{\"a\":\n".repeat(70) + "1" + "}".repeat(70);
    for (String[] file : new String[][] {{lists, "3"}, {objects, "1"}, {lines, "65"}}) {
      Throwable[] thrown = new Throwable[1];
      Thread reader = new Thread(null, () -> {
        try {
          AwsJson.read(file[0], "deep.json");
        } catch (Throwable t) {
          thrown[0] = t;
        }
      }, "json", 256 * 1024);
      reader.start();
      reader.join();
      assertThat(thrown[0]).isInstanceOfSatisfying(ImportException.class, e -> assertThat(e.problems())
          .containsExactly("deep.json: line " + file[1] + ": lists and mappings nest more than 64 levels deep; far"
              + " more than any file iamguard reads needs"));
    }
  }
}
