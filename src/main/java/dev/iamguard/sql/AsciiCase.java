package dev.iamguard.sql;

/**
 * Case folding as PostgreSQL and Redshift fold names and key words: only the ASCII letters
 * {@code A-Z} and {@code a-z} (scan.l's {@code downcase_identifier}, guc.c's
 * {@code guc_name_compare}, {@code pg_strcasecmp}). Java's {@code equalsIgnoreCase},
 * {@code regionMatches(true, ...)} and {@code toUpperCase}/{@code toLowerCase} fold through the
 * Unicode tables instead: long s ({@code U+017F}) and dotless i ({@code U+0131}) upper-case to
 * {@code S} and {@code I}, the Kelvin sign ({@code U+212A}) and dotted I ({@code U+0130})
 * lower-case to {@code k} and {@code i}, so {@code "ſession_authorization"} read as the parameter
 * the server answers is unrecognized, and {@code CALL Kp()} as the procedure {@code kp}.
 */
final class AsciiCase {
  private AsciiCase() {}

  /**
   * Whether {@code s[from, from + upperCase.length())} is {@code upperCase} (ASCII, upper case)
   * ignoring the case of its ASCII letters only. Unlike {@link Tokens#sameWord}, which is for word
   * tokens, any char may stand in {@code s} (a quoted name may hold DEL, which XOR 0x20 makes {@code _}).
   */
  static boolean regionMatches(String s, int from, String upperCase) {
    if (from < 0 || from + upperCase.length() > s.length()) {
      return false;
    }
    for (int k = 0; k < upperCase.length(); k++) {
      char c = s.charAt(from + k);
      if (c != upperCase.charAt(k) && (c < 'a' || c > 'z' || c - ('a' - 'A') != upperCase.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  /** {@code text} with its ASCII letters upper-cased and every other char as it is. */
  static String toUpperCase(String text) {
    return shifted(text, 'a', 'A' - 'a');
  }

  /** {@code text} with its ASCII letters lower-cased and every other char as it is (an unquoted name as the server keeps it). */
  static String toLowerCase(String text) {
    return shifted(text, 'A', 'a' - 'A');
  }

  /** {@code text} with each of the 26 letters from {@code first} moved by {@code shift}; {@code text} itself when it has none. */
  private static String shifted(String text, char first, int shift) {
    char last = (char) (first + 25);
    char[] chars = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= first && c <= last) {
        if (chars == null) {
          chars = text.toCharArray();
        }
        chars[i] = (char) (c + shift);
      }
    }
    return chars == null ? text : new String(chars);
  }
}
