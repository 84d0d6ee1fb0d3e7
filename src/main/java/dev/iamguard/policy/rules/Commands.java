package dev.iamguard.policy.rules;

import dev.iamguard.sql.CommandKind;
import java.util.EnumSet;
import java.util.Set;

/** The sets of commands rules declare they judge ({@link Rule#commands()}). */
final class Commands {
  /** Every command, including those that carry no auth clause (their text can still be unreadable). */
  static final Set<CommandKind> ALL = EnumSet.allOf(CommandKind.class);

  /** The commands whose own auth clause the guard checks. */
  static final Set<CommandKind> AUTH_CARRYING = EnumSet.of(CommandKind.COPY, CommandKind.UNLOAD,
      CommandKind.CREATE_LIBRARY, CommandKind.CREATE_EXTERNAL_SCHEMA, CommandKind.ALTER_EXTERNAL_SCHEMA,
      CommandKind.CREATE_EXTERNAL_FUNCTION, CommandKind.CREATE_MODEL, CommandKind.CREATE_EXTERNAL_MODEL,
      CommandKind.CREATE_DATABASE, CommandKind.CREATE_IDENTITY_PROVIDER, CommandKind.ALTER_IDENTITY_PROVIDER);

  /** GRANT and REVOKE ASSUMEROLE, which name roles without assuming them. */
  static final Set<CommandKind> GRANTS = EnumSet.of(CommandKind.GRANT_ASSUMEROLE, CommandKind.REVOKE_ASSUMEROLE);

  /** External table statements, whose locations are reached with their schema's role. */
  static final Set<CommandKind> EXTERNAL_TABLES = EnumSet.of(CommandKind.CREATE_EXTERNAL_TABLE,
      CommandKind.ALTER_EXTERNAL_TABLE, CommandKind.INSERT_EXTERNAL_TABLE);

  private Commands() {}

  /** The union of {@code sets}. */
  @SafeVarargs
  static Set<CommandKind> union(Set<CommandKind>... sets) {
    Set<CommandKind> all = EnumSet.noneOf(CommandKind.class);
    for (Set<CommandKind> set : sets) {
      all.addAll(set);
    }
    return all;
  }
}
