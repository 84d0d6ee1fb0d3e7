package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Block YAML of the import: empty collections, nulls, lists of lists refused, escapes at the character-class bounds. */
class YamlTextTest {

  @Test
  void emptyCollectionsAndNullsAreWrittenInline() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("a", Map.of());
    value.put("b", List.of());
    value.put("c", null);
    value.put("d", List.of(Map.of(), List.of(), 7, true));
    value.put("on", "yes");
    assertThat(YamlText.write(value)).isEqualTo("""
        a: {}
        b: []
        c: null
        d:
          - {}
          - []
          - 7
          - true
        on: "yes"
        """);
  }

  @Test
  void aListDirectlyInsideAListIsRefused() {
    assertThatThrownBy(() -> YamlText.write(Map.of("x", List.of(List.of(1))))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a list directly inside a list is not written");
  }

  @Test
  void controlAndInvisibleCharactersAreEscapedAndTheirNeighboursAreNot() {
    assertThat(YamlText.scalar("\u001f \u007e\u007f\u0080\u009f\u00a0\u2027\u2028\u2029\ufeff\ufefe\"\\\n\t\r"))
        .isEqualTo("\"\\u001f ~\\u007f\\u0080\\u009f\u00a0\u2027\\u2028\\u2029\\ufeff\ufefe\\\"\\\\\\n\\t\\r\"");
  }
}
