package dev.iamguard.policy.rules;

import dev.iamguard.policy.registry.Names;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.sql.MembershipChange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A declared user's groups and roles once the membership changes its script ran are applied over
 * the registry's ({@code users}, {@code db_roles}). A member leaves by any ASCII case of its name and
 * the group's (the server may fold a quoted name, or not), and joins only by the name as the server
 * keeps it; a role taken from another role, or dropped, takes with it every role the registry says
 * it holds, however else the user may hold them. Each reading holds fewer memberships than the
 * server may, never more.
 */
final class FollowedMemberships {
  private FollowedMemberships() {}

  /** {@code groups} (mutable, names as held) once {@code changes} ran, for {@code user}. */
  static Set<String> groups(Set<String> groups, String user, List<MembershipChange> changes) {
    for (MembershipChange change : changes) {
      if (change.kind() == MembershipChange.Kind.ANY) {
        if (leaves(change, user)) {
          groups.clear();
        }
      } else if (change.kind() == MembershipChange.Kind.GROUP) {
        if (change.memberKind() == MembershipChange.Kind.ANY) {
          removeAnyCase(groups, change.name());
        } else if (change.memberKind() == MembershipChange.Kind.USER) {
          if (change.added() && change.member().equals(user)) {
            groups.add(change.name());
          } else if (!change.added() && sameName(change.member(), user)) {
            removeAnyCase(groups, change.name());
          }
        }
      }
    }
    return groups;
  }

  /**
   * The roles {@code user} holds, with every role granted to them ({@link Registry#rolesHeldThrough}),
   * once {@code changes} ran over the roles granted to it directly ({@code direct}).
   */
  static Set<String> roles(Collection<String> direct, String user, List<MembershipChange> changes, Registry registry) {
    List<String> held = new ArrayList<>(direct);
    Set<String> lost = new HashSet<>();
    for (MembershipChange change : changes) {
      if (change.kind() == MembershipChange.Kind.ANY) {
        if (leaves(change, user)) {
          held.clear();
        }
      } else if (change.kind() == MembershipChange.Kind.ROLE) {
        switch (change.memberKind()) {
          case USER -> {
            if (change.added() && change.member().equals(user)) {
              held.add(change.name());
            } else if (!change.added() && sameName(change.member(), user)) {
              held.removeIf(role -> sameName(role, change.name()));
            }
          }
          case ROLE, ANY -> { // a role granted to a role adds nothing the guard reads
            if (!change.added()) {
              held.removeIf(role -> sameName(role, change.name()));
              lost.add(Names.folded(change.name()));
            }
          }
          default -> { }
        }
      }
    }
    Set<String> roles = registry.rolesHeldThrough(held);
    if (!lost.isEmpty()) {
      Set<String> gone = registry.rolesHeldThrough(lost);
      roles.removeIf(role -> gone.contains(Names.folded(role)));
    }
    return roles;
  }

  /**
   * Whether {@code user}, a superuser before {@code changes} ran or not ({@code before}), is one
   * after: the flag is taken by any case of its name, and given only by the name as the server keeps it.
   */
  static boolean superuser(boolean before, String user, List<MembershipChange> changes) {
    boolean flag = before;
    for (MembershipChange change : changes) {
      if (change.kind() == MembershipChange.Kind.SUPERUSER) {
        if (!change.added() && sameName(change.member(), user)) {
          flag = false;
        } else if (change.added() && change.member().equals(user)) {
          flag = true;
        }
      }
    }
    return flag;
  }

  /** Whether a change of every group and role ({@link MembershipChange.Kind#ANY}) takes {@code user}'s: every member's, or its own. */
  private static boolean leaves(MembershipChange change, String user) {
    return change.memberKind() == MembershipChange.Kind.ANY || sameName(change.member(), user);
  }

  private static void removeAnyCase(Set<String> names, String name) {
    names.removeIf(held -> sameName(held, name));
  }

  private static boolean sameName(String a, String b) {
    return a != null && b != null && Names.folded(a).equals(Names.folded(b));
  }
}
