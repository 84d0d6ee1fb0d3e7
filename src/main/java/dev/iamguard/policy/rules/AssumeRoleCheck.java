package dev.iamguard.policy.rules;

import dev.iamguard.sql.AssumeRoleGrant;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.AssumeRoleGrants;
import dev.iamguard.policy.registry.GrantConfig;
import dev.iamguard.policy.registry.Names;
import dev.iamguard.policy.registry.UserConfig;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.MembershipChange;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the session holds ASSUMEROLE on the chain a statement uses. Once any grant exists (as
 * after {@code REVOKE ASSUMEROLE ON ALL FROM PUBLIC FOR ALL}), a COPY, UNLOAD, EXTERNAL FUNCTION or
 * CREATE MODEL needs a grant to the user, one of its groups or roles, or PUBLIC, for that command
 * (or ALL), on the exact chain as written ("A chained grant must match the chain exactly"), on
 * DEFAULT for {@code IAM_ROLE DEFAULT}, or on ALL. The FOR list does not cover CREATE EXTERNAL
 * SCHEMA or CREATE LIBRARY, so those are not checked here.
 *
 * <p>The grants are the registry's with the GRANT/REVOKE ASSUMEROLE statements the session ran
 * applied ({@link AssumeRoleGrants}). A superuser always holds ASSUMEROLE. Where the session's
 * identity comes from the server, its memberships and superuser flag are the server's; otherwise
 * the registry's {@code users} and {@code db_roles} say them. {@link DenyUngrantedAssumeRole}
 * reports a missing grant for a known user, {@link DenyUnknownIdentity} when the user is unknown.
 */
final class AssumeRoleCheck {
  /**
   * A grant the statement needs and the session does not hold.
   *
   * @param chain the chain as grants name it: its ARNs joined by commas, or DEFAULT
   */
  record Missing(String chain, boolean asDefault, GrantConfig.Command command) {
    /** How messages name what is not granted. */
    String target() {
      return asDefault ? "the default IAM role" : "IAM role \"" + chain + "\"";
    }
  }

  /** The commands whose grants Redshift checks, as the FOR list of a grant names them. */
  static final Map<CommandKind, GrantConfig.Command> COMMANDS = new EnumMap<>(Map.of(
      CommandKind.COPY, GrantConfig.Command.COPY,
      CommandKind.UNLOAD, GrantConfig.Command.UNLOAD,
      CommandKind.CREATE_EXTERNAL_FUNCTION, GrantConfig.Command.EXTERNAL_FUNCTION,
      CommandKind.CREATE_MODEL, GrantConfig.Command.CREATE_MODEL,
      CommandKind.CREATE_EXTERNAL_MODEL, GrantConfig.Command.CREATE_MODEL));

  private AssumeRoleCheck() {}

  /** The grant the statement lacks; null when it holds one or needs none. */
  static Missing missing(Inspection in) {
    GrantConfig.Command command = COMMANDS.get(in.command.kind());
    List<RoleArn> chain = in.resolved.chain().arns();
    if (command == null || (chain.isEmpty() && !in.resolved.usedDefault())) {
      return null;
    }
    if (!in.registry.grantsEnforced() && in.session.grants().isEmpty() || superuser(in)) {
      return null;
    }
    // Redshift receives IAM_ROLE DEFAULT unless the guard rewrites it to the default role's ARN
    // (rewrite_default_role): grants are checked on the statement sent
    boolean asDefault = in.resolved.usedDefault() && in.resolved.rewrite() == null;
    // a method reference capturing nothing: no object per statement; holds accepts a grant to a user
    // only for the session's user, so the grants to other users are not read
    if (AssumeRoleGrants.of(in.registry, in.session.grants()).covers(chain, asDefault, command,
        AssumeRoleCheck::holds, in, in.session.identityKnown() ? in.session.user() : null, HELD)) {
      return null;
    }
    return new Missing(asDefault ? "DEFAULT" : String.join(",", chain.stream().map(RoleArn::toString).toList()),
        asDefault, command);
  }

  /** Redshift superusers always hold ASSUMEROLE (facts 4). */
  private static boolean superuser(Inspection in) {
    boolean flag = in.session.superuser() || declared(in).map(UserConfig::superuser).orElse(false);
    // a declared identity follows ALTER USER ... [NO]CREATEUSER (a reported one is asked again)
    if (in.session.origin() != Session.Origin.GIVEN) {
      return flag;
    }
    List<MembershipChange> changes = in.session.grants().memberships();
    return changes.isEmpty() ? flag : FollowedMemberships.superuser(flag, in.session.user(), changes);
  }

  /** The groups and roles {@link #holds} accepts grants to, by name: only their grants are read. */
  private static final AssumeRoleGrants.HeldNames<Inspection> HELD = new AssumeRoleGrants.HeldNames<>() {
    @Override
    public Set<String> groups(Inspection in) {
      return in.heldGroups(AssumeRoleCheck::groups);
    }

    @Override
    public Set<String> roles(Inspection in) {
      return in.heldRoles(AssumeRoleCheck::roles);
    }
  };

  private static boolean holds(AssumeRoleGrant.Grantee grantee, Inspection in) {
    switch (grantee.kind()) {
      case PUBLIC:
        return true;
      // exact: a grantee is named as Redshift keeps it (the registry's names folded as Redshift
      // folds unquoted ones, a GRANT's as the server read them), and so are the user, groups and roles
      case USER:
        return in.session.identityKnown() && grantee.name().equals(in.session.user());
      case GROUP:
        return in.heldGroups(AssumeRoleCheck::groups).contains(grantee.name());
      default:
        return in.heldRoles(AssumeRoleCheck::roles).contains(grantee.name());
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

  private static Set<String> groups(Inspection in) {
    if (!in.session.identityKnown()) {
      return Set.of();
    }
    Set<String> groups = new HashSet<>();
    // a reported identity's groups are the server's names, exact; a given one's are written by people
    boolean given = in.session.origin() == Session.Origin.GIVEN;
    in.session.effectiveGroups().forEach(g -> groups.add(given ? Names.folded(g) : g));
    declared(in).ifPresent(u -> u.groups().forEach(g -> groups.add(Names.folded(g))));
    // a reported identity is asked again after a change of its memberships (the session's are not recorded)
    return given ? FollowedMemberships.groups(groups, in.session.user(), in.session.grants().memberships()) : groups;
  }

  /** The roles held, with every role granted to them (the registry's db_roles, for a declared identity). */
  private static Set<String> roles(Inspection in) {
    if (!in.session.identityKnown()) {
      return Set.of();
    }
    List<String> roles = new ArrayList<>(in.session.effectiveRoles());
    if (in.session.origin() != Session.Origin.GIVEN) { // the server's memberships already hold the granted roles
      return Set.copyOf(roles);
    }
    declared(in).ifPresent(u -> roles.addAll(u.roles()));
    List<MembershipChange> changes = in.session.grants().memberships();
    return changes.isEmpty() ? in.registry.rolesHeldThrough(roles)
        : FollowedMemberships.roles(roles, in.session.user(), changes, in.registry);
  }

}
