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
    message = SecretText.masked(message);
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
