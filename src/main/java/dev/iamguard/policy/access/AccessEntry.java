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
 */
public record AccessEntry(String cluster, Principal principal, String auth, List<String> roles, AccessCommand command,
    String resource) implements Comparable<AccessEntry> {

  private static final Comparator<AccessEntry> ORDER = Comparator.comparing(AccessEntry::cluster)
      .thenComparing(AccessEntry::principal).thenComparing(AccessEntry::auth).thenComparing(AccessEntry::command)
      .thenComparing(AccessEntry::resource);

  public AccessEntry {
    roles = List.copyOf(roles);
  }

  /** The fact the entry states, for comparing two registries: everything but how the roles were resolved. */
  public String key() {
    return cluster + " | " + principal.label() + " | " + auth + " | " + command.label() + " | " + resource;
  }

  @Override
  public int compareTo(AccessEntry other) {
    return ORDER.compare(this, other);
  }
}
