package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.RoleArn;
import java.util.List;

/**
 * A named role chain: {@code IAM_ROLE 'companyb'} stands for the comma-joined ARNs.
 *
 * @param line where the entry starts in the registry file
 */
public record ChainConfig(String name, List<RoleArn> roles, int line) {

  public ChainConfig {
    roles = List.copyOf(roles);
  }

  /** The chain as SQL writes it: ARNs joined by commas, no spaces. */
  public String toSql() {
    return String.join(",", roles.stream().map(RoleArn::toString).toList());
  }
}
