package dev.iamguard.policy.access;

import dev.iamguard.policy.Session;
import java.util.List;
import java.util.Locale;

/**
 * Who the access report asks for: a named database user, any member of a group, any holder of a
 * Redshift role, or any other user (one the registry does not name). A group, role or "other"
 * row is asked as a user the registry names nowhere, so that only what the group or role brings
 * counts; a trust that names users (sts:ExternalId) does not trust such a user.
 *
 * @param kind what the row stands for
 * @param name the user, group or role name (lower case); empty for {@link Kind#OTHER}
 */
public record Principal(Kind kind, String name) implements Comparable<Principal> {
  /** The user name the group, role and "other" rows are asked as: no registry names it. */
  static final String ANONYMOUS = "iamguard~other";

  /** What a row stands for. */
  public enum Kind {
    USER,
    GROUP,
    ROLE,
    OTHER
  }

  /** Any user the registry does not name. */
  public static final Principal OTHER = new Principal(Kind.OTHER, "");

  public Principal {
    name = name.toLowerCase(Locale.ROOT);
  }

  /** As the report shows it: {@code user1}, {@code group:etl}, {@code role:loader}, {@code (any other user)}. */
  public String label() {
    return switch (kind) {
      case USER -> name;
      case GROUP -> "group:" + name;
      case ROLE -> "role:" + name;
      case OTHER -> "(any other user)";
    };
  }

  /** The session the guard is asked with on {@code cluster}. */
  Session session(String cluster) {
    return switch (kind) {
      case USER -> new Session(name, List.of(), List.of(), cluster);
      case GROUP -> new Session(ANONYMOUS, List.of(name), List.of(), cluster);
      case ROLE -> new Session(ANONYMOUS, List.of(), List.of(name), cluster);
      case OTHER -> new Session(ANONYMOUS, List.of(), List.of(), cluster);
    };
  }

  @Override
  public int compareTo(Principal other) {
    int byKind = kind.compareTo(other.kind);
    return byKind != 0 ? byKind : name.compareTo(other.name);
  }
}
