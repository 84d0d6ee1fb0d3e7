package dev.iamguard.policy.access;

import java.util.List;
import java.util.Set;

/**
 * A role or chain the guard lets {@code principal} use on {@code cluster}, whatever it reaches:
 * the first role attached, each trusting the one before (and the user), each allowed to assume the
 * next, and the commands the ASSUMEROLE grants give for it.
 *
 * @param auth the IAM_ROLE value: an ARN, a chain, or {@code default}
 * @param roles its roles, first to last
 * @param commands the commands granted with it (empty: trusted, but no grant)
 */
public record UsablePath(String cluster, Principal principal, String auth, List<String> roles,
    Set<AccessCommand> commands) {
  public UsablePath {
    roles = List.copyOf(roles);
    commands = Set.copyOf(commands);
  }
}
