package dev.iamguard.local;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;

/**
 * Reads date and time fields as COPY does: DATEFORMAT for DATE columns (default
 * {@code YYYY-MM-DD}), TIMEFORMAT for TIMESTAMP and TIMESTAMPTZ (default
 * {@code YYYY-MM-DD HH:MI:SS}, then an optional UTC offset for TIMESTAMPTZ, UTC when absent), each
 * also {@code 'auto'}; TIMEFORMAT also {@code 'epochsecs'} and {@code 'epochmillisecs'}. A DATE
 * read from text with a time keeps only the date; an offset given for a TIMESTAMP (without time
 * zone) is dropped, as PostgreSQL does. A date before year 1 ends with {@code BC} after everything
 * else, as Redshift writes it in UNLOAD ({@code 0044-03-15 BC}, {@code 0044-03-15 12:00:00+00 BC}):
 * the year is then a year BC, with every format but the epoch ones. A value outside Redshift's
 * range, 24 November 4713 BC to 294276 AD, is refused (an Avro timestamp can hold any year).
 */
final class Temporals {
  private static final DateTimePattern DEFAULT_DATE = DateTimePattern.compile("YYYY-MM-DD");
  private static final DateTimePattern DEFAULT_TIMESTAMP = DateTimePattern.compile("YYYY-MM-DD HH:MI:SS");
  private static final DateTimePattern TIME = DateTimePattern.compile("HH:MI:SS");

  private final String dateFormat;
  private final String timeFormat;
  private final DateTimePattern datePattern;
  private final DateTimePattern timePattern;

  Temporals(String dateFormat, String timeFormat) {
    this.dateFormat = dateFormat;
    this.timeFormat = timeFormat;
    this.datePattern = pattern(dateFormat, DEFAULT_DATE);
    this.timePattern = pattern(timeFormat, DEFAULT_TIMESTAMP);
  }

  private static DateTimePattern pattern(String format, DateTimePattern fallback) {
    if (format == null) {
      return fallback;
    }
    return isKeyword(format) ? null : DateTimePattern.compile(format);
  }

  private static boolean isKeyword(String format) {
    return format.equalsIgnoreCase("auto") || format.equals("epochsecs") || format.equals("epochmillisecs");
  }

  /** The first and the last moment Redshift's dates and timestamps hold (PostgreSQL's first: Julian day 0). */
  private static final LocalDateTime FIRST = LocalDateTime.of(-4712, 11, 24, 0, 0);
  private static final LocalDateTime LAST = LocalDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_999);

  private static LocalDateTime inRange(LocalDateTime value) throws DateTimeException {
    if (value.isBefore(FIRST) || value.isAfter(LAST)) {
      throw new DateTimeException("out of Redshift's range of dates, 4713-11-24 BC to 294276-12-31");
    }
    return value;
  }

  LocalDate date(String text) throws DateTimeException {
    return inRange(anyDate(text).atStartOfDay()).toLocalDate();
  }

  private LocalDate anyDate(String text) throws DateTimeException {
    if (datePattern == null) {
      if (!dateFormat.equalsIgnoreCase("auto")) {
        throw new DateTimeException("DATEFORMAT '" + dateFormat + "' applies only to TIMEFORMAT");
      }
      // "If the source data for a DATE column includes time information, the time component is
      // truncated": with an offset too ('1997-12-17 07:37:16-08' is 1997-12-17)
      Object value = auto(text);
      return (value instanceof OffsetDateTime odt ? odt.toLocalDateTime() : (LocalDateTime) value).toLocalDate();
    }
    Era era = Era.of(text);
    return datePattern.parse(era.text(), era.beforeChrist()).toLocalDate();
  }

  /**
   * A text without its era suffix ({@code BC} after one blank, any case, as PostgreSQL reads it; the
   * only era Redshift writes), and whether it had one.
   */
  private record Era(String text, boolean beforeChrist) {
    static Era of(String text) {
      int n = text.length();
      boolean bc = n > 3 && text.charAt(n - 3) == ' ' && text.regionMatches(true, n - 2, "BC", 0, 2);
      return bc ? new Era(text.substring(0, n - 3), true) : new Era(text, false);
    }
  }

  LocalDateTime timestamp(String text) throws DateTimeException {
    Object value = zoned(text, false);
    return inRange(value instanceof OffsetDateTime odt ? odt.toLocalDateTime() : (LocalDateTime) value);
  }

  OffsetDateTime timestampTz(String text) throws DateTimeException {
    Object value = zoned(text, true);
    // stored as UTC, as Redshift stores a TIMESTAMPTZ ("uses the time zone to convert the value to UTC")
    OffsetDateTime utc = value instanceof OffsetDateTime odt ? odt.withOffsetSameInstant(ZoneOffset.UTC)
        : ((LocalDateTime) value).atOffset(ZoneOffset.UTC);
    inRange(utc.toLocalDateTime());
    return utc;
  }

  LocalTime time(String text) throws DateTimeException {
    return TIME.parse(text).toLocalTime();
  }

  OffsetTime timeTz(String text) throws DateTimeException {
    OffsetSuffix offset = OffsetSuffix.split(text);
    if (offset != null) {
      // TIMETZ values are UTC in user tables
      return TIME.parse(offset.local()).toLocalTime().atOffset(offset.offset()).withOffsetSameInstant(ZoneOffset.UTC);
    }
    return TIME.parse(text).toLocalTime().atOffset(ZoneOffset.UTC);
  }

  /** A LocalDateTime, or an OffsetDateTime when the text carried an offset. */
  private Object zoned(String text, boolean withZone) throws DateTimeException {
    if (timePattern == null) {
      return keyword(text);
    }
    Era era = Era.of(text);
    try {
      return timePattern.parse(era.text(), era.beforeChrist());
    } catch (DateTimeException whole) {
      OffsetSuffix offset = OffsetSuffix.split(era.text());
      if (timeFormat != null || offset == null) {
        throw whole;
      }
      LocalDateTime local = timePattern.parse(offset.local(), era.beforeChrist());
      return withZone ? local.atOffset(offset.offset()) : local;
    }
  }

  /** 'auto': a LocalDateTime, or an OffsetDateTime when a time of day ends with an offset. */
  private static Object auto(String text) throws DateTimeException {
    Era era = Era.of(text.trim());
    OffsetSuffix offset = OffsetSuffix.split(era.text());
    if (offset != null && !offset.local().isEmpty() && isAsciiDigit(offset.local().charAt(offset.local().length() - 1))
        && offset.local().indexOf(':') > 0) {
      return AutoDateTime.parse(offset.local(), era.beforeChrist()).atOffset(offset.offset());
    }
    return AutoDateTime.parse(era.text(), era.beforeChrist());
  }

  private Object keyword(String text) throws DateTimeException {
    if (timeFormat.equalsIgnoreCase("auto")) {
      return auto(text);
    }
    try {
      Instant instant = timeFormat.equals("epochsecs")
          ? Instant.ofEpochSecond(0).plusNanos(new java.math.BigDecimal(text).movePointRight(9).longValueExact())
          : Instant.ofEpochMilli(Long.parseLong(text));
      return instant.atOffset(ZoneOffset.UTC);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new DateTimeException("not a number of " + (timeFormat.equals("epochsecs") ? "seconds" : "milliseconds"));
    }
  }

  /** 0 to 9 only: Character.isDigit also takes the digits of other scripts, which no time format reads. */
  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
