package dev.iamguard.cli;

/** The exit codes of CLI.md. */
final class ExitCodes {
  /** Nothing denied. */
  static final int OK = 0;
  /** At least one statement denied (for {@code run}: denied or failed). */
  static final int DENIED = 1;
  /** Usage, registry or I/O error. */
  static final int ERROR = 2;

  private ExitCodes() {}
}
