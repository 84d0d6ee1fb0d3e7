package dev.iamguard.local;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Types;
import java.time.DateTimeException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns one field's text into the value for its column, as COPY converts it, or explains with
 * Redshift's load error code why it cannot. Empty and blank fields load as NULL for every
 * non-character type (as the reference says of EMPTYASNULL and BLANKSASNULL); character fields
 * keep them unless those options say otherwise. DECIMAL values with more fractional digits than
 * the column's scale are truncated, or rounded with ROUNDEC, as COPY does.
 */
final class ValueParser {
  // Possessive: a run of digits is never split between two quantifiers, which made refusing a long
  // run (a 40,000-digit value followed by a letter) quadratic; they match what the greedy forms did.
  static final Pattern DECIMAL = Pattern.compile("[+-]?+(\\d++\\.?+\\d*+|\\.\\d++)");
  static final Pattern FLOAT = Pattern.compile("[+-]?+(\\d++\\.?+\\d*+|\\.\\d++)([eE][+-]?+\\d++)?+");

  private final CopyOptions options;
  private final Temporals temporals;

  ValueParser(CopyOptions options) {
    this.options = options;
    this.temporals = new Temporals(options.dateFormat, options.timeFormat);
  }

  /** The value to bind; null for SQL NULL ({@code text} is null when the field matched NULL AS). */
  Object parse(TargetColumn column, String text) throws LoadProblem {
    if (text == null) {
      return null;
    }
    if (column.isCharacter()) {
      return character(column, text);
    }
    if (text.isBlank()) {
      return null;
    }
    return switch (column.jdbcType()) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> integer(column, text);
      case Types.DECIMAL, Types.NUMERIC -> decimal(column, text);
      case Types.REAL, Types.FLOAT, Types.DOUBLE -> floating(column, text);
      case Types.BOOLEAN, Types.BIT -> bool(text);
      case Types.DATE, Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE, Types.TIME, Types.TIME_WITH_TIMEZONE ->
          temporal(column, text);
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> binary(column, text);
      default -> text;  // other types (UUID, JSON, ...): H2 converts the text itself
    };
  }

  private String character(TargetColumn column, String text) throws LoadProblem {
    String value = options.trimBlanks && !column.isFixedCharacter() ? text.stripTrailing() : text;
    if (value.isEmpty() && options.emptyAsNull || options.blanksAsNull && !value.isEmpty() && value.isBlank()) {
      return null;
    }
    if (column.isFixedCharacter()) {
      for (int i = 0; i < value.length(); i++) {
        if (value.charAt(i) > 0x7F) { // Redshift's CHAR holds single-byte characters only
          throw new LoadProblem(1220, "multibyte character not supported for CHAR (use VARCHAR)");
        }
      }
    }
    // Redshift's lengths are bytes of UTF-8 (H2 counts characters: a value that fits in bytes fits there)
    if (column.precision() > 0 && value.length() * 3L > column.precision() && utf8Length(value) > column.precision()) {
      if (!options.truncateColumns) {
        throw new LoadProblem(1204, "string length exceeds DDL length " + column.precision() + " (bytes of UTF-8)");
      }
      value = utf8Prefix(value, column.precision());
    }
    return value;
  }

  private static long utf8Length(String value) {
    long bytes = 0;
    for (int i = 0; i < value.length(); i++) {
      bytes += RecordReader.utf8Bytes(value.charAt(i));
    }
    return bytes;
  }

  /** The longest prefix of {@code value} of at most {@code most} bytes of UTF-8 that splits no character. */
  private static String utf8Prefix(String value, int most) {
    long bytes = 0;
    int end = 0;
    while (end < value.length()) {
      int codePoint = value.codePointAt(end);
      int width = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
      if (bytes + width > most) {
        break;
      }
      bytes += width;
      end += Character.charCount(codePoint);
    }
    return value.substring(0, end);
  }

  private static Object integer(TargetColumn column, String text) throws LoadProblem {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || i == 0 && (c == '-' || c == '+') && text.length() > 1)) {
        throw new LoadProblem(1207, "invalid digit at position " + i);
      }
    }
    long min;
    long max;
    switch (column.jdbcType()) {
      case Types.TINYINT -> { min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; }
      case Types.SMALLINT -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; }
      case Types.INTEGER -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
      default -> { min = Long.MIN_VALUE; max = Long.MAX_VALUE; }
    }
    try {
      long n = Long.parseLong(text);
      if (n >= min && n <= max) {
        return column.jdbcType() == Types.BIGINT ? (Object) n : (Object) (int) n;
      }
    } catch (NumberFormatException e) {
      // beyond a long: overflow, reported below
    }
    throw new LoadProblem(1222, "integer overflow for type " + column.typeName().toLowerCase(Locale.ROOT));
  }

  private BigDecimal decimal(TargetColumn column, String text) throws LoadProblem {
    if (!DECIMAL.matcher(text).matches()) {
      throw new LoadProblem(1209, "invalid decimal");
    }
    BigDecimal value = new BigDecimal(text);
    if (value.scale() > column.scale()) {
      value = value.setScale(column.scale(), options.roundDecimals ? RoundingMode.HALF_UP : RoundingMode.DOWN);
    }
    if (column.precision() > 0 && value.precision() - value.scale() > column.precision() - column.scale()) {
      throw new LoadProblem(1204, "numeric overflow for " + column.typeName().toLowerCase(Locale.ROOT)
          + "(" + column.precision() + "," + column.scale() + ")");
    }
    return value;
  }

  private static Object floating(TargetColumn column, String text) throws LoadProblem {
    double value;
    switch (text.toLowerCase(Locale.ROOT)) {
      case "nan" -> value = Double.NaN;
      case "inf", "infinity", "+inf", "+infinity" -> value = Double.POSITIVE_INFINITY;
      case "-inf", "-infinity" -> value = Double.NEGATIVE_INFINITY;
      default -> {
        if (!FLOAT.matcher(text).matches()) {
          throw new LoadProblem(1208, "invalid floating point number");
        }
        boolean real = column.jdbcType() == Types.REAL;
        // a REAL is the text rounded once to a float: the range is judged on that float, since the
        // shortest text of the largest float (3.4028235E38) lies above it, and rounding the text to
        // a double first could round twice onto another float
        value = real ? Float.parseFloat(text) : Double.parseDouble(text);
        if (Double.isInfinite(value)) {
          throw new LoadProblem(1208, "floating point number out of range for " + (real ? "REAL" : "DOUBLE PRECISION"));
        }
        if (value == 0 && hasNonZeroDigit(text)) { // rounds to zero
          throw new LoadProblem(1208, "floating point number too small (underflow) for "
              + (real ? "REAL" : "DOUBLE PRECISION"));
        }
      }
    }
    return column.jdbcType() == Types.REAL ? (Object) (float) value : (Object) value;
  }

  /** Whether the mantissa of a number's text holds a digit other than 0 (its exponent aside). */
  private static boolean hasNonZeroDigit(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 'e' || c == 'E') {
        return false;
      }
      if (c >= '1' && c <= '9') {
        return true;
      }
    }
    return false;
  }

  private static Boolean bool(String text) throws LoadProblem {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "t", "true", "1", "y", "yes" -> Boolean.TRUE;
      case "f", "false", "0", "n", "no" -> Boolean.FALSE;
      default -> throw new LoadProblem(1210, "invalid boolean");
    };
  }

  private Object temporal(TargetColumn column, String text) throws LoadProblem {
    try {
      return switch (column.jdbcType()) {
        case Types.DATE -> temporals.date(text);
        case Types.TIMESTAMP -> temporals.timestamp(text);
        case Types.TIMESTAMP_WITH_TIMEZONE -> temporals.timestampTz(text);
        case Types.TIME -> temporals.time(text);
        default -> temporals.timeTz(text);
      };
    } catch (DateTimeException | ArithmeticException e) {
      if (options.acceptAnyDate) {
        return null;
      }
      boolean date = column.jdbcType() == Types.DATE;
      String format = date ? options.dateFormat : options.timeFormat;
      throw new LoadProblem(date ? 1205 : 1206, "invalid " + (date ? "date" : "timestamp")
          + (format == null ? "" : " for format '" + format + "'") + ": " + e.getMessage());
    }
  }

  /**
   * A VARBYTE value, at most its column's length in bytes: a longer one is a load error of its row,
   * which MAXERROR may skip (H2 rejected it at the insert, which failed the whole COPY whatever
   * MAXERROR said). TRUNCATECOLUMNS does not shorten it: the reference applies it to VARCHAR and CHAR only.
   */
  private static byte[] binary(TargetColumn column, String text) throws LoadProblem {
    byte[] bytes = hex(text);
    if (column.precision() > 0 && bytes.length > column.precision()) {
      throw new LoadProblem(1204, "binary length " + bytes.length + " exceeds DDL length " + column.precision()
          + " (bytes)");
    }
    return bytes;
  }

  private static byte[] hex(String text) throws LoadProblem {
    try {
      return HexFormat.of().parseHex(text);
    } catch (IllegalArgumentException e) {
      throw new LoadProblem(1219, "invalid hexadecimal");
    }
  }
}
