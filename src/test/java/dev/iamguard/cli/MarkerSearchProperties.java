package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The search for the suppression marker by its rarest char finds the marker exactly where a search
 * for the whole marker does: texts built of the marker's pieces (its prefixes and suffixes, its
 * {@code w} alone, the marker whole or with one char changed or cased), at the text's start and end,
 * overlapping and repeated, with chars above 255 that make the text a UTF-16 one.
 */
class MarkerSearchProperties {
  private static final String MARKER = InlineSuppressions.MARKER;

  @Property(tries = 3000)
  void findsTheMarkerWhereIndexOfDoes(@ForAll("texts") String text) {
    boolean expected = text.indexOf(MARKER) >= 0;
    Statistics.label("holds the marker").collect(expected);
    assertThat(InlineSuppressions.mentionsMarker(text)).as(text).isEqualTo(expected);
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> prefixes = Arbitraries.integers().between(0, MARKER.length()).map(n -> MARKER.substring(0, n));
    Arbitrary<String> suffixes = Arbitraries.integers().between(0, MARKER.length()).map(MARKER::substring);
    Arbitrary<String> changed = Arbitraries.integers().between(0, MARKER.length() - 1).flatMap(at ->
        Arbitraries.of('x', 'W', 'I', ':', ' ', '\u0131', 'w', '\u0100').map(c ->
            MARKER.substring(0, at) + c + MARKER.substring(at + 1)));
    Arbitrary<String> piece = Arbitraries.oneOf(prefixes, suffixes, changed, Arbitraries.just(MARKER),
        Arbitraries.of("w", "ww", "-- ", "\n", "copy t from 's3://b/k';", "\u20ac", "iamguard", ":allow", "allow"));
    return piece.list().ofMaxSize(8).map(parts -> String.join("", parts));
  }
}
