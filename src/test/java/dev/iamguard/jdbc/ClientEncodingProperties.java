package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link ClientEncoding#backslashAfterBeyondAscii} finds a char beyond ASCII directly before a
 * backslash wherever it stands (first and last chars, runs of backslashes, a surrogate pair's low
 * half, many candidates of which only a late one counts), as a regular expression does.
 */
class ClientEncodingProperties {
  private static final String[] PIECES = {"a", "\\", "\\\\", ";", "'", " ", "\u00e9", "\u4e01", "\ud83d\ude00",
      "\u00a5", "\u007f", "\u0080"};
  private static final Pattern ORACLE = Pattern.compile("[^\\x00-\\x7F]\\\\");

  @Property(tries = 5000)
  void findsACharBeyondAsciiBeforeABackslashExactlyWhereOneStands(
      @ForAll @Size(max = 24) List<@IntRange(min = 0, max = 11) Integer> pieces) {
    StringBuilder text = new StringBuilder();
    pieces.forEach(p -> text.append(PIECES[p]));
    String written = text.toString();
    assertThat(ClientEncoding.backslashAfterBeyondAscii(written)).as(written)
        .isEqualTo(ORACLE.matcher(written).find());
    assertThat(ClientEncoding.beyondAscii(written)).as(written).isEqualTo(!written.chars().allMatch(c -> c < 0x80));
  }
}
