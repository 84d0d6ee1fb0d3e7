package dev.iamguard.policy.access;

import dev.iamguard.policy.iam.IamEffect;
import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.AllowConfig;
import dev.iamguard.policy.registry.ChainConfig;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.GrantConfig;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.policy.registry.S3Prefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The warnings of {@code iamguard registry validate}: what loads but is probably not meant. Roles
 * and chains no one can use, and locations that are whole buckets, are read from the
 * {@link AccessReport}, i.e. from the guard's own decisions; the rest from the registry.
 *
 * <ul>
 *   <li>{@code ROLE_UNUSABLE}: no user, group or role can use the role, alone or in a chain;
 *   <li>{@code CHAIN_UNUSABLE}, {@code GRANT_UNUSABLE}: a named chain, or a grant's chain, that no
 *       one can use;
 *   <li>{@code ATTACHED_ROLE_UNKNOWN}: an attached role the registry does not describe (statements
 *       using it are denied ROLE_UNKNOWN);
 *   <li>{@code ALIAS_SHADOWS_ROLE}: an alias that is the name of another role, so
 *       {@code IAM_ROLE 'Name'} means a different role than its name says;
 *   <li>{@code WHOLE_BUCKET}: a role reads or writes every object of a bucket (or of every bucket);
 *   <li>{@code ROLE_GRANTS_NOTHING}: a role whose entry allows nothing at all;
 *   <li>{@code S3_PATTERN_LITERAL}: a short-form S3 location ({@code allow.s3_read}, ...) holding
 *       {@code *} or {@code ?}, which are characters of the key there, not IAM wildcards;
 *   <li>{@code CONSERVATIVE_CONDITION}: a condition of a document on a key the guard cannot know
 *       (nor the registry states under {@code request_context}): an Allow it conditions grants
 *       nothing, a Deny it conditions is taken to apply;
 *   <li>{@code CHAIN_SEARCH_CUT}: roles may follow one another in more chains than the access
 *       report asks about ({@link AccessReport#cuts}); the three "unusable" issues are then not
 *       reported, as the chains not asked about may use what they name.
 * </ul>
 */
public final class RegistryValidator {
  private RegistryValidator() {}

  /** The issues of {@code registry}, by line. */
  public static List<RegistryIssue> validate(Registry registry, AccessReport report) {
    List<RegistryIssue> issues = new ArrayList<>();
    Set<String> usedRoles = new LinkedHashSet<>();
    Set<String> usedChains = new LinkedHashSet<>();
    for (UsablePath path : report.paths()) {
      path.roles().forEach(r -> usedRoles.add(r.toLowerCase(Locale.ROOT)));
      usedChains.add(String.join(",", path.roles()).toLowerCase(Locale.ROOT));
    }
    // a search cut short saw only some of the chains: what it did not see may still be usable
    boolean complete = report.cuts().isEmpty();
    cuts(report, issues);
    List<RoleConfig> roles = List.copyOf(registry.roles());
    for (int i = 0; i < roles.size(); i++) {
      RoleConfig role = roles.get(i);
      String at = "roles[" + i + "]";
      if (complete && !usedRoles.contains(role.arn().toString().toLowerCase(Locale.ROOT))) {
        issues.add(new RegistryIssue("ROLE_UNUSABLE", role.line(), at, "no one can use " + role.arn() + ": "
            + whyUnusable(registry, role) + "; attach it, let an attached role assume it, or remove it"));
      }
      role.alias().ifPresent(alias -> roles.stream()
          .filter(other -> other != role && other.arn().name().equalsIgnoreCase(alias))
          .forEach(other -> issues.add(new RegistryIssue("ALIAS_SHADOWS_ROLE", role.line(), at + ".alias",
              "alias \"" + alias + "\" of " + role.arn() + " is the name of another role, " + other.arn()
                  + ": IAM_ROLE '" + alias + "' would mean " + role.arn().name() + "; choose an alias no role has"))));
      if (role.allow().map(a -> a.equals(AllowConfig.NONE)).orElse(false)) {
        issues.add(new RegistryIssue("ROLE_GRANTS_NOTHING", role.line(), at, role.arn() + " has neither allow nor"
            + " permission policies, so it may do nothing (not even assume another role)"));
      }
    }
    for (ChainConfig chain : registry.chains()) {
      if (complete && !usedChains.contains(chain.toSql().toLowerCase(Locale.ROOT))) {
        issues.add(new RegistryIssue("CHAIN_UNUSABLE", chain.line(), "chains." + chain.name(), "no one can use chain "
            + chain.name() + " (" + chain.toSql() + "): the guard refuses it for every user of every cluster"));
      }
    }
    List<GrantConfig> grants = registry.grants();
    for (int i = 0; i < grants.size(); i++) {
      for (List<RoleArn> chain : grants.get(i).chains()) {
        String text = String.join(",", chain.stream().map(RoleArn::toString).toList());
        if (complete && !usedChains.contains(text.toLowerCase(Locale.ROOT))) {
          issues.add(new RegistryIssue("GRANT_UNUSABLE", grants.get(i).line(), "grants[" + i + "].on",
              "the grant on " + text + " can never be used: the guard refuses that chain for every user"));
        }
      }
    }
    List<ClusterConfig> clusters = registry.clusters();
    for (int i = 0; i < clusters.size(); i++) {
      for (RoleArn attached : clusters.get(i).attachedRoles()) {
        if (registry.role(attached).isEmpty()) {
          issues.add(new RegistryIssue("ATTACHED_ROLE_UNKNOWN", clusters.get(i).line(), "clusters[" + i + "].attached_roles",
              attached + " is attached to " + clusters.get(i).id() + " but not described under roles: statements"
                  + " using it are denied ROLE_UNKNOWN"));
        }
      }
    }
    conservative(registry, issues);
    wholeBuckets(registry, report, issues);
    literalPatterns(registry, issues);
    issues.sort(null);
    return issues;
  }

  /** One {@code CHAIN_SEARCH_CUT} per cluster whose chain search stopped before it asked about every chain. */
  private static void cuts(AccessReport report, List<RegistryIssue> issues) {
    for (String note : report.cutNotes()) {
      issues.add(new RegistryIssue("CHAIN_SEARCH_CUT", 0, "policy.max_chain",
          note + "; ROLE_UNUSABLE, CHAIN_UNUSABLE and GRANT_UNUSABLE are not reported"));
    }
  }

  /**
   * The conditions each role's documents are judged by conservatively. The keys stated for a role
   * count, and the cluster's keys when every cluster states them (a role may serve any of them).
   */
  private static void conservative(Registry registry, List<RegistryIssue> issues) {
    Set<String> everyCluster = null;
    for (ClusterConfig cluster : registry.clusters()) {
      Set<String> keys = lower(cluster.requestContext().knownKeys());
      if (everyCluster == null) {
        everyCluster = keys;
      } else {
        everyCluster.retainAll(keys);
      }
    }
    List<RoleConfig> roles = List.copyOf(registry.roles());
    for (int i = 0; i < roles.size(); i++) {
      RoleConfig role = roles.get(i);
      Set<String> declared = lower(role.requestContext().knownKeys());
      if (everyCluster != null) {
        declared.addAll(everyCluster);
      }
      String at = "roles[" + i + "].policy_files.";
      List<Map.Entry<String, IamPolicy>> documents = new ArrayList<>();
      role.trustPolicy().ifPresent(p -> documents.add(Map.entry(at + "trust", p)));
      for (int j = 0; j < role.permissionPolicies().size(); j++) {
        documents.add(Map.entry(at + "permissions[" + j + "]", role.permissionPolicies().get(j)));
      }
      for (int j = 0; j < role.managedPolicies().size(); j++) {
        documents.add(Map.entry(at + "managed[" + j + "]", role.managedPolicies().get(j).policy()));
      }
      role.boundary().ifPresent(p -> documents.add(Map.entry(at + "boundary", p)));
      for (Map.Entry<String, IamPolicy> document : documents) {
        for (IamPolicy.ConditionUse use : document.getValue().conservativeConditions(declared)) {
          boolean allow = use.statement().effect() == IamEffect.ALLOW;
          issues.add(new RegistryIssue("CONSERVATIVE_CONDITION", role.line(), document.getKey(),
              document.getValue().source() + " " + use.statement().label() + " (line " + use.statement().line() + "): "
                  + use.operator() + " " + use.key() + ": the guard cannot know " + use.key() + ", so this "
                  + (allow ? "Allow grants nothing" : "Deny is taken to apply") + "; if every request of "
                  + role.arn().name() + " carries a known value, state it under request_context"));
        }
      }
    }
  }

  private static Set<String> lower(Set<String> keys) {
    Set<String> lower = new LinkedHashSet<>();
    keys.forEach(k -> lower.add(k.toLowerCase(Locale.ROOT)));
    return lower;
  }

  private static String whyUnusable(Registry registry, RoleConfig role) {
    List<String> attachedTo = registry.clusters().stream().filter(c -> c.isAttached(role.arn())).map(ClusterConfig::id)
        .toList();
    return attachedTo.isEmpty() ? "it is not attached to any cluster and no attached role can assume it"
        : "it is attached to " + String.join(", ", attachedTo) + " but the guard refuses it for every user"
            + " (its trust does not let Redshift of that region, or any user the registry names, assume it)";
  }

  /**
   * Short-form locations are prefixes: {@code s3://b/in/*} grants the keys starting with "in/*", not
   * those under {@code in/} (red-team review: it loaded without a word and every COPY under the
   * folder was denied), as an IAM document's {@code arn:aws:s3:::b/in/*} would.
   */
  private static void literalPatterns(Registry registry, List<RegistryIssue> issues) {
    List<RoleConfig> roles = List.copyOf(registry.roles());
    for (int i = 0; i < roles.size(); i++) {
      RoleConfig role = roles.get(i);
      String at = "roles[" + i + "].allow";
      role.allow().ifPresent(allow -> {
        literalPatterns(allow.s3Read(), role.line(), at + ".s3_read", issues);
        literalPatterns(allow.s3Write(), role.line(), at + ".s3_write", issues);
      });
    }
    literalPatterns(registry.settings().keys().s3Read(), 0, "policy.keys.s3_read", issues);
    literalPatterns(registry.settings().keys().s3Write(), 0, "policy.keys.s3_write", issues);
  }

  private static void literalPatterns(List<S3Prefix> prefixes, int line, String path, List<RegistryIssue> issues) {
    for (S3Prefix prefix : prefixes) {
      int star = prefix.key().indexOf('*');
      int mark = prefix.key().indexOf('?');
      int first = star < 0 ? mark : mark < 0 ? star : Math.min(star, mark);
      if (first >= 0) {
        issues.add(new RegistryIssue("S3_PATTERN_LITERAL", line, path, prefix + " is a prefix, not an IAM pattern: "
            + prefix.key().charAt(first) + " is a character of the key here, so only keys starting with \""
            + prefix.key() + "\" match; write s3://" + prefix.bucket() + "/" + prefix.key().substring(0, first)
            + " for every key under it"));
      }
    }
  }

  private static void wholeBuckets(Registry registry, AccessReport report, List<RegistryIssue> issues) {
    Map<String, Set<String>> byRoleAndResource = new LinkedHashMap<>();
    for (AccessEntry entry : report.entries()) {
      if (AccessReport.wholeBucket(entry)) {
        String last = entry.roles().get(entry.roles().size() - 1);
        byRoleAndResource.computeIfAbsent(last + "\n" + entry.command().label() + "\n" + entry.resource() + "\n"
            + entry.partial(), k -> new LinkedHashSet<>()).add(entry.principal().label());
      }
    }
    List<RoleConfig> roles = List.copyOf(registry.roles());
    byRoleAndResource.forEach((key, who) -> {
      String[] parts = key.split("\n");
      RoleConfig role = registry.role(RoleArn.of(parts[0])).orElseThrow();
      String verb = parts[1].equals("COPY") ? "read" : "write";
      String what = (parts[2].startsWith("s3://*") ? "every object of every bucket" : "every object of bucket "
          + parts[2].substring("s3://".length(), parts[2].length() - 1))
          + (Boolean.parseBoolean(parts[3]) ? " but those a Deny or a condition takes away" : "");
      issues.add(new RegistryIssue("WHOLE_BUCKET", role.line(), "roles[" + roles.indexOf(role) + "]",
          role.arn() + " may " + verb + " " + what + " (" + parts[1] + " for " + String.join(", ", who)
              + "); least privilege names a prefix"));
    });
  }
}
