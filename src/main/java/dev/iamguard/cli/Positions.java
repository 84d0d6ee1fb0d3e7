package dev.iamguard.cli;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.sql.SqlStatement;

/** Line and column of offsets inside a statement, counted from the statement's own position. */
final class Positions {
  private Positions() {}

  /**
   * 1-based line and column of a finding of {@code decision} or of a statement nested in it (a
   * procedure body): its offset is into the source of the statement it belongs to, which for a
   * single-quoted body is the unescaped body, not the script.
   */
  static int[] lineAndColumn(StatementDecision decision, Finding finding) {
    SqlStatement owner = owner(decision, finding);
    return lineAndColumn(owner == null ? decision.statement() : owner, finding.offset());
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

  /** 1-based line and column of {@code offset}, an offset into the statement's source. */
  static int[] lineAndColumn(SqlStatement statement, int offset) {
    String source = statement.source();
    int line = statement.line();
    int column = statement.column();
    int end = Math.min(offset, source.length());
    for (int p = statement.start(); p < end; p++) {
      if (source.charAt(p) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new int[] {line, column};
  }
}
