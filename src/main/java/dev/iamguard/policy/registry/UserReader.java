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
    Map<String, Integer> cyclic = cyclicComponents(byName);
    for (DbRoleConfig role : roles) {
      String name = Names.folded(role.name());
      Integer component = cyclic.get(name);
      List<String> cycle = component == null || reported.contains(name) ? List.of()
          : search(name, component, cyclic, byName);
      if (!cycle.isEmpty()) {
        reported.addAll(cycle);
        problems.add(keys.get(name), "db_roles." + role.name(),
            "role \"" + role.name() + "\" holds itself through " + String.join(" -> ", cycle)
                + "; Redshift refuses to grant a role to a role that holds it: remove one of these grants");
      }
    }
    return roles;
  }

  /**
   * A path of grants from {@code start} back to itself ({@code a -> b -> a}), or empty: depth first,
   * the grants of each role in the order written, each role entered once. A loop with a stack of
   * its own, not a recursion: a chain of a few thousand roles granted one to the next overflowed
   * the thread's stack (a StackOverflowError out of the loader, and out of the driver's connect).
   * Only the roles of {@code start}'s component are entered: no role outside it leads back to
   * {@code start}, so leaving them out finds the same path, and a long chain without a cycle is no
   * longer walked from each of its roles (time quadratic in its length).
   */
  private static List<String> search(String start, int component, Map<String, Integer> cyclic,
      Map<String, DbRoleConfig> byName) {
    List<String> path = new ArrayList<>(List.of(start));
    Set<String> seen = new HashSet<>();
    List<String> roles = new ArrayList<>(List.of(start)); // the role of each frame, parallel to next
    List<Integer> next = new ArrayList<>(List.of(0)); // each frame's next grant to read
    while (!roles.isEmpty()) {
      int top = roles.size() - 1;
      DbRoleConfig role = byName.get(roles.get(top));
      int at = next.get(top);
      if (role == null || at >= role.roles().size()) {
        roles.remove(top);
        next.remove(top);
        if (top > 0) {
          path.remove(path.size() - 1); // back from a role that leads nowhere new
        }
        continue;
      }
      next.set(top, at + 1);
      String granted = Names.folded(role.roles().get(at));
      if (granted.equals(start)) {
        path.add(granted);
        return path;
      }
      if (Integer.valueOf(component).equals(cyclic.get(granted)) && seen.add(granted)) {
        path.add(granted);
        roles.add(granted);
        next.add(0);
      }
    }
    return List.of();
  }

  /**
   * The roles that lie on a cycle of grants, each with the number of its strongly connected
   * component (Tarjan's algorithm, with a stack of its own): a component of two roles or more, or
   * a role granted to itself. Linear in the roles and grants.
   */
  private static Map<String, Integer> cyclicComponents(Map<String, DbRoleConfig> byName) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Set<String> onStack = new HashSet<>();
    List<String> stack = new ArrayList<>();
    Map<String, Integer> cyclic = new HashMap<>();
    int components = 0;
    for (String root : byName.keySet()) {
      if (index.containsKey(root)) {
        continue;
      }
      List<String> frames = new ArrayList<>(List.of(root));
      List<Integer> next = new ArrayList<>(List.of(0));
      index.put(root, index.size());
      low.put(root, index.get(root));
      stack.add(root);
      onStack.add(root);
      while (!frames.isEmpty()) {
        int top = frames.size() - 1;
        String name = frames.get(top);
        DbRoleConfig role = byName.get(name);
        int at = next.get(top);
        if (role != null && at < role.roles().size()) {
          next.set(top, at + 1);
          String granted = Names.folded(role.roles().get(at));
          if (!index.containsKey(granted)) {
            index.put(granted, index.size());
            low.put(granted, index.get(granted));
            stack.add(granted);
            onStack.add(granted);
            frames.add(granted);
            next.add(0);
          } else if (onStack.contains(granted)) {
            low.put(name, Math.min(low.get(name), index.get(granted)));
          }
          continue;
        }
        frames.remove(top);
        next.remove(top);
        if (top > 0) {
          String parent = frames.get(top - 1);
          low.put(parent, Math.min(low.get(parent), low.get(name)));
        }
        if (low.get(name).equals(index.get(name))) {
          List<String> members = new ArrayList<>();
          String member;
          do {
            member = stack.remove(stack.size() - 1);
            onStack.remove(member);
            members.add(member);
          } while (!member.equals(name));
          boolean selfGranted = role != null && role.roles().stream().map(Names::folded).anyMatch(name::equals);
          if (members.size() > 1 || selfGranted) {
            for (String m : members) {
              cyclic.put(m, components);
            }
          }
          components++;
        }
      }
    }
    return cyclic;
  }

  private List<String> names(NodeMap entry, String key, String path, String what) {
    return entry.get(key).map(n -> problems.texts(n, path + "." + key)).orElse(List.of()).stream()
        .flatMap(i -> values.word(i, what).stream()).toList();
  }
}
