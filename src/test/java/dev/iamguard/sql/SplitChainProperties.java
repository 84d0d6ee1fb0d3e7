package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A role chain splits at a comma followed (after whitespace) by {@code arn:} in any case; the split
 * compares the letters directly instead of through {@code regionMatches}: over chains
 * built from the letters of {@code arn:} in both cases, chars that Java folds to them or to their
 * neighbours (dotless i, Kelvin sign, long s, accented a), commas and spaces, it splits exactly where
 * the rule written with {@code regionMatches} does.
 */
class SplitChainProperties {

  /** The rule as written before the fast comparison. */
  static List<String> expected(String value) {
    List<String> parts = new ArrayList<>();
    int from = 0;
    for (int comma = value.indexOf(','); comma >= 0; comma = value.indexOf(',', comma + 1)) {
      int next = comma + 1;
      while (next < value.length() && Character.isWhitespace(value.charAt(next))) {
        next++;
      }
      if (value.regionMatches(true, next, "arn:", 0, 4)) {
        parts.add(value.substring(from, comma));
        from = comma + 1;
      }
    }
    parts.add(value.substring(from));
    return parts;
  }

  @Property(tries = 5000)
  void splitsWhereTheRuleSays(@ForAll("chains") String chain) {
    List<String> parts = new ArrayList<>();
    AuthClauseParser.splitChain(chain, parts);
    assertThat(parts).as(chain).isEqualTo(expected(chain));
  }

  /** Why the direct comparison loses nothing: no other char of the plane folds to a letter of {@code arn}. */
  @net.jqwik.api.Example
  void onlyAsciiLettersFoldToTheLettersOfArn() {
    for (int position = 0; position < 3; position++) {
      for (int code = 0x80; code <= Character.MAX_VALUE; code++) {
        char[] text = "arn:".toCharArray();
        text[position] = (char) code;
        assertThat(new String(text).regionMatches(true, 0, "arn:", 0, 4)).as("U+%04X", code).isFalse();
      }
    }
  }

  @Provide
  Arbitrary<String> chains() {
    Arbitrary<String> piece = Arbitraries.of("a", "A", "r", "R", "n", "N", ":", ",", " ", "\t", "x",
        "\u0131", "\u212a", "\u017f", "\u00e1", "\u00c1", "arn:", "ARN:", "Arn:", ",arn:", ", arn:", "\u0430rn:");
    return piece.list().ofMaxSize(12).map(list -> String.join("", list));
  }
}
