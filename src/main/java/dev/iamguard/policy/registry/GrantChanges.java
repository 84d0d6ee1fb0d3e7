package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.sql.AssumeRoleGrant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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
  public static final GrantChanges NONE = new GrantChanges(null, null, null, null, false, false);

  /** One GRANT ({@code grant} true) or REVOKE, read as a registry grant entry. */
  public record Change(boolean grant, GrantConfig what) {}

  /** The privileges a state leaves over one registry. */
  record Applied(Registry registry, AssumeRoleGrants grants) {}

  /** The state this one extends by {@link #last}; null for {@link #NONE}. */
  private final GrantChanges before;
  private final Change last;
  private final int size;
  /** The changes when the transaction they run in began ({@code BEGIN}); null outside one known to have begun. */
  private final GrantChanges begun;
  /** The changes the last commit kept; null when no commit is known (all may be taken back). */
  private final GrantChanges kept;
  /** Whether the transaction begun at {@link #begun} is aborted, so that its COMMIT rolls it back. */
  private final boolean aborted;
  /** Whether the transaction begun at {@link #begun} is read only, so that a GRANT in it fails and aborts it. */
  private final boolean readOnly;
  /** Kept for the statements that follow; a cache of a pure function, so a lost race only costs work. */
  private volatile Applied applied;

  private GrantChanges(GrantChanges before, Change last, GrantChanges begun, GrantChanges kept, boolean aborted,
      boolean readOnly) {
    this.before = before;
    this.last = last;
    this.begun = begun;
    this.kept = kept;
    this.aborted = aborted;
    this.readOnly = readOnly;
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
    return new GrantChanges(this, change, begun, kept, aborted, readOnly);
  }

  /**
   * These changes once a {@code BEGIN} ran: a rollback then takes back all later ones, revokes
   * too. Inside a transaction a BEGIN changes nothing; where it is not known whether a transaction
   * is open (no commit point known), it is not taken as the transaction's start, and a rollback
   * stays strict ({@link #rollback}).
   */
  public GrantChanges begin() {
    return begun != null || kept == null ? this : marked(this, kept, false);
  }

  /**
   * These changes once a {@code COMMIT} or {@code END} ran: they are kept, and no transaction is
   * open; the COMMIT of an aborted transaction rolls it back.
   */
  public GrantChanges commit() {
    if (aborted) {
      return rollback();
    }
    return begun == null && kept != null && sameChanges(kept) ? this : marked(null, this, false);
  }

  /**
   * These changes as the last commit left them, in no transaction: where a connection followed the
   * transaction by its own account (auto-commit off) and rolled back to them, the marks a text's
   * BEGIN left on them end too.
   */
  public GrantChanges asCommitted() {
    return marked(null, this, false);
  }

  /**
   * These changes once a statement that cannot run in a transaction block ran ({@code VACUUM},
   * {@code CREATE DATABASE}, ...): in a transaction it fails and aborts it, so that the COMMIT after
   * it rolls back (probe 22d F2: such a COMMIT kept the grants).
   */
  public GrantChanges abortTransaction() {
    return begun == null || aborted ? this : marked(begun, kept, true);
  }

  /**
   * These changes once a {@code ROLLBACK} or {@code ABORT} ran: back to the transaction's start
   * when it is known; else (a transaction may have begun before anything known here, or none is
   * open and the rollback changes nothing) the grants since the last known commit are taken back and
   * the revokes kept, which is the strict reading of both.
   */
  public GrantChanges rollback() {
    GrantChanges back = begun != null ? begun : rolledBackTo(kept != null ? kept : NONE, true);
    return back.marked(null, back, false);
  }

  /**
   * These changes once a {@code ROLLBACK TO SAVEPOINT} ran: which came after the savepoint is not
   * followed, so the grants since the transaction's start (or the last known commit) go and the
   * revokes stay. An aborted transaction stays aborted: whether the savepoint was set before the
   * abort, or at all, is not followed (probe 23d F2: a ROLLBACK TO a savepoint made after the
   * abort, or to none, let the grants after it be committed).
   */
  public GrantChanges rollbackToSavepoint() {
    return rolledBackTo(begun != null ? begun : kept != null ? kept : NONE, true).marked(begun, kept, aborted);
  }

  /**
   * These changes in a transaction open since {@code start} (the same or fewer changes, all
   * committed): a connection whose auto-commit is off.
   */
  public GrantChanges inTransactionSince(GrantChanges start) {
    return marked(start, start, false);
  }

  /**
   * The changes the last commit kept, where a text's transaction statements were followed from a
   * known commit point; null otherwise.
   */
  public GrantChanges lastCommit() {
    return kept;
  }

  /** Whether they run in a transaction whose start is known: every statement may then abort it. */
  public boolean inTransaction() {
    return begun != null;
  }

  /** Whether the transaction they run in is aborted, so that its COMMIT rolls it back. */
  public boolean aborted() {
    return aborted;
  }

  /**
   * These changes once the transaction they run in was made read only ({@code BEGIN READ ONLY},
   * {@code SET TRANSACTION READ ONLY}): a GRANT or REVOKE in it fails and aborts it (probe 23d F3).
   * Where no transaction start is known, nothing changes.
   */
  public GrantChanges readOnlyTransaction() {
    return begun == null ? this : marked(begun, kept, aborted, true);
  }

  /** These changes once a statement doing {@code control} to its transaction ran. */
  public GrantChanges after(dev.iamguard.sql.TransactionControl control) {
    return switch (control) {
      case BEGIN -> begin();
      case BEGIN_READ_ONLY -> begin().readOnlyTransaction();
      case READ_ONLY -> readOnlyTransaction();
      case COMMIT -> commit();
      case ROLLBACK -> rollback();
      case ROLLBACK_TO_SAVEPOINT -> rollbackToSavepoint();
      case ABORTS_A_TRANSACTION -> abortTransaction();
      case NONE -> this;
    };
  }

  /** Whether they run in a transaction known to be read only. */
  public boolean readOnly() {
    return readOnly;
  }

  /** Whether a commit point is known, so that transaction statements are followed. */
  public boolean followsTransactions() {
    return kept != null || begun != null;
  }

  /** Marked so; read only while it stays in the same transaction. */
  private GrantChanges marked(GrantChanges newBegun, GrantChanges newKept, boolean newAborted) {
    return marked(newBegun, newKept, newAborted, readOnly && newBegun != null && newBegun == begun);
  }

  private GrantChanges marked(GrantChanges newBegun, GrantChanges newKept, boolean newAborted, boolean newReadOnly) {
    return newBegun == begun && newKept == kept && newAborted == aborted && newReadOnly == readOnly ? this
        : new GrantChanges(before, last, newBegun, newKept, newAborted, newReadOnly);
  }

  /** Whether {@code other} holds the same changes, however either is marked (a marked copy of this state, or this state). */
  public boolean sameChanges(GrantChanges other) {
    for (GrantChanges a = this, b = other; a != b; a = a.before, b = b.before) {
      if (b == null || a.size != b.size || a.last != b.last) {
        return false;
      }
    }
    return true;
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
    List<AssumeRoleGrant.Grantee> grantees = new ArrayList<>();
    for (AssumeRoleGrant.Grantee grantee : statement.grantees()) {
      grantees.add(grantee);
      // "public" quoted: the user so named here, but a server of the PostgreSQL family may read it as
      // PUBLIC; a grant then reaches only that user (fewer holders), and a revoke takes from both
      if (!grant && quotedPublic(grantee)) {
        grantees.add(new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.PUBLIC, "PUBLIC"));
      }
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

  /**
   * Whether the grantee is a user named {@code public} in any case of its ASCII letters (written
   * {@code "public"}, {@code "PUBLIC"}), which PostgreSQL reads as PUBLIC however it is quoted, and
   * Redshift too where it folds quoted names (case-sensitive identifiers off, its default): whatever
   * reads it must be strict both ways.
   */
  public static boolean quotedPublic(AssumeRoleGrant.Grantee grantee) {
    return grantee.kind() == AssumeRoleGrant.Grantee.Kind.USER && Names.folded(grantee.name()).equals("public");
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
