package dev.iamguard.policy.awscli;

import java.util.List;

/**
 * A grant for the registry's {@code grants} section.
 *
 * @param on {@code default}, {@code ALL} or a role chain string
 * @param to the grantees ({@code user}, {@code group:x}, {@code role:x}, {@code PUBLIC}), sorted
 * @param commands the commands as the registry names them, in a fixed order
 */
record ImportedGrant(String on, List<String> to, List<String> commands) {
  ImportedGrant {
    to = List.copyOf(to);
    commands = List.copyOf(commands);
  }
}
