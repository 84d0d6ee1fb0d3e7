package dev.iamguard.local;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.JulianFields;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DATEFORMAT / TIMEFORMAT 'auto': the formats of the DATEFORMAT table, tried in turn, plus the
 * extra forms the Redshift reference lists for 'auto' that need no time zone names: ISO 8601
 * ({@code 2019-02-11T05:09:12.195Z}), Julian days ({@code J2451187}), {@code YYYYMMDD HHMISS},
 * {@code YYMMDD HHMISS}, {@code YYYY.DDD} and fractional seconds. Forms with zone abbreviations
 * ({@code PST}) are not recognised and fail as bad dates; a BC date is read in the forms of the
 * table (its era suffix taken off by the caller), not as a Julian day or {@code YYYY.DDD}.
 */
final class AutoDateTime {
  private static final List<DateTimePattern> PATTERNS = List.of(
      "YYYY-MM-DD HH:MI:SS", "YYYY-MM-DD HH12:MI:SS AM", "YYYY/MM/DD HH:MI:SS", "MM/DD/YYYY HH:MI:SS",
      "MM/DD/YYYY HH12:MI:SS AM", "MM-DD-YYYY HH:MI:SS", "YYYYMMDD HHMISS", "YYMMDD HHMISS",
      "MON DD, YYYY HH:MI:SS", "MON DD YYYY HH:MI:SS", "MON-DD-YYYY HH:MI:SS", "DD MON YYYY HH:MI:SS",
      "DD-MON-YYYY HH:MI:SS", "YYYY-MON-DD HH:MI:SS").stream().map(DateTimePattern::compile).toList();

  private static final Pattern JULIAN = Pattern.compile("[Jj](\\d{1,8})(?: (.*))?");
  private static final Pattern DAY_OF_YEAR = Pattern.compile("(\\d{4})\\.(\\d{3})");

  private AutoDateTime() {}

  /** The local date-time the text denotes; an ISO 'T' separator and a trailing 'Z' are accepted. */
  static LocalDateTime parse(String text) throws DateTimeException {
    return parse(text, false);
  }

  /** {@link #parse(String)}, the year read as a year BC with {@code beforeChrist}. */
  static LocalDateTime parse(String text, boolean beforeChrist) throws DateTimeException {
    String value = text.trim();
    Matcher julian = JULIAN.matcher(value);
    Matcher dayOfYear = DAY_OF_YEAR.matcher(value);
    if (beforeChrist && (julian.matches() || dayOfYear.matches())) {
      throw new DateTimeException("a Julian day or YYYY.DDD date takes no era");
    }
    if (julian.matches()) {
      LocalDate day = LocalDate.MIN.with(JulianFields.JULIAN_DAY, Long.parseLong(julian.group(1)));
      return julian.group(2) == null ? day.atStartOfDay()
          : LocalDateTime.of(day, parse("2000-01-01 " + julian.group(2)).toLocalTime());
    }
    if (dayOfYear.matches()) {
      return LocalDate.ofYearDay(Integer.parseInt(dayOfYear.group(1)), Integer.parseInt(dayOfYear.group(2))).atStartOfDay();
    }
    if (value.length() > 10 && value.charAt(10) == 'T') {
      value = value.substring(0, 10) + ' ' + value.substring(11);
    }
    if (value.endsWith("Z")) {
      value = value.substring(0, value.length() - 1);
    }
    for (DateTimePattern pattern : PATTERNS) {
      try {
        return pattern.parse(value, beforeChrist);
      } catch (DateTimeException e) {
        // try the next form
      }
    }
    throw new DateTimeException("not a date or time 'auto' recognises");
  }
}
