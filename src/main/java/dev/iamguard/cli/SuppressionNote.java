package dev.iamguard.cli;

/**
 * An inline suppression that did not apply: unused (no finding of its rule where it stands, a
 * warning) or invalid (no reason, an unknown rule: an error, exit 2).
 *
 * @param rules the rule ids as written
 * @param reason what is wrong, for people
 */
record SuppressionNote(String file, int line, int column, String rules, boolean invalid, String reason) {
  /** The id reports give this kind of note. */
  String id() {
    return invalid ? "SUPPRESSION_INVALID" : "SUPPRESSION_UNUSED";
  }
}
