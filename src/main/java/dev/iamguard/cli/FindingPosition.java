package dev.iamguard.cli;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Where a finding stands: the statement (or nested body statement) that owns it locates it. */
final class FindingPosition {
  private FindingPosition() {}

  /**
   * 1-based line and column of each finding of {@code decision} or of a statement nested in it (a
   * procedure body), in the order of {@code findings}: its offset is into the source of the
   * statement it belongs to, which for a single-quoted body is the unescaped body, not the script.
   * One pass over the decision and one over each owner's text, whatever the number of findings.
   */
  static int[][] linesAndColumns(StatementDecision decision, List<Finding> findings) {
    Map<Finding, SqlStatement> owners = new IdentityHashMap<>();
    collectOwners(decision, owners);
    // the findings of each owner, so that its text is counted once for all of them
    Map<SqlStatement, List<Integer>> byOwner = new IdentityHashMap<>();
    for (int i = 0; i < findings.size(); i++) {
      SqlStatement owner = owners.getOrDefault(findings.get(i), decision.statement());
      byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(i);
    }
    int[][] result = new int[findings.size()][];
    byOwner.forEach((owner, indexes) -> {
      int[] offsets = new int[indexes.size()];
      for (int k = 0; k < offsets.length; k++) {
        offsets[k] = findings.get(indexes.get(k)).offset();
      }
      int[][] positions = owner.lineAndColumns(offsets);
      for (int k = 0; k < offsets.length; k++) {
        result[indexes.get(k)] = positions[k];
      }
    });
    return result;
  }

  /** The statement owning each finding: the first in the decision's own findings, then its nested ones, in order. */
  private static void collectOwners(StatementDecision decision, Map<Finding, SqlStatement> owners) {
    for (Finding own : decision.findings()) {
      owners.putIfAbsent(own, decision.statement());
    }
    for (StatementDecision inner : decision.nested()) {
      collectOwners(inner, owners);
    }
  }
}
