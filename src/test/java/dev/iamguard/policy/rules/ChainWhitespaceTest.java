package dev.iamguard.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The role chain's space check, char by char: every char of the Basic Multilingual Plane, alone and
 * inside an ARN, is judged as the rule says (a space is a char up to U+0020, or above 127 and
 * whitespace or a space char to Java).
 */
class ChainWhitespaceTest {
  private static final String ARN = "arn:aws:iam::123456789012:role/RoleA";

  private static boolean isSpace(char c) {
    return c <= ' ' || c > 127 && (Character.isWhitespace(c) || Character.isSpaceChar(c));
  }

  @Test
  void everyCharIsJudgedAsTheRuleSays() {
    int spaces = 0;
    for (int code = 0; code <= Character.MAX_VALUE; code++) {
      char c = (char) code;
      boolean expected = isSpace(c);
      spaces += expected ? 1 : 0;
      assertThat(Resolver.hasWhitespace(String.valueOf(c))).as("U+%04X alone", code).isEqualTo(expected);
      assertThat(Resolver.hasWhitespace(ARN + c + "," + ARN)).as("U+%04X inside", code).isEqualTo(expected);
    }
    // 33 controls and the space, NEL and NBSP, and the Unicode spaces and separators above them
    assertThat(spaces).isGreaterThan(33 + 2 + 15);
  }

  @Test
  void aChainOfPrintableAsciiHasNoSpace() {
    StringBuilder printable = new StringBuilder();
    for (char c = '!'; c <= '~'; c++) {
      printable.append(c);
    }
    assertThat(Resolver.hasWhitespace(printable.toString())).isFalse();
    assertThat(Resolver.hasWhitespace(printable + "\u007f")).isFalse();
    assertThat(Resolver.hasWhitespace("")).isFalse();
  }
}
