package dev.iamguard.local;

import java.util.HashMap;
import java.util.Map;

/**
 * Redshift's date and time part names and abbreviations (DATEADD, DATEDIFF, EXTRACT) as H2 names
 * them. The abbreviations differ in meaning, not only in spelling: Redshift's {@code m} is a
 * minute where H2 (like SQL Server) reads a month, so every one is written out in full.
 */
final class DateParts {
  private static final Map<String, String> H2 = new HashMap<>();

  static {
    put("MILLENNIUM", "MILLENNIUM", "MILLENNIA", "MIL", "MILS");
    put("CENTURY", "CENTURY", "CENTURIES", "C", "CENT", "CENTS");
    put("DECADE", "DECADE", "DECADES", "DEC", "DECS");
    put("YEAR", "YEAR", "YEARS", "Y", "YR", "YRS");
    put("QUARTER", "QUARTER", "QUARTERS", "QTR", "QTRS");
    put("MONTH", "MONTH", "MONTHS", "MON", "MONS");
    put("WEEK", "WEEK", "WEEKS", "W");
    put("DAY", "DAY", "DAYS", "D");
    put("HOUR", "HOUR", "HOURS", "H", "HR", "HRS");
    put("MINUTE", "MINUTE", "MINUTES", "M", "MIN", "MINS");
    put("SECOND", "SECOND", "SECONDS", "S", "SEC", "SECS");
    put("MILLISECOND", "MILLISECOND", "MILLISECONDS", "MS", "MSEC", "MSECS", "MSECOND", "MSECONDS", "MILLISEC",
        "MILLISECS", "MILLISECON");
    put("MICROSECOND", "MICROSECOND", "MICROSECONDS", "MICROSEC", "MICROSECS", "USECOND", "USECONDS", "US", "USEC",
        "USECS");
  }

  private DateParts() {}

  private static void put(String h2, String... redshift) {
    for (String name : redshift) {
      H2.put(name, h2);
    }
  }

  /** H2's name for the upper-case Redshift date part {@code part}, or null when Redshift has none such. */
  static String h2(String part) {
    return H2.get(part);
  }
}
