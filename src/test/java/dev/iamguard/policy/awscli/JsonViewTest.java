package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fields of AWS CLI output are read by type, and a field of the wrong type is reported by its path
 * with what it is instead, never quoting its content.
 */
class JsonViewTest {

  private static Map<String, Object> object(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  @Test
  void booleansAreReadAsWrittenAbsentIsTheFallback() {
    List<String> problems = new ArrayList<>();
    JsonView view = JsonView.top(object("Yes", true, "No", false, "Text", "true", "Nothing", null), "c.json", problems)
        .orElseThrow();
    assertThat(view.bool("Yes", false)).isTrue();
    assertThat(view.bool("No", true)).isFalse();
    assertThat(view.bool("Absent", true)).isTrue();
    assertThat(view.bool("Absent", false)).isFalse();
    assertThat(view.bool("Nothing", true)).isTrue();
    assertThat(problems).isEmpty();
    assertThat(view.bool("Text", false)).isFalse();
    assertThat(view.bool("Text", true)).isTrue();
    assertThat(problems).containsExactly("c.json: Text: expected true or false, got a string",
        "c.json: Text: expected true or false, got a string");
  }

  @Test
  void wrongTypesAreNamedByPathAndKind() {
    List<String> problems = new ArrayList<>();
    Map<String, Object> inner = object("Flag", 1, "Items", Arrays.asList(object("A", "x"), 3.5, List.of(), "s", false,
        new Object()));
    JsonView view = JsonView.top(object("Clusters", inner), "c.json", problems).orElseThrow();
    JsonView clusters = view.object("Clusters").orElseThrow();
    assertThat(clusters.path()).isEqualTo("Clusters");
    clusters.bool("Flag", false);
    assertThat(clusters.objects("Items")).hasSize(1).allSatisfy(v -> assertThat(v.path()).isEqualTo("Clusters.Items[0]"));
    assertThat(problems).containsExactly(
        "c.json: Clusters.Flag: expected true or false, got a number",
        "c.json: Clusters.Items[1]: expected an object, got a number",
        "c.json: Clusters.Items[2]: expected an object, got a list",
        "c.json: Clusters.Items[3]: expected an object, got a string",
        "c.json: Clusters.Items[4]: expected an object, got a boolean",
        "c.json: Clusters.Items[5]: expected an object, got a value");
    problems.clear();
    assertThat(JsonView.top(List.of(), "l.json", problems)).isEmpty();
    assertThat(JsonView.top(null, "n.json", problems)).isEmpty();
    assertThat(problems).containsExactly("l.json: expected a JSON object at the top, got a list",
        "n.json: expected a JSON object at the top, got null");
  }
}
