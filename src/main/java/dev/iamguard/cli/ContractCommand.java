package dev.iamguard.cli;

import dev.iamguard.sql.CommandKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code command} value of the JSON reports: one of the values ../shared/design/CLI.md lists
 * (a closed set others decode exhaustively), the commands the guard learnt since as {@code OTHER},
 * their own name then in the extra key {@code kind} (probe 22b F3: {@code CREATE_EXTERNAL_TABLE} and
 * four more stood in {@code command}).
 */
final class ContractCommand {
  /** The values CLI.md lists for {@code command}. */
  private static final Set<CommandKind> LISTED = EnumSet.of(CommandKind.COPY, CommandKind.UNLOAD,
      CommandKind.CREATE_LIBRARY, CommandKind.CREATE_EXTERNAL_SCHEMA, CommandKind.ALTER_EXTERNAL_SCHEMA,
      CommandKind.CREATE_EXTERNAL_FUNCTION, CommandKind.CREATE_MODEL, CommandKind.CREATE_EXTERNAL_MODEL,
      CommandKind.CREATE_DATABASE, CommandKind.GRANT_ASSUMEROLE, CommandKind.REVOKE_ASSUMEROLE,
      CommandKind.CREATE_PROCEDURE, CommandKind.SET_SESSION_AUTHORIZATION, CommandKind.OTHER);

  private ContractCommand() {}

  /** Writes {@code command} (CLI.md's value) and {@code kind} (the guard's own name for it). */
  static void write(JsonWriter json, CommandKind kind) {
    json.field("command", LISTED.contains(kind) ? kind.name() : CommandKind.OTHER.name()).field("kind", kind.name());
  }
}
