package dev.iamguard.policy;

import java.util.List;
import java.util.Locale;

/**
 * Who runs the statements: the database user (as Redshift names it, without an {@code IAM:}
 * prefix), the groups and roles it belongs to, and the cluster it is connected to.
 *
 * @param user the database user, folded to lower case as Redshift folds unquoted names
 * @param groups the user's groups
 * @param roles the user's Redshift roles (for {@code role:} grants)
 * @param cluster the cluster or serverless workgroup id; null when the registry has one cluster
 * @param loginUser the user the connection logged in as; {@code user} differs from it after
 *     {@code SET SESSION AUTHORIZATION}, and the login groups and roles then no longer apply
 * @param externalCatalog the external schemas and tables created through the guard on this
 *     connection (or earlier in this script), whose roles and locations later statements use
 */
public record Session(String user, List<String> groups, List<String> roles, String cluster, String loginUser,
    ExternalCatalog externalCatalog) {
  public Session {
    user = normalise(user);
    loginUser = loginUser == null ? user : normalise(loginUser);
    groups = List.copyOf(groups);
    roles = List.copyOf(roles);
    externalCatalog = externalCatalog == null ? ExternalCatalog.NONE : externalCatalog;
  }

  /** A session that has created no external objects yet. */
  public Session(String user, List<String> groups, List<String> roles, String cluster, String loginUser) {
    this(user, groups, roles, cluster, loginUser, ExternalCatalog.NONE);
  }

  /** A session of {@code user} on {@code cluster} with the given login groups and roles. */
  public Session(String user, List<String> groups, List<String> roles, String cluster) {
    this(user, groups, roles, cluster, null);
  }

  /** A session of {@code user} on {@code cluster} with no groups or roles. */
  public static Session of(String user, String cluster) {
    return new Session(user, List.of(), List.of(), cluster, null);
  }

  /**
   * The same connection acting as {@code otherUser} ({@code SET SESSION AUTHORIZATION}); null
   * returns to the login user ({@code DEFAULT}, {@code RESET}).
   */
  public Session withUser(String otherUser) {
    return new Session(otherUser == null ? loginUser : otherUser, groups, roles, cluster, loginUser, externalCatalog);
  }

  /** The same connection after it created external schemas or tables. */
  public Session withExternalCatalog(ExternalCatalog catalog) {
    return new Session(user, groups, roles, cluster, loginUser, catalog);
  }

  /** The login groups when acting as the login user; none after a switch to another user. */
  public List<String> effectiveGroups() {
    return java.util.Objects.equals(user, loginUser) ? groups : List.of();
  }

  /** The login roles when acting as the login user; none after a switch to another user. */
  public List<String> effectiveRoles() {
    return java.util.Objects.equals(user, loginUser) ? roles : List.of();
  }

  private static String normalise(String user) {
    return user == null ? null : stripIamPrefix(user).toLowerCase(Locale.ROOT);
  }

  /**
   * Strips the prefixes Redshift gives users who log in through IAM: {@code IAM:} (existing user),
   * {@code IAMA:} (auto-created) and {@code IAMR:} (IAM role).
   */
  public static String stripIamPrefix(String user) {
    for (String prefix : new String[] {"IAM:", "IAMA:", "IAMR:"}) {
      if (user.regionMatches(true, 0, prefix, 0, prefix.length())) {
        return user.substring(prefix.length());
      }
    }
    return user;
  }
}
