package dev.iamguard.local;

import java.time.ZoneOffset;

/**
 * A date-time text split before its UTC offset: {@code Z}, {@code UTC}, or a sign, one or two hour
 * digits and two optional minute digits (an optional {@code :} between), after optional white
 * space, at the very end. It reads what the pattern
 * {@code (.*?)\s*(?:(Z|UTC)|([+-])(\d{1,2})(?::?(\d{2}))?)} matched, in one pass from the end:
 * the pattern tried every split of a refused text with every run of blanks after it, time
 * quadratic in the text's length (a 20,000-char value of blanks took COPY 8 s).
 * {@code OffsetSuffixProperties} holds the two to the same answers.
 *
 * @param local the text before the offset and the blanks before it (the pattern's first group)
 * @param utc whether the offset is {@code Z} or {@code UTC}
 * @param negative whether the sign is {@code -}
 * @param hours the hour digits (null for {@code Z} and {@code UTC})
 * @param minutes the minute digits, or null
 */
record OffsetSuffix(String local, boolean utc, boolean negative, String hours, String minutes) {
  /** The longest offset: a sign, two hour digits, a colon and two minute digits. */
  private static final int LONGEST = 6;

  /** The text split before its offset, or null when it does not end with one. */
  static OffsetSuffix split(String text) {
    int n = text.length();
    // At most one place starts an offset that runs to the end (only its first char can be a sign or a
    // letter of Z/UTC); the blanks before it go to the offset, as the lazy first group left them.
    for (int at = Math.max(0, n - LONGEST); at < n; at++) {
      OffsetSuffix offset = offsetAt(text, at);
      if (offset != null) {
        int local = at;
        while (local > 0 && isBlank(text.charAt(local - 1))) {
          local--;
        }
        return endsNoLine(text, local) ? offset.before(text.substring(0, local)) : null;
      }
    }
    return null;
  }

  /** The zone offset this suffix names. */
  ZoneOffset offset() {
    if (utc) {
      return ZoneOffset.UTC;
    }
    int h = Integer.parseInt(hours);
    int m = minutes == null ? 0 : Integer.parseInt(minutes);
    return negative ? ZoneOffset.ofHoursMinutes(-h, -m) : ZoneOffset.ofHoursMinutes(h, m);
  }

  private OffsetSuffix before(String text) {
    return new OffsetSuffix(text, utc, negative, hours, minutes);
  }

  /** The offset that {@code text[at, end)} is exactly, or null. */
  private static OffsetSuffix offsetAt(String text, int at) {
    String rest = text.substring(at);
    if (rest.equals("Z") || rest.equals("UTC")) {
      return new OffsetSuffix(null, true, false, null, null);
    }
    if (rest.isEmpty() || rest.charAt(0) != '+' && rest.charAt(0) != '-') {
      return null;
    }
    boolean negative = rest.charAt(0) == '-';
    String digits = rest.substring(1);
    int n = digits.length();
    // hours take two digits when the rest can still end the text, else one (as the pattern's backtracking)
    if ((n == 1 || n == 2) && allDigits(digits, 0, n)) {
      return new OffsetSuffix(null, false, negative, digits, null);
    }
    if (n == 3 && allDigits(digits, 0, 3)) {
      return new OffsetSuffix(null, false, negative, digits.substring(0, 1), digits.substring(1));
    }
    if (n == 4 && allDigits(digits, 0, 4)) {
      return new OffsetSuffix(null, false, negative, digits.substring(0, 2), digits.substring(2));
    }
    if (n == 4 && digits.charAt(1) == ':' && allDigits(digits, 0, 1) && allDigits(digits, 2, 4)) {
      return new OffsetSuffix(null, false, negative, digits.substring(0, 1), digits.substring(2));
    }
    if (n == 5 && digits.charAt(2) == ':' && allDigits(digits, 0, 2) && allDigits(digits, 3, 5)) {
      return new OffsetSuffix(null, false, negative, digits.substring(0, 2), digits.substring(3));
    }
    return null;
  }

  private static boolean allDigits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** The pattern's {@code \s}: ASCII white space only. */
  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  /** The pattern's {@code .} stops at a line end: the text before the offset may hold none. */
  private static boolean endsNoLine(String text, int end) {
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return false;
      }
    }
    return true;
  }
}
