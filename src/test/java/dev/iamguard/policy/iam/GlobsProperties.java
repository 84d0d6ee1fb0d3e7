package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Looking patterns up answers as asking each: whatever the patterns (with and without {@code *}
 * and {@code ?}, repeated, empty) and the text, with case or without, including chars whose lower
 * case is another char's ({@code K} and the Kelvin sign, {@code İ}, {@code ı}, {@code ſ}) or two
 * chars to {@code String.toLowerCase}.
 */
class GlobsProperties {
  @Property(tries = 5000)
  void theLookupAnswersAsAskingEachPattern(@ForAll("patternLists") List<String> patterns, @ForAll("texts") String text,
      @ForAll boolean ignoreCase) {
    boolean expected = patterns.stream().anyMatch(p -> ignoreCase ? Wildcards.matchesIgnoringCase(p, text)
        : Wildcards.matches(p, text));

    assertThat(Globs.of(patterns, ignoreCase).matches(text)).as(patterns + " " + text).isEqualTo(expected);
    Statistics.label("matched").collect(expected);
    Statistics.label("matched").coverage(c -> c.check(true).percentage(p -> p > 20));
  }

  /** As above, for a text that is one of the patterns: the exact entries are found as written. */
  @Property(tries = 2000)
  void aListedNameIsFound(@ForAll("patternLists") List<String> patterns, @ForAll int pick, @ForAll boolean ignoreCase) {
    if (patterns.isEmpty()) {
      return;
    }
    String text = patterns.get(Math.floorMod(pick, patterns.size()));

    assertThat(Globs.of(patterns, ignoreCase).matches(text)).isEqualTo(patterns.stream()
        .anyMatch(p -> ignoreCase ? Wildcards.matchesIgnoringCase(p, text) : Wildcards.matches(p, text)));
  }

  private static final String[] CHARS = {"a", "A", "b", "k", "K", "\u212A", "i", "I", "\u0130", "\u0131", "s", "S",
      "\u017F", "\u00DF", "/", ":"};

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.of(CHARS).list().ofMaxSize(4).map(parts -> String.join("", parts));
  }

  @Provide
  Arbitrary<List<String>> patternLists() {
    Arbitrary<String> part = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.of(CHARS)), net.jqwik.api.Tuple.of(1, Arbitraries.of("*", "?")));
    return part.list().ofMaxSize(4).map(parts -> String.join("", parts)).list().ofMaxSize(30);
  }
}
