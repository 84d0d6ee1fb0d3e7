package dev.iamguard.policy.registry;

import dev.iamguard.policy.yaml.NodeMap;
import dev.iamguard.policy.yaml.YamlTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads the {@code users} section (user name to groups, Redshift roles and the superuser flag) and
 * the {@code db_roles} section (Redshift role to the roles granted to it), rejecting a role that
 * would hold itself through a cycle of grants, as Redshift does.
 */
final class UserReader {

  private static final List<String> KEYS = List.of("groups", "roles", "superuser");
  private static final List<String> ROLE_KEYS = List.of("roles");

  private final Problems problems;
  private final RegistryValues values;

  UserReader(Problems problems) {
    this.problems = problems;
    this.values = new RegistryValues(problems);
  }

  List<UserConfig> read(Node section) {
    List<UserConfig> users = new ArrayList<>();
    Map<String, UserConfig> byName = new HashMap<>();
    NodeMap map = problems.mapping(section, "users", null).orElse(null);
    if (map == null) {
      return users;
    }
    for (String name : map.keys()) {
      String path = "users." + name;
      Node key = map.keyNode(name).orElseThrow();
      problems.mapping(map.get(name).orElseThrow(), path, KEYS).ifPresent(entry -> {
        boolean superuser = entry.get("superuser").flatMap(n -> problems.bool(n, path + ".superuser")).orElse(false);
        UserConfig user = new UserConfig(name, names(entry, "groups", path, "group name"),
            names(entry, "roles", path, "role name"), superuser, YamlTree.line(key));
        UserConfig first = byName.putIfAbsent(Names.folded(name), user);
        if (first != null) {
          problems.add(key, path, "user \"" + name + "\" differs only in case from \""
              + first.name() + "\" (line " + first.line() + "); Redshift folds names to lower case");
        } else {
          users.add(user);
        }
      });
    }
    return users;
  }

  List<DbRoleConfig> readRoles(Node section) {
    List<DbRoleConfig> roles = new ArrayList<>();
    Map<String, DbRoleConfig> byName = new HashMap<>();
    NodeMap map = problems.mapping(section, "db_roles", null).orElse(null);
    if (map == null) {
      return roles;
    }
    Map<String, Node> keys = new HashMap<>();
    for (String name : map.keys()) {
      String path = "db_roles." + name;
      Node key = map.keyNode(name).orElseThrow();
      problems.mapping(map.get(name).orElseThrow(), path, ROLE_KEYS).ifPresent(entry -> {
        DbRoleConfig role = new DbRoleConfig(name, names(entry, "roles", path, "role name"), YamlTree.line(key));
        DbRoleConfig first = byName.putIfAbsent(Names.folded(name), role);
        if (first != null) {
          problems.add(key, path, "role \"" + name + "\" differs only in case from \""
              + first.name() + "\" (line " + first.line() + "); Redshift folds names to lower case");
        } else {
          roles.add(role);
          keys.put(Names.folded(role.name()), key);
        }
      });
    }
    Set<String> reported = new HashSet<>();
    for (DbRoleConfig role : roles) {
      String name = Names.folded(role.name());
      List<String> cycle = reported.contains(name) ? List.of()
          : search(name, name, byName, new ArrayList<>(List.of(name)), new HashSet<>());
      if (!cycle.isEmpty()) {
        reported.addAll(cycle);
        problems.add(keys.get(name), "db_roles." + role.name(),
            "role \"" + role.name() + "\" holds itself through " + String.join(" -> ", cycle)
                + "; Redshift refuses to grant a role to a role that holds it: remove one of these grants");
      }
    }
    return roles;
  }

  /** A path of grants from {@code at} back to {@code start} ({@code a -> b -> a}), or empty. */
  private static List<String> search(String start, String at, Map<String, DbRoleConfig> byName, List<String> path,
      Set<String> seen) {
    DbRoleConfig role = byName.get(at);
    if (role == null) {
      return List.of();
    }
    for (String granted : role.roles()) {
      String next = Names.folded(granted);
      if (next.equals(start)) {
        List<String> found = new ArrayList<>(path);
        found.add(next);
        return found;
      }
      if (seen.add(next)) {
        path.add(next);
        List<String> found = search(start, next, byName, path, seen);
        if (!found.isEmpty()) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    }
    return List.of();
  }

  private List<String> names(NodeMap entry, String key, String path, String what) {
    return entry.get(key).map(n -> problems.texts(n, path + "." + key)).orElse(List.of()).stream()
        .flatMap(i -> values.word(i, what).stream()).toList();
  }
}
