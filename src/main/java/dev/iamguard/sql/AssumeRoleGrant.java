package dev.iamguard.sql;

import java.util.List;

/**
 * The body of {@code GRANT ASSUMEROLE} / {@code REVOKE ASSUMEROLE}.
 *
 * @param roles the role strings as written (each may be a whole chain); empty for DEFAULT or ALL
 * @param onDefault {@code ON DEFAULT}
 * @param onAll {@code ON ALL}
 * @param grantees each a user, a group, a role or PUBLIC, its kind kept apart from its name (a user may be
 *     named {@code "group:etl"})
 * @param commands {@code ALL}, {@code COPY}, {@code UNLOAD}, {@code EXTERNAL FUNCTION}, {@code CREATE MODEL}
 */
public record AssumeRoleGrant(
    List<String> roles, boolean onDefault, boolean onAll, List<Grantee> grantees, List<String> commands) {
  public AssumeRoleGrant {
    roles = List.copyOf(roles);
    grantees = List.copyOf(grantees);
    commands = List.copyOf(commands);
  }

  /**
   * One receiver of the grant as the grammar wrote it: {@code name}, {@code GROUP name},
   * {@code ROLE name} or {@code PUBLIC}. The kind is kept as structure because a quoted user name may
   * read like a group or a role ({@code TO "group:etl"} is the user {@code group:etl}).
   *
   * @param kind what the grammar's key word (or its absence) made of the name
   * @param name the name, folded as Redshift folds it; {@code PUBLIC} for {@link Kind#PUBLIC}
   */
  public record Grantee(Kind kind, String name) {

    /** What a grantee names. */
    public enum Kind {
      /** A database user: a name with no key word before it. */
      USER,
      /** {@code GROUP name}. */
      GROUP,
      /** {@code ROLE name} (a Redshift role). */
      ROLE,
      /** {@code PUBLIC}, unquoted: every user. */
      PUBLIC
    }

    /** The grantee {@code PUBLIC}. */
    public static final Grantee EVERYONE = new Grantee(Kind.PUBLIC, "PUBLIC");

    /**
     * For messages only: {@code group:x}, {@code role:x}, {@code PUBLIC} or the user's name, which
     * may itself read like one of the others; never parse this back.
     */
    @Override
    public String toString() {
      return switch (kind) {
        case USER -> name;
        case GROUP -> "group:" + name;
        case ROLE -> "role:" + name;
        case PUBLIC -> "PUBLIC";
      };
    }
  }

  /** As a record writes itself, with every secret masked ({@link MaskedText}). */
  @Override
  public String toString() {
    return MaskedText.of(this);
  }
}
