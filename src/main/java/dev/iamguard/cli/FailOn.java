package dev.iamguard.cli;

/**
 * What makes {@code check} exit 1 ({@code --fail-on}): each level includes the ones before it.
 * Suppressed and baselined findings never count.
 */
enum FailOn {
  /** A denied statement (the default). */
  deny,
  /** A denied or rewritten statement: the scripts should already name role ARNs. */
  rewrite,
  /** Any of those, or a warning (something the guard cannot verify), or an unused suppression. */
  warning;

  boolean includes(FailOn other) {
    return ordinal() >= other.ordinal();
  }
}
