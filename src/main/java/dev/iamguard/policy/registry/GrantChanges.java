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
 */
public final class GrantChanges {
  /** No statement changed the grants. */
  public static final GrantChanges NONE = new GrantChanges(List.of());

  /** One GRANT ({@code grant} true) or REVOKE, read as a registry grant entry. */
  public record Change(boolean grant, GrantConfig what) {}

  private final List<Change> changes;

  private GrantChanges(List<Change> changes) {
    this.changes = changes;
  }

  List<Change> changes() {
    return changes;
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  public GrantChanges plus(Change change) {
    List<Change> more = new ArrayList<>(changes.size() + 1);
    more.addAll(changes);
    more.add(change);
    return new GrantChanges(List.copyOf(more));
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
    if (!keepRevokes || committed.changes.size() >= changes.size()) {
      return committed;
    }
    List<Change> kept = new ArrayList<>(committed.changes);
    for (Change change : changes.subList(committed.changes.size(), changes.size())) {
      if (!change.grant()) {
        kept.add(change);
      }
    }
    return new GrantChanges(List.copyOf(kept));
  }

  @Override
  public String toString() {
    return changes.size() + " grant changes";
  }
}
