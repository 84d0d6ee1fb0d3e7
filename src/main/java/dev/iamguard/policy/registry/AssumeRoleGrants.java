package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.RoleArn;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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

  /**
   * Fewer privileges are read in order: hashing the chain costs more than reading a handful (the
   * sample registry's grants make 20), and the hot path of a small registry stays as it was.
   */
  private static final int INDEXED_FROM = 32;
  /**
   * A session's privileges are indexed after this many lookups: privileges that one statement reads
   * and the next REVOKE replaces are not worth hashing, those that many statements read are.
   */
  private static final int INDEXED_AFTER_LOOKUPS = 16;
  /**
   * A session's GRANTs are kept on top of the privileges before them, read in order, up to this
   * many privileges; then all are made one list again. So a GRANT copies at most this many, and
   * every 256th all of them, not every privilege each time (40,000 GRANT-then-COPY pairs: 7 s, not
   * minutes).
   */
  private static final int GRANTED_ON_TOP = 256;

  /** Privileges read as one list: in order, or by an index once there are many. */
  private static final class Flat {
    final List<Privilege> privileges;
    /** The privileges by command, chain and grantee; null while they are read in order. */
    private volatile Index index;
    /** Whether the index is made once the privileges were looked up often enough (a session's). */
    private final boolean indexWhenUsed;
    /** Lookups so far, while {@link #indexWhenUsed} and not indexed; racy and approximate, which is enough. */
    private int lookups;

    Flat(List<Privilege> privileges, Index index, boolean indexWhenUsed) {
      this.privileges = privileges;
      this.index = index;
      this.indexWhenUsed = indexWhenUsed;
    }

    <T> boolean covers(List<RoleArn> chain, boolean asDefault, GrantConfig.Command command,
        BiPredicate<GrantConfig.Grantee, T> holds, T caller, String user) {
      Index byChain = index;
      if (byChain == null && indexWhenUsed && privileges.size() >= INDEXED_FROM && ++lookups > INDEXED_AFTER_LOOKUPS) {
        byChain = Index.of(privileges);
        index = byChain;
      }
      return byChain != null ? byChain.covers(chain, asDefault, command, holds, caller, user)
          : anyHeld(privileges, chain, asDefault, command, holds, caller);
    }
  }

  private final Flat flat;
  /** Privileges a session granted since {@link #flat} was made, at most {@link #GRANTED_ON_TOP}; read in order. */
  private final List<Privilege> granted;

  private AssumeRoleGrants(Flat flat, List<Privilege> granted) {
    this.flat = flat;
    this.granted = granted;
  }

  private AssumeRoleGrants(List<Privilege> privileges, Index index, boolean indexWhenUsed) {
    this(new Flat(privileges, index, indexWhenUsed), List.of());
  }

  /**
   * The privileges for each command: those on one chain by that chain, the others (ALL, DEFAULT)
   * apart, and each of these by grantee. A registry of thousands of grants is then not read whole
   * for each statement (4,000 grants made each COPY cost 0.4 ms), nor a chain granted to thousands
   * of users for each user denied it: only the broad ones, those on the chain used to groups, roles
   * and PUBLIC, and those to the user.
   */
  private record Index(Map<GrantConfig.Command, Holders> broad,
      Map<GrantConfig.Command, Map<List<RoleArn>, Holders>> byChain) {
    static Index of(List<Privilege> privileges) {
      Map<GrantConfig.Command, Holders> broad = new EnumMap<>(GrantConfig.Command.class);
      Map<GrantConfig.Command, Map<List<RoleArn>, Holders>> byChain = new EnumMap<>(GrantConfig.Command.class);
      for (Privilege privilege : privileges) {
        Holders holders = privilege.scope() == GrantConfig.Scope.CHAINS
            ? byChain.computeIfAbsent(privilege.command(), c -> new HashMap<>())
                .computeIfAbsent(privilege.chain(), c -> new Holders(new ArrayList<>(), new HashMap<>()))
            : broad.computeIfAbsent(privilege.command(), c -> new Holders(new ArrayList<>(), new HashMap<>()));
        holders.add(privilege);
      }
      return new Index(broad, byChain);
    }

    <T> boolean covers(List<RoleArn> chain, boolean asDefault, GrantConfig.Command command,
        BiPredicate<GrantConfig.Grantee, T> holds, T caller, String user) {
      Holders wide = broad.get(command);
      if (wide != null && wide.anyHeld(chain, asDefault, command, holds, caller, user)) {
        return true;
      }
      Map<List<RoleArn>, Holders> exact = asDefault ? null : byChain.get(command);
      Holders onChain = exact == null ? null : exact.get(chain);
      return onChain != null && onChain.anyHeld(chain, false, command, holds, caller, user);
    }
  }

  /** Privileges to users by the user's name ({@link #key}), the others (PUBLIC, groups, roles) in a list. */
  private record Holders(List<Privilege> others, Map<String, List<Privilege>> users) {
    void add(Privilege privilege) {
      GrantConfig.Grantee grantee = privilege.grantee();
      if (grantee.kind() == GrantConfig.Grantee.Kind.USER) {
        users.computeIfAbsent(key(grantee.name()), k -> new ArrayList<>()).add(privilege);
      } else {
        others.add(privilege);
      }
    }

    <T> boolean anyHeld(List<RoleArn> chain, boolean asDefault, GrantConfig.Command command,
        BiPredicate<GrantConfig.Grantee, T> holds, T caller, String user) {
      if (AssumeRoleGrants.anyHeld(others, chain, asDefault, command, holds, caller)) {
        return true;
      }
      if (user != ANY_USER) {
        return user != null
            && AssumeRoleGrants.anyHeld(users.get(key(user)), chain, asDefault, command, holds, caller);
      }
      for (List<Privilege> toOneUser : users.values()) {
        if (AssumeRoleGrants.anyHeld(toOneUser, chain, asDefault, command, holds, caller)) {
          return true;
        }
      }
      return false;
    }

    /**
     * A user's name with its case folded by code point: names that {@link String#equalsIgnoreCase}
     * finds equal get the same key (the holder test still decides on each privilege found).
     */
    static String key(String name) {
      for (int i = 0; i < name.length(); i++) {
        if (name.charAt(i) >= 0x80) {
          StringBuilder folded = new StringBuilder(name.length());
          name.codePoints().forEach(c -> folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
          return folded.toString();
        }
      }
      return name.toLowerCase(Locale.ROOT); // ASCII: the same fold, and no copy of a name already in lower case
    }
  }

  /** For {@link #covers(List, boolean, GrantConfig.Command, BiPredicate, Object, String)}: any user's grants may be held. */
  private static final String ANY_USER = new String("any user");

  /** Every privilege, in order. */
  private List<Privilege> privileges() {
    return granted.isEmpty() ? flat.privileges : copyOfAll();
  }

  /** Every privilege, in order, in a list of its own. */
  private List<Privilege> copyOfAll() {
    List<Privilege> all = new ArrayList<>(flat.privileges.size() + granted.size());
    all.addAll(flat.privileges);
    all.addAll(granted);
    return all;
  }

  /** The number of privileges (tests). */
  int size() {
    return flat.privileges.size() + granted.size();
  }

  /** The same privileges read in order, without the index (tests compare both). */
  AssumeRoleGrants unindexed() {
    return new AssumeRoleGrants(privileges(), null, false);
  }

  /** The same privileges looked up in the index, however few they are (tests compare both). */
  AssumeRoleGrants indexed() {
    List<Privilege> all = privileges();
    return new AssumeRoleGrants(all, Index.of(all), false);
  }

  /** The privileges in force under {@code registry} once a session's grant {@code changes} are applied. */
  public static AssumeRoleGrants of(Registry registry, GrantChanges changes) {
    AssumeRoleGrants base = registry.assumeRoleGrants();
    if (changes.isEmpty()) {
      return base;
    }
    AssumeRoleGrants known = changes.appliedOver(registry);
    if (known != null) {
      return known; // every statement after a GRANT until the next one: worked out once
    }
    // the changes since the newest earlier state whose privileges are known (usually the one before)
    List<GrantChanges.Change> since = new ArrayList<>(); // newest first
    GrantChanges from = changes;
    AssumeRoleGrants applied = base;
    while (!from.isEmpty()) {
      AssumeRoleGrants earlier = from.appliedOver(registry);
      if (earlier != null) {
        applied = earlier;
        break;
      }
      since.add(from.last());
      from = from.before();
    }
    boolean fromEarlier = applied != base;
    for (int i = since.size() - 1; i >= 0; i--) {
      applied = applied.with(since.get(i));
    }
    changes.keep(registry, applied);
    if (fromEarlier) {
      from.forget();
    }
    return applied;
  }

  /** These privileges once {@code change} is applied. */
  private AssumeRoleGrants with(GrantChanges.Change change) {
    if (change.grant()) {
      List<Privilege> more = new ArrayList<>(granted);
      add(more, change.what());
      if (more.size() <= GRANTED_ON_TOP) {
        return new AssumeRoleGrants(flat, List.copyOf(more));
      }
      List<Privilege> all = new ArrayList<>(flat.privileges.size() + more.size());
      all.addAll(flat.privileges);
      all.addAll(more);
      return new AssumeRoleGrants(all, null, true);
    }
    List<Privilege> all = copyOfAll();
    revoke(all, change.what());
    return new AssumeRoleGrants(all, null, true);
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
    return new AssumeRoleGrants(own, own.size() < INDEXED_FROM ? null : Index.of(own), false);
  }

  /**
   * True when some user lacks ASSUMEROLE somewhere: PUBLIC does not hold ALL for every command
   * (a {@code grants} section, or a REVOKE from PUBLIC).
   */
  public boolean enforced() {
    for (GrantConfig.Command command : COMMANDS) {
      if (flat.privileges.stream().noneMatch(p -> p.command() == command && p.unrestrictedPublic())
          && granted.stream().noneMatch(p -> p.command() == command && p.unrestrictedPublic())) {
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
    return covers(chain, asDefault, command, holds, caller, ANY_USER);
  }

  /**
   * As {@link #covers(List, boolean, GrantConfig.Command, BiPredicate, Object)} when {@code holds}
   * accepts a grant to a user only for {@code user} (in any case; null: for no user), so the grants to
   * other users need not be asked about.
   */
  public <T> boolean covers(List<RoleArn> chain, boolean asDefault, GrantConfig.Command command,
      BiPredicate<GrantConfig.Grantee, T> holds, T caller, String user) {
    return flat.covers(chain, asDefault, command, holds, caller, user)
        || anyHeld(granted, chain, asDefault, command, holds, caller);
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
      if (!commands.contains(p.command()) || !named(revoke.grantees(), p.grantee())) {
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
    if (grant.commands().contains(GrantConfig.Command.ALL)) {
      return COMMANDS;
    }
    List<GrantConfig.Command> named = new ArrayList<>(COMMANDS.size());
    for (GrantConfig.Command command : COMMANDS) {
      if (grant.commands().contains(command)) {
        named.add(command);
      }
    }
    return named;
  }

  /** Whether {@code grantee} is one of {@code grantees} (a loop: this runs for every privilege a REVOKE reads). */
  private static boolean named(List<GrantConfig.Grantee> grantees, GrantConfig.Grantee grantee) {
    for (int i = 0; i < grantees.size(); i++) {
      if (same(grantees.get(i), grantee)) {
        return true;
      }
    }
    return false;
  }

  private static boolean same(GrantConfig.Grantee a, GrantConfig.Grantee b) {
    return a.kind() == b.kind() && (a.kind() == GrantConfig.Grantee.Kind.PUBLIC || a.name().equalsIgnoreCase(b.name()));
  }
}
