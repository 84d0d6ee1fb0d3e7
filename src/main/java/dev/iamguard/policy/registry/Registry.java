package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.RoleArn;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The role registry: clusters, roles, named chains, ASSUMEROLE grants, users and settings, as
 * loaded by {@link RegistryLoader}. Immutable. Aliases, chain names, user names and cluster ids
 * are looked up ignoring case (Redshift folds unquoted names to lower case, and a registry
 * where two names differ only in case would be ambiguous, so the loader rejects that).
 */
public final class Registry {

  private final String source;
  private final List<ClusterConfig> clusters;
  private final Map<RoleArn, RoleConfig> roles;
  private final Map<String, RoleConfig> rolesByAlias;
  private final Map<String, ChainConfig> chains;
  private final Optional<List<GrantConfig>> grants;
  private final Map<String, UserConfig> users;
  private final PolicySettings settings;
  private final List<ExternalSchemaConfig> externalSchemas;
  private final Map<String, DbRoleConfig> dbRoles;
  /** The ASSUMEROLE privileges the grants section gives, expanded on first use. */
  private volatile AssumeRoleGrants assumeRoleGrants;

  /**
   * @param grants the grants; empty when the registry has no {@code grants} section, which
   *     leaves every attached role usable by every user (as Redshift does before any REVOKE)
   */
  Registry(String source, List<ClusterConfig> clusters, List<RoleConfig> roles,
      List<ChainConfig> chains, Optional<List<GrantConfig>> grants, List<UserConfig> users,
      PolicySettings settings, List<ExternalSchemaConfig> externalSchemas, List<DbRoleConfig> dbRoles) {
    this.source = source;
    this.clusters = List.copyOf(clusters);
    this.roles = index(roles, RoleConfig::arn);
    this.rolesByAlias = index(roles.stream().filter(r -> r.alias().isPresent()).toList(),
        r -> lower(r.alias().get()));
    this.chains = index(chains, c -> lower(c.name()));
    this.grants = grants.map(List::copyOf);
    this.users = index(users, u -> Names.folded(u.name()));
    this.settings = settings;
    this.externalSchemas = List.copyOf(externalSchemas);
    this.dbRoles = index(dbRoles, r -> Names.folded(r.name()));
  }

  private static <K, V> Map<K, V> index(Collection<V> values, Function<V, K> key) {
    return values.stream().collect(Collectors.toMap(key, v -> v, (a, b) -> a, LinkedHashMap::new));
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** The registry file as named to the loader. */
  public String source() {
    return source;
  }

  public List<ClusterConfig> clusters() {
    return clusters;
  }

  public Optional<ClusterConfig> cluster(String id) {
    for (ClusterConfig cluster : clusters) {
      if (cluster.id().equalsIgnoreCase(id)) {
        return Optional.of(cluster);
      }
    }
    return Optional.empty();
  }

  /** The roles in file order. */
  public Collection<RoleConfig> roles() {
    return roles.values();
  }

  public Optional<RoleConfig> role(RoleArn arn) {
    return Optional.ofNullable(roles.get(arn));
  }

  public Optional<RoleConfig> roleByAlias(String alias) {
    return Optional.ofNullable(rolesByAlias.get(lower(alias)));
  }

  /** The named chains in file order. */
  public Collection<ChainConfig> chains() {
    return chains.values();
  }

  public Optional<ChainConfig> chain(String name) {
    return Optional.ofNullable(chains.get(lower(name)));
  }

  /** Whether ASSUMEROLE grants are enforced: the registry has a {@code grants} section. */
  public boolean grantsEnforced() {
    return grants.isPresent();
  }

  /** The grants; empty both without a section and with an empty one (see grantsEnforced). */
  public List<GrantConfig> grants() {
    return grants.orElse(List.of());
  }

  public Collection<UserConfig> users() {
    return users.values();
  }

  public Optional<UserConfig> user(String name) {
    return Optional.ofNullable(users.get(Names.folded(name)));
  }

  /** The external schemas of the {@code external_schemas} section, in file order. */
  public List<ExternalSchemaConfig> externalSchemas() {
    return externalSchemas;
  }

  /**
   * The external schema {@code name} (ignoring the case of its ASCII letters, as Redshift does:
   * {@code ſpectrum} is not {@code spectrum}, which {@code equalsIgnoreCase} would say) on
   * {@code cluster} (null = any).
   */
  public Optional<ExternalSchemaConfig> externalSchema(String name, String cluster) {
    String folded = Names.folded(name);
    for (ExternalSchemaConfig schema : externalSchemas) {
      if (Names.folded(schema.name()).equals(folded)
          && (cluster == null || schema.cluster().map(c -> c.equalsIgnoreCase(cluster)).orElse(true))) {
        return Optional.of(schema);
      }
    }
    return Optional.empty();
  }

  /** The registry's ASSUMEROLE privileges, before any GRANT or REVOKE statement. */
  AssumeRoleGrants assumeRoleGrants() {
    AssumeRoleGrants grants = assumeRoleGrants;
    if (grants == null) {
      grants = AssumeRoleGrants.of(this);
      assumeRoleGrants = grants;
    }
    return grants;
  }

  /** The Redshift roles the registry says are granted to other roles, in file order. */
  public Collection<DbRoleConfig> dbRoles() {
    return dbRoles.values();
  }

  /**
   * The Redshift roles held through {@code held}: those and every role granted to them, again and
   * again (a role granted to a role passes its grants on), in lower case.
   */
  public java.util.Set<String> rolesHeldThrough(Collection<String> held) {
    java.util.Set<String> all = new java.util.LinkedHashSet<>();
    java.util.Deque<String> next = new java.util.ArrayDeque<>();
    held.forEach(r -> next.add(Names.folded(r)));
    while (!next.isEmpty()) {
      String role = next.poll();
      if (all.add(role)) {
        DbRoleConfig config = dbRoles.get(role);
        if (config != null) {
          config.roles().forEach(r -> next.add(Names.folded(r)));
        }
      }
    }
    return all;
  }

  public PolicySettings settings() {
    return settings;
  }

  @Override
  public String toString() {
    return "registry " + source + " (" + clusters.size() + " clusters, " + roles.size()
        + " roles, " + chains.size() + " chains)";
  }
}
