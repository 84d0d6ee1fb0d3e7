package dev.iamguard.cli;

import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * One statement of one file as {@code check} reports it: the guard's decision and its findings as
 * reported; {@code carried} is the secret keyword the statement before it ended with (its value is
 * this statement's, split from it by a semicolon), else null.
 */
record CheckedStatement(String file, StatementDecision decision, List<ReportedFinding> findings, String carried) {

  /** The statement of {@code file} with every finding of its decision (nested ones included) placed at its line and column. */
  static CheckedStatement of(String file, StatementDecision decision) {
    return of(file, decision, null);
  }

  /** As {@link #of(String, StatementDecision)}, after a statement that ended with secret keyword {@code carried}. */
  static CheckedStatement of(String file, StatementDecision decision, String carried) {
    List<Finding> all = decision.allFindings();
    int[][] at = FindingPosition.linesAndColumns(decision, all);
    List<ReportedFinding> findings = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i++) {
      findings.add(new ReportedFinding(all.get(i), at[i][0], at[i][1]));
    }
    return new CheckedStatement(file, decision, findings, carried);
  }

  /** The text as it would be sent, secrets masked: also a value the statement before left to it. */
  String redactedSql() {
    return Redactor.redactAfter(carried, decision.sql());
  }

  Verdict verdict() {
    return decision.verdict();
  }

  /** True when the statement makes the check fail under {@code failOn}. */
  boolean fails(FailOn failOn) {
    if (verdict() == Verdict.REWRITE && failOn.includes(FailOn.rewrite)) {
      return true;
    }
    for (ReportedFinding finding : findings) {
      if (finding.fails(failOn)) {
        return true;
      }
    }
    return false;
  }

  /** True when a report that shows only problems shows it: a finding (accepted or not) or a rewrite. */
  boolean worthShowing() {
    return !findings.isEmpty() || verdict() == Verdict.REWRITE;
  }
}
