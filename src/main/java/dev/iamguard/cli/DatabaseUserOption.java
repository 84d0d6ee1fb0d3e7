package dev.iamguard.cli;

import dev.iamguard.policy.registry.GranteeSpelling;
import dev.iamguard.sql.LineText;

/**
 * The one check of a {@code --user} value that names a database user ({@code check}, {@code rewrite},
 * {@code suggest}): a name the registry would read as every user, a group or a role, or could not
 * name at all, is refused before anything is read, rather than judged as a user nobody can grant to.
 */
final class DatabaseUserOption {
  private DatabaseUserOption() {}

  /**
   * Refuses {@code name} (exit 2) unless the registry can name it as one database user.
   *
   * @param remedy what to write instead, for the message
   */
  static void require(String name, String remedy) {
    if (name.isBlank()) {
      throw new CliException("--user is empty: " + remedy);
    }
    GranteeSpelling.notAUser(name).ifPresent(why -> {
      throw new CliException("--user " + quoted(name) + " " + why + ", not a database user: " + remedy);
    });
  }

  /** The value in double quotes, its unsafe characters escaped ({@link LineText}): it cannot forge a line of output. */
  private static String quoted(String name) {
    return "\"" + LineText.escape(name) + "\"";
  }
}
