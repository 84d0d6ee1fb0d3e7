package dev.iamguard.policy.iam;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Date values of the Date operators: "one of the W3C implementations of the ISO 8601 date formats
 * or in epoch (UNIX) time" (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mmTZD, YYYY-MM-DDThh:mm:ssTZD,
 * YYYY-MM-DDThh:mm:ss.sTZD), compared as epoch milliseconds. A date without a time is its
 * midnight, UTC.
 */
final class IamDates {

  private static final Pattern EPOCH = Pattern.compile("\\d{1,12}(\\.\\d+)?");

  private IamDates() {}

  static Optional<BigDecimal> epochMillis(String text) {
    String t = text.strip();
    try {
      if (EPOCH.matcher(t).matches() && t.length() != 4) {
        return Optional.of(new BigDecimal(t).movePointRight(3));
      }
      long millis;
      if (t.matches("\\d{4}")) {
        millis = LocalDate.of(Integer.parseInt(t), 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
      } else if (t.matches("\\d{4}-\\d{2}")) {
        millis = YearMonth.parse(t).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
      } else if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
        millis = LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
      } else if (t.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})")) {
        String full = t.matches(".*T\\d{2}:\\d{2}(Z|[+-].*)") ? t.replaceFirst("(T\\d{2}:\\d{2})", "$1:00") : t;
        millis = OffsetDateTime.parse(full).toInstant().toEpochMilli();
      } else if (t.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?")) {
        millis = LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
      } else {
        return Optional.empty();
      }
      return Optional.of(BigDecimal.valueOf(millis));
    } catch (DateTimeParseException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
