package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link Spelling#withinSwapDistance} (the banded table that stops early) answers as the whole
 * table of {@link Spelling#distanceWithSwaps} compared with the bound: on every pair of strings of
 * up to five letters over two letters and every bound up to 3 (where swaps, the band's edges and
 * the early stop all meet), and on random pairs of related strings (one an edited copy of the
 * other, so the answer is often yes) and unrelated ones, over small alphabets.
 */
class SwapDistanceBoundProperties {

  @Test
  void everyPairOfShortStringsOverTwoLetters() {
    List<String> strings = new ArrayList<>();
    for (int length = 0; length <= 5; length++) {
      for (int bits = 0; bits < 1 << length; bits++) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < length; k++) {
          s.append((bits >> k & 1) == 0 ? 'a' : 'b');
        }
        strings.add(s.toString());
      }
    }
    int yes = 0;
    int pairs = 0;
    for (String a : strings) {
      for (String b : strings) {
        int distance = Spelling.distanceWithSwaps(a, b);
        for (int max = 0; max <= 3; max++) {
          boolean within = Spelling.withinSwapDistance(a, b, max);
          assertThat(within).as("%s / %s within %d (distance %d)", a, b, max, distance).isEqualTo(distance <= max);
          yes += within ? 1 : 0;
          pairs++;
        }
      }
    }
    assertThat(strings).hasSize(63);
    assertThat(yes).as("both answers are met").isBetween(pairs / 10, pairs - pairs / 10);
  }

  @Property
  void anEditedCopyAnswersAsTheWholeTable(@ForAll("edited") String[] pair, @ForAll @IntRange(min = 0, max = 4) int max) {
    String a = pair[0];
    String b = pair[1];
    assertThat(Spelling.withinSwapDistance(a, b, max)).isEqualTo(Spelling.distanceWithSwaps(a, b) <= max);
    assertThat(Spelling.withinSwapDistance(b, a, max)).isEqualTo(Spelling.distanceWithSwaps(b, a) <= max);
  }

  @Property
  void unrelatedStringsAnswerAsTheWholeTable(@ForAll("word") String a, @ForAll("word") String b,
      @ForAll @IntRange(min = 0, max = 4) int max) {
    assertThat(Spelling.withinSwapDistance(a, b, max)).isEqualTo(Spelling.distanceWithSwaps(a, b) <= max);
  }

  @Test
  void aNegativeBoundHoldsNothing() {
    assertThat(Spelling.withinSwapDistance("", "", -1)).isFalse();
    assertThat(Spelling.withinSwapDistance("", "", 0)).isTrue();
    assertThat(Spelling.withinSwapDistance("SECERT", "SECRET", 1)).isTrue(); // one swap
    assertThat(Spelling.withinSwapDistance("ACESSKEY", "ACCESSKEY", 1)).isTrue();
    assertThat(Spelling.withinSwapDistance("REDSHIFTCOPYUNLOAD", "MASTERSYMMETRICKEY", 2)).isFalse();
  }

  @Provide
  Arbitrary<String> word() {
    return Arbitraries.strings().withChars("abcd").ofMinLength(0).ofMaxLength(20);
  }

  /** A word and a copy of it with up to five edits: inserted, deleted, replaced or swapped letters. */
  @Provide
  Arbitrary<String[]> edited() {
    Arbitrary<List<int[]>> edits = Combinators.combine(Arbitraries.integers().between(0, 3),
        Arbitraries.integers().between(0, 40), Arbitraries.integers().between(0, 2))
        .as((kind, at, letter) -> new int[] {kind, at, letter}).list().ofMaxSize(5);
    return Combinators.combine(Arbitraries.strings().withChars("abc").ofMinLength(0).ofMaxLength(24), edits)
        .as((word, changes) -> {
          StringBuilder copy = new StringBuilder(word);
          for (int[] change : changes) {
            int at = copy.length() == 0 ? 0 : change[1] % (copy.length() + 1);
            char letter = "abc".charAt(change[2]);
            switch (change[0]) {
              case 0 -> copy.insert(at, letter);
              case 1 -> {
                if (at < copy.length()) {
                  copy.deleteCharAt(at);
                }
              }
              case 2 -> {
                if (at < copy.length()) {
                  copy.setCharAt(at, letter);
                }
              }
              default -> {
                if (at + 1 < copy.length()) {
                  char c = copy.charAt(at);
                  copy.setCharAt(at, copy.charAt(at + 1));
                  copy.setCharAt(at + 1, c);
                }
              }
            }
          }
          return new String[] {word, copy.toString()};
        });
  }
}
