package dev.iamguard.local;

import dev.iamguard.sql.CommandOption;
import java.sql.SQLException;

/** Decoding of option arguments as the SQL model hands them over (literals decoded, words upper case). */
final class OptionValues {
  private OptionValues() {}

  /** The first argument, or a clear error when the option was written without one. */
  static String required(String command, CommandOption option) throws SQLException {
    String value = option.value();
    if (value == null) {
      throw SqlStates.invalidOption(command + " option " + option.name() + " needs a value");
    }
    return value;
  }

  /**
   * A single character written as itself, as a backslash escape ({@code '\t'}) or in octal
   * ({@code '\001'}): the forms Redshift documents for DELIMITER. The model keeps such backslash
   * sequences as written, so they are decoded here.
   */
  static char character(String command, CommandOption option) throws SQLException {
    String value = required(command, option);
    String decoded = decodeEscapes(value);
    if (decoded.length() != 1) {
      throw SqlStates.invalidOption(command + " option " + option.name()
          + " must be a single character, not '" + value + "'");
    }
    return decoded.charAt(0);
  }

  /**
   * A DELIMITER: one ASCII character, as COPY and UNLOAD take it ("the single ASCII character that is
   * used to separate fields"); Redshift refuses a multibyte one, which loads and unloads here otherwise.
   */
  static char asciiCharacter(String command, CommandOption option) throws SQLException {
    char c = character(command, option);
    if (c >= 0x80) {
      throw SqlStates.invalidOption(command + " option " + option.name()
          + " must be a single ASCII character, not '" + option.value() + "'");
    }
    return c;
  }

  /** Decodes {@code \t \n \r \\} and octal {@code \ddd} sequences; other text is kept as written. */
  static String decodeEscapes(String value) {
    if (value.indexOf('\\') < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\\' || i + 1 == value.length()) {
        out.append(c);
        continue;
      }
      char next = value.charAt(i + 1);
      int octalEnd = i + 1;
      while (octalEnd < value.length() && octalEnd < i + 4 && value.charAt(octalEnd) >= '0' && value.charAt(octalEnd) <= '7') {
        octalEnd++;
      }
      if (octalEnd > i + 1) {
        out.append((char) Integer.parseInt(value.substring(i + 1, octalEnd), 8));
        i = octalEnd - 1;
      } else if (next == 't' || next == 'n' || next == 'r' || next == '\\') {
        out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next == 'r' ? '\r' : '\\');
        i++;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** A whole number between {@code min} and {@code max}. */
  static long number(String command, CommandOption option, long min, long max) throws SQLException {
    String value = required(command, option);
    try {
      long n = Long.parseLong(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the option's name
    }
    throw SqlStates.invalidOption(command + " option " + option.name() + " must be a whole number from "
        + min + " to " + max + ", not '" + value + "'");
  }

  /** ON/TRUE (or no argument) is true, OFF/FALSE is false. */
  static boolean onOff(String command, CommandOption option) throws SQLException {
    String value = option.value();
    if (value == null || value.equals("ON") || value.equals("TRUE")) {
      return true;
    }
    if (value.equals("OFF") || value.equals("FALSE")) {
      return false;
    }
    throw SqlStates.invalidOption(command + " option " + option.name() + " takes ON, TRUE, OFF or FALSE, not '" + value + "'");
  }
}
