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
 * zone) is dropped, as PostgreSQL does.
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

  LocalDate date(String text) throws DateTimeException {
    if (datePattern == null) {
      if (!dateFormat.equalsIgnoreCase("auto")) {
        throw new DateTimeException("DATEFORMAT '" + dateFormat + "' applies only to TIMEFORMAT");
      }
      // "If the source data for a DATE column includes time information, the time component is
      // truncated": with an offset too ('1997-12-17 07:37:16-08' is 1997-12-17)
      Object value = auto(text);
      return (value instanceof OffsetDateTime odt ? odt.toLocalDateTime() : (LocalDateTime) value).toLocalDate();
    }
    return datePattern.parse(text).toLocalDate();
  }

  LocalDateTime timestamp(String text) throws DateTimeException {
    Object value = zoned(text, false);
    return value instanceof OffsetDateTime odt ? odt.toLocalDateTime() : (LocalDateTime) value;
  }

  OffsetDateTime timestampTz(String text) throws DateTimeException {
    Object value = zoned(text, true);
    // stored as UTC, as Redshift stores a TIMESTAMPTZ ("uses the time zone to convert the value to UTC")
    return value instanceof OffsetDateTime odt ? odt.withOffsetSameInstant(ZoneOffset.UTC)
        : ((LocalDateTime) value).atOffset(ZoneOffset.UTC);
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
    try {
      return timePattern.parse(text);
    } catch (DateTimeException whole) {
      OffsetSuffix offset = OffsetSuffix.split(text);
      if (timeFormat != null || offset == null) {
        throw whole;
      }
      LocalDateTime local = timePattern.parse(offset.local());
      return withZone ? local.atOffset(offset.offset()) : local;
    }
  }

  /** 'auto': a LocalDateTime, or an OffsetDateTime when a time of day ends with an offset. */
  private static Object auto(String text) throws DateTimeException {
    OffsetSuffix offset = OffsetSuffix.split(text.trim());
    if (offset != null && !offset.local().isEmpty() && isAsciiDigit(offset.local().charAt(offset.local().length() - 1))
        && offset.local().indexOf(':') > 0) {
      return AutoDateTime.parse(offset.local()).atOffset(offset.offset());
    }
    return AutoDateTime.parse(text);
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
