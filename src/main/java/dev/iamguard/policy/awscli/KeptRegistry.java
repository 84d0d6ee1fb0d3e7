package dev.iamguard.policy.awscli;

import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.yaml.YamlTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of a hand-kept registry that AWS does not know, taken over by an import: role aliases
 * (by ARN), {@code chains}, {@code grants}, {@code users}, {@code db_roles}, {@code external_schemas}
 * and {@code policy}. The registry must load first, so nothing broken is carried over.
 */
final class KeptRegistry {
  /** The sections copied as they are, in the order they are written. */
  static final List<String> SECTIONS = List.of("chains", "grants", "users", "db_roles", "external_schemas", "policy");

  private final Map<String, String> aliases;
  private final Map<String, Object> sections;

  private KeptRegistry(Map<String, String> aliases, Map<String, Object> sections) {
    this.aliases = aliases;
    this.sections = sections;
  }

  /** Reads {@code path}; an empty registry with the problems added when it does not load. */
  static KeptRegistry read(Path path, List<String> problems) {
    try {
      RegistryLoader.load(path);
      // regular files only: it may have been swapped for a pipe since it loaded a moment ago
      String text = new String(dev.iamguard.policy.registry.RegularFile.read(path), StandardCharsets.UTF_8);
      // typed as the loader typed it: a setting written TRUE is the boolean (the text "TRUE" was written back
      // in quotes, no longer a boolean), a user key written Null the name "Null"
      Object top = YamlTree.compose(YamlTree.asYaml(text), path.toString()).map(YamlTree::values).orElse(null);
      Map<String, String> aliases = new LinkedHashMap<>();
      Map<String, Object> sections = new LinkedHashMap<>();
      if (top instanceof Map<?, ?> map) {
        if (map.get("roles") instanceof List<?> roles) {
          for (Object role : roles) {
            if (role instanceof Map<?, ?> r && r.get("arn") instanceof String arn && r.get("alias") instanceof String alias) {
              aliases.put(RegistryImport.key(arn), alias);
            }
          }
        }
        for (String section : SECTIONS) {
          if (map.containsKey(section)) {
            sections.put(section, map.get(section));
          }
        }
      }
      return new KeptRegistry(aliases, sections);
    } catch (RegistryException e) {
      problems.add("--keep " + path + " does not load; mend it first:");
      e.problems().forEach(p -> problems.add("  " + p));
    } catch (IOException e) {
      problems.add("--keep " + path + ": cannot read it (" + e.getClass().getSimpleName() + ")");
    } catch (YamlTree.SyntaxError e) {
      // it loaded a moment ago: it changed since
      problems.add("--keep " + path + ": line " + e.line() + ": " + e.getMessage());
    }
    return new KeptRegistry(Map.of(), Map.of());
  }

  /** The alias of the role, by lower-case ARN. */
  Map<String, String> aliases() {
    return aliases;
  }

  /** The kept sections by name, as read. */
  Map<String, Object> sections() {
    return sections;
  }

  /** The role ARNs the kept parts name (aliases, chains, external schemas, grants): they must be imported too. */
  Set<String> namedRoles() {
    Set<String> named = new LinkedHashSet<>(aliases.keySet());
    collectArns(sections.get("chains"), named);
    collectArns(sections.get("external_schemas"), named);
    collectArns(sections.get("grants"), named);
    return named;
  }

  private static void collectArns(Object value, Set<String> into) {
    if (value instanceof String s) {
      for (String part : s.split(",")) {
        if (part.strip().startsWith("arn:") && part.contains(":role/")) {
          into.add(RegistryImport.key(part.strip()));
        }
      }
    } else if (value instanceof Map<?, ?> map) {
      map.values().forEach(v -> collectArns(v, into));
    } else if (value instanceof List<?> list) {
      list.forEach(v -> collectArns(v, into));
    }
  }
}
