package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link BareCredentials#mayHoldOne} looks at every twentieth char only and measures the runs those
 * fall in: it agrees with the plain reading (measure every run of base64 characters and {@code =}:
 * one of 40 or more, or of 20 or more holding AKIA, ASIA, ABIA or ACCA) on texts of runs of every
 * length around the thresholds, key-id prefixes at any offset, separators and chars above 127.
 */
class BareCredentialsProperties {

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> run = Arbitraries.strings().withChars("abcXYZ019/+=").ofMinLength(1).ofMaxLength(45);
    Arbitrary<String> prefix = Arbitraries.of("AKIA", "ASIA", "ABIA", "ACCA", "AKIB", "BKIA", "AAIA", "ACCB");
    Arbitrary<String> separator = Arbitraries.of(":", ",", " ", "-", "_", ".", "'", "\u00e9", "\u200b", "::");
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, run), net.jqwik.api.Tuple.of(2, prefix), net.jqwik.api.Tuple.of(3, separator),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567").ofLength(16)));
    return piece.list().ofMaxSize(12).map(list -> String.join("", list));
  }

  @Property(tries = 5000)
  void theSampledSearchAgreesWithOneOverEveryRun(@ForAll("texts") String text) {
    assertThat(BareCredentials.mayHoldOne(text)).as(text).isEqualTo(everyRun(text));
  }

  @Property(tries = 2000)
  void aTextTheQuickTestPassesHoldsNoCredential(@ForAll("texts") String text) {
    if (!BareCredentials.mayHoldOne(text)) {
      assertThat(BareCredentials.find(text, 0)).as(text).isEmpty();
      assertThat(BareCredentials.masked(text)).isSameAs(text);
    }
  }

  /**
   * Every run length around the thresholds (19 to 41), with and without a key-id prefix at its start
   * or inside, after every offset of 0 to 45 separators, alone and after a first run of every length
   * below the threshold: where the sampled positions fall against the run is all that varies.
   */
  @org.junit.jupiter.api.Test
  void everyRunAtEveryOffsetIsFound() {
    int checked = 0;
    int found = 0;
    for (int offset = 0; offset <= 45; offset++) {
      for (int before = 0; before < 20; before += 3) {
        for (int length = 19; length <= 41; length++) {
          for (String head : new String[] {"", "AKIA", "xAKIA", "ACCA", "AKIB"}) {
            if (head.length() > length) {
              continue;
            }
            String run = head + "Q7".repeat(length).substring(0, length - head.length());
            String text = "a".repeat(before) + ":".repeat(offset) + run + ":tail";
            boolean expected = everyRun(text);
            assertThat(BareCredentials.mayHoldOne(text)).as(text).isEqualTo(expected);
            checked++;
            found += expected ? 1 : 0;
          }
        }
      }
    }
    assertThat(found).isPositive().isLessThan(checked);
  }

  /** The plain reading: every maximal run of credential characters, measured. */
  private static boolean everyRun(String text) {
    int run = 0;
    for (int k = 0; k <= text.length(); k++) {
      if (k < text.length() && isCredentialChar(text.charAt(k))) {
        run++;
        continue;
      }
      if (run >= 40 || run >= 20 && keyIdPrefixIn(text, k - run, k)) {
        return true;
      }
      run = 0;
    }
    return false;
  }

  private static boolean keyIdPrefixIn(String text, int from, int to) {
    for (int k = from; k + 20 <= to; k++) {
      for (String prefix : new String[] {"AKIA", "ASIA", "ABIA", "ACCA"}) {
        if (text.startsWith(prefix, k)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isCredentialChar(char c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '/' || c == '+' || c == '=';
  }
}
