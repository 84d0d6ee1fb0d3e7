package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.RoleArn;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * The ASSUMEROLE privileges in force for a session once the GRANT and REVOKE statements it ran are
 * applied over the registry's grants. Without a {@code grants} section the registry stands for
 * Redshift's starting point, where PUBLIC holds ASSUMEROLE on ALL for ALL (facts 4), so
 * {@code REVOKE ASSUMEROLE ON ALL FROM PUBLIC FOR ALL} starts enforcement as it does in Redshift.
 *
 * <p>A privilege is one target (ALL, DEFAULT or one exact chain) for one grantee and one command.
 * A REVOKE takes away what it names and never more: revoking from a user leaves what PUBLIC or the
 * user's groups hold. A REVOKE narrower than a privilege (one chain, or DEFAULT, out of ALL; one
 * command out of ALL) removes just that part, so the guard stays at least as strict as the
 * statement asked.
 */
public final class AssumeRoleGrants {
  private static final List<GrantConfig.Command> COMMANDS = List.of(GrantConfig.Command.COPY,
      GrantConfig.Command.UNLOAD, GrantConfig.Command.EXTERNAL_FUNCTION, GrantConfig.Command.CREATE_MODEL);
  private static final GrantConfig.Grantee PUBLIC = new GrantConfig.Grantee(GrantConfig.Grantee.Kind.PUBLIC, "PUBLIC");

  /** ASSUMEROLE on one target for one grantee and command; an ALL target may exclude chains and DEFAULT. */
  private record Privilege(GrantConfig.Scope scope, List<RoleArn> chain, GrantConfig.Grantee grantee,
      GrantConfig.Command command, Set<List<RoleArn>> excluded, boolean excludesDefault) {

    public boolean covers(List<RoleArn> used, boolean asDefault) {
      return switch (scope) {
        case ALL -> asDefault ? !excludesDefault : !excluded.contains(used);
        case DEFAULT -> asDefault;
        case CHAINS -> !asDefault && chain.equals(used);
      };
    }

    boolean unrestrictedPublic() {
      return scope == GrantConfig.Scope.ALL && grantee.kind() == GrantConfig.Grantee.Kind.PUBLIC
          && excluded.isEmpty() && !excludesDefault;
    }
  }

  private final List<Privilege> privileges;
  /**
   * Fewer privileges are read in order: hashing the chain costs more than reading a handful (the
   * sample registry's grants make 20), and the hot path of a small registry stays as it was.
   */
  private static final int INDEXED_FROM = 32;
  /** The registry's own privileges by command and chain, made once; null for a session's and a few (read in order). */
  private final Index index;

  private AssumeRoleGrants(List<Privilege> privileges, Index index) {
    this.privileges = privileges;
    this.index = index;
  }

  /**
   * The privileges for each command: those on one chain by that chain, the others (ALL, DEFAULT)
   * in a list. A registry of thousands of grants is then not read whole for each statement
   * (4,000 grants made each COPY cost 0.4 ms), only the few on the chain used and the broad ones.
   */
  private record Index(Map<GrantConfig.Command, List<Privilege>> broad,
      Map<GrantConfig.Command, Map<List<RoleArn>, List<Privilege>>> byChain) {
    static Index of(List<Privilege> privileges) {
      Map<GrantConfig.Command, List<Privilege>> broad = new EnumMap<>(GrantConfig.Command.class);
      Map<GrantConfig.Command, Map<List<RoleArn>, List<Privilege>>> byChain = new EnumMap<>(GrantConfig.Command.class);
      for (Privilege privilege : privileges) {
        if (privilege.scope() == GrantConfig.Scope.CHAINS) {
          byChain.computeIfAbsent(privilege.command(), c -> new HashMap<>())
              .computeIfAbsent(privilege.chain(), c -> new ArrayList<>()).add(privilege);
        } else {
          broad.computeIfAbsent(privilege.command(), c -> new ArrayList<>()).add(privilege);
        }
      }
      return new Index(broad, byChain);
    }

    <T> boolean covers(List<RoleArn> chain, boolean asDefault, GrantConfig.Command command,
        BiPredicate<GrantConfig.Grantee, T> holds, T caller) {
      if (anyHeld(broad.get(command), chain, asDefault, command, holds, caller)) {
        return true;
      }
      Map<List<RoleArn>, List<Privilege>> exact = asDefault ? null : byChain.get(command);
      return exact != null && anyHeld(exact.get(chain), chain, false, command, holds, caller);
    }
  }

  /** The same privileges read in order, without the index (tests compare both). */
  AssumeRoleGrants unindexed() {
    return new AssumeRoleGrants(privileges, null);
  }

  /** The same privileges looked up in the index, however few they are (tests compare both). */
  AssumeRoleGrants indexed() {
    return new AssumeRoleGrants(privileges, Index.of(privileges));
  }

  /** The privileges in force under {@code registry} once a session's grant {@code changes} are applied. */
  public static AssumeRoleGrants of(Registry registry, GrantChanges changes) {
    AssumeRoleGrants base = registry.assumeRoleGrants();
    if (changes.isEmpty()) {
      return base;
    }
    List<Privilege> privileges = new ArrayList<>(base.privileges);
    for (GrantChanges.Change change : changes.changes()) {
      if (change.grant()) {
        add(privileges, change.what());
      } else {
        revoke(privileges, change.what());
      }
    }
    return new AssumeRoleGrants(privileges, null);
  }

