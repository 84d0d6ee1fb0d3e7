package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Types;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * COPY's JSON records are JSON (probe 21b J1, J2): {@link JsonSyntax} accepts exactly the texts a
 * strict JSON parser (Jackson's, in its default strict mode) reads as one value, on texts built
 * from JSON's pieces and YAML's (which SnakeYAML Engine alone read: comments, quotes of either
 * kind, anchors and aliases, tags, escapes JSON has not, line breaks in strings). And the reader
 * turns each YAML-only form into a load error instead of a changed value, with no alias expanded.
 */
class JsonSyntaxProperties {
  /** Jackson's parser in its default mode: strict JSON, a name allowed twice (Redshift takes the last). */
  private static final JsonFactory JSON = new JsonFactory();

  @Property(tries = 5000)
  void acceptsWhatAStrictParserReads(@ForAll("texts") String text) {
    boolean json = strictlyJson(text);

    assertThat(JsonSyntax.problem(text) == null).as(text).isEqualTo(json);
    Statistics.label("JSON").collect(json);
  }

  private static boolean strictlyJson(String text) {
    try (JsonParser parser = JSON.createParser(new StringReader(text))) {
      return readsOneValue(parser);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean readsOneValue(JsonParser parser) throws IOException {
    if (parser.nextToken() == null) {
      return false;
    }
    parser.skipChildren();
    return parser.nextToken() == null;
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> piece = Arbitraries.of("{", "}", "[", "]", ",", ":", " ", "\n", "\t", "\"a\"", "\"b\"",
        "\"x y\"", "1", "-0", "01", "2.5", "1e3", "1.", ".5", "-", "+1", "true", "false", "null", "nul", "True",
        "'s'", "a", "#c\n", "// c\n", "/* c */", "&x ", "*x", "!!str ", "\"\\N\"", "\"\\x41\"", "\"\\u00e9\"",
        "\"\\u00g9\"", "\"\\u\u0660\u0660\u0664\u0661\"", "\"\\u\uff10\uff10\uff14\uff11\"", "\"\\u00\uff25\u0669\"", "\"\\/\"", "\"\\\"\"", "\"a\nb\"", "\"a\u0001b\"", "\"é😀\"", "NaN", "Infinity", "\u00a0",
        "\r", "---", "...", "? ", "\"\\", "\"");
    return piece.list().ofMaxSize(12).map(pieces -> String.join("", pieces));
  }

  @Test
  void everyFormOnlyYamlReadsIsALoadErrorAndNothingIsExpanded() throws IOException {
    List<String> yamlOnly = List.of("{id: 2, s: unquoted text}", "{\"id\": 3, \"s\": 'single'}",
        "{\"id\": 4, \"s\": \"esc\\x41\\e\"}", "{\"id\": 5, \"s\": \"line\nfolded\"}", "{\"id\": 6, \"s\": \"a\" # c\n}",
        "{\"id\": 7, \"s\": &x \"anch\", \"t\": *x}", "{\"id\": !!str 8, \"s\": !!binary aGk=}",
        "{\"id\": 10, \"s\": \"bs\\N\"}", "{\"id\": 11, \"s\": \"tab\there\"}");
    StringBuilder bomb = new StringBuilder("{\"id\": 1, \"l0\": &a0 [\"xx\",\"xx\",\"xx\"]");
    for (int k = 1; k <= 30; k++) {
      bomb.append(", \"l").append(k).append("\": &a").append(k).append(" [*a").append(k - 1).append(",*a")
          .append(k - 1).append(",*a").append(k - 1).append(']');
    }
    String text = String.join("\n", yamlOnly) + "\n" + bomb + ", \"s\": *a30}\n{\"id\": 12, \"s\": \"ok\"}\n";
    List<TargetColumn> columns = List.of(new TargetColumn("id", Types.VARCHAR, "VARCHAR", 100, 0, true, false),
        new TargetColumn("s", Types.VARCHAR, "VARCHAR", 100, 0, true, false));

    List<List<Object>> records = JsonReaderProperties.records(new JsonReader(new StringReader(text), columns, false));

    assertThat(records).hasSize(yamlOnly.size() + 2);
    for (List<Object> record : records.subList(0, yamlOnly.size() + 1)) {
      assertThat(record.get(1)).as("record on line %s loads nothing", record.get(0)).isNull();
      assertThat((String) record.get(2)).startsWith("1216 malformed JSON: ");
    }
    assertThat(records.get(records.size() - 1).get(1)).isEqualTo(List.of("12", "ok"));
  }
}
