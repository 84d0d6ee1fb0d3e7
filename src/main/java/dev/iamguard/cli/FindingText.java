package dev.iamguard.cli;

import dev.iamguard.policy.Finding;
import dev.iamguard.sql.LineText;

/**
 * The short forms text reports print. A finding's message is one sentence for logs ("iamguard:
 * RULE in statement N (line L, COMMAND): problem. Remedy: remedy"); a report line already says
 * where and which rule, so it prints only the problem, and the remedy on a line of its own.
 */
final class FindingText {
  /** Longest report line (before escaping): what a CI log or a terminal shows without wrapping. */
  static final int WIDTH = 160;
  private static final String ELLIPSIS = "...";

  private FindingText() {}

  /** The problem part of the message: what is wrong, without the rule, the statement and the remedy. */
  static String problem(Finding finding) {
    String message = finding.message();
    String tail = ". Remedy: " + finding.remedy();
    int end = message.endsWith(tail) ? message.length() - tail.length() : message.length();
    int start = message.indexOf("): ");
    return start < 0 || start + 3 > end ? message : message.substring(start + 3, end);
  }

  /**
   * {@code file:line:column: body}, escaped, with the body cut to keep the line within
   * {@link #WIDTH} characters (a long file name still leaves the body 60).
   */
  static String line(String file, int line, int column, String body) {
    String prefix = LineText.escape(file) + ":" + line + ":" + column + ": ";
    String text = LineText.escape(body);
    int room = Math.max(60, WIDTH - prefix.length());
    if (text.length() > room) {
      int cut = room - ELLIPSIS.length();
      if (Character.isHighSurrogate(text.charAt(cut - 1))) {
        cut--;
      }
      text = text.substring(0, cut) + ELLIPSIS;
    }
    return prefix + text;
  }

  /** True when {@link #line} had to cut the body of {@code line}. */
  static boolean cut(String line) {
    return line.endsWith(ELLIPSIS);
  }

  /** An indented continuation line, escaped, never cut. */
  static String detail(String label, String text) {
    return "    " + label + LineText.escape(text);
  }

  /** {@code sql} on one line: white space runs as one space. */
  static String oneLine(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    boolean space = false;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        space = out.length() > 0;
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      out.append(c);
    }
    return out.toString();
  }
}
