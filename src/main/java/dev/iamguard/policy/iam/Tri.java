package dev.iamguard.policy.iam;

/**
 * Three-valued truth of a statement's parts for a request: a part on a key or policy variable the
 * guard cannot know is {@link #UNKNOWN}, and stays so through {@code and} unless another part is
 * surely false.
 */
enum Tri {
  TRUE,
  FALSE,
  UNKNOWN;

  static Tri of(boolean value) {
    return value ? TRUE : FALSE;
  }

  Tri and(Tri other) {
    if (this == FALSE || other == FALSE) {
      return FALSE;
    }
    return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : TRUE;
  }

  Tri or(Tri other) {
    if (this == TRUE || other == TRUE) {
      return TRUE;
    }
    return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : FALSE;
  }

  Tri not() {
    return this == UNKNOWN ? UNKNOWN : of(this == FALSE);
  }
}
