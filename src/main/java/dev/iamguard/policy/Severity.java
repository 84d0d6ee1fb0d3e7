package dev.iamguard.policy;

/** How much a finding weighs. Lower-case names are what reports print. */
public enum Severity {
  /** The statement is denied. */
  ERROR,
  /** The statement is allowed, but something could not be verified. */
  WARNING;

  /** {@code error} or {@code warning}. */
  public String label() {
    return this == ERROR ? "error" : "warning";
  }
}
