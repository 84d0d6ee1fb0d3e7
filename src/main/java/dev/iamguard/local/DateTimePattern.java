package dev.iamguard.local;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A DATEFORMAT / TIMEFORMAT string of COPY, compiled once and matched against field text.
 * Parts, as the Redshift reference lists them: YYYY, YY, MM, MON (abbreviated or full month
 * name), DD, HH or HH24 (24-hour clock: in COPY, unlike the SQL functions, HH is HH24), HH12, MI,
 * SS (which also takes fractional seconds up to microseconds) and AM / PM. MS and US (milliseconds,
 * microseconds, as in Redshift's datetime format strings) are accepted too. Every other character
 * must appear as written. Numbers take up to their part's width, so {@code YYYYMMDD} works; a
 * YYYY followed by no other number part takes up to six digits, for the years after 9999 Redshift
 * writes ({@code 10000-01-01}; its dates reach 294276 AD). A year is the year of its era: 1 BC is
 * {@code 0001} with {@link #parse(String, boolean) beforeChrist}, and year {@code 0000} is refused
 * (there is none, as Redshift and PostgreSQL refuse it; it was read as 1 BC).
 */
final class DateTimePattern {
  private static final String[] MONTHS = {"january", "february", "march", "april", "may", "june", "july",
      "august", "september", "october", "november", "december"};

  private enum Part { YEAR4, YEAR2, MONTH, MONTH_NAME, DAY, HOUR24, HOUR12, MINUTE, SECOND, MILLIS, MICROS, MERIDIAN, LITERAL }

  private record Element(Part part, char literal) {}

  private final String text;
  private final List<Element> elements;

  private DateTimePattern(String text, List<Element> elements) {
    this.text = text;
    this.elements = elements;
  }

  /** Compiles a format string; parts are matched case-insensitively, longest first. */
  static DateTimePattern compile(String pattern) {
    List<Element> elements = new ArrayList<>();
    String upper = pattern.toUpperCase(Locale.ROOT);
    int i = 0;
    while (i < upper.length()) {
      Part part = null;
      int length = 0;
      for (String[] token : new String[][] {{"YYYY", "YEAR4"}, {"HH24", "HOUR24"}, {"HH12", "HOUR12"},
          {"MON", "MONTH_NAME"}, {"YY", "YEAR2"}, {"MM", "MONTH"}, {"DD", "DAY"}, {"HH", "HOUR24"},
          {"MI", "MINUTE"}, {"SS", "SECOND"}, {"MS", "MILLIS"}, {"US", "MICROS"}, {"AM", "MERIDIAN"}, {"PM", "MERIDIAN"}}) {
        if (upper.startsWith(token[0], i)) {
          part = Part.valueOf(token[1]);
          length = token[0].length();
          break;
        }
      }
      elements.add(part == null ? new Element(Part.LITERAL, pattern.charAt(i)) : new Element(part, ' '));
      i += part == null ? 1 : length;
    }
    return new DateTimePattern(pattern, elements);
  }

  /** The format string as written. */
  String text() {
    return text;
  }

  /**
   * Matches the whole text. Time parts may be missing from the end of the text (they are then
   * zero), so a date alone fits a timestamp format.
   */
  LocalDateTime parse(String value) throws DateTimeException {
    return parse(value, false);
  }

  /**
   * {@link #parse(String)} of a text whose era suffix the caller took off: with {@code beforeChrist}
   * the year read is a year BC ({@code 0044} is the proleptic year -43). The era is applied before
   * the date is built, so a leap day of a leap year BC (5 BC, proleptic -4) is a valid date.
   */
  LocalDateTime parse(String value, boolean beforeChrist) throws DateTimeException {
    int[] f = {1970, 1, 1, 0, 0, 0, 0};  // year, month, day, hour, minute, second, nano
    boolean pm = false;
    boolean twelveHour = false;
    boolean meridian = false;
    int p = 0;
    for (int e = 0; e < elements.size(); e++) {
      Element element = elements.get(e);
      if (p == value.length() && onlyTimeLeft(e)) {
        break;
      }
      switch (element.part()) {
        case LITERAL -> {
          if (p >= value.length() || value.charAt(p) != element.literal()) {
            throw new DateTimeException("does not match '" + text + "'");
          }
          p++;
        }
        case MONTH_NAME -> p = monthName(value, p, f);
        case MERIDIAN -> {
          String word = value.length() >= p + 2 ? value.substring(p, p + 2).toUpperCase(Locale.ROOT) : "";
          if (!word.equals("AM") && !word.equals("PM")) {
            throw new DateTimeException("expected AM or PM");
          }
          pm = word.equals("PM");
          meridian = true;
          p += 2;
        }
        default -> p = number(element.part(), value, p, f, numberFollows(e + 1));
      }
      twelveHour |= element.part() == Part.HOUR12;
    }
    if (p != value.length()) {
      throw new DateTimeException("unexpected text after '" + text + "'");
    }
    if (twelveHour) {
      // HH12 is the 12-hour clock, 01 to 12: folding 25 or 99 modulo 12 made up a plausible hour
      if (f[3] < 1 || f[3] > 12) {
        throw new DateTimeException("hour " + f[3] + " is not on the 12-hour clock (01 to 12)");
      }
      // a format with AM/PM needs it once the hour is there: '12:00' alone is neither noon nor midnight
      if (!meridian && hasMeridian()) {
        throw new DateTimeException("expected AM or PM after a 12-hour clock hour");
      }
      f[3] = f[3] % 12 + (pm ? 12 : 0);  // as PostgreSQL: 12 AM (or no AM/PM in the format) is 00
    }
    if (f[0] == 0) {
      throw new DateTimeException("year 0000 does not exist (1 BC is written 0001-01-01 BC)");
    }
    return LocalDateTime.of(beforeChrist ? 1 - f[0] : f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
  }

  /** Whether a number part comes next, right after a number (YYYYMMDD): then a year keeps to four digits. */
  private boolean numberFollows(int from) {
    if (from >= elements.size()) {
      return false;
    }
    Part part = elements.get(from).part();
    return part != Part.LITERAL && part != Part.MONTH_NAME && part != Part.MERIDIAN;
  }

  private boolean hasMeridian() {
    return elements.stream().anyMatch(element -> element.part() == Part.MERIDIAN);
  }

  private boolean onlyTimeLeft(int from) {
    for (int e = from; e < elements.size(); e++) {
      Part part = elements.get(e).part();
      if (part == Part.YEAR4 || part == Part.YEAR2 || part == Part.MONTH || part == Part.MONTH_NAME || part == Part.DAY) {
        return false;
      }
    }
    return true;
  }

  private static int number(Part part, String value, int p, int[] f, boolean numberFollows) {
    int width = switch (part) {
      case YEAR4 -> numberFollows ? 4 : 6;
      case MILLIS -> 3;
      case MICROS -> 6;
      default -> 2;
    };
    int end = p;
    while (end < value.length() && end < p + width && Character.isDigit(value.charAt(end)) && value.charAt(end) < 128) {
      end++;
    }
    if (end == p) {
      throw new DateTimeException("expected digits");
    }
    int n = Integer.parseInt(value.substring(p, end));
    switch (part) {
      case YEAR4 -> f[0] = n;
      // Years without century pivot like PostgreSQL: 70-99 are 19xx, 00-69 are 20xx.
      case YEAR2 -> f[0] = n >= 70 ? 1900 + n : 2000 + n;
      case MONTH -> f[1] = n;
      case DAY -> f[2] = n;
      case HOUR24, HOUR12 -> f[3] = n;
      case MINUTE -> f[4] = n;
      case MILLIS -> f[6] = n * 1_000_000;
      case MICROS -> f[6] = n * 1_000;
      default -> {
        f[5] = n;
        return fraction(value, end, f);
      }
    }
    return end;
  }

  /** SS takes an optional fraction, down to microseconds (digits beyond nanoseconds are dropped). */
  private static int fraction(String value, int p, int[] f) {
    if (p >= value.length() || value.charAt(p) != '.' || p + 1 >= value.length() || !Character.isDigit(value.charAt(p + 1))) {
      return p;
    }
    int end = p + 1;
    while (end < value.length() && value.charAt(end) >= '0' && value.charAt(end) <= '9') {
      end++;
    }
    String digits = (value.substring(p + 1, Math.min(end, p + 10)) + "000000000").substring(0, 9);
    f[6] = Integer.parseInt(digits);
    return end;
  }

  private static int monthName(String value, int p, int[] f) {
    String rest = value.substring(p).toLowerCase(Locale.ROOT);
    for (int m = 0; m < MONTHS.length; m++) {
      int length = rest.startsWith(MONTHS[m]) ? MONTHS[m].length() : rest.startsWith(MONTHS[m].substring(0, 3)) ? 3 : 0;
      if (length > 0) {
        f[1] = m + 1;
        return p + length;
      }
    }
    throw new DateTimeException("expected a month name");
  }
}
