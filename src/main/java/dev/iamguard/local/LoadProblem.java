package dev.iamguard.local;

/**
 * Why one value or record could not be loaded, with Redshift's load error code (the
 * {@code err_code} of STL_LOAD_ERRORS, e.g. 1207 for an invalid digit). Carries no stack trace:
 * it is expected, per bad value, and turned into a message naming file, line and column.
 */
final class LoadProblem extends Exception {
  private static final long serialVersionUID = 1L;

  private final int code;

  LoadProblem(int code, String reason) {
    super(reason, null, false, false);
    this.code = code;
  }

  /** Redshift's load error code. */
  int code() {
    return code;
  }

  /** The reason, lower case first, e.g. {@code invalid digit}. */
  String reason() {
    return getMessage();
  }
}
