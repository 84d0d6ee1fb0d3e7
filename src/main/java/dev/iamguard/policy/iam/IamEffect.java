package dev.iamguard.policy.iam;

/**
 * The effect of a statement ({@link #ALLOW} or {@link #DENY}) and the outcome of evaluating a
 * policy, where nothing matching gives {@link #IMPLICIT_DENY}.
 */
public enum IamEffect {
  ALLOW,
  /** An explicit deny: a matching {@code "Effect": "Deny"} statement, which beats any allow. */
  DENY,
  /** No statement allowed the request. */
  IMPLICIT_DENY;

  /** Whether the request may proceed. */
  public boolean allowed() {
    return this == ALLOW;
  }
}
