package dev.iamguard.sql;

/**
 * One change a statement makes to who belongs to a group or a Redshift role, read from its text
 * ({@link Memberships#of}): a user or role joins or leaves, or every member leaves at once (the
 * group or role is dropped or renamed). Names are as the server keeps them: unquoted ones folded to
 * lower case, quoted ones as written.
 *
 * @param added true when the member joins, false when it leaves
 * @param kind {@link Kind#GROUP} or {@link Kind#ROLE}; {@link Kind#ANY}: every group and every role
 *     (of every member: a REVOKE of memberships the guard does not read; of one user: DROP USER);
 *     {@link Kind#SUPERUSER}: the superuser flag
 * @param name the group or role; null with {@link Kind#ANY} and {@link Kind#SUPERUSER}
 * @param memberKind {@link Kind#USER} or {@link Kind#ROLE}; {@link Kind#ANY}: every member
 * @param member the user or role that joins or leaves; null when {@code memberKind} is {@link Kind#ANY}
 */
public record MembershipChange(boolean added, Kind kind, String name, Kind memberKind, String member) {

  /** What a name in a membership change stands for. */
  public enum Kind {
    /** A database user. */
    USER,
    /** A group ({@code CREATE GROUP}). */
    GROUP,
    /** A Redshift role ({@code CREATE ROLE}). */
    ROLE,
    /** The superuser flag ({@code ALTER USER u NOCREATEUSER}), with no name: the member loses it. */
    SUPERUSER,
    /** Any of them: the change may reach every group, role or member. */
    ANY
  }

  /** Every membership of every user may have gone: a REVOKE the guard cannot read. */
  public static final MembershipChange EVERY = new MembershipChange(false, Kind.ANY, null, Kind.ANY, null);

  /** {@code user} is given the superuser flag ({@code added}) or loses it. */
  static MembershipChange superuser(boolean added, String user) {
    return new MembershipChange(added, Kind.SUPERUSER, null, Kind.USER, user);
  }

  /** Every member leaves {@code kind} {@code name}: it was dropped or renamed. */
  static MembershipChange emptied(Kind kind, String name) {
    return new MembershipChange(false, kind, name, Kind.ANY, null);
  }
}
