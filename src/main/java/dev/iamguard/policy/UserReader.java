package dev.iamguard.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code users} section: user name to groups and Redshift roles. */
final class UserReader {

  private static final List<String> KEYS = List.of("groups", "roles");

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
        UserConfig user = new UserConfig(name, names(entry, "groups", path, "group name"),
            names(entry, "roles", path, "role name"), YamlTree.line(key));
        UserConfig first = byName.putIfAbsent(name.toLowerCase(Locale.ROOT), user);
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

  private List<String> names(NodeMap entry, String key, String path, String what) {
    return entry.get(key).map(n -> problems.texts(n, path + "." + key)).orElse(List.of()).stream()
        .flatMap(i -> values.word(i, what).stream()).toList();
  }
}
