package dev.iamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link SecretValues} masks as replacing every value, longest first, one after the other, does:
 * for values that share prefixes and hashes' lengths, hold one another, overlap, repeat, hold the
 * mask's {@code *} (which masking may complete), or are too short to search for, in texts made of
 * their pieces.
 */
class SecretValuesProperties {
  private static final String[] PIECES = {"a", "b", "ab", "ba", "*", "**", "***", "'", " ", "x", "aba", "AKIA", "0", "1"};

  @Provide
  Arbitrary<List<String>> values() {
    return Arbitraries.of(PIECES).list().ofMinSize(1).ofMaxSize(5).map(parts -> String.join("", parts))
        .list().ofMinSize(0).ofMaxSize(8);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.of(PIECES).list().ofMinSize(0).ofMaxSize(30).map(parts -> String.join("", parts));
  }

  @Property(tries = 10000)
  void masksAsReplacingEachValueLongestFirst(@ForAll("values") List<String> values, @ForAll("texts") String text) {
    List<String> inText = new ArrayList<>(values);
    // values taken from the text itself, so that most cases find something
    if (text.length() >= 3) {
      inText.add(text.substring(text.length() / 3, text.length()));
      inText.add(text.substring(0, Math.min(text.length(), 4)));
    }

    String masked = SecretValues.of(inText, 3).mask(text);

    assertThat(masked).as("%s in %s", inText, text).isEqualTo(replacingEach(inText, text));
  }

  @Provide
  Arbitrary<List<String>> manyValues() {
    return Arbitraries.of(PIECES).list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("", parts))
        .list().ofMinSize(8).ofMaxSize(40);
  }

  @Provide
  Arbitrary<String> longTexts() {
    return Arbitraries.of(PIECES).list().ofMinSize(20).ofMaxSize(120).map(parts -> String.join("", parts));
  }

  /** Many values of few lengths in long texts: values holding {@code *} between runs of ones that hold none. */
  @Property(tries = 3000)
  void masksManyValuesAsReplacingEachLongestFirst(@ForAll("manyValues") List<String> values, @ForAll("longTexts") String text) {
    List<String> inText = new ArrayList<>(values);
    for (int i = 0; i + 6 <= text.length(); i += 7) {
      inText.add(text.substring(i, i + 3 + i % 4));
    }

    String masked = SecretValues.of(inText, 3).mask(text);

    assertThat(masked).as("%s in %s", inText, text).isEqualTo(replacingEach(inText, text));
  }

  /** The reading masking had before: every value of three chars or more, longest first, replaced in turn. */
  private static String replacingEach(List<String> values, String text) {
    List<String> longestFirst = new ArrayList<>(values);
    longestFirst.sort(Comparator.comparingInt(String::length).reversed());
    String masked = text;
    for (String value : longestFirst) {
      if (value.length() >= 3) {
        masked = masked.replace(value, Redactor.MASK);
      }
    }
    return masked;
  }
}
