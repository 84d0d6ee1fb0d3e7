package dev.iamguard.policy.access;

import java.util.Comparator;
import java.util.List;

/**
 * One line of the access table: on {@code cluster}, {@code principal} may run {@code command} with
 * {@code auth} (the IAM_ROLE value: a role ARN, a chain, or {@code default}), reaching
 * {@code resource}.
 *
 * @param roles the roles of {@code auth}, first to last ({@code default} resolved)
 * @param resource an S3 location ({@code s3://bucket/prefix/}, or with IAM wildcards), a Lambda
 *     function ARN or a Glue database ARN
 * @param carving for an S3 location reached in part only (a Deny or a condition taking some keys
 *     under it away: the guard refuses the location as a whole, and allows a key under it that no
 *     document names), the fingerprint of what may carve it ({@link Carving}); null when reached whole
 * @param exact for an S3 location, true when it is one object (a key) rather than a prefix: a manifest,
 *     a JSONPaths file or a library archive is named by its exact key, and a grant of one object reaches
 *     that key alone, not the keys that start with it
 */
public record AccessEntry(String cluster, Principal principal, String auth, List<String> roles, AccessCommand command,
    String resource, String carving, boolean exact) implements Comparable<AccessEntry> {

  /** What a line of the table says of an entry of one object, after its resource. */
  public static final String EXACT = " (exact key: this object only)";

  /** What a line of the table says of a partial entry, after its resource. */
  public static final String IN_PART = " (in part: a Deny or a condition takes some keys under it away)";

  private static final Comparator<AccessEntry> ORDER = Comparator.comparing(AccessEntry::cluster)
      .thenComparing(AccessEntry::principal).thenComparing(AccessEntry::auth).thenComparing(AccessEntry::command)
      .thenComparing(AccessEntry::resource)
      .thenComparing(AccessEntry::carving, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(AccessEntry::exact);

  public AccessEntry {
    roles = List.copyOf(roles);
  }

  /** An entry reaching the whole of {@code resource}. */
  public AccessEntry(String cluster, Principal principal, String auth, List<String> roles, AccessCommand command,
      String resource) {
    this(cluster, principal, auth, roles, command, resource, null, false);
  }

  /** An entry reaching {@code resource}, a prefix or a name, in part when {@code carving} is not null. */
  public AccessEntry(String cluster, Principal principal, String auth, List<String> roles, AccessCommand command,
      String resource, String carving) {
    this(cluster, principal, auth, roles, command, resource, carving, false);
  }

  /** What the table shows after the resource: whether it is one object, whether it is reached in part. */
  public String qualifier() {
    return (exact ? EXACT : "") + (partial() ? IN_PART : "");
  }

  /** True when the resource is reached in part only. */
  public boolean partial() {
    return carving != null;
  }

  /** The fact the entry states, for comparing two registries: everything but how the roles were resolved. */
  public String key() {
    return cluster + " | " + principal.label() + " | " + auth + " | " + command.label() + " | " + resource
        + (exact ? " (exact key)" : "") + (partial() ? " (in part, " + carving + ")" : "");
  }

  @Override
  public int compareTo(AccessEntry other) {
    return ORDER.compare(this, other);
  }
}
