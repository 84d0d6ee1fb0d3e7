package dev.iamguard.local;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A result value as Redshift writes it in UNLOAD text: integers and decimals in plain notation
 * (decimals at their column scale, never with an exponent), floating point as the shortest text
 * that reads back to the same value (also without an exponent), booleans as {@code t} / {@code f},
 * dates as {@code YYYY-MM-DD}, timestamps as {@code YYYY-MM-DD HH:MI:SS} plus a fraction without
 * trailing zeros, TIMESTAMPTZ in UTC with {@code +00}, binary (VARBYTE) in hexadecimal. A year is
 * the year of its era, at least four digits ({@code 10000-01-01}), and a date before year 1 ends
 * with {@code BC}, after the time and the offset: {@code 0044-03-15 12:00:00+00 BC}, as Redshift
 * and PostgreSQL write it (a proleptic year 0 is 1 BC).
 */
final class ValueText {
  private ValueText() {}

  /** The text of column {@code i}, or null for SQL NULL. */
  static String of(ResultSet rs, int i, int jdbcType) throws SQLException {
    String text = switch (jdbcType) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> {
        long n = rs.getLong(i);
        yield rs.wasNull() ? null : Long.toString(n);
      }
      case Types.DECIMAL, Types.NUMERIC -> {
        BigDecimal d = rs.getBigDecimal(i);
        yield d == null ? null : d.toPlainString();
      }
      case Types.REAL -> {
        float f = rs.getFloat(i);
        yield rs.wasNull() ? null : floating(Float.toString(f), f);
      }
      case Types.FLOAT, Types.DOUBLE -> {
        double d = rs.getDouble(i);
        yield rs.wasNull() ? null : floating(Double.toString(d), d);
      }
      case Types.BOOLEAN, Types.BIT -> {
        boolean b = rs.getBoolean(i);
        yield rs.wasNull() ? null : b ? "t" : "f";
      }
      case Types.DATE -> date(rs.getObject(i, LocalDate.class));
      case Types.TIMESTAMP -> timestamp(rs.getObject(i, LocalDateTime.class));
      case Types.TIMESTAMP_WITH_TIMEZONE -> {
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        yield t == null ? null : timestamp(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(), "+00");
      }
      case Types.TIME -> time(rs.getObject(i, LocalTime.class));
      case Types.TIME_WITH_TIMEZONE -> {
        OffsetTime t = rs.getObject(i, OffsetTime.class);
        yield t == null ? null : time(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalTime()) + "+00";
      }
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> {
        byte[] bytes = rs.getBytes(i);
        yield bytes == null ? null : HexFormat.of().formatHex(bytes);
      }
      default -> rs.getString(i);
    };
    return text;
  }

  /** Shortest round-trip digits, written without an exponent ({@code 1.0E10} is {@code 10000000000}). */
  static String floating(String javaText, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
    }
    if (value == 0) {
      return 1 / value < 0 ? "-0" : "0";
    }
    return new BigDecimal(javaText).stripTrailingZeros().toPlainString();
  }

  static String date(LocalDate d) {
    return d == null ? null : day(d) + era(d);
  }

  static String timestamp(LocalDateTime t) {
    return t == null ? null : timestamp(t, "");
  }

  /** The era goes last, after the offset too: {@code 0044-03-15 12:00:00+00 BC}. */
  private static String timestamp(LocalDateTime t, String offset) {
    return day(t.toLocalDate()) + ' ' + time(t.toLocalTime()) + offset + era(t.toLocalDate());
  }

  /** The date with the year of its era: {@code %04d} of the proleptic year wrote 44 BC as {@code -043}. */
  private static String day(LocalDate d) {
    int year = d.getYear() > 0 ? d.getYear() : 1 - d.getYear();
    return String.format(Locale.ROOT, "%04d-%02d-%02d", year, d.getMonthValue(), d.getDayOfMonth());
  }

  private static String era(LocalDate d) {
    return d.getYear() > 0 ? "" : " BC";
  }

  static String time(LocalTime t) {
    if (t == null) {
      return null;
    }
    String text = String.format(Locale.ROOT, "%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
    if (t.getNano() == 0) {
      return text;
    }
    String fraction = String.format(Locale.ROOT, "%09d", t.getNano()).replaceAll("0+$", "");
    return text + '.' + fraction;
  }
}
