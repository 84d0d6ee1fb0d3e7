package dev.iamguard.policy.access;

import dev.iamguard.sql.AssumeRoleGrant;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.iam.TrustRequest;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.GrantConfig;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.policy.registry.UserConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The access a registry grants: for each cluster and each database user, group or role the
 * registry names (and any other user), the roles and chains the guard lets them use, and for each
 * command what those reach (S3 locations read or written, Lambda functions, Glue databases).
 *
 * <p>Nothing here decides: every line is a statement the {@link Guard} was asked about and
 * allowed. The roles and chains are found by asking about each attached role, then each of those
 * followed by any role of the registry, and so on up to {@code policy.max_chain} (at most 10,000
 * chains per cluster and principal; {@link #cuts} says where the search stopped); the resources by
 * asking about what each last role's entry names, what its Denies, NotResources, conditions and
 * boundary name, and where those meet ({@link Candidates}); a resource is listed whole only when
 * the guard refuses none of those under it. So the table holds only what the guard allows; what it
 * could miss is access at names no document spells (an exact {@code s3:prefix} condition's
 * subfolders).
 */
public final class AccessReport {
  /**
   * Chains asked about at most, per cluster and principal. Roles that may all assume one another (an
   * account whose roles hold sts:AssumeRole on {@code role/*} and trust the account) make K!/(K-L)!
   * chains of L roles: listing them all never ended (8 such roles: 5 s; 1,000: 6 GB and no end after
   * a minute). Past this many the search stops and says so ({@link Cut}); it goes breadth first, so
   * the shorter chains are all listed.
   */
  static final int CHAINS_ASKED = 10_000;

  /**
   * Where the chain search stopped for one principal on one cluster: after {@code chainsAsked}
   * chains, every chain of up to {@code completeUpTo} roles among them (longer ones only in part).
   */
  public record Cut(String cluster, Principal principal, int chainsAsked, int completeUpTo) {}

  private final Registry registry;
  private final List<Principal> principals;
  private final List<UsablePath> paths;
  private final List<AccessEntry> entries;
  private final List<Cut> cuts;

  private AccessReport(Registry registry, List<Principal> principals, List<UsablePath> paths, List<AccessEntry> entries,
      List<Cut> cuts) {
    this.registry = registry;
    this.principals = List.copyOf(principals);
    this.paths = List.copyOf(paths);
    this.entries = List.copyOf(entries);
    this.cuts = List.copyOf(cuts);
  }

  /** The access {@code registry} grants to the principals it names and to any other user. */
  public static AccessReport of(Registry registry) {
    return of(registry, List.of());
  }

  /** Also for {@code extra} principals (another registry's, when two are compared). */
  public static AccessReport of(Registry registry, Collection<Principal> extra) {
    return of(registry, extra, false);
  }

  /** As {@link #of(Registry, Collection)}; {@code everyNextRole} asks about every role after each usable path (tests compare). */
  static AccessReport of(Registry registry, Collection<Principal> extra, boolean everyNextRole) {
    return of(registry, extra, everyNextRole, CHAINS_ASKED);
  }

  /**
   * The report {@link RegistryValidator} needs, which holds less than {@link #of(Registry)}: one
   * usable path per role sequence (not one per cluster and principal), and only the entries that
   * grant a whole bucket ({@link #wholeBucket}). The full table holds an entry per principal, role
   * and location: a registry of 200 roles and 4,000 users in groups (145 KB) took 1.5 GB.
   */
  public static AccessReport forValidation(Registry registry) {
    return of(registry, List.of(), false, CHAINS_ASKED, new ValidationRows());
  }

  /** As {@link #of(Registry, Collection, boolean)}, asking about at most {@code chainsAsked} chains per cluster and principal. */
  static AccessReport of(Registry registry, Collection<Principal> extra, boolean everyNextRole, int chainsAsked) {
    return of(registry, extra, everyNextRole, chainsAsked, new Rows());
  }

  private static AccessReport of(Registry registry, Collection<Principal> extra, boolean everyNextRole, int chainsAsked,
      Rows rows) {
    Set<Principal> asked = new TreeSet<>(principals(registry));
    asked.addAll(extra);
    Asking asking = new Asking(registry, rows, everyNextRole, chainsAsked);
    for (ClusterConfig cluster : registry.clusters()) {
      for (Principal principal : asked) {
        asking.ask(cluster, principal);
      }
    }
    rows.entries.sort(null);
    return new AccessReport(registry, List.copyOf(asked), rows.paths, rows.entries, asking.cuts());
  }

  /**
   * One cluster and principal's part of the access table ({@link #stream}).
   *
   * @param paths the roles and chains the principal may use on the cluster
   * @param entries what those reach, sorted
   */
  public record Part(List<UsablePath> paths, List<AccessEntry> entries) {}

  /**
   * The table {@link #of(Registry)} holds, handed to {@code each} one cluster and principal at a
   * time in the table's order (clusters by id, then principals, each part's entries sorted) and let
   * go, so that a command writes it as it goes: the table holds an entry per principal, role and
   * location (2,000 users of a role of 2,000 prefixes: 4 million entries, 4 GB held whole).
   *
   * @return where the chain search stopped, as {@link #cuts} of the report
   */
  public static List<Cut> stream(Registry registry, java.util.function.Consumer<Part> each) {
    Set<Principal> asked = new TreeSet<>(principals(registry));
    Asking asking = asking(registry);
    List<ClusterConfig> clusters = new ArrayList<>(registry.clusters());
    clusters.sort(java.util.Comparator.comparing(ClusterConfig::id));
    for (ClusterConfig cluster : clusters) {
      for (Principal principal : asked) {
        each.accept(asking.part(cluster.id(), principal));
      }
    }
    return asking.cuts();
  }

  /**
   * The usable roles and chains alone, as {@link #paths} of {@link #of(Registry)} lists them: asked
   * without the resources they reach, for a document that lists them before the table.
   */
  public static List<UsablePath> paths(Registry registry) {
    return of(registry, List.of(), false, CHAINS_ASKED, new PathRows()).paths();
  }

  /** What {@code registry} grants, asked about one cluster and principal at a time ({@link Asking#part}). */
  static Asking asking(Registry registry) {
    return new Asking(registry, new Rows(), false, CHAINS_ASKED);
  }

  /**
   * Asks the guard about one registry's access, one cluster and principal at a time. A report asks
   * about each and keeps it all; a diff ({@link AccessDiff#between}) takes each principal's entries
   * and lets them go, as no entry of one principal covers another's: holding both tables, two
   * registries whose 2,000 users each reach 2,000 prefixes took 4.1 GB to print "0 gained, 0 lost".
   */
  static final class Asking {
    private final Registry registry;
    private final Rows rows;
    private final boolean everyNextRole;
    private final int chainsAsked;
    private final Probe probe;
    private final Successors successors;
    private final List<Cut> cuts = new ArrayList<>();

    private Asking(Registry registry, Rows rows, boolean everyNextRole, int chainsAsked) {
      this.registry = registry;
      this.rows = rows;
      this.everyNextRole = everyNextRole;
      this.chainsAsked = chainsAsked;
      this.probe = new Probe(new Guard(registry));
      this.successors = new Successors(registry);
    }

    /** Asks what {@code principal} may reach on {@code cluster}, into the rows. */
    void ask(ClusterConfig cluster, Principal principal) {
      Session session = principal.session(cluster.id());
      Search search = usablePaths(registry, successors, cluster, probe, session, everyNextRole, chainsAsked);
      for (List<RoleConfig> path : search.usable()) {
        String auth = path.size() == 1 && path.get(0) == null ? "default" : chain(path);
        List<RoleConfig> roles = auth.equals("default") ? List.of(defaultRole(registry, cluster).orElseThrow()) : path;
        record(cluster, principal, session, probe, auth, roles, rows);
      }
      if (search.completeUpTo() >= 0) {
        cuts.add(new Cut(cluster.id(), principal, chainsAsked, search.completeUpTo()));
      }
    }

    /**
     * The part of {@code principal} on the cluster {@code clusterId} (empty when the registry has no
     * such cluster): its usable paths and its entries, sorted; this object keeps neither.
     */
    Part part(String clusterId, Principal principal) {
      registry.cluster(clusterId).ifPresent(cluster -> ask(cluster, principal));
      List<AccessEntry> entries = new ArrayList<>(rows.entries);
      entries.sort(null);
      Part part = new Part(List.copyOf(rows.paths), entries);
      rows.entries.clear();
      rows.paths.clear();
      return part;
    }

    /** Where the chain search stopped, in the order of the registry's clusters, then of the principals asked. */
    List<Cut> cuts() {
      List<String> order = registry.clusters().stream().map(ClusterConfig::id).toList();
      List<Cut> sorted = new ArrayList<>(cuts);
      sorted.sort(java.util.Comparator.comparingInt(cut -> order.indexOf(cut.cluster())));
      return sorted;
    }
  }

  /** What the report keeps of what the search finds, and what it asks about: everything. */
  private static class Rows {
    final List<UsablePath> paths = new ArrayList<>();
    final List<AccessEntry> entries = new ArrayList<>();
    // the candidates of a role depend on the role, the command and the cluster, not on who asks: built
    // once per cluster, not once per principal (a role of 8,000 prefixes and 8,000 users was 64 million)
    private final Map<RoleConfig, Map<AccessCommand, Candidates.ToAsk>> asked = new IdentityHashMap<>();
    private ClusterConfig askedFor;

    void path(UsablePath path) {
      paths.add(path);
    }

    void entry(AccessEntry entry) {
      entries.add(entry);
    }

    /** The candidates to ask about for {@code last}'s {@code command} on {@code cluster}. */
    final Candidates.ToAsk toAsk(RoleConfig last, AccessCommand command, ClusterConfig cluster) {
      if (askedFor != cluster) {
        asked.clear();
        askedFor = cluster;
      }
      return asked.computeIfAbsent(last, r -> new EnumMap<>(AccessCommand.class))
          .computeIfAbsent(command, c -> kept(Candidates.toAsk(last, command, cluster), command));
    }

    /** Those of {@code toAsk} whose answers may change what this report keeps. */
    Candidates.ToAsk kept(Candidates.ToAsk toAsk, AccessCommand command) {
      return toAsk;
    }
  }

  /** What {@link #paths(Registry)} asks about: whether each command is granted, no resource. */
  private static final class PathRows extends Rows {
    @Override
    Candidates.ToAsk kept(Candidates.ToAsk toAsk, AccessCommand command) {
      return new Candidates.ToAsk(List.of(), 0, toAsk.points());
    }
  }

  /**
   * What {@link #forValidation} keeps: one path per role sequence, the whole-bucket entries. So it
   * asks only about the S3 candidates that are whole buckets or may cover one: asking about every
   * prefix of a role for every user it trusts made {@code registry validate} grow with their product
   * (2,000 users of a role of 2,000 prefixes 5.8 s, 8,000 x 8,000 126 s).
   */
  private static final class ValidationRows extends Rows {
    private final Set<List<String>> sequences = new java.util.HashSet<>();

    @Override
    Candidates.ToAsk kept(Candidates.ToAsk toAsk, AccessCommand command) {
      if (command != AccessCommand.COPY && command != AccessCommand.UNLOAD) {
        return new Candidates.ToAsk(List.of(), 0, toAsk.points());
      }
      List<Candidates.Candidate> kept = new ArrayList<>();
      int proposals = 0;
      for (int at = 0; at < toAsk.all().size(); at++) {
        Candidates.Candidate candidate = toAsk.all().get(at);
        if (!insideAFolder(candidate.shown())) {
          kept.add(candidate);
          proposals += at < toAsk.proposals() ? 1 : 0;
        }
      }
      return new Candidates.ToAsk(kept, proposals, toAsk.points());
    }

    @Override
    void path(UsablePath path) {
      if (sequences.add(path.roles())) {
        super.path(path);
      }
    }

    @Override
    void entry(AccessEntry entry) {
      if (wholeBucket(entry)) {
        super.entry(entry);
      }
    }
  }

  /**
   * Whether {@code resource} names something inside a folder of one bucket: {@code s3://B/R} with
   * {@code B} free of wildcards and {@code R} not empty nor starting with {@code *}. Such a resource
   * is no whole bucket ({@link #wholeBucket}), and no form of it {@link AccessDiff#covers} a whole
   * bucket, whose key has a slash only at its end (or starts with {@code *}): every text it takes in
   * starts with {@code B/} and a character more, other than {@code *}. So what it covers is inside a
   * folder too, and skipping such candidates changes neither which whole buckets an earlier entry
   * covers nor which of the candidates still asked about are.
   */
  static boolean insideAFolder(String resource) {
    if (!resource.startsWith("s3://")) {
      return false;
    }
    int slash = resource.indexOf('/', "s3://".length());
    if (slash <= "s3://".length() || slash == resource.length() - 1 || resource.charAt(slash + 1) == '*') {
      return false;
    }
    for (int at = "s3://".length(); at < slash; at++) {
      if (resource.charAt(at) == '*' || resource.charAt(at) == '?') {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code entry} reads or writes every object of a bucket, or of every bucket ({@code s3://*}). */
  static boolean wholeBucket(AccessEntry entry) {
    if (entry.command() != AccessCommand.COPY && entry.command() != AccessCommand.UNLOAD) {
      return false;
    }
    String key = entry.resource().substring("s3://".length());
    return key.indexOf('/') == key.length() - 1 || key.startsWith("*");
  }

  /** The usable role sequences found; {@code completeUpTo} as in {@link Cut}, or -1 when the search was not cut. */
  private record Search(List<List<RoleConfig>> usable, int completeUpTo) {}

  /** Who a registry names: its users, the users, groups and roles its grants and trusts name, and any other user. */
  public static Set<Principal> principals(Registry registry) {
    Set<Principal> named = new TreeSet<>();
    named.add(Principal.OTHER);
    for (UserConfig user : registry.users()) {
      named.add(new Principal(Principal.Kind.USER, user.name()));
      user.groups().forEach(g -> named.add(new Principal(Principal.Kind.GROUP, g)));
      user.roles().forEach(r -> named.add(new Principal(Principal.Kind.ROLE, r)));
    }
    for (GrantConfig grant : registry.grants()) {
      for (AssumeRoleGrant.Grantee grantee : grant.grantees()) {
        switch (grantee.kind()) {
          case USER -> named.add(new Principal(Principal.Kind.USER, grantee.name()));
          case GROUP -> named.add(new Principal(Principal.Kind.GROUP, grantee.name()));
          case ROLE -> named.add(new Principal(Principal.Kind.ROLE, grantee.name()));
          case PUBLIC -> { }
          default -> throw new IllegalStateException(grantee.kind().name());
        }
      }
    }
    for (RoleConfig role : registry.roles()) {
      role.trust().flatMap(t -> t.dbUsers()).ifPresent(users -> users.forEach(arn ->
          named.add(new Principal(Principal.Kind.USER, arn.substring(arn.lastIndexOf('/') + 1)))));
      // a trust document names its users by dbuser ARN, in sts:ExternalId (or any) condition values
      role.trustPolicy().ifPresent(trust -> trust.statements().forEach(statement ->
          statement.conditions().forEach(condition -> condition.values().forEach(value -> dbUser(value)
              .ifPresent(user -> named.add(new Principal(Principal.Kind.USER, user)))))));
    }
    return named;
  }

  /**
   * The user of a {@code arn:aws:redshift:region:account:dbuser:cluster/user} value, unless it is
   * empty, {@code *} (any other user stands for it) or a variable. A pattern ({@code etl_*}) is a
   * principal of its own, named as written: the guard asked about a user of that name answers for
   * the users it matches (a {@code *} matches itself), which no other principal stands for (probe
   * 21a F7: a trust of {@code etl_*} listed nobody, and widening one user to the pattern diffed as
   * nothing gained).
   */
  private static Optional<String> dbUser(String value) {
    int at = value.indexOf(":dbuser:");
    int slash = value.lastIndexOf('/');
    if (!value.startsWith("arn:") || at < 0 || slash < at) {
      return Optional.empty();
    }
    String user = value.substring(slash + 1);
    return user.isEmpty() || user.equals("*") || user.contains("$") ? Optional.empty() : Optional.of(user);
  }

  /**
   * The role sequences the guard accepts for the session, found breadth first, asking about at most
   * {@code chainsAsked} chains; {@code [null]} stands for {@code IAM_ROLE default}.
   */
  private static Search usablePaths(Registry registry, Successors successors, ClusterConfig cluster, Probe probe,
      Session session, boolean everyNextRole, int chainsAsked) {
    List<List<RoleConfig>> usable = new ArrayList<>();
    Candidates.Candidate nowhere = new Candidates.Candidate("", Probe.NOWHERE, null, null);
    if (defaultRole(registry, cluster).isPresent()
        && probe.ask(AccessCommand.COPY, "default", nowhere, session).pathUsable()) {
      List<RoleConfig> defaultPath = new ArrayList<>();
      defaultPath.add(null);
      usable.add(defaultPath);
    }
    Deque<List<RoleConfig>> next = new ArrayDeque<>();
    for (RoleArn attached : cluster.attachedRoles()) {
      registry.role(attached).ifPresent(role -> next.add(List.of(role)));
    }
    int maxChain = registry.settings().maxChain();
    int asked = next.size();
    int completeUpTo = -1;
    while (!next.isEmpty()) {
      List<RoleConfig> path = next.poll();
      if (!probe.ask(AccessCommand.COPY, chain(path), nowhere, session).pathUsable()) {
        continue;
      }
      usable.add(path);
      if (path.size() < maxChain && completeUpTo < 0) {
        RoleConfig last = path.get(path.size() - 1);
        for (RoleConfig role : everyNextRole ? successors.roles : successors.mayFollow(last)) {
          if ((everyNextRole || mayBeNext(last, role)) && path.stream().noneMatch(r -> r.arn().sameRoleAs(role.arn()))) {
            if (asked >= chainsAsked) {
              // breadth first: every chain as long as this one is queued already
              completeUpTo = path.size();
              break;
            }
            List<RoleConfig> longer = new ArrayList<>(path);
            longer.add(role);
            next.add(longer);
            asked++;
          }
        }
      }
    }
    return new Search(usable, completeUpTo);
  }

  /** The registry's roles in its order, and where each ARN stands among them: built once per report. */
  private static final class Successors {
    final List<RoleConfig> roles;
    private final Map<RoleArn, List<Integer>> positions = new HashMap<>();

    Successors(Registry registry) {
      roles = List.copyOf(registry.roles());
      for (int at = 0; at < roles.size(); at++) {
        positions.computeIfAbsent(roles.get(at).arn(), arn -> new ArrayList<>(1)).add(at);
      }
    }

    /**
     * The roles, in the registry's order, that {@link #mayBeNext} may pass after {@code last}: for a
     * role described by {@code allow}, those its {@code assume} list names, found by their positions
     * rather than by asking about every role of the registry after each usable path (8,000 attached
     * roles: {@code registry validate} 2.0 s before, 0.69 s); all of them otherwise.
     */
    List<RoleConfig> mayFollow(RoleConfig last) {
      if (last.allow().isEmpty()) {
        return roles;
      }
      TreeSet<Integer> at = new TreeSet<>();
      for (RoleArn next : last.allow().get().assume()) {
        at.addAll(positions.getOrDefault(next, List.of()));
      }
      List<RoleConfig> following = new ArrayList<>(at.size());
      at.forEach(i -> following.add(roles.get(i)));
      return following;
    }
  }

  /**
   * False when the guard refuses every chain in which {@code role} follows {@code last} (the chain
   * rule, CHAIN_NOT_PERMITTED, whatever the session), so the search does not ask about the other
   * roles of a registry of thousands: a role described by {@code allow} may assume only the roles
   * its {@code assume} list names, and one described by IAM documents only those an Allow of its
   * permissions covers for sts:AssumeRole in some request context (the probe then decides, as the
   * context matters there).
   */
  private static boolean mayBeNext(RoleConfig last, RoleConfig role) {
    return last.allow().map(allow -> allow.mayAssume(role.arn()))
        .orElseGet(() -> last.permissions().mayAllowInSomeContext(TrustRequest.ASSUME_ROLE, role.arn().toString()));
  }

  private static void record(ClusterConfig cluster, Principal principal, Session session, Probe probe, String auth,
      List<RoleConfig> roles, Rows rows) {
    List<String> arns = roles.stream().map(r -> r.arn().toString()).toList();
    Set<AccessCommand> granted = EnumSet.noneOf(AccessCommand.class);
    RoleConfig last = roles.get(roles.size() - 1);
    String carving = null; // what carves the last role's prefixes in part: hashed once, when first needed
    for (AccessCommand command : AccessCommand.values()) {
      Candidates.Candidate nowhere = new Candidates.Candidate("", switch (command) {
        case COPY, UNLOAD -> Probe.NOWHERE;
        case COPY_EMR -> Candidates.EMR_ANY;
        default -> Candidates.ANY;
      }, null, null);
      // a COPY from DynamoDB or EMR is granted (ASSUMEROLE ... FOR COPY) as the S3 COPY, asked just before
      boolean copySource = command == AccessCommand.COPY_DYNAMODB || command == AccessCommand.COPY_EMR;
      if (copySource ? !granted.contains(AccessCommand.COPY) : !probe.ask(command, auth, nowhere, session).granted()) {
        continue;
      }
      granted.add(command);
      Candidates.ToAsk toAsk = rows.toAsk(last, command, cluster);
      List<Candidates.Candidate> points = toAsk.points();
      List<String> whole = new ArrayList<>();
      for (int at = 0; at < toAsk.all().size(); at++) {
        Candidates.Candidate candidate = toAsk.all().get(at);
        // a decision point, or where one meets a proposal, is listed only where no whole entry covers it
        if (at >= toAsk.proposals() && coveredBy(whole, command, candidate)) {
          continue;
        }
        boolean inPart;
        if (candidate.exact()) {
          // one object: nothing lies under it to carve or to allow apart
          if (!probe.ask(command, auth, candidate, session).allowed()) {
            continue;
          }
          inPart = false;
        } else if (probe.ask(command, auth, candidate, session).allowed()) {
          // allowed here, a name under it may still be refused: a Deny carving a wildcard (the name put to
          // the guard for it is one no document names), a NotResource, a condition (probe 21a F4)
          inPart = refusesAPointUnder(candidate, points, command, auth, session, probe);
        } else if (candidate.value().startsWith("s3://")
            && probe.ask(command, auth, under(candidate), session).allowed()) {
          inPart = true; // refused whole, a folder under it allowed
        } else {
          continue;
        }
        if (inPart) {
          // listed in part, so that a diff sees the carving go or the resource widen
          carving = carving == null ? Carving.of(last) : carving;
          rows.entry(new AccessEntry(cluster.id(), principal, auth, arns, command, candidate.shown(), carving));
        } else if (candidate.exact()) {
          rows.entry(new AccessEntry(cluster.id(), principal, auth, arns, command, candidate.shown(), null, true));
        } else {
          whole.add(candidate.shown());
          rows.entry(new AccessEntry(cluster.id(), principal, auth, arns, command, candidate.shown()));
        }
      }
    }
    rows.path(new UsablePath(cluster.id(), principal, auth, arns, granted));
  }

  /**
   * Whether the guard refuses a decision point where it meets {@code candidate}: under it (a Deny of
   * {@code acmedata/secret/*} under an Allow of {@code *}), or, for S3, in what both take in (an Allow
   * of {@code acme*&#47;*} and a ListBucket condition on every bucket's {@code pub/}: {@link Candidates#meet}).
   */
  private static boolean refusesAPointUnder(Candidates.Candidate candidate, List<Candidates.Candidate> points,
      AccessCommand command, String auth, Session session, Probe probe) {
    // past MET_POINTS decision points (a role of hundreds of wildcards and Denies), only those under it:
    // asking where each meets each was quadratic (probe 22d F4: 200 of each took a minute)
    boolean s3 = candidate.value().startsWith("s3://") && points.size() <= Candidates.MET_POINTS;
    for (Candidates.Candidate point : points) {
      for (Candidates.Candidate asked : s3 ? withFolders(point) : List.of(point)) {
        Candidates.Candidate shared = s3 ? Candidates.meet(candidate, asked)
            : covers(candidate.shown(), command, asked) ? asked : null;
        if (shared != null && !shared.shown().equals(candidate.shown())
            && !probe.ask(command, auth, shared, session).allowed()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * An S3 decision point and the folders above it in its bucket ({@code s3://b/pub/} and {@code
   * s3://b/}): two Allows whose NotResources take {@code b/pub/*} and {@code b/secret/*} each allow
   * every key, while the guard asks one statement for a whole folder and refuses {@code s3://b/}, a
   * folder no document names (AccessAgreesWithGuardProperties, seed 7194271525310847631: {@code s3://*}
   * was listed whole). A point whose name differs from what is put to the guard has none.
   */
  private static List<Candidates.Candidate> withFolders(Candidates.Candidate point) {
    String name = point.shown();
    if (!name.equals(point.value()) || point.exact() || !name.startsWith("s3://")) {
      return List.of(point);
    }
    List<Candidates.Candidate> all = new ArrayList<>(List.of(point));
    int bucketEnd = name.indexOf('/', "s3://".length());
    for (int slash = name.lastIndexOf('/', name.length() - 2); bucketEnd > 0 && slash >= bucketEnd;
        slash = name.lastIndexOf('/', slash - 1)) {
      String folder = name.substring(0, slash + 1);
      all.add(new Candidates.Candidate(folder, folder, point.region(), point.account()));
    }
    return all;
  }

  private static boolean coveredBy(List<String> whole, AccessCommand command, Candidates.Candidate candidate) {
    for (String resource : whole) {
      if (covers(resource, command, candidate)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code resource} takes in {@code candidate}'s, as the diff compares entries. */
  private static boolean covers(String resource, AccessCommand command, Candidates.Candidate candidate) {
    return AccessDiff.covers(resource, command, candidate.shown());
  }

  /** A folder under an S3 candidate that no document names ({@link Candidates#ANY}). */
  private static Candidates.Candidate under(Candidates.Candidate candidate) {
    String value = candidate.value();
    return new Candidates.Candidate(candidate.shown(), value + (value.endsWith("/") ? "" : "/") + Candidates.ANY + "/",
        candidate.region(), candidate.account());
  }

  private static Optional<RoleConfig> defaultRole(Registry registry, ClusterConfig cluster) {
    return cluster.defaultRole().flatMap(registry::role);
  }

  private static String chain(List<RoleConfig> path) {
    return String.join(",", path.stream().map(r -> r.arn().toString()).toList());
  }

  /** The registry reported on. */
  public Registry registry() {
    return registry;
  }

  /** The rows asked about, sorted: users, groups, roles, then any other user. */
  public List<Principal> principals() {
    return principals;
  }

  /**
   * Where the chain search stopped before it asked about every chain, per cluster and principal
   * (empty when the report is complete): roles that may assume one another in more than 10,000
   * chains.
   */
  public List<Cut> cuts() {
    return cuts;
  }

  /** Where the chain search stopped, in words: one sentence per cluster ({@link #cutNotes(List)}). */
  public List<String> cutNotes() {
    return cutNotes(cuts);
  }

  /**
   * What {@code cuts} mean, in words, one sentence per cluster (access, validate and diff say it
   * alike): how many chains were asked about, which are all listed, and how to get a complete report.
   */
  public static List<String> cutNotes(List<Cut> cuts) {
    Map<String, List<Cut>> byCluster = new LinkedHashMap<>();
    cuts.forEach(cut -> byCluster.computeIfAbsent(cut.cluster(), c -> new ArrayList<>()).add(cut));
    List<String> notes = new ArrayList<>();
    byCluster.forEach((cluster, some) -> {
      Cut first = some.get(0);
      int complete = some.stream().mapToInt(Cut::completeUpTo).min().orElseThrow();
      String who = first.principal().label() + (some.size() == 1 ? "" : " and " + (some.size() - 1) + " others");
      notes.add("on cluster " + cluster + " the roles may follow one another in more chains than the "
          + first.chainsAsked() + " asked about for " + who + ": every chain of up to " + complete
          + (complete == 1 ? " role" : " roles") + " is listed, longer ones only in part; narrow the Resource of "
          + "the roles' sts:AssumeRole permissions (or their trust), or lower policy.max_chain, for a complete report");
    });
    return notes;
  }

  /**
   * Every role and chain usable by someone, in the order found (in a report {@link #forValidation},
   * the first found of each role sequence).
   */
  public List<UsablePath> paths() {
    return paths;
  }

  /**
   * The access table, sorted by cluster, principal, auth, command and resource (in a report
   * {@link #forValidation}, only the entries that grant a whole bucket).
   */
  public List<AccessEntry> entries() {
    return entries;
  }
}
