package dev.iamguard.policy.registry;

import dev.iamguard.sql.AssumeRoleGrant;

import dev.iamguard.policy.iam.RoleArn;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code GRANT ASSUMEROLE} the registry declares.
 *
 * @param scope whether the grant names chains, {@code default} or {@code ALL}
 * @param chains the granted chains when {@code scope} is {@link Scope#CHAINS}; a chain is granted
 *     as a whole, not role by role
 * @param grantees who receives it
 * @param commands the commands it covers
 * @param line where the entry starts in the registry file
 */
public record GrantConfig(Scope scope, List<List<RoleArn>> chains, List<AssumeRoleGrant.Grantee> grantees,
    Set<Command> commands, int line) {

  public GrantConfig {
    chains = chains.stream().map(List::copyOf).toList();
    grantees = List.copyOf(grantees);
    commands = Set.copyOf(commands);
  }

  /** {@code ON 'arn'[, ...]}, {@code ON default} or {@code ON ALL}. */
  public enum Scope {
    CHAINS,
    DEFAULT,
    ALL
  }

  /** {@code FOR ...}: the commands GRANT ASSUMEROLE distinguishes. */
  public enum Command {
    ALL("ALL"),
    COPY("COPY"),
    UNLOAD("UNLOAD"),
    EXTERNAL_FUNCTION("EXTERNAL FUNCTION"),
    CREATE_MODEL("CREATE MODEL");

    private final String sql;

    Command(String sql) {
      this.sql = sql;
    }

    /** As written in SQL and in the registry, e.g. {@code EXTERNAL FUNCTION}. */
    public String sql() {
      return sql;
    }

    /** Parses a name ignoring case and extra spaces. */
    public static Optional<Command> parse(String text) {
      String normal = String.join(" ", text.trim().split("\\s+")).toUpperCase(Locale.ROOT);
      for (Command c : values()) {
        if (c.sql.equals(normal)) {
          return Optional.of(c);
        }
      }
      return Optional.empty();
    }
  }
}
