package dev.iamguard.policy.suggest;

import dev.iamguard.sql.AssumeRoleGrant;
import dev.iamguard.policy.iam.AwsPrincipal;
import dev.iamguard.policy.iam.AwsResourceArns;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.iam.Wildcards;
import dev.iamguard.policy.registry.AllowConfig;
import dev.iamguard.policy.registry.ChainConfig;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.ExternalSchemaConfig;
import dev.iamguard.policy.registry.GrantConfig;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.policy.registry.S3Prefix;
import dev.iamguard.policy.registry.S3Prefixes;
import dev.iamguard.policy.registry.TrustConfig;
import dev.iamguard.policy.registry.UserConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A suggestion compared with the registry it was made with: what the registry must add for every
 * statement to be allowed, and what it grants that no statement uses (which a team can take away).
 * Each line names the role (or section) and the entry, as the registry writes it.
 */
record RegistryDiff(List<String> additions, List<String> unused) {

  static RegistryDiff of(Suggestion suggestion, Registry registry, ClusterConfig cluster,
      Map<RoleArn, RoleNeeds> needs) {
    Set<String> additions = new LinkedHashSet<>();
    Set<String> unused = new LinkedHashSet<>();
    ClusterConfig suggested = suggestion.cluster();
    for (RoleArn arn : suggested.attachedRoles()) {
      if (!cluster.isAttached(arn)) {
        additions.add("clusters[" + cluster.id() + "].attached_roles: " + arn);
      }
    }
    for (RoleArn arn : cluster.attachedRoles()) {
      if (!suggested.isAttached(arn)) {
        unused.add("clusters[" + cluster.id() + "].attached_roles: " + arn + " (no chain starts with it)");
      }
    }
    if (cluster.defaultRole().isPresent() && suggested.defaultRole().isEmpty()) {
      unused.add("clusters[" + cluster.id() + "].default_role: " + cluster.defaultRole().get()
          + " (no statement uses IAM_ROLE DEFAULT)");
    }
    for (SuggestedRole role : suggestion.roles()) {
      RoleConfig given = registry.role(role.arn()).orElse(null);
      if (given == null) {
        additions.add("roles: " + role.arn() + " (not in the registry)");
      } else if (compared(given) == null) {
        additions.add("roles[" + role.arn() + "]: described by policy_files; compare them with the suggested IAM"
            + " documents");
      } else {
        compare(role, given, needs.get(role.arn()), cluster, additions, unused);
      }
    }
    // looked up, not searched for each of the registry's roles, chains and schemas (20,000 roles: seconds)
    Set<RoleArn> suggestedRoles = new HashSet<>();
    suggestion.roles().forEach(role -> suggestedRoles.add(role.arn()));
    Set<String> suggestedChains = new HashSet<>();
    suggestion.chains().forEach(chain -> suggestedChains.add(chain.name()));
    Set<String> suggestedSchemas = new HashSet<>();
    suggestion.externalSchemas().forEach(schema -> suggestedSchemas.add(schema.name()));
    for (RoleConfig given : registry.roles()) {
      if (!suggestedRoles.contains(given.arn())) {
        unused.add("roles: " + given.arn() + " (no statement uses it)");
      }
    }
    for (ChainConfig chain : registry.chains()) {
      if (!suggestedChains.contains(chain.name())) {
        unused.add("chains: " + chain.name() + " (no statement names it)");
      }
    }
    for (ExternalSchemaConfig schema : registry.externalSchemas()) {
      if (!suggestedSchemas.contains(schema.name())) {
        unused.add("external_schemas: " + schema.name() + " (no statement uses its tables)");
      }
    }
    grants(suggestion, registry, additions, unused);
    return new RegistryDiff(List.copyOf(additions), List.copyOf(unused));
  }

  /**
   * The grants of the registry's role {@code given} (or null) this diff compares a role's needs with
   * ({@link RoleNeeds#touch} as the statements are read): those of a role described by allow and
   * trust; null otherwise.
   */
  static AllowConfig compared(RoleConfig given) {
    return given == null || given.allow().isEmpty() || given.trust().isEmpty() ? null : given.allow().get();
  }

