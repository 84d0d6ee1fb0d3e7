package dev.iamguard.policy.registry;

import dev.iamguard.sql.AssumeRoleGrant;
import java.util.Locale;
import java.util.Optional;

/**
 * How the registry's {@code to:} list reads a grantee written as text: {@code PUBLIC} (any case) is
 * every user, {@code group:NAME} and {@code role:NAME} (prefix in any case) a group and a Redshift
 * role, any other word a user. The one reading shared by the registry, the {@code SVV_IAM_PRIVILEGES}
 * import and every command line option that names a database user, so a name the registry would read
 * as a group, a role or every user is refused alike everywhere rather than judged as someone else.
 */
public final class GranteeSpelling {
  private GranteeSpelling() {}

  /** What the registry makes of {@code text} in {@code to:}, by its spelling alone. */
  public static AssumeRoleGrant.Grantee.Kind kind(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.equals("public")) {
      return AssumeRoleGrant.Grantee.Kind.PUBLIC;
    }
    if (lower.startsWith("group:")) {
      return AssumeRoleGrant.Grantee.Kind.GROUP;
    }
    return lower.startsWith("role:") ? AssumeRoleGrant.Grantee.Kind.ROLE : AssumeRoleGrant.Grantee.Kind.USER;
  }

  /**
   * Why the registry cannot name {@code text} as one database user, or empty when it can. The
   * registry reads {@code PUBLIC}, {@code group:...} and {@code role:...} as other grantees and
   * refuses empty names and names with white space, and has no other spelling for such a user.
   *
   * @return a phrase to follow the name in a message ({@code "names a group"}), or empty
   */
  public static Optional<String> notAUser(String text) {
    if (text.isEmpty()) {
      return Optional.of("is empty");
    }
    if (text.chars().anyMatch(Character::isWhitespace)) {
      return Optional.of("holds white space, which the registry cannot name");
    }
    return switch (kind(text)) {
      case PUBLIC -> Optional.of("names every user (PUBLIC)");
      case GROUP -> Optional.of("names a group");
      case ROLE -> Optional.of("names a role");
      case USER -> Optional.empty();
    };
  }
}