  /** The registry's own privileges: built once per registry ({@link Registry#assumeRoleGrants}). */
  static AssumeRoleGrants of(Registry registry) {
    List<Privilege> privileges = new ArrayList<>();
    if (registry.grantsEnforced()) {
      for (GrantConfig grant : registry.grants()) {
        add(privileges, grant);
      }
    } else {
      add(privileges, new GrantConfig(GrantConfig.Scope.ALL, List.of(), List.of(PUBLIC),
          Set.of(GrantConfig.Command.ALL), 0));
    }
    List<Privilege> own = List.copyOf(privileges);
    return new AssumeRoleGrants(own, own.size() < INDEXED_FROM ? null : Index.of(own));
  }

  /**
   * True when some user lacks ASSUMEROLE somewhere: PUBLIC does not hold ALL for every command
   * (a {@code grants} section, or a REVOKE from PUBLIC).
   */
  public boolean enforced() {
    for (GrantConfig.Command command : COMMANDS) {
      if (privileges.stream().noneMatch(p -> p.command() == command && p.unrestrictedPublic())) {
        return true;
      }
    }
    return false;
  }

  /** Whether a privilege for {@code command} on the chain as used is held by a grantee {@code holds} accepts. */
  public boolean covers(List<RoleArn> chain, boolean asDefault, GrantConfig.Command command,
      Predicate<GrantConfig.Grantee> holds) {
    return covers(chain, asDefault, command, (grantee, test) -> test.test(grantee), holds);
  }

  /**
   * Whether a privilege for {@code command} on the chain as used is held by a grantee {@code holds}
   * accepts for {@code caller} (passed along, so that a caller need not capture it in a lambda).
   */
  public <T> boolean covers(List<RoleArn> chain, boolean asDefault, GrantConfig.Command command,
      BiPredicate<GrantConfig.Grantee, T> holds, T caller) {
    return index != null ? index.covers(chain, asDefault, command, holds, caller)
        : anyHeld(privileges, chain, asDefault, command, holds, caller);
  }

  /** Whether one of {@code privileges} (null: none) for {@code command} covers the chain and is held. */
  private static <T> boolean anyHeld(List<Privilege> privileges, List<RoleArn> chain, boolean asDefault,
      GrantConfig.Command command, BiPredicate<GrantConfig.Grantee, T> holds, T caller) {
    if (privileges == null) {
      return false;
    }
    for (int at = 0; at < privileges.size(); at++) { // no iterator: this runs for every statement
      Privilege privilege = privileges.get(at);
      if (privilege.command() == command && privilege.covers(chain, asDefault)
          && holds.test(privilege.grantee(), caller)) {
        return true;
      }
    }
    return false;
  }

  private static void add(List<Privilege> privileges, GrantConfig grant) {
    for (GrantConfig.Command command : commands(grant)) {
      for (GrantConfig.Grantee grantee : grant.grantees()) {
        if (grant.scope() == GrantConfig.Scope.CHAINS) {
          for (List<RoleArn> chain : grant.chains()) {
            privileges.add(new Privilege(grant.scope(), chain, grantee, command, Set.of(), false));
          }
        } else {
          privileges.add(new Privilege(grant.scope(), List.of(), grantee, command, Set.of(), false));
        }
      }
    }
  }

  private static void revoke(List<Privilege> privileges, GrantConfig revoke) {
    List<GrantConfig.Command> commands = commands(revoke);
    for (int i = privileges.size() - 1; i >= 0; i--) {
      Privilege p = privileges.get(i);
      if (!commands.contains(p.command()) || revoke.grantees().stream().noneMatch(g -> same(g, p.grantee()))) {
        continue;
      }
      switch (revoke.scope()) {
        case ALL -> privileges.remove(i);
        case DEFAULT -> {
          if (p.scope() == GrantConfig.Scope.DEFAULT) {
            privileges.remove(i);
          } else if (p.scope() == GrantConfig.Scope.ALL) {
            privileges.set(i, new Privilege(p.scope(), p.chain(), p.grantee(), p.command(), p.excluded(), true));
          }
        }
        case CHAINS -> {
          if (p.scope() == GrantConfig.Scope.CHAINS && revoke.chains().contains(p.chain())) {
            privileges.remove(i);
          } else if (p.scope() == GrantConfig.Scope.ALL) {
            Set<List<RoleArn>> excluded = new HashSet<>(p.excluded());
            excluded.addAll(revoke.chains());
            privileges.set(i, new Privilege(p.scope(), p.chain(), p.grantee(), p.command(), Set.copyOf(excluded),
                p.excludesDefault()));
          }
        }
      }
    }
  }

  private static List<GrantConfig.Command> commands(GrantConfig grant) {
    return grant.commands().contains(GrantConfig.Command.ALL) ? COMMANDS
        : COMMANDS.stream().filter(grant.commands()::contains).toList();
  }

  private static boolean same(GrantConfig.Grantee a, GrantConfig.Grantee b) {
    return a.kind() == b.kind() && (a.kind() == GrantConfig.Grantee.Kind.PUBLIC || a.name().equalsIgnoreCase(b.name()));
  }
}
