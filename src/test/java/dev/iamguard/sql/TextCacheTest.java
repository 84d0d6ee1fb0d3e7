package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The process-wide caches of parsed role ARNs and query tables hold a bounded number of characters
 * whatever texts they are given: a bound on entries alone let 4,096 texts of any length stay.
 */
class TextCacheTest {
  @Property(tries = 300)
  void neverHoldsMoreThanItsBoundsAndAnswersWhatItKept(
      @ForAll @Size(max = 400) List<@IntRange(min = 0, max = 300) Integer> lengths,
      @ForAll @IntRange(min = 1, max = 20) int maxEntries, @ForAll @IntRange(min = 1, max = 2_000) int maxChars,
      @ForAll @IntRange(min = 0, max = 300) int longest) {
    TextCache<Integer> cache = new TextCache<>(maxEntries, maxChars, longest);
    Map<String, Integer> given = new HashMap<>();
    for (int i = 0; i < lengths.size(); i++) {
      // a few distinct texts of each length, so that some are given again
      String text = ("t" + i % 7 + "x".repeat(lengths.get(i))).substring(0, lengths.get(i));
      cache.put(text, i);
      given.put(text, i);

      assertThat(cache.keeps(text.length())).isEqualTo(text.length() <= longest);
      assertThat(cache.get(text)).isEqualTo(text.length() <= longest ? i : null);
      assertThat(cache.size()).isLessThanOrEqualTo(maxEntries);
      assertThat(cache.chars()).isLessThanOrEqualTo(Math.max(maxChars, text.length()));
    }
    // what it answers, it was given last for that text
    given.forEach((text, value) -> {
      Integer kept = cache.get(text);
      assertThat(kept == null || kept.equals(value)).isTrue();
    });
  }
}