  private static void compare(SuggestedRole role, RoleConfig given, RoleNeeds need, ClusterConfig cluster,
      Set<String> additions, Set<String> unused) {
    String at = "roles[" + role.arn() + "].";
    TrustConfig trust = given.trust().get();
    AllowConfig allow = given.allow().get();
    if (role.trustsRedshift() && !trust.trustsRegion(cluster.region())) {
      additions.add(at + "trust.regions: " + cluster.region());
    }
    for (String region : trust.regions().orElse(List.of())) {
      if (!role.regions().contains(region) && !region.equals(TrustConfig.ANY_REGION)) {
        unused.add(at + "trust.regions: " + region);
      }
    }
    for (RoleArn previous : role.principals()) {
      if (!trust.trustsRole(previous)) {
        additions.add(at + "trust.principals: " + previous);
      }
    }
    for (AwsPrincipal principal : trust.principals()) {
      if (role.principals().stream().noneMatch(principal::matches)) {
        unused.add(at + "trust.principals: " + principal + " (no chain has it before this role)");
      }
    }
    role.dbUsers().ifPresent(users -> {
      users.stream().filter(u -> !trust.trustsDbUser(u)).forEach(u -> additions.add(at + "trust.db_users: " + u));
      trust.dbUsers().orElse(List.of()).stream().filter(u -> !users.contains(u))
          .forEach(u -> unused.add(at + "trust.db_users: " + u));
    });
    if (need == null) {
      return;
    }
    for (RoleNeeds.Uncovered lacking : need.uncovered) {
      additions.add(at + "allow." + (lacking.write() ? "s3_write" : "s3_read") + ": " + lacking.needed());
    }
    unusedPrefixes(at + "allow.s3_read", allow.s3Read(), role.s3Read(), need, false, unused);
    unusedPrefixes(at + "allow.s3_write", allow.s3Write(), role.s3Write(), need, true, unused);
    String partition = role.arn().partition();
    String account = role.arn().account(); // a function's name is looked up in the invoking role's account
    role.lambda().forEach((entry, arn) -> {
      if (allow.lambda().stream().noneMatch(a -> lambdaMatches(a, arn, partition, cluster.region(), account))) {
        additions.add(at + "allow.lambda: " + entry);
      }
    });
    for (String entry : allow.lambda()) {
      if (role.lambda().values().stream().noneMatch(arn -> lambdaMatches(entry, arn, partition, cluster.region(), account))) {
        unused.add(at + "allow.lambda: " + entry);
      }
    }
    role.glue().forEach((entry, arn) -> {
      if (allow.glueDatabases().stream().noneMatch(a -> glueMatches(a, entry, arn))) {
        additions.add(at + "allow.glue_databases: " + entry);
      }
    });
    for (String entry : allow.glueDatabases()) {
      if (role.glue().entrySet().stream().noneMatch(e -> glueMatches(entry, e.getKey(), e.getValue()))) {
        unused.add(at + "allow.glue_databases: " + entry);
      }
    }
    for (RoleArn next : role.assume()) {
      if (!allow.mayAssume(next)) {
        additions.add(at + "allow.assume: " + next);
      }
    }
    for (RoleArn next : allow.assume()) {
      if (!role.assume().contains(next)) {
        unused.add(at + "allow.assume: " + next);
      }
    }
    names(at + "allow.dynamodb_tables", role.dynamodb().keySet(), allow.dynamodbTables(), additions, unused);
    names(at + "allow.emr_clusters", role.emr().keySet(), allow.emrClusters(), additions, unused);
  }

  /**
   * Granted prefixes no statement touches, and those broader than the suggested ones inside them.
   * Each location and suggested prefix is looked up among the prefixes above it, not compared with
   * every granted one: a role of 10,000 prefixes and 10,000 statements took 12 s.
   */
  private static void unusedPrefixes(String at, List<S3Prefix> granted, List<S3Prefix> suggested, RoleNeeds need,
      boolean write, Set<String> unused) {
    Set<S3Prefix> grantedSet = new java.util.HashSet<>(granted);
    Set<S3Prefix> used = write ? need.usedWrites : need.usedReads; // found as the statements were read
    // the suggested prefixes inside each granted one, in suggested order
    Map<S3Prefix, List<S3Prefix>> inside = new java.util.HashMap<>();
    for (S3Prefix prefix : suggested) {
      List<S3Prefix> outers = S3Prefixes.above(prefix.bucket(), prefix.key());
      outers.add(prefix);
      for (S3Prefix outer : outers) {
        if (grantedSet.contains(outer) && KeySpaces.covers(outer, prefix)) {
          inside.computeIfAbsent(outer, o -> new ArrayList<>()).add(prefix);
        }
      }
    }
    for (S3Prefix prefix : granted) {
      if (!used.contains(prefix)) {
        unused.add(at + ": " + prefix);
        continue;
      }
      List<S3Prefix> within = inside.getOrDefault(prefix, List.of());
      if (within.stream().noneMatch(p -> KeySpaces.covers(p, prefix))) {
        unused.add(at + ": " + prefix + " (broader than needed: the statements touch only " + S3Prefixes.joined(within) + ")");
      }
    }
  }

  private static void names(String at, Set<String> needed, List<String> granted, Set<String> additions,
      Set<String> unused) {
    needed.stream().filter(n -> !Wildcards.anyMatches(granted, n)).forEach(n -> additions.add(at + ": " + n));
    granted.stream().filter(g -> needed.stream().noneMatch(n -> Wildcards.matches(g, n)))
        .forEach(g -> unused.add(at + ": " + g));
  }

  private static boolean lambdaMatches(String entry, String arn, String partition, String region, String account) {
    return Wildcards.matches(AwsResourceArns.lambdaPattern(entry, partition, region, account), arn);
  }

