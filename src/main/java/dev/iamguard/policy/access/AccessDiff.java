package dev.iamguard.policy.access;

import dev.iamguard.policy.iam.Wildcards;
import dev.iamguard.policy.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What access changes from one registry to another: the entries of the new access table that the
 * old one does not cover (gained) and the old entries the new one does not cover (lost). An entry
 * covers another of the same cluster, principal, role or chain and command when its resource
 * includes the other's: {@code s3://b/data/} covers {@code s3://b/data/2024/}, a wildcard covers
 * what it matches. So narrowing a prefix is a loss only, never a gain. An entry reached in part (a
 * Deny or a condition takes some keys under it away) covers only entries reached in part: widening
 * {@code s3://b/data/} to {@code s3://b/} beside the same Deny is a gain, and so is lifting the
 * only Deny. The entries do not say where the holes are: one in part covers another only when the
 * role's documents are the same ({@link Carving}), so a Deny that shrinks, or goes while another
 * stays, shows as a change (gained and lost), as does any other change of those documents. Both
 * tables are asked for
 * the same principals (those either registry names), so a user the new registry names for the
 * first time is compared with what the old one gave that user as "any other user".
 *
 * @param gained entries only the new registry grants
 * @param lost entries only the old registry grants
 * @param cuts where either registry's chain search stopped before it asked about every chain (the
 *     diff then covers only the chains asked about)
 */
public record AccessDiff(List<AccessEntry> gained, List<AccessEntry> lost, List<AccessReport.Cut> cuts) {
  public AccessDiff {
    gained = List.copyOf(gained);
    lost = List.copyOf(lost);
    cuts = List.copyOf(cuts);
  }

  /** Compares the access of {@code before} and {@code after}. */
  public static AccessDiff between(Registry before, Registry after) {
    Set<Principal> principals = new TreeSet<>(AccessReport.principals(before));
    principals.addAll(AccessReport.principals(after));
    AccessReport.Asking old = AccessReport.asking(before);
    AccessReport.Asking now = AccessReport.asking(after);
    Set<String> clusters = new java.util.LinkedHashSet<>();
    before.clusters().forEach(c -> clusters.add(c.id()));
    after.clusters().forEach(c -> clusters.add(c.id()));
    List<AccessEntry> gained = new ArrayList<>();
    List<AccessEntry> lost = new ArrayList<>();
    // an entry covers only entries of its own cluster and principal: compared one principal at a time
    for (String cluster : clusters) {
      for (Principal principal : principals) {
        List<AccessEntry> was = old.part(cluster, principal).entries();
        List<AccessEntry> is = now.part(cluster, principal).entries();
        gained.addAll(uncovered(is, bySubject(was)));
        lost.addAll(uncovered(was, bySubject(is)));
      }
    }
    gained.sort(null);
    lost.sort(null);
    List<AccessReport.Cut> cuts = new ArrayList<>(old.cuts());
    now.cuts().stream().filter(cut -> !cuts.contains(cut)).forEach(cuts::add);
    return new AccessDiff(gained, lost, cuts);
  }

  /** The entries (one per key, sorted) that no entry of {@code others} covers. */
  private static List<AccessEntry> uncovered(List<AccessEntry> entries, Map<String, Covering> others) {
    Map<String, AccessEntry> unique = new TreeMap<>();
    entries.forEach(e -> unique.putIfAbsent(e.key(), e));
    List<AccessEntry> out = new ArrayList<>();
    for (AccessEntry entry : unique.values()) {
      Covering covering = others.get(subject(entry));
      if (covering == null || !covering.covers(entry)) {
        out.add(entry);
      }
    }
    out.sort(null);
    return out;
  }

  private static Map<String, Covering> bySubject(List<AccessEntry> entries) {
    Map<String, Covering> map = new TreeMap<>();
    entries.forEach(e -> {
      Covering covering = map.computeIfAbsent(subject(e), k -> new Covering());
      if (e.exact()) {
        covering.addExact(e.resource());
      } else {
        covering.add(e.resource(), e.carving());
      }
    });
    return map;
  }

