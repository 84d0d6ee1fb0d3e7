package dev.iamguard.policy.access;

import dev.iamguard.sql.AssumeRoleGrant;
import dev.iamguard.policy.registry.ExternalSchemaConfig;
import dev.iamguard.policy.registry.GrantConfig;
import dev.iamguard.policy.registry.PolicySettings;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.S3Prefix;
import dev.iamguard.policy.registry.UserConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What changes between two registries outside the access table, yet decides statements: the
 * {@code policy} settings, the keys' resources, the roles and databases of external schemas, the
 * ASSUMEROLE grants, the users' memberships and superuser flags, and what aliases and named chains
 * stand for (probe 21a F2: each of these turned a denied
 * statement into an allowed one while {@code registry diff} said nothing was gained). A change
 * that may let more through widens; where its direction is not known (an external schema reached
 * through another role) it counts as widening, so a CI gate stops on it.
 */
public final class SettingsDiff {
  /**
   * One change.
   *
   * @param what the setting or declaration, as the registry names it ({@code policy.mode},
   *     {@code external_schemas.spectrum}, {@code grants}, {@code users.bob.superuser})
   * @param before its value in the old registry ({@code -} when absent)
   * @param after its value in the new one ({@code -} when absent)
   * @param widens whether it may let a statement through that the old registry denied
   */
  public record Change(String what, String before, String after, boolean widens) {}

  private static final String ABSENT = "-";

  private SettingsDiff() {}

  /** The changes from {@code before} to {@code after}, widening ones first, each group in name order. */
  public static List<Change> between(Registry before, Registry after) {
    List<Change> changes = new ArrayList<>();
    settings(before.settings(), after.settings(), changes);
    externalSchemas(before.externalSchemas(), after.externalSchemas(), after.settings().unknownExternalSchema(), changes);
    grants(before, after, changes);
    users(before.users(), after.users(), changes);
    dbRoles(before, after, changes);
    aliases(before, after, changes);
    changes.sort((a, b) -> a.widens() != b.widens() ? (a.widens() ? -1 : 1) : a.what().compareTo(b.what()));
    return changes;
  }

  private static void settings(PolicySettings old, PolicySettings now, List<Change> changes) {
    // the enums run from strict to loose, but Switch, which runs from loose to strict
    ordered("policy.mode", old.mode(), now.mode(), now.mode().ordinal() > old.mode().ordinal(), changes);
    ordered("policy.credentials", old.credentials(), now.credentials(),
        now.credentials().ordinal() > old.credentials().ordinal(), changes);
    ordered("policy.rewrite_aliases", old.rewriteAliases(), now.rewriteAliases(), now.rewriteAliases(), changes);
    ordered("policy.rewrite_default_role", old.rewriteDefaultRole(), now.rewriteDefaultRole(),
        now.rewriteDefaultRole(), changes);
    ordered("policy.max_chain", old.maxChain(), now.maxChain(), now.maxChain() > old.maxChain(), changes);
    ordered("policy.session_role", old.sessionRole(), now.sessionRole(),
        now.sessionRole().ordinal() < old.sessionRole().ordinal(), changes);
    ordered("policy.copy_job_run", old.copyJobRun(), now.copyJobRun(),
        now.copyJobRun().ordinal() < old.copyJobRun().ordinal(), changes);
    ordered("policy.unknown_external_schema", old.unknownExternalSchema(), now.unknownExternalSchema(),
        now.unknownExternalSchema().ordinal() < old.unknownExternalSchema().ordinal(), changes);
    ordered("policy.dynamic_sql", old.dynamicSql(), now.dynamicSql(),
        now.dynamicSql().ordinal() > old.dynamicSql().ordinal(), changes);
    prefixes("policy.keys.s3_read", old.keys().s3Read(), now.keys().s3Read(), changes);
    prefixes("policy.keys.s3_write", old.keys().s3Write(), now.keys().s3Write(), changes);
    items("policy.keys.dynamodb_tables", old.keys().dynamodbTables(), now.keys().dynamodbTables(), changes);
    items("policy.keys.emr_clusters", old.keys().emrClusters(), now.keys().emrClusters(), changes);
  }

  private static void ordered(String what, Object old, Object now, boolean widens, List<Change> changes) {
    if (!old.equals(now)) {
      changes.add(new Change(what, text(old), text(now), widens));
    }
  }

