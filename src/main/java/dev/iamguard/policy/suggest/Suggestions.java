package dev.iamguard.policy.suggest;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.ChainConfig;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.DbUsers;
import dev.iamguard.policy.registry.ExternalSchemaConfig;
import dev.iamguard.policy.registry.GrantConfig;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RoleConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns the collected needs into the immutable {@link Suggestion}. */
final class Suggestions {
  private Suggestions() {}

  static Suggestion make(SuggestRequest request, Registry registry, ClusterConfig cluster,
      Map<RoleArn, RoleNeeds> needs, Map<String, Map<String, Set<GrantConfig.Command>>> grantNeeds,
      Set<String> chainNames, Set<String> schemaNames, List<Gap> gaps, boolean usedDefault, int statements,
      int resolved, Set<String> unmodelled, List<Gap> ungranted, List<Gap> shortFormGaps) {
    boolean usersKnown = !request.users().isEmpty();
    List<SuggestedRole> roles = new ArrayList<>();
    List<RoleArn> attached = new ArrayList<>();
    for (RoleNeeds role : needs.values()) {
      roles.add(role(role, registry, cluster, usersKnown));
      if (role.first) {
        attached.add(role.arn);
      }
    }
    Optional<RoleArn> defaultRole = usedDefault ? cluster.defaultRole() : Optional.empty();
    // its database users are named by the workgroup's id: without it the trust policies and the
    // registry would name other users
    ClusterConfig suggested = new ClusterConfig(cluster.id(), cluster.account(), cluster.region(), attached,
        defaultRole, cluster.serverless(), cluster.requestContext(), 0, cluster.workgroupId());
    List<ChainConfig> chains = registry == null ? List.of()
        : chainNames.stream().map(n -> registry.chain(n).orElseThrow()).toList();
    List<ExternalSchemaConfig> schemas = registry == null ? List.of()
        : registry.externalSchemas().stream().filter(s -> schemaNames.contains(s.name())).toList();
    List<String> notes = new ArrayList<>();
    if (!usersKnown) {
      notes.add("no database user named (--user, --users-from-grants): the trust policies name no sts:ExternalId "
          + "and no GRANT ASSUMEROLE is suggested, so every user may use the roles");
    }
    List<String> nothing = roles.stream().filter(SuggestedRole::grantsNothing).map(SuggestedRole::arnText).toList();
    if (!nothing.isEmpty()) {
      notes.add("no permission suggest models is needed by " + String.join(", ", nothing) + " (an external schema "
          + "from Kinesis, MSK, Kafka or a datashare, a library from https): the role gets a trust policy and no "
          + "permissions policy; give it what that service needs");
    }
    if (!unmodelled.isEmpty()) {
      notes.add("the IAM documents grant what the guard checks; the statements also need what they do not: "
          + String.join("; ", unmodelled));
    }
    if (!ungranted.isEmpty()) {
      notes.add(Suggestion.unresolved(ungranted) + " statement(s) need what the IAM documents do not grant, as the "
          + "scripts do not name its resource: grant it by hand (see ungranted)");
    }
    if (!gaps.isEmpty()) {
      notes.add(Suggestion.unresolved(gaps) + " statement(s) could not be resolved: the suggestion does not cover them (see gaps)");
    }
    Suggestion draft = new Suggestion(Optional.ofNullable(registry), suggested, roles, chains,
        usersKnown ? grants(grantNeeds) : List.of(), usersKnown, schemas, gaps, notes, List.of(), List.of(),
        statements, resolved, ungranted, shortFormGaps);
    if (registry == null) {
      return draft;
    }
    RegistryDiff diff = RegistryDiff.of(draft, registry, cluster, needs);
    return new Suggestion(draft.given(), suggested, roles, chains, draft.grants(), usersKnown, schemas, gaps, notes,
        diff.additions(), diff.unused(), statements, resolved, ungranted, shortFormGaps);
  }

  private static Optional<String> alias(Registry registry, RoleArn arn) {
    return registry == null ? Optional.empty() : registry.role(arn).flatMap(RoleConfig::alias);
  }

  private static SuggestedRole role(RoleNeeds role, Registry registry, ClusterConfig cluster, boolean usersKnown) {
    Optional<List<String>> dbUsers = usersKnown
        ? Optional.of(role.users.stream().map(u -> DbUsers.arn(cluster, u)).toList()) : Optional.empty();
    Map<String, String> dynamodb = role.dynamodbArns;
    return new SuggestedRole(role.arn, alias(registry, role.arn), role.first ? List.of(cluster.region()) : List.of(),
        dbUsers, new ArrayList<>(role.principals), KeySpaces.merge(role.reads), KeySpaces.merge(role.writes),
        role.lambdas, role.catalogs, new ArrayList<>(role.assume), dynamodb, role.emrArns, KeySpaces.merge(role.deletes),
        KeyPattern.merge(role.readObjects), KeyPattern.merge(role.writeObjects), KeyPattern.merge(role.deleteObjects),
        otherActions(role), dbUserArns(role.redshiftUsers, cluster), principalUsers(role, cluster),
        new ArrayList<>(role.services), new ArrayList<>(role.passedTo));
  }

  private static List<String> dbUserArns(Collection<String> users, ClusterConfig cluster) {
    return users.stream().map(u -> DbUsers.arn(cluster, u)).toList();
  }

  /** Each role before this one to the users who run a chain with that hop, in first-seen order. */
  private static Map<RoleArn, List<String>> principalUsers(RoleNeeds role, ClusterConfig cluster) {
    Map<RoleArn, List<String>> users = new LinkedHashMap<>();
    role.principalUsers.forEach((principal, names) -> users.put(principal, dbUserArns(names, cluster)));
    return users;
  }

  private static Map<String, List<String>> otherActions(RoleNeeds role) {
    Map<String, List<String>> actions = new LinkedHashMap<>();
    role.other.forEach((resource, needed) -> actions.put(resource, List.copyOf(needed)));
    return actions;
  }

  /** One grant per target and set of commands, to every user who runs exactly those. */
  private static List<SuggestedGrant> grants(Map<String, Map<String, Set<GrantConfig.Command>>> needs) {
    List<SuggestedGrant> grants = new ArrayList<>();
    needs.forEach((target, byUser) -> {
      Map<Set<GrantConfig.Command>, List<String>> byCommands = new LinkedHashMap<>();
      byUser.forEach((user, commands) -> byCommands.computeIfAbsent(commands, c -> new ArrayList<>()).add(user));
      byCommands.forEach((commands, users) -> grants.add(new SuggestedGrant(target, users,
          commands(commands))));
    });
    return grants;
  }

  private static List<String> commands(Collection<GrantConfig.Command> commands) {
    return commands.stream().sorted().map(GrantConfig.Command::sql).toList();
  }
}