  /**
   * The resources of one subject, asked whether one covers an entry's. Those without a wildcard
   * are looked up among the few that can cover it ({@link #above}), those with one are each asked:
   * comparing every entry with every other of its subject took a minute for a role of 20,000
   * prefixes.
   */
  static final class Covering {
    private final Set<String> plain = new java.util.HashSet<>();
    private final List<String> wild = new ArrayList<>();
    /**
     * Resources reached in part, each with what carves it ({@code resource + '\n' + carving}): they
     * cover only entries reached in part, carved by the same documents.
     */
    private final Set<String> plainInPart = new java.util.HashSet<>();
    private final List<String[]> wildInPart = new ArrayList<>();
    /** Single objects (exact keys): each covers the entry of that object alone, never the keys that start with it. */
    private final Set<String> exact = new java.util.HashSet<>();

    /** Adds one object, reached by its exact key. */
    void addExact(String resource) {
      exact.add(resource);
    }

    void add(String resource) {
      add(resource, null);
    }

    void add(String resource, String carving) {
      boolean wildcard = resource.indexOf('*') >= 0 || resource.indexOf('?') >= 0;
      if (carving == null) {
        (wildcard ? wild : plain).add(resource);
      } else if (wildcard) {
        wildInPart.add(new String[] {resource, carving});
      } else {
        plainInPart.add(resource + "\n" + carving);
      }
    }

    boolean covers(AccessEntry entry) {
      if (entry.exact() && !entry.partial() && exact.contains(entry.resource())) {
        return true;
      }
      for (String resource : wild) {
        if (AccessDiff.covers(resource, entry)) {
          return true;
        }
      }
      for (String[] resource : entry.partial() ? wildInPart : List.<String[]>of()) {
        if (resource[1].equals(entry.carving()) && AccessDiff.covers(resource[0], entry)) {
          return true;
        }
      }
      for (String resource : above(entry)) {
        if ((plain.contains(resource) || entry.partial() && plainInPart.contains(resource + "\n" + entry.carving()))
            && AccessDiff.covers(resource, entry)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * The resources without a wildcard that may cover {@code entry}'s: itself, and for S3 locations
   * the text up to each {@code /} and up to and with it ({@code s3://b/data} and {@code s3://b/data/}
   * cover {@code s3://b/data/2024/}).
   */
  static List<String> above(AccessEntry entry) {
    String resource = entry.resource();
    List<String> above = new ArrayList<>();
    above.add(resource);
    if (entry.command() == AccessCommand.COPY || entry.command() == AccessCommand.UNLOAD) {
      for (int slash = resource.indexOf('/'); slash >= 0; slash = resource.indexOf('/', slash + 1)) {
        above.add(resource.substring(0, slash));
        above.add(resource.substring(0, slash + 1));
      }
    }
    return above;
  }

  /** Everything of the entry but its resource. */
  private static String subject(AccessEntry entry) {
    return entry.cluster() + " | " + entry.principal().label() + " | " + entry.auth() + " | " + entry.command().label();
  }

  /**
   * Whether access to {@code resource} includes access to {@code entry}'s: S3 locations are
   * prefixes by path segment (a location ending in {@code /} or {@code *} covers every longer one,
   * one without covers itself and what lies under it as a folder), the others whole names; both may hold IAM
   * wildcards (a wildcard in the covered resource is matched as a character, which a {@code *} of
   * the covering one takes in, and a {@code ?} only when it is a {@code ?}: {@link Wildcards#covers}).
   */
  static boolean covers(String resource, AccessEntry entry) {
    return covers(resource, entry.command(), entry.resource());
  }

  /** As {@link #covers(String, AccessEntry)}, for {@code other}, a resource of {@code command}. */
  static boolean covers(String resource, AccessCommand command, String other) {
    if (command == AccessCommand.COPY || command == AccessCommand.UNLOAD) {
      if (resource.endsWith("*") || resource.endsWith("/")) {
        return Wildcards.covers(resource.endsWith("*") ? resource : resource + "*", other);
      }
      // a short-form prefix without a slash grants its key and the keys under it, not its siblings:
      // s3://b/data covers s3://b/data/2024/, never s3://b/database/
      return Wildcards.covers(resource, other) || Wildcards.covers(resource + "/*", other);
    }
    return Wildcards.covers(resource, other);
  }

  /** Whether nothing changed. */
  public boolean isEmpty() {
    return gained.isEmpty() && lost.isEmpty();
  }
}
