package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.AssumeRoleGrants;
import dev.iamguard.policy.registry.GrantConfig;
import dev.iamguard.policy.registry.UserConfig;
import dev.iamguard.sql.CommandKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link RuleId#ASSUMEROLE_NOT_GRANTED}: once any grant exists (as after
 * {@code REVOKE ASSUMEROLE ON ALL FROM PUBLIC FOR ALL}), a COPY, UNLOAD, EXTERNAL FUNCTION or
 * CREATE MODEL needs a grant to the user, one of its groups or roles, or PUBLIC, for that command
 * (or ALL), on the exact chain as written ("A chained grant must match the chain exactly"), on
 * DEFAULT for {@code IAM_ROLE DEFAULT}, or on ALL. The FOR list does not cover CREATE EXTERNAL
 * SCHEMA or CREATE LIBRARY, so those are not checked here.
 *
 * <p>The grants are the registry's with the GRANT/REVOKE ASSUMEROLE statements the session ran
 * applied ({@link AssumeRoleGrants}). A superuser always holds ASSUMEROLE. Where the session's
 * identity comes from the server, its memberships and superuser flag are the server's; otherwise
 * the registry's {@code users} and {@code db_roles} say them. A decision that needs the user is
 * never made without it: {@link RuleId#IDENTITY_UNKNOWN}.
 */
final class DenyUngrantedAssumeRole implements Rule {
  @Override
  public void check(Inspection in) {
    GrantConfig.Command command = command(in.command.kind());
    if (command == null || (in.chain.isEmpty() && !in.usedDefault)) {
      return;
    }
    if (!in.registry.grantsEnforced() && in.session.grants().isEmpty() || superuser(in)) {
      return;
    }
    boolean asDefault = sentAsDefault(in);
    if (AssumeRoleGrants.of(in.registry, in.session.grants()).covers(in.chain, asDefault, command, grantee -> holds(grantee, in))) {
      return;
    }
    String chain = asDefault ? "DEFAULT" : String.join(",", in.chain.stream().map(RoleArn::toString).toList());
    if (!in.session.identityKnown()) {
      IdentityFindings.unknown(in, chain, "whether it holds ASSUMEROLE on " + (asDefault ? "the default IAM role"
          : "IAM role \"" + chain + "\"") + " for " + command.sql());
      return;
    }
    String user = in.session.user();
    in.add(RuleId.ASSUMEROLE_NOT_GRANTED, chain, "user " + user
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

  /**
   * Whether Redshift receives {@code IAM_ROLE DEFAULT}: not when the guard rewrites it to the
   * default role's ARN (rewrite_default_role), as grants are checked on the statement sent.
   */
  private static boolean sentAsDefault(Inspection in) {
    return in.usedDefault && in.rewrite == null;
  }

  /** Redshift superusers always hold ASSUMEROLE (facts 4). */
  private static boolean superuser(Inspection in) {
    return in.session.superuser() || declared(in).map(UserConfig::superuser).orElse(false);
  }

  private static boolean holds(GrantConfig.Grantee grantee, Inspection in) {
    switch (grantee.kind()) {
      case PUBLIC:
        return true;
      case USER:
        return in.session.identityKnown() && grantee.name().equalsIgnoreCase(in.session.user());
      case GROUP:
        return contains(groups(in), grantee.name());
      default:
        return roles(in).contains(grantee.name().toLowerCase(Locale.ROOT));
    }
  }

  /**
   * The registry's entry for the user, when the registry is what says the user's memberships:
   * not for an identity the server reported (its answer is the truth), nor an unknown one.
   */
  private static Optional<UserConfig> declared(Inspection in) {
    if (in.session.origin() != Session.Origin.GIVEN || in.session.user() == null) {
      return Optional.empty();
    }
    return in.registry.user(in.session.user());
  }

  private static List<String> groups(Inspection in) {
    if (!in.session.identityKnown()) {
      return List.of();
    }
    List<String> groups = new ArrayList<>(in.session.effectiveGroups());
    declared(in).ifPresent(u -> groups.addAll(u.groups()));
    return groups;
  }

  /** The roles held, with every role granted to them (the registry's db_roles, for a declared identity). */
  private static Set<String> roles(Inspection in) {
    if (!in.session.identityKnown()) {
      return Set.of();
    }
    List<String> roles = new ArrayList<>(in.session.effectiveRoles());
    if (in.session.origin() != Session.Origin.GIVEN) { // the server's memberships already hold the granted roles
      return roles.stream().map(r -> r.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
    declared(in).ifPresent(u -> roles.addAll(u.roles()));
    return in.registry.rolesHeldThrough(roles);
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
