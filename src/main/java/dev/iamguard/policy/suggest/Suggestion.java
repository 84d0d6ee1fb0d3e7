package dev.iamguard.policy.suggest;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.ChainConfig;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.ExternalSchemaConfig;
import dev.iamguard.policy.registry.Registry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the scripts need, and nothing more: the registry entries, the grants and, with a registry
 * to compare, what it lacks ({@link #additions}) and what it grants that no statement uses
 * ({@link #unused}). Immutable.
 *
 * @param given the registry the suggestion was made with, if any
 * @param cluster the cluster, with only the attached roles and default role the scripts use
 * @param roles the roles, in the order the scripts first use them
 * @param chains the registry's named chains the scripts use
 * @param grants the ASSUMEROLE grants the scripts need; empty when no user is known
 * @param grantsSection whether the registry should have a grants section (the users are known)
 * @param externalSchemas the registry's external schemas the scripts use
 * @param gaps the statements whose needs cannot be stated: the suggestion is incomplete without them
 * @param notes what the reader should know about the suggestion as a whole
 * @param additions with a registry: what the suggestion has that the registry does not grant
 * @param unused with a registry: what the registry grants that no statement uses
 * @param statements the statements read
 * @param resolved the statements whose needs are in the suggestion
 * @param ungranted what covered statements need that the IAM documents do not grant, as the statement
 *     and the permission: a resource the scripts do not name (a KMS key by alias, the Glue database of
 *     a schema the registry knows by role only); the suggestion is not complete without them
 * @param shortFormGaps covered statements the registry's short form cannot grant without widening: a
 *     location that is a key prefix in its bucket's top level ({@code s3://b/venue_}), which a short-form
 *     prefix, granting by path segment, could hold only as the whole bucket; the IAM documents name its
 *     keys exactly. Gaps of the short form ({@link #asShortForm}), not of the IAM documents
 */
public record Suggestion(Optional<Registry> given, ClusterConfig cluster, List<SuggestedRole> roles,
    List<ChainConfig> chains, List<SuggestedGrant> grants, boolean grantsSection,
    List<ExternalSchemaConfig> externalSchemas, List<Gap> gaps, List<String> notes, List<String> additions,
    List<String> unused, int statements, int resolved, List<Gap> ungranted, List<Gap> shortFormGaps) {

  /** A suggestion whose short form holds all that its IAM documents grant. */
  public Suggestion(Optional<Registry> given, ClusterConfig cluster, List<SuggestedRole> roles,
      List<ChainConfig> chains, List<SuggestedGrant> grants, boolean grantsSection,
      List<ExternalSchemaConfig> externalSchemas, List<Gap> gaps, List<String> notes, List<String> additions,
      List<String> unused, int statements, int resolved, List<Gap> ungranted) {
    this(given, cluster, roles, chains, grants, grantsSection, externalSchemas, gaps, notes, additions, unused,
        statements, resolved, ungranted, List.of());
  }

  /** A suggestion whose documents grant all that its covered statements need. */
  public Suggestion(Optional<Registry> given, ClusterConfig cluster, List<SuggestedRole> roles,
      List<ChainConfig> chains, List<SuggestedGrant> grants, boolean grantsSection,
      List<ExternalSchemaConfig> externalSchemas, List<Gap> gaps, List<String> notes, List<String> additions,
      List<String> unused, int statements, int resolved) {
    this(given, cluster, roles, chains, grants, grantsSection, externalSchemas, gaps, notes, additions, unused,
        statements, resolved, List.of());
  }

  public Suggestion {
    ungranted = List.copyOf(ungranted);
    shortFormGaps = List.copyOf(shortFormGaps);
    roles = List.copyOf(roles);
    chains = List.copyOf(chains);
    grants = List.copyOf(grants);
    externalSchemas = List.copyOf(externalSchemas);
    gaps = List.copyOf(gaps);
    notes = List.copyOf(notes);
    additions = List.copyOf(additions);
    unused = List.copyOf(unused);
  }

  /**
   * This suggestion as the registry's short form ({@code trust:}/{@code allow:}) states it: the
   * statements it cannot grant without widening ({@link #shortFormGaps}) are gaps, not covered. The
   * IAM documents, and a registry naming them as {@code policy_files}, need no such gap.
   */
  public Suggestion asShortForm() {
    if (shortFormGaps.isEmpty()) {
      return this;
    }
    List<Gap> all = new java.util.ArrayList<>(gaps);
    all.addAll(shortFormGaps);
    List<String> said = new java.util.ArrayList<>(notes);
    said.add(unresolved(shortFormGaps) + " statement(s) touch a key prefix in a bucket's top level, which the "
        + "short form can grant only as the whole bucket: it is not granted (see the gaps); --format iam --out "
        + "writes IAM documents naming those keys exactly, and a registry using them");
    return new Suggestion(given, cluster, roles, chains, grants, grantsSection, externalSchemas, all, said,
        additions, unused, statements, resolved - (unresolved(all) - unresolved(gaps)), ungranted, List.of());
  }

  /** How many statements the gaps are about: a statement may have more than one. */
  public int unresolved() {
    return unresolved(gaps);
  }

  static int unresolved(List<Gap> gaps) {
    return (int) gaps.stream().map(g -> g.file() + ":" + g.line() + ":" + g.column()).distinct().count();
  }

  /** Whether every statement's needs are stated, and the IAM documents grant them all. */
  public boolean complete() {
    return gaps.isEmpty() && ungranted.isEmpty();
  }

  /** The role {@code arn}, if the scripts use it. */
  public Optional<SuggestedRole> role(RoleArn arn) {
    return roles.stream().filter(r -> r.arn().equals(arn)).findFirst();
  }

  /** The roles attached to the cluster, as ARN texts. */
  public List<String> attachedRoleArns() {
    return cluster.attachedRoles().stream().map(RoleArn::toString).toList();
  }

  /** The cluster's default role, when a statement uses IAM_ROLE DEFAULT. */
  public Optional<String> defaultRoleArn() {
    return cluster.defaultRole().map(RoleArn::toString);
  }

  /**
   * A role name that reads as a qualified stem ({@code [partition-]account-name}): written alone it
   * could be the stem of another account's role of that name ({@code role/111111111111-R1} in one
   * account, {@code role/R1} in 111111111111 and another), so it is qualified too.
   */
  private static final Pattern LOOKS_QUALIFIED = Pattern.compile("(?i)(aws(-[a-z]+)*-)?[0-9]{12}-.+");

  /**
   * Each role's file name stem for its IAM documents, by ARN text: its name where no other role's
   * name is the same ignoring case (file systems may ignore it) and the name does not read as a
   * qualified stem, else {@code [partition-]account-name} (the partition only outside {@code aws}).
   * A name is stem to one role only, ignoring case, unless two roles share partition, account and
   * name (and differ by path), which IAM cannot hold both of: {@link #fileStemClash} names them.
   */
  public Map<String, String> fileStems() {
    Map<String, Integer> counts = new HashMap<>();
    roles.forEach(r -> counts.merge(r.roleName().toLowerCase(Locale.ROOT), 1, Integer::sum));
    Map<String, String> stems = new LinkedHashMap<>();
    for (SuggestedRole role : roles) {
      String name = role.roleName();
      boolean alone = counts.get(name.toLowerCase(Locale.ROOT)) == 1 && !LOOKS_QUALIFIED.matcher(name).matches();
      String partition = role.arn().partition().equals("aws") ? "" : role.arn().partition() + "-";
      stems.put(role.arnText(), alone ? name : partition + role.accountId() + "-" + name);
    }
    return stems;
  }

  /**
   * Two roles whose {@link #fileStems} are the same ignoring case (they share partition, account and
   * name, and differ by path), as a sentence naming both; empty when every role has a stem of its own.
   * Written into one folder, one role's documents would replace the other's.
   */
  public Optional<String> fileStemClash() {
    Map<String, String> owners = new HashMap<>();
    for (Map.Entry<String, String> stem : fileStems().entrySet()) {
      String other = owners.putIfAbsent(stem.getValue().toLowerCase(Locale.ROOT), stem.getKey());
      if (other != null) {
        return Optional.of("roles " + other + " and " + stem.getKey() + " would be written to the same files ("
            + stem.getValue() + ".*): they share account and name, which IAM gives one role only");
      }
    }
    return Optional.empty();
  }

  /** The GRANT ASSUMEROLE statements, one a line. */
  public List<String> grantStatements() {
    return grants.stream().map(SuggestedGrant::toSql).toList();
  }
}
