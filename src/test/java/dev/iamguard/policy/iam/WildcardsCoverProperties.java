package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * {@code registry diff} counts an entry as nothing gained when an old entry covers it, so
 * {@link Wildcards#covers} must never say yes wrongly (probe 21a F5: {@code r?} covered {@code r*},
 * and widening one to the other diffed as nothing gained): whenever it holds, every text the
 * covered pattern matches (all texts of up to five characters here) the covering one matches.
 */
class WildcardsCoverProperties {
  private static final List<String> TEXTS = texts("abc", 5);

  @Property(tries = 3000)
  void aPatternCoversOnlyWhatItMatches(@ForAll("patterns") String pattern, @ForAll("patterns") String other) {
    boolean covers = Wildcards.covers(pattern, other);
    if (covers) {
      for (String text : TEXTS) {
        if (Wildcards.matches(other, text)) {
          assertThat(Wildcards.matches(pattern, text)).as("%s covers %s but not %s", pattern, other, text).isTrue();
        }
      }
    }
    Statistics.label("covers").collect(covers);
    Statistics.label("covers").coverage(c -> c.check(true).percentage(p -> p > 5));
  }

  @Test
  void aQuestionMarkCoversOneCharacterOnly() {
    assertThat(Wildcards.covers("r?", "r*")).isFalse();
    assertThat(Wildcards.covers("s3://b/r?/*", "s3://b/r*/x")).isFalse();
    assertThat(Wildcards.covers("r?", "r?")).isTrue();
    assertThat(Wildcards.covers("r*", "r?")).isTrue();
    assertThat(Wildcards.covers("r*", "r*")).isTrue();
    assertThat(Wildcards.covers("f?", "fa")).isTrue();
  }

  @Provide
  Arbitrary<String> patterns() {
    return Arbitraries.strings().withChars('a', 'b', '*', '?').ofMaxLength(4);
  }

  private static List<String> texts(String alphabet, int longest) {
    List<String> all = new ArrayList<>(List.of(""));
    List<String> last = List.of("");
    for (int n = 1; n <= longest; n++) {
      List<String> next = new ArrayList<>();
      for (String prefix : last) {
        for (char c : alphabet.toCharArray()) {
          next.add(prefix + c);
        }
      }
      all.addAll(next);
      last = next;
    }
    return all;
  }
}
