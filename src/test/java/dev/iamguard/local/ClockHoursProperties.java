package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Probe 23c T1: hours are range-checked, never folded modulo 12 ('25:30' was loaded as 01:30,
 * '99:59:59' as 03:59:59, '24:00:00' as the same day's midnight, '12:00:00' without AM/PM under an
 * AM/PM format as midnight). Over generated two-digit hours, minutes and seconds (00 to 99) with and
 * without AM/PM, a TIMEFORMAT and 'auto' read exactly what java.time's strict parser reads for the
 * same format (HH24 00..23; HH12 01..12 with its AM/PM), and refuse what it refuses.
 */
class ClockHoursProperties {
  /** A Redshift format and the java.time pattern of the same meaning. */
  private static final String[][] FORMATS = {
      {"YYYY-MM-DD HH24:MI:SS", "uuuu-MM-dd HH:mm:ss"},
      {"YYYY-MM-DD HH:MI:SS", "uuuu-MM-dd HH:mm:ss"},
      {"YYYY-MM-DD HH12:MI:SS AM", "uuuu-MM-dd hh:mm:ss a"},
      {"MM/DD/YYYY HH12:MI:SS PM", "MM/dd/uuuu hh:mm:ss a"},
      {"HH12:MI:SS AM DD.MM.YYYY", "hh:mm:ss a dd.MM.uuuu"},
  };

  private static DateTimeFormatter strict(String pattern) {
    return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern).toFormatter(Locale.US)
        .withResolverStyle(ResolverStyle.STRICT);
  }

  /** What java.time reads, or null for a refusal. */
  private static LocalDateTime oracle(String text, String... patterns) {
    for (String pattern : patterns) {
      try {
        return LocalDateTime.parse(text, strict(pattern));
      } catch (DateTimeException e) {
        // the next form
      }
    }
    return null;
  }

  private static String text(String javaPattern, int hour, int minute, int second, String meridian) {
    String date = javaPattern.startsWith("MM/") ? "02/28/2021" : "2021-02-28";
    String time = String.format(Locale.ROOT, "%02d:%02d:%02d", hour, minute, second);
    return javaPattern.startsWith("hh") ? time + meridian + " 28.02.2021" : date + " " + time + meridian;
  }

  @Provide
  Arbitrary<String> meridians() {
    return Arbitraries.of("", " AM", " PM", " am", " pm");
  }

  @Property(tries = 3000)
  void aFormatReadsWhatStrictJavaTimeReads(@ForAll @IntRange(min = 0, max = 4) int format,
      @ForAll @IntRange(min = 0, max = 99) int hour, @ForAll @IntRange(min = 0, max = 99) int minute,
      @ForAll @IntRange(min = 0, max = 99) int second, @ForAll("meridians") String meridian) {
    String text = text(FORMATS[format][1], hour, minute, second, meridian);
    LocalDateTime expected = oracle(text, FORMATS[format][1]);
    DateTimePattern pattern = DateTimePattern.compile(FORMATS[format][0]);

    if (expected == null) {
      assertThatThrownBy(() -> pattern.parse(text)).as(FORMATS[format][0] + " / " + text)
          .isInstanceOf(DateTimeException.class);
    } else {
      assertThat(pattern.parse(text)).as(FORMATS[format][0] + " / " + text).isEqualTo(expected);
    }
    Statistics.label("outcome").collect(expected == null ? "refused" : "read");
  }

  @Property(tries = 3000)
  void autoReadsWhatStrictJavaTimeReadsOnEitherClock(@ForAll @IntRange(min = 0, max = 99) int hour,
      @ForAll @IntRange(min = 0, max = 99) int minute, @ForAll @IntRange(min = 0, max = 99) int second,
      @ForAll("meridians") String meridian) {
    String text = text("uuuu", hour, minute, second, meridian);
    LocalDateTime expected = oracle(text, "uuuu-MM-dd HH:mm:ss", "uuuu-MM-dd hh:mm:ss a");

    if (expected == null) {
      assertThatThrownBy(() -> AutoDateTime.parse(text)).as(text).isInstanceOf(DateTimeException.class);
    } else {
      assertThat(AutoDateTime.parse(text)).as(text).isEqualTo(expected);
    }
    Statistics.label("outcome").collect(expected == null ? "refused" : "read");
  }
}
