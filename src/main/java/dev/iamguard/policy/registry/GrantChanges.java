package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.sql.AssumeRoleGrant;
import dev.iamguard.sql.MembershipChange;
import dev.iamguard.sql.SqlStatement;
import dev.iamguard.sql.TransactionControl;
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
  public static final GrantChanges NONE = new GrantChanges(null, null, null, null, false, false, null, false, 0);

  /**
   * One GRANT ({@code grant} true) or REVOKE, read as a registry grant entry ({@code what}); or one
   * change of who belongs to a group or role ({@code member}, with {@code what} null), which counts as a
   * grant when a member joins and as a revoke when it leaves, so that a rollback the guard cannot place
   * keeps the leaving and takes back the joining, the strict reading of both.
   */
  public record Change(boolean grant, GrantConfig what, MembershipChange member) {
    public Change(boolean grant, GrantConfig what) {
      this(grant, what, null);
    }

    /** The change of a membership. */
    public static Change of(MembershipChange member) {
      return new Change(member.added(), null, member);
    }
  }

  /** The privileges a state leaves over one registry. */
  record Applied(Registry registry, AssumeRoleGrants grants) {}

  /**
   * The savepoints set in the transaction, newest first: {@code name} as the server folds it, set
   * when the changes were {@code at}; a null name stands for savepoints set where they were not
   * seen (a connection's own transaction), so that a name not found may be one of those.
   */
  private record Savepoint(String name, GrantChanges at, Savepoint below) {}

  /** Below every savepoint a connection's transaction may hold unseen ({@link #inTransactionSince}). */
  private static final Savepoint UNSEEN = new Savepoint(null, null, null);

  /** The state this one extends by {@link #last}; null for {@link #NONE}. */
  private final GrantChanges before;
  private final Change last;
  private final int size;
  /** How many of the changes are of memberships. */
  private final int memberships;
  /** The changes when the transaction they run in began ({@code BEGIN}); null outside one known to have begun. */
  private final GrantChanges begun;
  /** The changes the last commit kept; null when no commit is known (all may be taken back). */
  private final GrantChanges kept;
  /** Whether the transaction begun at {@link #begun} is aborted, so that its COMMIT rolls it back. */
  private final boolean aborted;
  /** Whether the transaction begun at {@link #begun} is read only, so that a GRANT in it fails and aborts it. */
  private final boolean readOnly;
  /** The savepoints set in the transaction begun at {@link #begun}, newest first; null for none. */
  private final Savepoint savepoints;
  /**
   * Whether the transaction begun at {@link #begun} may have run its first query, after which the
   * server refuses to set its isolation level (or READ WRITE in it when read only).
   */
  private final boolean queried;
  /**
   * The isolation level set in the transaction begun at {@link #begun}
   * ({@link TransactionControl#isolationLevel}); 0 where none was set, so that it
   * is the server's default, READ COMMITTED; {@link #UNKNOWN_LEVEL} where it may have been set unseen.
   */
  private final int isolation;

  private static final int UNKNOWN_LEVEL = -1;
  /** Kept for the statements that follow; a cache of a pure function, so a lost race only costs work. */
  private volatile Applied applied;

  private GrantChanges(GrantChanges before, Change last, GrantChanges begun, GrantChanges kept, boolean aborted,
      boolean readOnly, Savepoint savepoints, boolean queried, int isolation) {
    this.isolation = isolation;
    this.savepoints = savepoints;
    this.queried = queried;
    this.before = before;
    this.last = last;
    this.begun = begun;
    this.kept = kept;
    this.aborted = aborted;
    this.readOnly = readOnly;
    this.size = before == null ? 0 : before.size + 1;
    this.memberships = before == null ? 0 : before.memberships + (last.member() != null ? 1 : 0);
  }

  /**
   * The changes of memberships among these, oldest first ({@link Change#member}); empty, without
   * walking the chain, when there are none.
   */
  public List<MembershipChange> memberships() {
    if (memberships == 0) {
      return List.of();
    }
    MembershipChange[] all = new MembershipChange[memberships];
    int n = memberships;
    for (GrantChanges at = this; at.memberships > 0; at = at.before) {
      if (at.last.member() != null) {
        all[--n] = at.last.member();
      }
    }
    return List.of(all);
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
    return new GrantChanges(this, change, begun, kept, aborted, readOnly, savepoints, queried, isolation);
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
   * These changes once a {@code ROLLBACK TO SAVEPOINT} of a savepoint not known ran (where the
   * transaction's start is not known, or the savepoint may have been set unseen; else
   * {@link #rollbackToSavepoint(String)}): which came after the savepoint is not followed, so the
   * grants since the transaction's start (or the last known commit) go and the revokes stay. An
   * aborted transaction stays aborted: whether the savepoint was set before the abort, or at all,
   * is not known (probe 23d F2: a ROLLBACK TO a savepoint made after the abort, or to none, let the
   * grants after it be committed).
   */
  public GrantChanges rollbackToSavepoint() {
    GrantChanges back = rolledBackTo(begun != null ? begun : kept != null ? kept : NONE, true);
    if (begun == null) {
      return back.marked(begun, kept, aborted);
    }
    // which savepoint is not known: the transaction keeps all it has, and its read-only mode
    return new GrantChanges(back.before, back.last, begun, kept, aborted, readOnly, savepoints, queried,
        isolation);
  }

  /**
   * These changes in a transaction open since {@code start} (the same or fewer changes, all
   * committed): a connection whose auto-commit is off.
   */
  public GrantChanges inTransactionSince(GrantChanges start) {
    GrantChanges marked = marked(start, start, false);
    // the connection's transaction may have run queries and set savepoints (setSavepoint) unseen
    // and set its isolation level (setTransactionIsolation) unseen
    return marked.savepoints == UNSEEN && marked.queried && marked.isolation == UNKNOWN_LEVEL ? marked
        : new GrantChanges(marked.before, marked.last, start, start, false, marked.readOnly, UNSEEN, true, UNKNOWN_LEVEL);
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

  /**
   * These changes once a statement doing {@code control} to its transaction ran, where the
   * statement is not at hand: savepoints are not followed by name (a SAVEPOINT counts as one whose
   * name is not known, a ROLLBACK TO is followed strictly, a RELEASE and SET TRANSACTION keep the
   * transaction as it is).
   */
  public GrantChanges after(TransactionControl control) {
    return switch (control) {
      case BEGIN -> begin();
      case BEGIN_READ_ONLY -> begin().readOnlyTransaction();
      case READ_ONLY -> readOnlyTransaction();
      case COMMIT -> commit();
      case ROLLBACK -> rollback();
      case ROLLBACK_TO_SAVEPOINT -> rollbackToSavepoint();
      case ABORTS_A_TRANSACTION -> abortTransaction();
      case SAVEPOINT -> savepoint(null);
      case RELEASE_SAVEPOINT, SET_TRANSACTION, NONE -> this;
    };
  }

  /**
   * These changes once {@code statement}, doing {@code control} to its transaction, ran: as
   * {@link #after(TransactionControl)}, and in a transaction whose start is known,
   * the savepoints it sets, releases and rolls back to are followed by name, and the modes it sets
   * after its first query: what the server refuses there aborts the transaction
   * (TransactionStateServerTest). Any other statement ({@code NONE}) counts as a query, but for
   * those that take no snapshot ({@link TransactionControl#takesNoSnapshot}).
   */
  public GrantChanges after(TransactionControl control, SqlStatement statement) {
    if (begun == null) {
      GrantChanges begins = after(control);
      // the modes of the BEGIN that starts a followed transaction: its isolation level is the one in force
      return begins.begun != null && (control == TransactionControl.BEGIN
          || control == TransactionControl.BEGIN_READ_ONLY)
          ? begins.transactionModes(TransactionControl.modes(statement)) : begins;
    }
    return switch (control) {
      case NONE -> queried || aborted || TransactionControl.takesNoSnapshot(statement) ? this
          : new GrantChanges(before, last, begun, kept, false, readOnly, savepoints, true, isolation);
      case SAVEPOINT -> savepoint(TransactionControl.savepointName(statement));
      case RELEASE_SAVEPOINT -> release(TransactionControl.savepointName(statement));
      case ROLLBACK_TO_SAVEPOINT -> rollbackToSavepoint(TransactionControl.savepointName(statement));
      // a BEGIN inside a transaction sets its modes as SET TRANSACTION does (the server warns it is in one)
      case BEGIN, BEGIN_READ_ONLY, READ_ONLY, SET_TRANSACTION ->
          transactionModes(TransactionControl.modes(statement));
      default -> after(control);
    };
  }

  /**
   * These changes once a {@code SAVEPOINT} of {@code name} (as the server folds it; null: not
   * known) ran in a transaction whose start is known; an aborted transaction refuses it.
   */
  GrantChanges savepoint(String name) {
    if (begun == null || aborted) {
      return this;
    }
    return new GrantChanges(before, last, begun, kept, false, readOnly, new Savepoint(name, this, savepoints),
        queried, isolation);
  }

  /**
   * The savepoint a RELEASE or ROLLBACK TO of {@code name} finds: the newest of that name;
   * {@link #UNSEEN} where it may be one not seen (or the name is not known); null where the
   * transaction has none of that name, which the server refuses.
   */
  private Savepoint find(String name) {
    for (Savepoint at = savepoints; at != null; at = at.below()) {
      if (at.name() == null || name == null) {
        return UNSEEN;
      }
      if (at.name().equals(name)) {
        return at;
      }
    }
    return name == null ? UNSEEN : null;
  }

  /**
   * These changes once a {@code RELEASE SAVEPOINT} of {@code name} ran: the savepoint and those set
   * after it end, the changes stay; a name not set in the transaction (never, or released or
   * rolled back past) is refused, which aborts it. An aborted transaction refuses a RELEASE.
   */
  GrantChanges release(String name) {
    if (begun == null || aborted) {
      return this;
    }
    Savepoint found = find(name);
    if (found == null) {
      return abortTransaction();
    }
    return found == UNSEEN ? this
        : new GrantChanges(before, last, begun, kept, false, readOnly, found.below(), queried, isolation);
  }

  /**
   * These changes once a {@code ROLLBACK TO SAVEPOINT} of {@code name} ran: back to the changes as
   * they were when that savepoint was set, and to its transaction's read-only mode then (the
   * server undoes a SET TRANSACTION made after it); the savepoint stays and those after it end. It
   * also ends an abort, which can only have come after the savepoint (an aborted transaction sets
   * none). A name not set in the transaction is refused, which aborts it; one that may have been
   * set unseen is followed strictly ({@link #rollbackToSavepoint()}).
   */
  GrantChanges rollbackToSavepoint(String name) {
    if (begun == null) {
      return rollbackToSavepoint();
    }
    Savepoint found = find(name);
    if (found == null) {
      return abortTransaction();
    }
    if (found == UNSEEN) {
      return rollbackToSavepoint();
    }
    GrantChanges at = found.at();
    return new GrantChanges(at.before, at.last, begun, kept, false, at.readOnly, found, queried, isolation);
  }

  /**
   * These changes once a {@code BEGIN} or {@code START TRANSACTION} (at the start of a transaction
   * or inside one) or a {@code SET TRANSACTION} set {@code modes}
   * ({@link TransactionControl#modes}). PostgreSQL refuses to change the isolation
   * level after the transaction's first query or in a subtransaction (the level in force it lets
   * pass: the one set before in the transaction, else its default READ COMMITTED; where it may have
   * been set unseen, any is read as refused, which takes back the grants made in the transaction),
   * and READ WRITE there while the transaction is read only; the refusal aborts the transaction.
   * Else the last access mode sets whether it is read only.
   */
  GrantChanges transactionModes(int modes) {
    if (begun == null || aborted) {
      return this;
    }
    boolean late = queried || savepoints != null;
    int level = TransactionControl.isolationLevel(modes);
    int inForce = isolation == 0 ? TransactionControl.READ_COMMITTED : isolation;
    boolean readWrite = (modes & TransactionControl.READ_WRITE) != 0;
    if (late && (level != 0 && level != inForce || readWrite
        && (readOnly || (modes & TransactionControl.READ_ONLY_THEN_READ_WRITE) != 0))) {
      return abortTransaction();
    }
    boolean newReadOnly = (modes & TransactionControl.ENDS_READ_ONLY) != 0
        || readOnly && (modes & TransactionControl.ENDS_READ_WRITE) == 0;
    int newLevel = level != 0 ? level : isolation;
    return newReadOnly == readOnly && newLevel == isolation ? this
        : new GrantChanges(before, last, begun, kept, false, newReadOnly, savepoints, queried, newLevel);
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
    // the savepoints and first query belong to the transaction: another one (or none) starts without them
    boolean same = newBegun != null && newBegun == begun;
    return newBegun == begun && newKept == kept && newAborted == aborted && newReadOnly == readOnly ? this
        : new GrantChanges(before, last, newBegun, newKept, newAborted, newReadOnly, same ? savepoints : null,
            same && queried, same ? isolation : 0);
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
