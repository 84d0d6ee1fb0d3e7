package dev.iamguard.policy.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of evaluating one or more policy documents, with what decided it: for
 * {@link IamEffect#DENY} the deny statement that matched, for {@link IamEffect#ALLOW} the
 * first allow statement that matched, nothing for {@link IamEffect#IMPLICIT_DENY}; and where a
 * statement was judged conservatively.
 *
 * @param effect the outcome
 * @param source the policy document's source name (empty for implicit deny of no policy)
 * @param statement the deciding statement
 * @param conservative the statements judged conservatively, in evaluation order
 */
public record IamDecision(IamEffect effect, String source, Optional<IamStatement> statement,
    List<Conservative> conservative) {

  static final IamDecision IMPLICIT = new IamDecision(IamEffect.IMPLICIT_DENY, "", Optional.empty(), List.of());

  public IamDecision {
    conservative = List.copyOf(conservative);
  }

  /** A decision judged without any conservative part. */
  public IamDecision(IamEffect effect, String source, Optional<IamStatement> statement) {
    this(effect, source, statement, List.of());
  }

  /**
   * Combines the decisions of several policies for one request as IAM does: an explicit deny in
   * any of them wins, then any allow, else implicit deny. The conservative notes of all are kept.
   */
  public static IamDecision combine(List<IamDecision> decisions) {
    IamDecision allow = null;
    IamDecision deny = null;
    List<Conservative> notes = null;
    for (IamDecision d : decisions) {
      if (!d.conservative.isEmpty()) {
        notes = notes == null ? new ArrayList<>() : notes;
        notes.addAll(d.conservative);
      }
      if (d.effect == IamEffect.DENY && deny == null) {
        deny = d;
      }
      if (d.effect == IamEffect.ALLOW && allow == null) {
        allow = d;
      }
    }
    IamDecision chosen = deny != null ? deny : allow != null ? allow : IMPLICIT;
    return notes == null ? chosen.withNotes(List.of()) : chosen.withNotes(notes);
  }

  IamDecision withNotes(List<Conservative> notes) {
    return notes.equals(conservative) ? this : new IamDecision(effect, source, statement, notes);
  }

  /** Whether a conservative judgement took part. */
  public boolean conservativeUsed() {
    return !conservative.isEmpty();
  }

  /**
   * Where the decision came from, e.g. {@code iam/RoleA.json statement "DenySecret" (line 9)},
   * or {@code no statement allows it} for an implicit deny.
   */
  public String describe() {
    return statement.map(s -> source + " " + s.label() + " (line " + s.line() + ")")
        .orElse("no statement allows it");
  }
}