  private static String text(Object value) {
    return value instanceof Enum<?> e ? e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') : String.valueOf(value);
  }

  /**
   * Each prefix of {@code now} that no prefix of {@code old} covers widens; each of {@code old} no
   * longer there narrows. A prefix covers another of its bucket when they are equal, or it is the
   * whole bucket or a folder the other lies in: no more is assumed of how the guard reads them.
   */
  private static void prefixes(String what, List<S3Prefix> old, List<S3Prefix> now, List<Change> changes) {
    for (S3Prefix prefix : now) {
      if (old.stream().noneMatch(o -> covers(o, prefix))) {
        changes.add(new Change(what, ABSENT, prefix.toString(), true));
      }
    }
    for (S3Prefix prefix : old) {
      if (!now.contains(prefix)) {
        changes.add(new Change(what, prefix.toString(), ABSENT, false));
      }
    }
  }

  private static boolean covers(S3Prefix old, S3Prefix now) {
    return old.bucket().equals(now.bucket()) && (old.key().equals(now.key()) || old.key().isEmpty()
        || old.key().endsWith("/") && now.key().startsWith(old.key()));
  }

  private static void items(String what, List<String> old, List<String> now, List<Change> changes) {
    now.stream().filter(item -> !old.contains(item)).forEach(item -> changes.add(new Change(what, ABSENT, item, true)));
    old.stream().filter(item -> !now.contains(item)).forEach(item -> changes.add(new Change(what, item, ABSENT, false)));
  }

  /**
   * An external schema's role and reach; one gone widens unless the new registry denies what it does
   * not know ({@code unknown_external_schema: deny}) and no entry of the same name is left to reach
   * its tables through another role (red-team review: under the default {@code warn} a schema
   * removed left its tables' locations unchecked, and the diff called it narrowing).
   */
  private static void externalSchemas(List<ExternalSchemaConfig> old, List<ExternalSchemaConfig> now,
      PolicySettings.Switch unknown, List<Change> changes) {
    Function<ExternalSchemaConfig, String> key = s -> "external_schemas." + s.name()
        + s.cluster().map(c -> " (cluster " + c + ")").orElse("");
    // the role, and what the role reaches through it: the database, catalog and region it names
    Function<ExternalSchemaConfig, String> reach = s -> roles(s.chain())
        + s.database().map(d -> " database " + d).orElse("") + s.catalogId().map(c -> " catalog_id " + c).orElse("")
        + s.region().map(r -> " region " + r).orElse("");
    Map<String, String> before = new TreeMap<>();
    old.forEach(s -> before.put(key.apply(s), reach.apply(s)));
    Map<String, String> after = new TreeMap<>();
    now.forEach(s -> after.put(key.apply(s), reach.apply(s)));
    Set<String> namesLeft = new TreeSet<>();
    now.forEach(s -> namesLeft.add(s.name()));
    Set<String> goneWidening = new TreeSet<>();
    old.stream().filter(s -> unknown != PolicySettings.Switch.DENY || namesLeft.contains(s.name()))
        .forEach(s -> goneWidening.add(key.apply(s)));
    standsFor(before, after, goneWidening::contains, changes);
  }

  /**
   * Names and what each stands for: a name new or standing for something else widens (another
   * role reaches other data), a name gone narrows unless {@code goneWidens} says it widens.
   */
  private static void standsFor(Map<String, String> before, Map<String, String> after,
      java.util.function.Predicate<String> goneWidens, List<Change> changes) {
    after.forEach((name, target) -> {
      String was = before.get(name);
      if (!target.equals(was)) {
        changes.add(new Change(name, was == null ? ABSENT : was, target, true));
      }
    });
    before.forEach((name, target) -> {
      if (!after.containsKey(name)) {
        changes.add(new Change(name, target, ABSENT, goneWidens.test(name)));
      }
    });
  }

  private static String roles(List<? extends Object> chain) {
    return String.join(",", chain.stream().map(Object::toString).toList());
  }

