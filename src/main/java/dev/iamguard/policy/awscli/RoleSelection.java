package dev.iamguard.policy.awscli;

import dev.iamguard.policy.iam.Wildcards;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which roles of the IAM exports go into the registry: those the clusters name (attached, being
 * attached or removed, default), those the grants or the kept registry name, and every role one of
 * those may assume, again and again (the roles later in a chain). An account holds many roles
 * Redshift never uses; listing them all would only hide the ones it does ({@code --all-roles} does).
 *
 * <p>"May assume" is read generously from the documents' text, for choosing only: an Allow
 * statement whose Action matches {@code sts:AssumeRole} (or that uses NotAction) and whose Resource
 * matches the role's ARN (or that uses NotResource). Conditions are not looked at, so a role is
 * kept when in doubt; whether a chain really works is the guard's decision on the registry.
 */
final class RoleSelection {
  private RoleSelection() {}

  /** The lower-case ARNs of the roles to keep, in a stable order. */
  static Set<String> select(Map<String, ImportedRole> roles, Map<String, ManagedPolicy> managed, Set<String> named) {
    Set<String> kept = new LinkedHashSet<>();
    Deque<String> next = new ArrayDeque<>();
    named.forEach(arn -> next.add(arn.toLowerCase(Locale.ROOT)));
    while (!next.isEmpty()) {
      String arn = next.poll();
      if (!kept.add(arn)) {
        continue;
      }
      ImportedRole role = roles.get(arn);
      if (role == null) {
        continue;
      }
      List<Object> documents = new ArrayList<>();
      role.inline().forEach(p -> documents.add(p.document()));
      role.managed().stream().map(managed::get).filter(p -> p != null).forEach(p -> documents.add(p.document()));
      for (ImportedRole other : roles.values()) {
        String otherKey = other.arn().toLowerCase(Locale.ROOT);
        if (!kept.contains(otherKey) && documents.stream().anyMatch(d -> mayAssume(d, other.arn()))) {
          next.add(otherKey);
        }
      }
    }
    return kept;
  }

  private static boolean mayAssume(Object document, String roleArn) {
    if (!(document instanceof Map<?, ?> map)) {
      return false;
    }
    Object statements = map.get("Statement");
    List<?> list = statements instanceof List<?> l ? l : List.of(statements == null ? Map.of() : statements);
    for (Object item : list) {
      if (item instanceof Map<?, ?> statement && "Allow".equals(statement.get("Effect"))
          && (statement.containsKey("NotAction") || anyMatches(statement.get("Action"), "sts:AssumeRole", true))
          && (statement.containsKey("NotResource") || anyMatches(statement.get("Resource"), roleArn, false))) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyMatches(Object patterns, String value, boolean ignoreCase) {
    List<?> list = patterns instanceof List<?> l ? l : patterns == null ? List.of() : List.of(patterns);
    for (Object pattern : list) {
      if (pattern instanceof String p
          && (ignoreCase ? Wildcards.matchesIgnoringCase(p, value) : Wildcards.matches(p, value))) {
        return true;
      }
    }
    return false;
  }
}
