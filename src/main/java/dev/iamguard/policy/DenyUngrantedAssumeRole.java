package dev.iamguard.policy;

import dev.iamguard.sql.CommandKind;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RuleId#ASSUMEROLE_NOT_GRANTED}: once any grant exists (as after
 * {@code REVOKE ASSUMEROLE ON ALL FROM PUBLIC FOR ALL}), a COPY, UNLOAD, EXTERNAL FUNCTION or
 * CREATE MODEL needs a grant to the user, one of its groups or roles, or PUBLIC, for that command
 * (or ALL), on the exact chain as written ("A chained grant must match the chain exactly"), on
 * DEFAULT for {@code IAM_ROLE DEFAULT}, or on ALL. The FOR list does not cover CREATE EXTERNAL
 * SCHEMA or CREATE LIBRARY, so those are not checked here.
 */
final class DenyUngrantedAssumeRole implements Rule {
  @Override
  public void check(Inspection in) {
    GrantConfig.Command command = command(in.command.kind());
    if (!in.registry.grantsEnforced() || command == null || (in.chain.isEmpty() && !in.usedDefault)) {
      return;
    }
    for (GrantConfig grant : in.registry.grants()) {
      if (covers(grant, in, command)) {
        return;
      }
    }
    boolean asDefault = sentAsDefault(in);
    String chain = asDefault ? "DEFAULT" : String.join(",", in.chain.stream().map(RoleArn::toString).toList());
    String user = in.session.user();
    in.add(RuleId.ASSUMEROLE_NOT_GRANTED, chain, (user == null ? "the session names no user, so it" : "user " + user)
            + " does not have ASSUMEROLE permission on " + (asDefault ? "the default IAM role" : "IAM role \"" + chain + "\"")
            + " for " + command.sql(),
        "GRANT ASSUMEROLE ON '" + chain + "' TO " + user + " FOR " + command.sql()
            + " (and add the grant to " + in.registryFile() + ")");
  }

  private static GrantConfig.Command command(CommandKind kind) {
    switch (kind) {
      case COPY:
        return GrantConfig.Command.COPY;
      case UNLOAD:
        return GrantConfig.Command.UNLOAD;
      case CREATE_EXTERNAL_FUNCTION:
        return GrantConfig.Command.EXTERNAL_FUNCTION;
      case CREATE_MODEL:
      case CREATE_EXTERNAL_MODEL:
        return GrantConfig.Command.CREATE_MODEL;
      default:
        return null;
    }
  }

  private static boolean covers(GrantConfig grant, Inspection in, GrantConfig.Command command) {
    if (!grant.commands().contains(GrantConfig.Command.ALL) && !grant.commands().contains(command)) {
      return false;
    }
    boolean asDefault = sentAsDefault(in);
    boolean onChain = switch (grant.scope()) {
      case ALL -> true;
      case DEFAULT -> asDefault;
      case CHAINS -> !asDefault && grant.chains().contains(in.chain);
    };
    if (onChain) {
      for (GrantConfig.Grantee grantee : grant.grantees()) {
        if (holds(grantee, in)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether Redshift receives {@code IAM_ROLE DEFAULT}: not when the guard rewrites it to the
   * default role's ARN (rewrite_default_role), as grants are checked on the statement sent.
   */
  private static boolean sentAsDefault(Inspection in) {
    return in.usedDefault && in.rewrite == null;
  }

  private static boolean holds(GrantConfig.Grantee grantee, Inspection in) {
    switch (grantee.kind()) {
      case PUBLIC:
        return true;
      case USER:
        return in.session.user() != null && grantee.name().equalsIgnoreCase(in.session.user());
      case GROUP:
        return contains(groups(in), grantee.name());
      default:
        return contains(roles(in), grantee.name());
    }
  }

  private static List<String> groups(Inspection in) {
    List<String> groups = new ArrayList<>(in.session.effectiveGroups());
    if (in.session.user() != null) {
      in.registry.user(in.session.user()).ifPresent(u -> groups.addAll(u.groups()));
    }
    return groups;
  }

  private static List<String> roles(Inspection in) {
    List<String> roles = new ArrayList<>(in.session.effectiveRoles());
    if (in.session.user() != null) {
      in.registry.user(in.session.user()).ifPresent(u -> roles.addAll(u.roles()));
    }
    return roles;
  }

  private static boolean contains(List<String> names, String name) {
    for (String n : names) {
      if (n.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }
}
