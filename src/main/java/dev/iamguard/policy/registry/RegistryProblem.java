package dev.iamguard.policy.registry;

import dev.iamguard.sql.SecretText;

import dev.iamguard.sql.LineText;

/**
 * One problem of a registry file.
 *
 * @param source the registry file as named to the loader
 * @param line the 1-based line, 0 when the problem concerns the whole file
 * @param path where in the document, e.g. {@code roles[2].allow.s3_read[0]}; empty at top level
 * @param message what is wrong, and how to fix it where that is not obvious
 */
public record RegistryProblem(String source, int line, String path, String message) {
  /** The message is masked ({@link SecretText}): a registry may hold a credential pasted where an ARN or alias belongs. */
  public RegistryProblem {
    message = bounded(SecretText.masked(message));
    path = bounded(path);
  }

  /** The most characters a message or path keeps: a value is quoted for what it starts and ends with. */
  static final int LONGEST = 2_000;

  /**
   * {@code text}, or its start and end around a note of how much was left out when it is longer than
   * {@link #LONGEST}: a problem quotes the value it is about, and a value of megabytes (a file pasted
   * where an ARN belongs) made an error of megabytes, once for its path and once for its message
   * (probe 24c F4). Cut after masking, so no secret is cut into pieces the mask would not know;
   * the end is kept, as it holds what to do.
   */
  private static String bounded(String text) {
    if (text == null || text.length() <= LONGEST) {
      return text;
    }
    int head = LONGEST * 2 / 3;
    int tail = LONGEST - head;
    // never between the two chars of a surrogate pair
    head -= Character.isLowSurrogate(text.charAt(head)) ? 1 : 0;
    int from = text.length() - tail;
    from += Character.isLowSurrogate(text.charAt(from)) ? 1 : 0;
    return text.substring(0, head) + " [... " + (from - head) + " characters left out ...] " + text.substring(from);
  }

  /**
   * {@code registry.yaml:12: roles[2].alias: alias "x" is already used by roles[0] (line 7)}, on one
   * line: values quoted from the file are escaped ({@link LineText}).
   */
  @Override
  public String toString() {
    String where = LineText.escape(line > 0 ? source + ":" + line : source);
    return path.isEmpty() ? where + ": " + LineText.escape(message)
        : where + ": " + LineText.escape(path) + ": " + LineText.escape(message);
  }
}
