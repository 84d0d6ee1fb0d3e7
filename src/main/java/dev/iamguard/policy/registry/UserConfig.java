package dev.iamguard.policy.registry;

import java.util.List;

/**
 * A database user's memberships, for grants made to groups or roles, and whether it is a
 * superuser (who always holds ASSUMEROLE).
 *
 * @param line where the entry starts in the registry file
 */
public record UserConfig(String name, List<String> groups, List<String> roles, boolean superuser, int line) {

  public UserConfig {
    groups = List.copyOf(groups);
    roles = List.copyOf(roles);
  }
}
