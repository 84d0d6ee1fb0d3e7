package dev.iamguard.policy.awscli;

import dev.iamguard.policy.iam.TrustRequest;
import dev.iamguard.policy.iam.Wildcards;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which roles of the IAM exports go into the registry: those the clusters name (attached, being
 * attached or removed, default), those the grants or the kept registry name, and every role one of
 * those may assume, again and again (the roles later in a chain). An account holds many roles
 * Redshift never uses; listing them all would only hide the ones it does ({@code --all-roles} does).
 *
 * <p>"May assume" is read generously from the documents' text, for choosing only: an Allow
 * statement whose Action matches {@code sts:AssumeRole} (or that uses NotAction) and whose Resource
 * matches the role's ARN (or that uses NotResource), a policy variable in it matching any text.
 * Conditions are not looked at, so a role is kept when in doubt; whether a chain really works is the guard's decision on the registry.
 */
final class RoleSelection {
  /** A policy variable, its default included (a quoted default holds no brace the CLI would print unquoted). */
  private static final java.util.regex.Pattern VARIABLE = java.util.regex.Pattern.compile("\\$\\{[^}]*}");

  private RoleSelection() {}

  /** The lower-case ARNs of the roles to keep, in a stable order. */
  static Set<String> select(Map<String, ImportedRole> roles, Map<String, ManagedPolicy> managed, Set<String> named) {
    Set<String> kept = new LinkedHashSet<>();
    Set<String> queued = new HashSet<>(); // each role is queued once, however many documents name it
    Deque<String> next = new ArrayDeque<>();
    for (String arn : named) {
      String key = arn.toLowerCase(Locale.ROOT);
      if (queued.add(key)) {
        next.add(key);
      }
    }
    while (!next.isEmpty()) {
      String arn = next.poll();
      kept.add(arn);
      ImportedRole role = roles.get(arn);
      if (role == null) {
        continue;
      }
      List<Object> documents = new ArrayList<>();
      role.inline().forEach(p -> documents.add(p.document()));
      role.managed().stream().map(managed::get).filter(p -> p != null).forEach(p -> documents.add(p.document()));
      for (Object document : documents) {
        assumable(document, roles, other -> {
          String otherKey = other.arn().toLowerCase(Locale.ROOT);
          if (queued.add(otherKey)) {
            next.add(otherKey);
          }
        });
      }
    }
    return kept;
  }

  /**
   * Gives {@code found} every role of {@code roles} (keyed by lower-case ARN) that {@code document}
   * may let assume. A Resource without a wildcard is one ARN, looked up (it matches exactly that
   * text): a chain of thousands of roles is then not a comparison of each role with every other.
   */
  private static void assumable(Object document, Map<String, ImportedRole> roles, Consumer<ImportedRole> found) {
    if (!(document instanceof Map<?, ?> map)) {
      return;
    }
    boolean variables = "2012-10-17".equals(map.get("Version")); // in 2008-10-17 "${" is plain text
    for (Object item : items(map.get("Statement"))) {
      if (!(item instanceof Map<?, ?> statement) || !"Allow".equals(statement.get("Effect"))
          || !statement.containsKey("NotAction") && !anyMatches(statement.get("Action"), TrustRequest.ASSUME_ROLE, true)) {
        continue;
      }
      if (statement.containsKey("NotResource")) {
        roles.values().forEach(found);
        continue;
      }
      for (Object pattern : items(statement.get("Resource"))) {
        if (!(pattern instanceof String written)) {
          continue;
        }
        // a policy variable takes its value per request: for choosing, it may be any text
        String arn = variables && written.contains("${") ? VARIABLE.matcher(written).replaceAll("*") : written;
        if (arn.indexOf('*') < 0 && arn.indexOf('?') < 0) {
          ImportedRole role = roles.get(arn.toLowerCase(Locale.ROOT));
          if (role != null && role.arn().equals(arn)) {
            found.accept(role);
          }
        } else {
          for (ImportedRole role : roles.values()) {
            if (Wildcards.matches(arn, role.arn())) {
              found.accept(role);
            }
          }
        }
      }
    }
  }

  private static boolean anyMatches(Object patterns, String value, boolean ignoreCase) {
    for (Object pattern : items(patterns)) {
      if (pattern instanceof String p
          && (ignoreCase ? Wildcards.matchesIgnoringCase(p, value) : Wildcards.matches(p, value))) {
        return true;
      }
    }
    return false;
  }

  /** An element written as one item or a list of them (IAM allows both), as a list; none when absent. */
  private static List<?> items(Object element) {
    return element instanceof List<?> list ? list : element == null ? List.of() : List.of(element);
  }
}
