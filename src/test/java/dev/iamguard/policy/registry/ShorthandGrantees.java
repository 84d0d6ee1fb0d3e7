package dev.iamguard.policy.registry;

import dev.iamguard.sql.AssumeRoleGrant;
import java.util.Locale;

/**
 * The tests' shorthand for a grammar grantee: {@code PUBLIC} (any case) for PUBLIC, {@code group:x}
 * for {@code GROUP x}, {@code role:x} for {@code ROLE x}, else a user. Only tests that never name a
 * user like a group use it; the grammar itself keeps the kind apart from the name.
 */
final class ShorthandGrantees {
  private ShorthandGrantees() {}

  static AssumeRoleGrant.Grantee of(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.equals("public") ? AssumeRoleGrant.Grantee.EVERYONE
        : lower.startsWith("group:") ? new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.GROUP, text.substring(6))
        : lower.startsWith("role:") ? new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.ROLE, text.substring(5))
        : new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.USER, text);
  }
}
