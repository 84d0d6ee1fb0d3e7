package dev.iamguard.cli;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.sql.SqlStatement;

/** Where a finding stands: the statement (or nested body statement) that owns it locates it. */
final class FindingPosition {
  private FindingPosition() {}

  /**
   * 1-based line and column of a finding of {@code decision} or of a statement nested in it (a
   * procedure body): its offset is into the source of the statement it belongs to, which for a
   * single-quoted body is the unescaped body, not the script.
   */
  static int[] lineAndColumn(StatementDecision decision, Finding finding) {
    SqlStatement owner = owner(decision, finding);
    return (owner == null ? decision.statement() : owner).lineAndColumn(finding.offset());
  }

  private static SqlStatement owner(StatementDecision decision, Finding finding) {
    for (Finding own : decision.findings()) {
      if (own == finding) {
        return decision.statement();
      }
    }
    for (StatementDecision inner : decision.nested()) {
      SqlStatement owner = owner(inner, finding);
      if (owner != null) {
        return owner;
      }
    }
    return null;
  }
}
