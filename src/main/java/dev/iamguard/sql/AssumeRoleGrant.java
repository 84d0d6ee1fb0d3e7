package dev.iamguard.sql;

import java.util.List;

/**
 * The body of {@code GRANT ASSUMEROLE} / {@code REVOKE ASSUMEROLE}.
 *
 * @param roles the role strings as written (each may be a whole chain); empty for DEFAULT or ALL
 * @param onDefault {@code ON DEFAULT}
 * @param onAll {@code ON ALL}
 * @param grantees {@code user}, {@code group:name}, {@code role:name} or {@code PUBLIC}
 * @param commands {@code ALL}, {@code COPY}, {@code UNLOAD}, {@code EXTERNAL FUNCTION}, {@code CREATE MODEL}
 */
public record AssumeRoleGrant(
    List<String> roles, boolean onDefault, boolean onAll, List<String> grantees, List<String> commands) {
  public AssumeRoleGrant {
    roles = List.copyOf(roles);
    grantees = List.copyOf(grantees);
    commands = List.copyOf(commands);
  }

  /** As a record writes itself, with every secret masked ({@link MaskedText}). */
  @Override
  public String toString() {
    return MaskedText.of(this);
  }
}
