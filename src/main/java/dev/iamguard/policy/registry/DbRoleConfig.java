package dev.iamguard.policy.registry;

import java.util.List;

/**
 * A Redshift role (a database role, not an IAM role) and the roles granted to it: a holder of
 * this role holds those as well, with their ASSUMEROLE grants ({@code GRANT ROLE r TO ROLE this}).
 *
 * @param line where the entry starts in the registry file
 */
public record DbRoleConfig(String name, List<String> roles, int line) {

  public DbRoleConfig {
    roles = List.copyOf(roles);
  }
}
