package dev.iamguard.policy.registry;

import dev.iamguard.sql.AssumeRoleGrant;
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
  private static final AssumeRoleGrant.Grantee PUBLIC = new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.PUBLIC, "PUBLIC");

  /** ASSUMEROLE on one target for one grantee and command; an ALL target may exclude chains and DEFAULT. */
  private record Privilege(GrantConfig.Scope scope, List<RoleArn> chain, AssumeRoleGrant.Grantee grantee,
      GrantConfig.Command command, Set<List<RoleArn>> excluded, boolean excludesDefault) {

    public boolean covers(List<RoleArn> used, boolean asDefault) {
      return switch (scope) {
        case ALL -> asDefault ? !excludesDefault : !excluded.contains(used);
        case DEFAULT -> asDefault;
        case CHAINS -> !asDefault && chain.equals(used);
      };
    }

    boolean unrestrictedPublic() {
      return scope == GrantConfig.Scope.ALL && grantee.kind() == AssumeRoleGrant.Grantee.Kind.PUBLIC
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
   * A session's GRANTs and REVOKEs are kept on top of the privileges before them, read in order, up
   * to this many steps (a privilege granted or a REVOKE); then they are applied and all privileges
   * made one list again. So a GRANT or REVOKE copies at most this many steps, and every 256th all
   * the privileges, not every privilege each time (40,000 GRANT-then-COPY pairs: 7 s, not minutes;
   * 20,000 REVOKE-then-COPY pairs after 20,000 GRANTs: 12.7 s when each REVOKE copied them all).
   */
  private static final int ON_TOP = 256;

  /**
   * One step kept on top: a privilege {@code granted}, or a REVOKE ({@code revoked}) read as it is
   * looked up: it takes from the privileges before it what {@link #strips} says.
   */
  private record Step(Privilege granted, GrantConfig revoked) {}

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
        BiPredicate<AssumeRoleGrant.Grantee, T> holds, T caller, String user, HeldNames<T> held) {
      Index byChain = index;
      if (byChain == null && indexWhenUsed && privileges.size() >= INDEXED_FROM && ++lookups > INDEXED_AFTER_LOOKUPS) {
        byChain = Index.of(privileges);
        index = byChain;
      }
      return byChain != null ? byChain.covers(chain, asDefault, command, holds, caller, user, held)
          : anyHeld(privileges, chain, asDefault, command, holds, caller);
    }
  }

  private final Flat flat;
  /** What a session granted and revoked since {@link #flat} was made, oldest first, at most {@link #ON_TOP}. */
  private final List<Step> onTop;

  private AssumeRoleGrants(Flat flat, List<Step> onTop) {
    this.flat = flat;
    this.onTop = onTop;
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
                .computeIfAbsent(privilege.chain(), c -> new Holders())
            : broad.computeIfAbsent(privilege.command(), c -> new Holders());
        holders.add(privilege);
      }
      return new Index(broad, byChain);
    }

    <T> boolean covers(List<RoleArn> chain, boolean asDefault, GrantConfig.Command command,
        BiPredicate<AssumeRoleGrant.Grantee, T> holds, T caller, String user, HeldNames<T> held) {
      Holders wide = broad.get(command);
      if (wide != null && wide.anyHeld(chain, asDefault, command, holds, caller, user, held)) {
        return true;
      }
      Map<List<RoleArn>, Holders> exact = asDefault ? null : byChain.get(command);
      Holders onChain = exact == null ? null : exact.get(chain);
      return onChain != null && onChain.anyHeld(chain, false, command, holds, caller, user, held);
    }
  }

  /** Up to this many groups (or roles) granted to, their grants are read without asking for the names held. */
  private static final int NAMES_READ_IN_ORDER = 8;

  /**
   * Privileges to users by the user's name ({@link #key}), to groups and to Redshift roles by their
   * exact names, to PUBLIC in a list. A caller that says which groups and roles it holds
   * ({@link HeldNames}) has only theirs read: thousands of grants to groups the user is not in cost
   * every statement time linear in them (4,000: 6.5 ms a COPY), and {@code access} the users times
   * the grants.
   */
  private record Holders(List<Privilege> toPublic, Map<String, List<Privilege>> users,
      Map<String, List<Privilege>> groups, Map<String, List<Privilege>> roles) {
    Holders() {
      this(new ArrayList<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
    }

    void add(Privilege privilege) {
      AssumeRoleGrant.Grantee grantee = privilege.grantee();
      switch (grantee.kind()) {
        case USER -> users.computeIfAbsent(key(grantee.name()), k -> new ArrayList<>()).add(privilege);
        case GROUP -> groups.computeIfAbsent(grantee.name(), k -> new ArrayList<>()).add(privilege);
        case ROLE -> roles.computeIfAbsent(grantee.name(), k -> new ArrayList<>()).add(privilege);
        default -> toPublic.add(privilege);
      }
    }

    <T> boolean anyHeld(List<RoleArn> chain, boolean asDefault, GrantConfig.Command command,
        BiPredicate<AssumeRoleGrant.Grantee, T> holds, T caller, String user, HeldNames<T> held) {
      if (AssumeRoleGrants.anyHeld(toPublic, chain, asDefault, command, holds, caller)) {
        return true;
      }
      // the names held are asked for only where many names are granted to: working them out costs
      // more than reading a few grants, most of which the command or chain already passes by
      if (!groups.isEmpty() && anyHeldBy(groups, held == null || groups.size() <= NAMES_READ_IN_ORDER ? null
          : held.groups(caller), chain, asDefault, command, holds, caller)) {
        return true;
      }
      if (!roles.isEmpty() && anyHeldBy(roles, held == null || roles.size() <= NAMES_READ_IN_ORDER ? null
          : held.roles(caller), chain, asDefault, command, holds, caller)) {
        return true;
      }
      if (user != ANY_USER) {
        return user != null
            && AssumeRoleGrants.anyHeld(users.get(key(user)), chain, asDefault, command, holds, caller);
      }
      return anyHeldBy(users, null, chain, asDefault, command, holds, caller);
    }

    /**
     * Whether a privilege of {@code byName} is held: those of the {@code names} held only (null: every
     * name's), or all of them when there are fewer names granted to than held.
     */
    private static <T> boolean anyHeldBy(Map<String, List<Privilege>> byName, Set<String> names, List<RoleArn> chain,
        boolean asDefault, GrantConfig.Command command, BiPredicate<AssumeRoleGrant.Grantee, T> holds, T caller) {
      if (names != null && names.size() < byName.size()) {
        for (String name : names) {
          if (AssumeRoleGrants.anyHeld(byName.get(name), chain, asDefault, command, holds, caller)) {
            return true;
          }
        }
        return false;
      }
      for (List<Privilege> toOne : byName.values()) {
        if (AssumeRoleGrants.anyHeld(toOne, chain, asDefault, command, holds, caller)) {
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

  /** Every privilege, in order, with the steps on top applied. */
  private List<Privilege> privileges() {
    return onTop.isEmpty() ? flat.privileges : applied(flat.privileges, onTop);
  }

  /**
   * {@code privileges} with {@code steps} applied in order, in a list of its own. Each privilege
   * meets only the REVOKEs after it that name its grantee, found by the grantee's {@link #key}: a
   * REVOKE is not read against every privilege (the REVOKEs of 40,000 grantees, one at a time, each
   * read all 40,000 privileges before).
   */
  private static List<Privilege> applied(List<Privilege> privileges, List<Step> steps) {
    Map<String, List<Integer>> revokes = new HashMap<>(); // grantee's key -> the steps revoking from it, in order
    for (int at = 0; at < steps.size(); at++) {
      GrantConfig revoke = steps.get(at).revoked();
      if (revoke != null) {
        for (AssumeRoleGrant.Grantee grantee : revoke.grantees()) {
          List<Integer> from = revokes.computeIfAbsent(key(grantee), k -> new ArrayList<>());
          if (from.isEmpty() || from.get(from.size() - 1) != at) { // a grantee named twice: once is enough
            from.add(at);
          }
        }
      }
    }
    List<Privilege> all = new ArrayList<>(privileges.size() + steps.size());
    for (Privilege privilege : privileges) {
      addUnlessRevoked(all, privilege, -1, steps, revokes);
    }
    for (int at = 0; at < steps.size(); at++) {
      Privilege granted = steps.get(at).granted();
      if (granted != null) {
        addUnlessRevoked(all, granted, at, steps, revokes);
      }
    }
    return all;
  }

  /** Adds {@code privilege} as the REVOKEs among {@code steps} after step {@code after} leave it, if they leave it. */
  private static void addUnlessRevoked(List<Privilege> all, Privilege privilege, int after, List<Step> steps,
      Map<String, List<Integer>> revokes) {
    List<Integer> from = revokes.isEmpty() ? null : revokes.get(key(privilege.grantee()));
    Privilege left = privilege;
    for (int i = 0; from != null && i < from.size() && left != null; i++) {
      if (from.get(i) > after) {
        left = afterRevoke(left, steps.get(from.get(i)).revoked());
      }
    }
    if (left != null) {
      all.add(left);
    }
  }

  /** A grantee's kind and name with its case folded: grantees a REVOKE names as {@link #same} share it. */
  private static String key(AssumeRoleGrant.Grantee grantee) {
    return grantee.kind() == AssumeRoleGrant.Grantee.Kind.PUBLIC ? "PUBLIC"
        : grantee.kind().name() + ':' + Holders.key(grantee.name());
  }

  /** The number of privileges (tests). */
  int size() {
    return privileges().size();
  }

  /** The number of REVOKEs kept on top, read as privileges are looked up (tests). */
  int revokesOnTop() {
    return (int) onTop.stream().filter(step -> step.revoked() != null).count();
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
    if (change.member() != null) {
      return this; // who holds a group or role, not what it holds (read by the checks)
    }
    List<Step> more = new ArrayList<>(onTop);
    if (change.grant()) {
      List<Privilege> granted = new ArrayList<>();
      add(granted, change.what());
      for (Privilege privilege : granted) {
        more.add(new Step(privilege, null));
      }
    } else {
      more.add(new Step(null, change.what()));
    }
    if (more.size() <= ON_TOP) {
      return new AssumeRoleGrants(flat, List.copyOf(more));
    }
    return new AssumeRoleGrants(applied(flat.privileges, more), null, true);
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
      if (!unrestrictedToPublic(command)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether PUBLIC holds ALL for {@code command} without exceptions: a privilege says so and no
   * REVOKE from PUBLIC for that command came after it (any REVOKE takes something from it).
   */
  private boolean unrestrictedToPublic(GrantConfig.Command command) {
    for (int at = onTop.size() - 1; at >= 0; at--) {
      Step step = onTop.get(at);
      if (step.revoked() != null) {
        if (commands(step.revoked()).contains(command) && named(step.revoked().grantees(), PUBLIC)) {
          return false;
        }
      } else if (step.granted().command() == command && step.granted().unrestrictedPublic()) {
        return true;
      }
    }
    return flat.privileges.stream().anyMatch(p -> p.command() == command && p.unrestrictedPublic());
  }

  /** Whether a privilege for {@code command} on the chain as used is held by a grantee {@code holds} accepts. */
  public boolean covers(List<RoleArn> chain, boolean asDefault, GrantConfig.Command command,
      Predicate<AssumeRoleGrant.Grantee> holds) {
    return covers(chain, asDefault, command, (grantee, test) -> test.test(grantee), holds);
  }

  /**
   * Whether a privilege for {@code command} on the chain as used is held by a grantee {@code holds}
   * accepts for {@code caller} (passed along, so that a caller need not capture it in a lambda).
   */
  public <T> boolean covers(List<RoleArn> chain, boolean asDefault, GrantConfig.Command command,
      BiPredicate<AssumeRoleGrant.Grantee, T> holds, T caller) {
    return covers(chain, asDefault, command, holds, caller, ANY_USER);
  }

  /**
   * As {@link #covers(List, boolean, GrantConfig.Command, BiPredicate, Object)} when {@code holds}
   * accepts a grant to a user only for {@code user} (in any case; null: for no user), so the grants to
   * other users need not be asked about.
   */
  public <T> boolean covers(List<RoleArn> chain, boolean asDefault, GrantConfig.Command command,
      BiPredicate<AssumeRoleGrant.Grantee, T> holds, T caller, String user) {
    return covers(chain, asDefault, command, holds, caller, user, null);
  }

  /**
   * The names of the groups and Redshift roles a caller holds, for a lookup among many grants: the
   * {@code holds} given with it must accept a grant to a group or role only when its exact name is
   * among them.
   *
   * @param <T> the caller
   */
  public interface HeldNames<T> {
    /** The exact names of the groups {@code caller} is in. */
    Set<String> groups(T caller);

    /** The exact names of the Redshift roles {@code caller} holds, with those granted to them. */
    Set<String> roles(T caller);
  }

  /**
   * As {@link #covers(List, boolean, GrantConfig.Command, BiPredicate, Object, String)}, with the
   * groups and roles {@code holds} accepts named by {@code held} (null: not named), so that only
   * their grants are read.
   */
  public <T> boolean covers(List<RoleArn> chain, boolean asDefault, GrantConfig.Command command,
      BiPredicate<AssumeRoleGrant.Grantee, T> holds, T caller, String user, HeldNames<T> held) {
    if (onTop.isEmpty()) {
      return flat.covers(chain, asDefault, command, holds, caller, user, held);
    }
    List<GrantConfig> stripping = null; // the REVOKEs read so far (newest first) that take this use from their grantees
    for (int at = onTop.size() - 1; at >= 0; at--) {
      Step step = onTop.get(at);
      if (step.revoked() != null) {
        if (strips(step.revoked(), chain, asDefault, command)) {
          stripping = stripping == null ? new ArrayList<>() : stripping;
          stripping.add(step.revoked());
        }
      } else if (step.granted().command() == command && step.granted().covers(chain, asDefault)
          && holds.test(step.granted().grantee(), caller) && !strippedFrom(stripping, step.granted().grantee())) {
        return true;
      }
    }
    if (stripping == null) {
      return flat.covers(chain, asDefault, command, holds, caller, user, held);
    }
    List<GrantConfig> revokes = stripping;
    // whether the grantee holds it first: most privileges read are another grantee's, and the REVOKEs are many
    return flat.covers(chain, asDefault, command,
        (grantee, c) -> holds.test(grantee, c) && !strippedFrom(revokes, grantee), caller, user, held);
  }

  /**
   * Whether {@code revoke}, applied to a privilege for {@code command} of one of its grantees that
   * covered the chain as used, leaves it not covering it: as {@link #afterRevoke} changes it (ALL
   * removes the privilege, DEFAULT removes a DEFAULT one or excludes DEFAULT from ALL, chains remove
   * a privilege on one of them or exclude them from ALL).
   */
  private static boolean strips(GrantConfig revoke, List<RoleArn> chain, boolean asDefault, GrantConfig.Command command) {
    if (!commands(revoke).contains(command)) {
      return false;
    }
    return switch (revoke.scope()) {
      case ALL -> true;
      case DEFAULT -> asDefault;
      case CHAINS -> !asDefault && revoke.chains().contains(chain);
    };
  }

  /** Whether one of {@code revokes} (null: none) names {@code grantee}. */
  private static boolean strippedFrom(List<GrantConfig> revokes, AssumeRoleGrant.Grantee grantee) {
    if (revokes == null) {
      return false;
    }
    for (int at = 0; at < revokes.size(); at++) {
      if (named(revokes.get(at).grantees(), grantee)) {
        return true;
      }
    }
    return false;
  }

  /** Whether one of {@code privileges} (null: none) for {@code command} covers the chain and is held. */
  private static <T> boolean anyHeld(List<Privilege> privileges, List<RoleArn> chain, boolean asDefault,
      GrantConfig.Command command, BiPredicate<AssumeRoleGrant.Grantee, T> holds, T caller) {
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
      for (AssumeRoleGrant.Grantee grantee : grant.grantees()) {
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

  /**
   * {@code privilege} once {@code revoke} is applied: itself when the REVOKE names another grantee or
   * command, a narrower privilege (ALL without DEFAULT or without the chains revoked), or null when
   * it takes all of it.
   */
  private static Privilege afterRevoke(Privilege privilege, GrantConfig revoke) {
    if (!commands(revoke).contains(privilege.command()) || !named(revoke.grantees(), privilege.grantee())) {
      return privilege;
    }
    Privilege p = privilege;
    return switch (revoke.scope()) {
      case ALL -> null;
      case DEFAULT -> p.scope() == GrantConfig.Scope.DEFAULT ? null
          : p.scope() == GrantConfig.Scope.ALL
              ? new Privilege(p.scope(), p.chain(), p.grantee(), p.command(), p.excluded(), true) : p;
      case CHAINS -> {
        if (p.scope() == GrantConfig.Scope.CHAINS) {
          yield revoke.chains().contains(p.chain()) ? null : p;
        }
        if (p.scope() == GrantConfig.Scope.ALL) {
          Set<List<RoleArn>> excluded = new HashSet<>(p.excluded());
          excluded.addAll(revoke.chains());
          yield new Privilege(p.scope(), p.chain(), p.grantee(), p.command(), Set.copyOf(excluded),
              p.excludesDefault());
        }
        yield p;
      }
    };
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
  private static boolean named(List<AssumeRoleGrant.Grantee> grantees, AssumeRoleGrant.Grantee grantee) {
    for (int i = 0; i < grantees.size(); i++) {
      if (same(grantees.get(i), grantee)) {
        return true;
      }
    }
    return false;
  }

  private static boolean same(AssumeRoleGrant.Grantee a, AssumeRoleGrant.Grantee b) {
    return a.kind() == b.kind() && (a.kind() == AssumeRoleGrant.Grantee.Kind.PUBLIC || a.name().equalsIgnoreCase(b.name()));
  }
}
