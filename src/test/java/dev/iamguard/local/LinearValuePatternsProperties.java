package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Refusing a long value is linear (issue 17): the UTC offset of a date-time text is split off in
 * one pass ({@link OffsetSuffix}) and the number patterns are possessive, where backtracking made a
 * 20,000-char value of blanks or digits cost seconds. On texts over the characters that matter
 * (blanks of every kind, line ends, digits, signs, colons, the offset letters) both give what the
 * backtracking patterns gave: the same match, the same parts.
 */
class LinearValuePatternsProperties {
  /** The offset pattern before issue 17's change. */
  private static final Pattern OFFSET = Pattern.compile("(.*?)\\s*(?:(Z|UTC)|([+-])(\\d{1,2})(?::?(\\d{2}))?)");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)");
  private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  @Property(tries = 20_000)
  void theOffsetIsSplitAsThePatternSplitIt(@ForAll("dateTimes") String text) {
    Matcher m = OFFSET.matcher(text);
    OffsetSuffix split = OffsetSuffix.split(text);

    if (!m.matches()) {
      assertThat(split).isNull();
      return;
    }
    assertThat(split).isNotNull();
    assertThat(Arrays.asList(split.local(), split.utc() ? "utc" : split.negative() ? "-" : "+", split.hours(), split.minutes()))
        .isEqualTo(Arrays.asList(m.group(1), m.group(2) != null ? "utc" : m.group(3), m.group(4), m.group(5)));
    Statistics.label("offset").collect(m.group(2) != null ? "Z or UTC" : m.group(5) != null ? "hours and minutes" : "hours");
  }

  @Property(tries = 20_000)
  void numbersMatchAsTheGreedyPatternsMatched(@ForAll("numbers") String text) {
    assertThat(ValueParser.DECIMAL.matcher(text).matches()).isEqualTo(DECIMAL.matcher(text).matches());
    assertThat(ValueParser.FLOAT.matcher(text).matches()).isEqualTo(FLOAT.matcher(text).matches());
    Statistics.label("float").collect(FLOAT.matcher(text).matches());
  }

  @Provide
  Arbitrary<String> dateTimes() {
    Arbitrary<String> piece = Arbitraries.of(" ", "  ", "\t", "\n", "\r", "\u000B", "\f", "\u00a0", "\u0085", "\u2028",
        "\u2003", "Z", "UTC", "U", "TC", "+", "-", ":", "0", "5", "12", "30", "530", "2026-01-01 12:00:00", "x", ".");
    return piece.list().ofMaxSize(8).map(parts -> String.join("", parts));
  }

  @Provide
  Arbitrary<String> numbers() {
    Arbitrary<String> piece = Arbitraries.of("+", "-", ".", "0", "7", "123", "e", "E", "x", " ", "1.5", "e-3");
    return piece.list().ofMaxSize(7).map(parts -> String.join("", parts));
  }

  /** Values of 200,000 blanks or digits are refused in linear time (the patterns before took minutes). */
  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void longValuesAreRefusedInLinearTime() {
    Temporals temporals = new Temporals(null, null);
    for (String value : List.of(" ".repeat(200_000), "2026-01-01 " + " ".repeat(200_000) + "x", "1" + " ".repeat(200_000) + "+")) {
      assertThatThrownBy(() -> temporals.timestamp(value)).isInstanceOf(DateTimeException.class);
      assertThatThrownBy(() -> temporals.timeTz(value)).isInstanceOf(DateTimeException.class);
    }
    assertThat(ValueParser.DECIMAL.matcher("9".repeat(200_000) + "x").matches()).isFalse();
    assertThat(ValueParser.FLOAT.matcher("9".repeat(200_000) + ".5e").matches()).isFalse();
    assertThat(OffsetSuffix.split("2026-01-01 12:00:00" + " ".repeat(200_000) + "+05:30").local())
        .isEqualTo("2026-01-01 12:00:00");
  }
}