  private static boolean glueMatches(String allowed, String entry, String arn) {
    return allowed.startsWith("arn:") ? Wildcards.matchesIgnoringCase(allowed, arn)
        : !entry.startsWith("arn:") && Wildcards.matchesIgnoringCase(allowed, entry);
  }

  /** Grants compared grant by grant: a suggested one the registry does not cover, a registry one nothing needs. */
  private static void grants(Suggestion suggestion, Registry registry, Set<String> additions, Set<String> unused) {
    if (!suggestion.grantsSection()) {
      return;
    }
    List<GrantConfig> given = registry.grantsEnforced() ? registry.grants() : null;
    GrantsByTarget byTarget = new GrantsByTarget(given == null ? List.of() : given);
    // each suggested grant is compared with the grants that name its target, not with every grant
    // (one grant per role: 2,000 roles took 13 s on a loaded host), and marks each grant that covers it as used
    Set<GrantConfig> used = Collections.newSetFromMap(new IdentityHashMap<>());
    for (SuggestedGrant grant : suggestion.grants()) {
      List<GrantConfig> candidates = byTarget.naming(grant.on());
      for (String user : grant.to()) {
        for (String command : grant.commands()) {
          GrantConfig.Command c = GrantConfig.Command.parse(command).orElseThrow();
          boolean covered = false;
          for (GrantConfig g : candidates) {
            if (covers(g, grant.on(), user, c, registry)) {
              covered = true;
              used.add(g);
            }
          }
          if (!covered && given != null && !superuser(registry, user)) {
            additions.add("grants: ON " + grant.on() + " TO " + user + " FOR " + command);
          }
        }
      }
    }
    if (given == null) {
      unused.add("grants: (no section) every user may use every attached role; the suggested grants say who needs which");
      return;
    }
    for (GrantConfig grant : given) {
      if (!used.contains(grant)) {
        unused.add("grants: the grant at line " + grant.line() + " (on " + describe(grant) + " to " + grant.grantees()
            + " for " + grant.commands().stream().map(GrantConfig.Command::sql).sorted().toList()
            + "): no statement needs it");
      }
    }
  }

  /** A registry's grants by the target a suggested grant names ({@code default} or a chain's ARNs joined by commas). */
  private static final class GrantsByTarget {
    private final List<GrantConfig> onAll = new ArrayList<>();
    private final List<GrantConfig> onDefault = new ArrayList<>();
    private final Map<String, List<GrantConfig>> onChain = new HashMap<>();

    GrantsByTarget(List<GrantConfig> grants) {
      for (GrantConfig grant : grants) {
        switch (grant.scope()) {
          case ALL -> onAll.add(grant);
          case DEFAULT -> onDefault.add(grant);
          case CHAINS -> grant.chains().stream().map(RegistryDiff::joined).distinct()
              .forEach(chain -> onChain.computeIfAbsent(chain, k -> new ArrayList<>()).add(grant));
        }
      }
    }

    /** The grants {@link #covers} may find covering {@code on}: those of every other target never do. */
    List<GrantConfig> naming(String on) {
      List<GrantConfig> naming = new ArrayList<>(onAll);
      naming.addAll(on.equals("default") ? onDefault : onChain.getOrDefault(on, List.of()));
      return naming;
    }
  }

  private static String joined(List<RoleArn> chain) {
    return String.join(",", chain.stream().map(RoleArn::toString).toList());
  }

  private static String describe(GrantConfig grant) {
    return switch (grant.scope()) {
      case ALL -> "ALL";
      case DEFAULT -> "default";
      case CHAINS -> grant.chains().stream().map(c -> String.join(",", c.stream().map(RoleArn::toString).toList()))
          .toList().toString();
    };
  }

  private static boolean covers(GrantConfig grant, String on, String user, GrantConfig.Command command,
      Registry registry) {
    if (!grant.commands().contains(GrantConfig.Command.ALL) && !grant.commands().contains(command)) {
      return false;
    }
    boolean target = switch (grant.scope()) {
      case ALL -> true;
      case DEFAULT -> on.equals("default");
      case CHAINS -> !on.equals("default") && grant.chains().stream().anyMatch(c -> joined(c).equals(on));
    };
    return target && grant.grantees().stream().anyMatch(g -> holds(g, user, registry));
  }

  private static boolean holds(AssumeRoleGrant.Grantee grantee, String user, Registry registry) {
    UserConfig declared = registry.user(user).orElse(null);
    return switch (grantee.kind()) {
      case PUBLIC -> true;
      case USER -> grantee.name().equalsIgnoreCase(user);
      case GROUP -> declared != null && declared.groups().stream().anyMatch(g -> g.equalsIgnoreCase(grantee.name()));
      case ROLE -> declared != null && registry.rolesHeldThrough(declared.roles())
          .contains(grantee.name().toLowerCase(java.util.Locale.ROOT));
    };
  }

  private static boolean superuser(Registry registry, String user) {
    return registry.user(user).map(UserConfig::superuser).orElse(false);
  }
}
