package dev.iamguard.policy;

/** What the guard does with a statement. Names are part of the CLI contract. */
public enum Verdict {
  /** Sent as written. */
  ALLOW,
  /** Sent with its auth clause rewritten (aliases, {@code DEFAULT}); nothing else changes. */
  REWRITE,
  /** Not sent. */
  DENY;

  /** The stricter of the two. */
  public Verdict worst(Verdict other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
