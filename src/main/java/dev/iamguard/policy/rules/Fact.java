package dev.iamguard.policy.rules;

import dev.iamguard.policy.Session;
import dev.iamguard.sql.AuthForm;

/**
 * What may be true of a statement before any rule looks at it, for the rules that judge only
 * statements where it holds ({@link Rule}): {@link RuleBook} skips the others without asking
 * them, which keeps an inspection to the few rules that can have something to say.
 */
enum Fact {
  /** The auth clause names roles (a chain, DEFAULT or 'SESSION'), not keys. */
  ROLES,
  /** The auth clause supplies access keys. */
  KEYS,
  /** Who runs the statement is known. */
  USER_KNOWN,
  /** Who runs the statement is not known. */
  USER_UNKNOWN,
  /** An earlier statement of the same execution may have changed who runs this one. */
  USER_CHANGED;

  /** The facts of {@code in}, as a bit set over the ordinals. */
  static int of(Inspection in) {
    int facts = in.session.identityKnown() ? bit(USER_KNOWN) : bit(USER_UNKNOWN);
    if (in.session.origin() == Session.Origin.CHANGED) {
      facts |= bit(USER_CHANGED);
    }
    if (in.resolved.keys()) {
      facts |= bit(KEYS);
    } else if (in.command.auth().form() != AuthForm.NONE) {
      facts |= bit(ROLES);
    }
    return facts;
  }

  static int bit(Fact fact) {
    return 1 << fact.ordinal();
  }
}
