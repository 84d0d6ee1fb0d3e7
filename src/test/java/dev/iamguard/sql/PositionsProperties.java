package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Positions} answers a rising series of offsets as a count from the origin would: a line
 * ends at LF, and at a CR not followed by LF (a CRLF pair ends one line, at its LF). The texts mix
 * long lines with many asked offsets on them (what the cached next LF and CR serve) with runs of
 * line ends of every kind, and offsets may repeat or stand on a line end.
 */
class PositionsProperties {

  @Property(tries = 3000)
  void everyOffsetGetsTheLineAndColumnACountFromTheOriginGives(@ForAll("texts") String text,
      @ForAll @IntRange(min = 0, max = 1000) int originSeed, @ForAll @IntRange(min = 1, max = 50) int originLine,
      @ForAll @IntRange(min = 1, max = 50) int originColumn, @ForAll("offsetSeeds") int[] offsetSeeds) {
    int originOffset = text.isEmpty() ? 0 : originSeed % (text.length() + 1);
    int[] origin = {originLine, originColumn, originOffset};
    int[] offsets = Arrays.stream(offsetSeeds).map(seed -> originOffset + seed % (text.length() - originOffset + 1))
        .sorted().toArray();

    Positions positions = new Positions(text, origin);
    for (int offset : offsets) {
      assertThat(positions.at(offset)).as("offset %d of %s", offset, visible(text))
          .containsExactly(counted(text, origin, offset));
    }
  }

  /** Line and column by walking the text from the origin, one char at a time. */
  private static int[] counted(String text, int[] origin, int offset) {
    int line = origin[0];
    int lineStart = origin[2] - origin[1] + 1;
    for (int k = origin[2]; k < offset; k++) {
      char c = text.charAt(k);
      boolean lineEnd = c == '\n' || c == '\r' && (k + 1 == text.length() || text.charAt(k + 1) != '\n');
      if (lineEnd) {
        line++;
        lineStart = k + 1;
      }
    }
    return new int[] {line, offset - lineStart + 1};
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> piece = Arbitraries.oneOf(
        Arbitraries.of("\n", "\r", "\r\n", "\n\r", "\r\r\n", "\n\n"),
        Arbitraries.strings().withChars("ab ;'").ofMinLength(1).ofMaxLength(5),
        Arbitraries.strings().withChars("select1;").ofMinLength(20).ofMaxLength(200));
    return piece.list().ofMaxSize(30).map(pieces -> String.join("", pieces));
  }

  @Provide
  Arbitrary<int[]> offsetSeeds() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class).ofMaxSize(60);
  }

  private static String visible(String text) {
    return text.replace("\r", "\\r").replace("\n", "\\n");
  }
}
