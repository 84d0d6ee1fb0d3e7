package dev.iamguard.policy.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a role's session may do: its identity-based policies (inline and attached managed ones)
 * and its permissions boundary. IAM User Guide, policy evaluation logic: an explicit Deny in any of
 * them wins; otherwise a request is allowed only when an identity-based policy allows it and the
 * boundary, when there is one, allows it too ("the effective permissions are the intersection").
 */
public final class PermissionSet {

  private final List<IamPolicy> identity;
  private final Optional<IamPolicy> boundary;

  /**
   * @param identity the inline and managed permission policies
   * @param boundary the permissions boundary, a permission policy
   */
  public PermissionSet(List<IamPolicy> identity, Optional<IamPolicy> boundary) {
    this.identity = List.copyOf(identity);
    this.boundary = boundary;
    for (IamPolicy p : this.identity) {
      requirePermissions(p);
    }
    boundary.ifPresent(PermissionSet::requirePermissions);
  }

  private static void requirePermissions(IamPolicy p) {
    if (p.kind() != IamPolicy.Kind.PERMISSIONS) {
      throw new IllegalArgumentException(p.source() + " is a " + IamPolicy.describe(p.kind())
          + ", not a permission policy");
    }
  }

  public List<IamPolicy> identity() {
    return identity;
  }

  public Optional<IamPolicy> boundary() {
    return boundary;
  }

  /**
   * Whether the role's identity policies may allow {@code action} on {@code resource} in some
   * request context: false only where {@link #decide} allows that request in no context (the
   * boundary only takes away, so it is not read).
   */
  public boolean mayAllowInSomeContext(String action, String resource) {
    for (IamPolicy policy : identity) {
      if (policy.mayAllowInSomeContext(action, resource)) {
        return true;
      }
    }
    return false;
  }

  /** How IAM decides {@code request} for the role's session. */
  public IamDecision decide(IamRequest request) {
    List<IamDecision> decisions = new ArrayList<>(identity.size());
    for (IamPolicy policy : identity) {
      decisions.add(policy.decide(request));
    }
    IamDecision granted = IamDecision.combine(decisions);
    if (boundary.isEmpty() || granted.effect() == IamEffect.DENY) {
      return granted;
    }
    IamDecision limit = boundary.get().decide(request);
    if (limit.effect() == IamEffect.DENY) {
      return limit;
    }
    if (granted.effect() == IamEffect.ALLOW && limit.effect() != IamEffect.ALLOW) {
      return new IamDecision(IamEffect.IMPLICIT_DENY, limit.source(), Optional.empty(), limit.conservative());
    }
    return granted;
  }
}
