package dev.iamguard.policy;

import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * The decision on one statement.
 *
 * @param statement the statement as parsed
 * @param verdict what happens to it
 * @param findings why (warnings included); empty for a plain ALLOW
 * @param sql the statement text as it would be sent: rewritten when REWRITE (secrets not masked:
 *     pass it through the audit Redactor before printing)
 * @param nested decisions on the statements of a procedure body
 */
public record StatementDecision(SqlStatement statement, Verdict verdict, List<Finding> findings,
    String sql, List<StatementDecision> nested) {
  public StatementDecision {
    findings = List.copyOf(findings);
    nested = List.copyOf(nested);
  }

  /** The findings of this statement and of the statements nested in it. */
  public List<Finding> allFindings() {
    if (nested.isEmpty()) {
      return findings;
    }
    List<Finding> all = new ArrayList<>(findings);
    for (StatementDecision inner : nested) {
      all.addAll(inner.allFindings());
    }
    return all;
  }
}
