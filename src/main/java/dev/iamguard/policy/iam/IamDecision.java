package dev.iamguard.policy.iam;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of evaluating one or more policy documents, with what decided it: for
 * {@link IamEffect#DENY} the deny statement that matched, for {@link IamEffect#ALLOW} the
 * first allow statement that matched, nothing for {@link IamEffect#IMPLICIT_DENY}.
 *
 * @param effect the outcome
 * @param source the policy document's source name (empty for implicit deny of no policy)
 * @param statement the deciding statement
 */
public record IamDecision(IamEffect effect, String source, Optional<IamStatement> statement) {

  static final IamDecision IMPLICIT = new IamDecision(IamEffect.IMPLICIT_DENY, "", Optional.empty());

  /**
   * Combines the decisions of several policies for one request as IAM does: an explicit deny in
   * any of them wins, then any allow, else implicit deny.
   */
  public static IamDecision combine(List<IamDecision> decisions) {
    IamDecision allow = null;
    for (IamDecision d : decisions) {
      if (d.effect == IamEffect.DENY) {
        return d;
      }
      if (d.effect == IamEffect.ALLOW && allow == null) {
        allow = d;
      }
    }
    return allow != null ? allow : IMPLICIT;
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
