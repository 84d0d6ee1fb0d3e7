package dev.iamguard.cli;

import dev.iamguard.policy.Verdict;

/** The counts of a check, per file and in total. */
final class Tally {
  long statements;
  long rewritten;
  long denied;
  long suppressed;
  long baselined;
  long unusedSuppressions;
  long invalidSuppressions;
  /** Statements (and unused suppressions) that make the check fail under its --fail-on. */
  long failing;

  long allowed() {
    return statements - rewritten - denied;
  }

  void count(Verdict verdict) {
    if (verdict == Verdict.REWRITE) {
      rewritten++;
    } else if (verdict == Verdict.DENY) {
      denied++;
    }
  }

  void add(Tally other) {
    statements += other.statements;
    rewritten += other.rewritten;
    denied += other.denied;
    suppressed += other.suppressed;
    baselined += other.baselined;
    unusedSuppressions += other.unusedSuppressions;
    invalidSuppressions += other.invalidSuppressions;
    failing += other.failing;
  }
}
