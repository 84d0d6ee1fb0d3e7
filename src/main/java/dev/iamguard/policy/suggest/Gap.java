package dev.iamguard.policy.suggest;

/**
 * A statement whose needs the suggestion cannot state, and why: the suggestion is incomplete
 * without it (an unknown alias, IAM_ROLE DEFAULT without a registry, dynamic SQL, a bind parameter,
 * access keys, ...).
 *
 * @param file the script, as the reports name it
 * @param line 1-based line of the statement's first token
 * @param column 1-based column
 * @param command the statement's command
 * @param reason a sentence for people; never quotes a secret
 */
public record Gap(String file, int line, int column, String command, String reason) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + command + ": " + reason;
  }
}
