package dev.iamguard.policy.access;

import dev.iamguard.policy.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What access changes from one registry to another: the entries of the new access table that the
 * old one lacks (gained) and those it loses. Both tables are asked for the same principals (those
 * either registry names), so a user the new registry names for the first time is compared with
 * what the old one gave that user as "any other user".
 *
 * @param gained entries only the new registry grants
 * @param lost entries only the old registry grants
 */
public record AccessDiff(List<AccessEntry> gained, List<AccessEntry> lost) {
  public AccessDiff {
    gained = List.copyOf(gained);
    lost = List.copyOf(lost);
  }

  /** Compares the access of {@code before} and {@code after}. */
  public static AccessDiff between(Registry before, Registry after) {
    Set<Principal> principals = new TreeSet<>(AccessReport.principals(before));
    principals.addAll(AccessReport.principals(after));
    AccessReport old = AccessReport.of(before, principals);
    AccessReport now = AccessReport.of(after, principals);
    Map<String, AccessEntry> oldKeys = index(old.entries());
    Map<String, AccessEntry> newKeys = index(now.entries());
    List<AccessEntry> gained = new ArrayList<>();
    List<AccessEntry> lost = new ArrayList<>();
    newKeys.forEach((key, entry) -> {
      if (!oldKeys.containsKey(key)) {
        gained.add(entry);
      }
    });
    oldKeys.forEach((key, entry) -> {
      if (!newKeys.containsKey(key)) {
        lost.add(entry);
      }
    });
    gained.sort(null);
    lost.sort(null);
    return new AccessDiff(gained, lost);
  }

  private static Map<String, AccessEntry> index(List<AccessEntry> entries) {
    Map<String, AccessEntry> map = new TreeMap<>();
    entries.forEach(e -> map.putIfAbsent(e.key(), e));
    return map;
  }

  /** Whether nothing changed. */
  public boolean isEmpty() {
    return gained.isEmpty() && lost.isEmpty();
  }
}
