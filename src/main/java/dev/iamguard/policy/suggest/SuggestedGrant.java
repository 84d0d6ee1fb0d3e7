package dev.iamguard.policy.suggest;

import java.util.List;

/**
 * A GRANT ASSUMEROLE the scripts need.
 *
 * @param on {@code default} or the chain, its ARNs joined by commas
 * @param to the users
 * @param commands the commands, as SQL writes them ({@code COPY}, {@code EXTERNAL FUNCTION}, ...)
 */
public record SuggestedGrant(String on, List<String> to, List<String> commands) {
  public SuggestedGrant {
    to = List.copyOf(to);
    commands = List.copyOf(commands);
  }

  /** Whether the grant is on the cluster's default role. */
  public boolean onDefault() {
    return on.equals("default");
  }

  /** The statement a superuser runs: {@code GRANT ASSUMEROLE ON '<chain>' TO user, ... FOR COPY, ...;}. */
  public String toSql() {
    return "GRANT ASSUMEROLE ON " + (onDefault() ? "DEFAULT" : "'" + on.replace("'", "''") + "'") + " TO "
        + String.join(", ", to.stream().map(SuggestedGrant::identifier).toList()) + " FOR "
        + String.join(", ", commands) + ";";
  }

  /** A user name as SQL needs it: plain when it is a lower-case identifier, else double-quoted. */
  private static String identifier(String name) {
    return name.matches("[a-z_][a-z0-9_$]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