  /**
   * Without a {@code grants} section the registry stands for Redshift before any REVOKE: PUBLIC
   * holds ASSUMEROLE on ALL. With one, each grant is compared as what it gives: one line per chain
   * (or {@code default}, {@code ALL}), grantee and command, {@code FOR ALL} standing for each command.
   */
  private static void grants(Registry old, Registry now, List<Change> changes) {
    if (old.grantsEnforced() != now.grantsEnforced()) {
      String none = "none declared (PUBLIC holds ASSUMEROLE on ALL)";
      changes.add(new Change("grants", old.grantsEnforced() ? "declared" : none,
          now.grantsEnforced() ? "declared" : none, !now.grantsEnforced()));
      return;
    }
    if (!now.grantsEnforced()) {
      return;
    }
    Set<String> before = granted(old.grants());
    Set<String> after = granted(now.grants());
    after.stream().filter(g -> !before.contains(g)).forEach(g -> changes.add(new Change("grants", ABSENT, g, true)));
    before.stream().filter(g -> !after.contains(g)).forEach(g -> changes.add(new Change("grants", g, ABSENT, false)));
  }

  private static Set<String> granted(List<GrantConfig> grants) {
    Set<String> out = new TreeSet<>();
    for (GrantConfig grant : grants) {
      List<String> scopes = grant.scope() == GrantConfig.Scope.CHAINS
          ? grant.chains().stream().map(SettingsDiff::roles).toList()
          : List.of(grant.scope() == GrantConfig.Scope.DEFAULT ? "default" : "ALL");
      Set<GrantConfig.Command> commands = grant.commands().contains(GrantConfig.Command.ALL)
          ? EnumSet.complementOf(EnumSet.of(GrantConfig.Command.ALL)) : grant.commands();
      for (String scope : scopes) {
        for (AssumeRoleGrant.Grantee grantee : grant.grantees()) {
          for (GrantConfig.Command command : commands) {
            out.add("ON " + scope + " TO " + grantee + " FOR " + command.sql());
          }
        }
      }
    }
    return out;
  }

  /**
   * What a name in SQL stands for: a role's alias ({@code IAM_ROLE 'etl'}) and a named chain. Moved to
   * another role or chain, the same statement is rewritten to reach other data: any change of what a
   * name stands for widens, a name gone narrows.
   */
  private static void aliases(Registry old, Registry now, List<Change> changes) {
    standsFor(names(old), names(now), name -> false, changes);
  }

  private static Map<String, String> names(Registry registry) {
    Map<String, String> names = new TreeMap<>();
    registry.roles().forEach(r -> r.alias().ifPresent(a -> names.put("aliases." + a, r.arn().toString())));
    registry.chains().forEach(c -> names.put("chains." + c.name(), roles(c.roles())));
    return names;
  }

  /** A Redshift role given another role brings that role's grants. */
  private static void dbRoles(Registry old, Registry now, List<Change> changes) {
    Map<String, List<String>> before = new TreeMap<>();
    old.dbRoles().forEach(r -> before.put(r.name(), r.roles()));
    Map<String, List<String>> after = new TreeMap<>();
    now.dbRoles().forEach(r -> after.put(r.name(), r.roles()));
    Set<String> names = new TreeSet<>(before.keySet());
    names.addAll(after.keySet());
    for (String name : names) {
      items("db_roles." + name + ".roles", before.getOrDefault(name, List.of()), after.getOrDefault(name, List.of()),
          changes);
    }
  }

  /** A superuser holds ASSUMEROLE on every role; a group or role given to a user brings its grants. */
  private static void users(Collection<UserConfig> old, Collection<UserConfig> now, List<Change> changes) {
    Map<String, UserConfig> before = new TreeMap<>();
    old.forEach(u -> before.put(u.name(), u));
    for (UserConfig user : now) {
      UserConfig was = before.get(user.name());
      boolean wasSuper = was != null && was.superuser();
      if (user.superuser() != wasSuper) {
        changes.add(new Change("users." + user.name() + ".superuser", String.valueOf(wasSuper),
            String.valueOf(user.superuser()), user.superuser()));
      }
      items("users." + user.name() + ".groups", was == null ? List.of() : was.groups(), user.groups(), changes);
      items("users." + user.name() + ".roles", was == null ? List.of() : was.roles(), user.roles(), changes);
    }
    Set<String> names = new TreeSet<>();
    now.forEach(u -> names.add(u.name()));
    for (UserConfig was : before.values()) {
      if (!names.contains(was.name())) {
        if (was.superuser()) {
          changes.add(new Change("users." + was.name() + ".superuser", "true", "false", false));
        }
        items("users." + was.name() + ".groups", was.groups(), List.of(), changes);
        items("users." + was.name() + ".roles", was.roles(), List.of(), changes);
      }
    }
  }
}
