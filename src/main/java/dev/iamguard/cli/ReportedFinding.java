package dev.iamguard.cli;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Severity;

/**
 * A finding as {@code check} reports it: where it stands in the file, and whether an inline
 * suppression or the baseline accepted it (then it does not count towards the exit code).
 */
final class ReportedFinding {
  final Finding finding;
  final int line;
  final int column;
  /** The reason of the inline suppression that accepted it, or null. */
  String suppressedBecause;
  /** True when the baseline holds it. */
  boolean baselined;
  /** The baseline fingerprint, computed when something asks for it. */
  String fingerprint;

  ReportedFinding(Finding finding, int line, int column) {
    this.finding = finding;
    this.line = line;
    this.column = column;
  }

  boolean accepted() {
    return suppressedBecause != null || baselined;
  }

  boolean isError() {
    return finding.severity() == Severity.ERROR;
  }

  /** True when this finding makes the check fail under {@code failOn}. */
  boolean fails(FailOn failOn) {
    return !accepted() && (isError() || failOn.includes(FailOn.warning));
  }
}
