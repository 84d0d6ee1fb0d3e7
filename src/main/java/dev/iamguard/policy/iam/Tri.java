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
    // a switch: a missing answer (null) fails here rather than passing for TRUE
    return switch (other) {
      case FALSE -> FALSE;
      case TRUE -> this;
      case UNKNOWN -> this == FALSE ? FALSE : UNKNOWN;
    };
  }

  Tri or(Tri other) {
    // a switch: a missing answer (null) fails here rather than passing for FALSE
    return switch (other) {
      case TRUE -> TRUE;
      case FALSE -> this;
      case UNKNOWN -> this == TRUE ? TRUE : UNKNOWN;
    };
  }

  Tri not() {
    return this == UNKNOWN ? UNKNOWN : of(this == FALSE);
  }
}
