package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.sql.AssumeRoleGrant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The GRANT and REVOKE ASSUMEROLE statements a connection or script has run, in order: the
 * grants checked for later statements are the registry's with these applied. Immutable.
 *
 * <p>Held as a chain (each state is the one before plus its last change), so a statement adds its
 * change without copying the others: a script of thousands of GRANTs stays linear. The privileges
 * a state leaves over a registry are worked out once and kept by the newest state of a chain
 * ({@link AssumeRoleGrants#of(Registry, GrantChanges)}).
 */
public final class GrantChanges {
  /** No statement changed the grants. */
  public static final GrantChanges NONE = new GrantChanges(null, null);

  /** One GRANT ({@code grant} true) or REVOKE, read as a registry grant entry. */
  public record Change(boolean grant, GrantConfig what) {}

  /** The privileges a state leaves over one registry. */
  record Applied(Registry registry, AssumeRoleGrants grants) {}

  /** The state this one extends by {@link #last}; null for {@link #NONE}. */
  private final GrantChanges before;
  private final Change last;
  private final int size;
  /** Kept for the statements that follow; a cache of a pure function, so a lost race only costs work. */
  private volatile Applied applied;

  private GrantChanges(GrantChanges before, Change last) {
    this.before = before;
    this.last = last;
    this.size = before == null ? 0 : before.size + 1;
  }

  /** Every change, oldest first. */
  List<Change> changes() {
    Change[] all = new Change[size];
    for (GrantChanges at = this; at.size > 0; at = at.before) {
      all[at.size - 1] = at.last;
    }
    return List.of(all);
  }

  /** The state before the last change ({@code this} has one). */
  GrantChanges before() {
    return before;
  }

  /** The last change ({@code this} has one). */
  Change last() {
    return last;
  }

  /** The privileges these changes leave over {@code registry}, when worked out already; else null. */
  AssumeRoleGrants appliedOver(Registry registry) {
    Applied known = applied;
    return known != null && known.registry() == registry ? known.grants() : null;
  }

  void keep(Registry registry, AssumeRoleGrants grants) {
    applied = new Applied(registry, grants);
  }

  /** Lets go of the privileges kept: a later state kept its own, and a chain keeps one copy, not one per state. */
  void forget() {
    applied = null;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public GrantChanges plus(Change change) {
    return new GrantChanges(this, change);
  }

  /**
   * The change a GRANT/REVOKE ASSUMEROLE statement makes, or empty when it names a role that is not
   * a role ARN (the guard denies that statement) or nothing to grant.
   */
  public static Optional<Change> of(boolean grant, AssumeRoleGrant statement) {
    GrantConfig.Scope scope = statement.onAll() ? GrantConfig.Scope.ALL
        : statement.onDefault() ? GrantConfig.Scope.DEFAULT : GrantConfig.Scope.CHAINS;
    List<List<RoleArn>> chains = new ArrayList<>();
    for (String chain : statement.roles()) {
      List<RoleArn> arns = new ArrayList<>();
      for (String element : RoleArn.splitChain(chain)) {
        Optional<RoleArn> arn = RoleArn.parse(element).arn();
        if (arn.isEmpty()) {
          return Optional.empty();
        }
        arns.add(arn.get());
      }
      chains.add(arns);
    }
    List<GrantConfig.Grantee> grantees = new ArrayList<>();
    for (String grantee : statement.grantees()) {
      grantees.add(grantee(grantee));
    }
    Set<GrantConfig.Command> commands = EnumSet.noneOf(GrantConfig.Command.class);
    for (String command : statement.commands()) {
      GrantConfig.Command.parse(command).ifPresent(commands::add);
    }
    if (grantees.isEmpty() || commands.isEmpty() || scope == GrantConfig.Scope.CHAINS && chains.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Change(grant, new GrantConfig(scope, chains, grantees, commands, 0)));
  }

  /** A grantee as the grammar writes it: {@code PUBLIC}, {@code group:x}, {@code role:x} or a user. */
  static GrantConfig.Grantee grantee(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.equals("public")) {
      return new GrantConfig.Grantee(GrantConfig.Grantee.Kind.PUBLIC, "PUBLIC");
    }
    if (lower.startsWith("group:")) {
      return new GrantConfig.Grantee(GrantConfig.Grantee.Kind.GROUP, text.substring(6));
    }
    if (lower.startsWith("role:")) {
      return new GrantConfig.Grantee(GrantConfig.Grantee.Kind.ROLE, text.substring(5));
    }
    return new GrantConfig.Grantee(GrantConfig.Grantee.Kind.USER, text);
  }

  /**
   * These changes as a rollback to {@code committed} (an earlier state these extend) leaves them:
   * all of {@code committed}, and of the later changes only the revokes when {@code keepRevokes}
   * (a rollback to a savepoint may not undo a revoke made before it: the guard stays strict).
   */
  public GrantChanges rolledBackTo(GrantChanges committed, boolean keepRevokes) {
    if (!keepRevokes || committed.size >= size) {
      return committed;
    }
    List<Change> later = new ArrayList<>(); // newest first
    for (GrantChanges at = this; at.size > committed.size; at = at.before) {
      later.add(at.last);
    }
    GrantChanges kept = committed;
    for (int i = later.size() - 1; i >= 0; i--) {
      if (!later.get(i).grant()) {
        kept = kept.plus(later.get(i));
      }
    }
    return kept;
  }

  @Override
  public String toString() {
    return size + " grant changes";
  }
}
