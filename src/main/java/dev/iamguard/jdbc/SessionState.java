package dev.iamguard.jdbc;

import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.registry.GrantChanges;
import dev.iamguard.policy.Session;
import dev.iamguard.sql.SessionEffects;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.TransactionControl;
import java.sql.SQLException;
import java.util.List;

/**
 * The identity one connection is checked as, and what may have changed it since.
 *
 * <p>A target that reports its user (Redshift, PostgreSQL) is asked ({@link ServerIdentity}) before
 * the first decision that needs the user, and again before the next such decision whenever
 * something may have changed it: a statement that may change the identity
 * ({@link SessionEffects#IDENTITY}), or, once any such statement has run on the connection, a
 * transaction end or savepoint rollback (in SQL or through JDBC), which can undo it; or when the
 * server itself reported another {@code session_authorization}. Otherwise the answer is cached:
 * decisions that need no user, and statements that change nothing, never cause a round trip. When
 * the server cannot answer, the identity is unknown, and checks that need the user deny.
 *
 * <p>A target that cannot report its user (H2) is checked as the declared user, which follows
 * SET SESSION AUTHORIZATION as the text says.
 *
 * <p>GRANT and REVOKE ASSUMEROLE change the grants checked later ({@link Session#grants()}). Run
 * while the connection is in a transaction (auto-commit off), they are pending: a commit keeps them,
 * a rollback takes them back, and a rollback to a savepoint takes back the pending grants but keeps
 * the pending revokes (the guard cannot tell which came after the savepoint, and stays strict).
 */
final class SessionState {
  /** How a transaction ends, for pending grant changes. */
  enum Outcome { COMMIT, ROLLBACK, ROLLBACK_TO_SAVEPOINT }

  private final ServerIdentity server;
  private final String expectedUser;
  /**
   * The target is the local database (H2), where no statement changes who runs the connection but
   * SET SESSION AUTHORIZATION, which the guard emulates and follows: a CALL there calls a function
   * (Flyway sends {@code CALL SCHEMA()} on every migration), not a procedure that may change the user.
   */
  private final boolean localDatabase;
  /** Written under this object's lock; read without it by {@link #current} (a Session is immutable). */
  private volatile Session session;
  private boolean read;
  private boolean stale = true;
  private boolean changedOnce;
  /** Written under this object's lock; read without it on every statement ({@link #epoch}). */
  private volatile long epoch;
  /** The grant changes at the last commit while later ones are pending in a transaction; null when none are. */
  private GrantChanges committed;
  /**
   * True from a failure in a transaction to its end: Redshift runs nothing there ("current
   * transaction is aborted"), so a GRANT or REVOKE sent in it changes nothing (probe 23e F3).
   */
  private boolean abortedTransaction;
  /** Why the connection's identity can never be trusted (iamguard.user contradicts the server), or null. */
  private String refused;
  /**
   * The {@code session_authorization} the server reported when the guard took the connection, or
   * null when the driver does not show it: a read that finds another session user means a change
   * no text showed (a function body), which a transaction end may undo as well.
   */
  private final String startAuthorization;

  private SessionState(ServerIdentity server, Session session, String expectedUser, boolean localDatabase) {
    this.server = server;
    this.session = session;
    this.expectedUser = expectedUser;
    this.localDatabase = localDatabase;
    this.startAuthorization = server == null ? null : server.reportedSessionAuthorization();
  }

  /** The state of a connection checked as a declared identity; {@code localDatabase}: the target is H2 (see {@link #localDatabase}). */
  static SessionState declared(Session session, boolean localDatabase) {
    return new SessionState(null, session, null, localDatabase);
  }

  /**
   * The state of a connection whose server reports the identity; {@code expectedUser}
   * ({@code iamguard.user}) must then be the user the server reports.
   */
  static SessionState reported(ServerIdentity server, Session unread, String expectedUser) {
    return new SessionState(server, unread, expectedUser, false);
  }

  /**
   * The connection comes from a pool that handed it out before: an earlier borrower may have changed
   * its identity inside a transaction it left open (a pool with auto-commit on rolls nothing back),
   * so a transaction end may undo a change this state never saw, as after a change it saw.
   */
  synchronized void mayHaveChangedBefore() {
    changedOnce = true;
  }

  /** The identity as last known, without asking the server (audit lines, previews of no-auth text). */
  Session current() { // on every statement's path: a volatile read, not the lock
    return session;
  }

  /** Counts the times the identity or the grants may have changed: a prepared decision older than this is redone. */
  long epoch() {
    return epoch;
  }

  /**
   * The connection's checked lock, under which the identity query runs once the connection set it:
   * the query shares the connection with other threads' statements, and the Redshift driver's fetch
   * ring buffer reads a result set's rows after its own lock is released, so a query sent beside
   * another thread's statement broke the connection ("Unexpected packet type") or hung it. Taken
   * before this object's lock, as the threads sending a checked text take them.
   */
  private volatile java.util.concurrent.locks.Lock readLock;

  /** Runs the identity query under {@code lock} from now on. */
  void readUnder(java.util.concurrent.locks.Lock lock) {
    readLock = lock;
  }

  /**
   * The identity to decide as. When the decision needs the user and something may have changed it,
   * the server is asked first (one round trip); a failure leaves the identity unknown.
   */
  Session forDecision(boolean needsUser) {
    java.util.concurrent.locks.Lock lock = server == null ? null : readLock;
    if (lock == null) {
      return decide(needsUser);
    }
    lock.lock();
    try {
      return decide(needsUser);
    } finally {
      lock.unlock();
    }
  }

  /** What a failed identity query inside a transaction says of it (aborted by that failure, or before it). */
  static final String TRANSACTION_ABORTED = "; the transaction in progress is aborted (the query failed in it, if"
      + " nothing had before: the server runs nothing more in it, and a COMMIT of it rolls it back)";

  /**
   * Records that a query of the guard's own (the identity, a CALL's bodies or their owners) failed on
   * the connection, and returns what its refusal adds: {@link #TRANSACTION_ABORTED} when the failure
   * left the transaction aborted, else empty. The driver's report of the server's transaction state
   * says so where it keeps one ({@link ServerIdentity#transactionFailed}); else a transaction is taken
   * as aborted when one is open (auto-commit off, or one a text's BEGIN opened). An aborted one is
   * recorded as after a failed text of the application's ({@link #aborted}): its pending grant
   * changes are taken back now, and its COMMIT read as the rollback the server makes of it.
   */
  synchronized String ownQueryFailed() {
    if (server == null) {
      return "";
    }
    Boolean failed = server.transactionFailed();
    boolean aborted = failed != null ? failed : server.inTransaction() || session.grants().inTransaction();
    if (!aborted) {
      return "";
    }
    aborted(true, true);
    return TRANSACTION_ABORTED;
  }

  /** The driver's report of whether the server's transaction is aborted ({@link ServerIdentity#transactionFailed}), or null. */
  synchronized Boolean transactionFailed() {
    return server == null ? null : server.transactionFailed();
  }

  private synchronized Session decide(boolean needsUser) {
    if (server == null) {
      return session;
    }
    if (refused != null) {
      return session.unknown(refused);
    }
    noticeReportedChange();
    if (needsUser && (stale || !read)) {
      try {
        Session fresh = server.read(session);
        if (!read && expectedUser != null && !dev.iamguard.policy.registry.Names.folded(expectedUser).equals(fresh.user())) {
          refused = mismatch(fresh.user());
          session = session.unknown(refused);
          return session;
        }
        read = true;
        stale = false;
        session = fresh;
        String now = server.reportedSessionAuthorization();
        if (startAuthorization != null && (!startAuthorization.equals(server.lastSessionUser())
            || now != null && !startAuthorization.equals(now))) {
          changedOnce = true; // changed where no text showed it: a transaction end may undo it
        }
      } catch (SQLException | RuntimeException e) {
        // the query ran in the application's transaction, if one is open: the server aborts it (recorded
        // first, as it changes the session's grants)
        String transaction = ownQueryFailed();
        session = session.unknown("the server could not report it: " + Redactor.redact(String.valueOf(e.getMessage()))
            + transaction);
      }
    }
    return session;
  }

  /** Whether the server reports who the connection runs as (and holds its catalog). */
  boolean serverReports() {
    return server != null;
  }

  /**
   * The bodies of the procedures a CALL of {@code name} may run, with the owner of each SECURITY
   * DEFINER one ({@link ServerIdentity#calledBodies}), asked under the lock the identity query runs
   * under; with {@code anySchema}, an unqualified name's in every schema (a routine a body runs).
   */
  List<ServerIdentity.Body> calledBodies(List<String> name, boolean anySchema) throws SQLException {
    return underReadLock(() -> server.calledBodies(name, anySchema));
  }

  /**
   * The bodies each name a body runs may run, every schema's for an unqualified name ({@link
   * ServerIdentity#calledBodies(java.util.Collection)}): one round trip for them all, under the
   * identity query's lock.
   */
  java.util.Map<List<String>, List<ServerIdentity.Body>> calledBodies(java.util.Collection<List<String>> names)
      throws SQLException {
    return underReadLock(() -> server.calledBodies(names));
  }

  /**
   * Who a SECURITY DEFINER body owned by {@code owner} runs as, for the cluster and grant changes
   * of {@code caller} ({@link ServerIdentity#readOwner}): one round trip, under the identity query's lock.
   */
  Session ownerSession(Session caller, String owner) throws SQLException {
    return underReadLock(() -> server.readOwner(caller, owner));
  }

  private interface ServerRead<T> {
    T read() throws SQLException;
  }

  private <T> T underReadLock(ServerRead<T> read) throws SQLException {
    java.util.concurrent.locks.Lock lock = readLock;
    if (lock != null) {
      lock.lock();
    }
    try {
      synchronized (this) {
        return read.read();
      }
    } finally {
      if (lock != null) {
        lock.unlock();
      }
    }
  }

  /**
   * Marks the identity stale when the server has reported, on its own, another session user than
   * the last read found (a function body or trigger changed it): a decision made before, held by a
   * prepared statement or a batch entry, is then made again before it is sent (probe 44b F1: such a
   * COPY, decided for user1, ran after {@code select become('user3')} because only a new decision
   * looked at the report). No round trip: the driver keeps what the server sent.
   */
  synchronized void noticeReported() {
    if (server != null && refused == null) {
      noticeReportedChange();
    }
  }

  private void noticeReportedChange() {
    if (read && !stale) {
      String reported = server.reportedSessionAuthorization();
      if (reported != null && !reported.equals(server.lastSessionUser())) {
        changedOnce = true; // a transaction end may undo it as well
        markStale(); // the server says the session user changed: something no text showed
      }
    }
  }

  /**
   * Reads the identity now, refusing the connection when {@code iamguard.user} names another user
   * than the server reports (or the server cannot say).
   */
  void verifyNow() throws SQLException {
    Session reported = forDecision(true);
    String refused;
    synchronized (this) {
      refused = this.refused;
    }
    if (refused != null) {
      throw new SQLException("iamguard: connection refused: " + refused, GuardSqlStates.IDENTITY_UNKNOWN);
    }
    if (!reported.identityKnown()) {
      throw new SQLException("iamguard: connection refused: " + Setting.USER.key() + "=" + expectedUser
          + " cannot be verified: " + reported.note(), GuardSqlStates.IDENTITY_UNKNOWN);
    }
  }

  private String mismatch(String serverUser) {
    return Setting.USER.key() + "=" + expectedUser + " but the server reports that the connection runs as "
        + serverUser + "; " + Setting.USER.key() + " is only for targets that cannot report their user (H2): "
        + "remove it, or log in as " + expectedUser;
  }

  /** Records what a text about to be sent may do: {@link SessionEffects} bits of {@code sql}. */
  synchronized void ran(int effects, String sql) {
    if (SessionEffects.has(effects, SessionEffects.IDENTITY) || reportsMemberships(effects)) {
      changedOnce = true;
      markStale(); // once: a text's own change moves the epoch by one (ConnectionPolicy#stillHoldsChanging)
    } else if (SessionEffects.has(effects, SessionEffects.TRANSACTION) && changedOnce) {
      markStale(); // a commit ends SET LOCAL, a rollback restores the identity before it
    }
  }

  /**
   * A declared identity (no server to ask) after a text that may change the identity ({@code sql},
   * with {@link SessionEffects#IDENTITY}) in a way the guard cannot follow: set_config, SET or RESET
   * ROLE, RESET ALL, DISCARD, CALL (a JDBC call escape too), DO, SET LOCAL SESSION AUTHORIZATION.
   * Only SET SESSION AUTHORIZATION names the user who runs what follows; after any other change the
   * user is not known for the rest of the connection, so later auth-carrying statements are denied
   * (IDENTITY_CHANGED_IN_TEXT). Such a text sent on its own needs no decision, so nothing else marked
   * it: a later COPY was decided for the login user though it ran as whoever set_config named
   * (DeclaredUnfollowedChangeTest). Marked once the text has been sent (or failed: it may have run
   * in part), under the connection's checked lock, so a text decided before is decided again before
   * it is sent (the epoch moved); and for good: a text decided before and recorded after it (SET
   * SESSION AUTHORIZATION, which may leave a SET ROLE in force) cannot bring the declared user back
   * ({@link #executed}). Not when it is only decided: a batch entry before it runs before it.
   */
  private void unfollowed(String sql) {
    if (session.origin() != Session.Origin.GIVEN) {
      return; // unknown or changed already: nothing is decided for a user
    }
    int at = sql == null ? 0 : SqlScript.parse(sql).firstUnfollowableIdentityChange();
    if (at == 0) {
      // SET SESSION AUTHORIZATION only, which the decision's session follows ({@link #executed}), or a
      // callable statement whose text calls nothing (prepareCall("COPY ..."): the driver sends it as written)
      return;
    }
    session = session.changedBy("statement " + at + " of " + Session.ON_CONNECTION);
    epoch++;
  }

  /**
   * Records that a text with transaction statements ({@code sql}) ran: its COMMITs and ROLLBACKs
   * end the pending grant changes now, not when it was decided (probe 23b F3: a text decided but
   * never run, added to a batch that was cleared, prepared and not executed, or failing before its
   * COMMIT, counted as a commit, and a later rollback kept the grants).
   */
  synchronized void transactionText(String sql) {
    if (abortedTransaction && !outcomes(sql).isEmpty()) {
      abortedEnds();
      return;
    }
    if (committed != null) {
      for (Outcome outcome : outcomes(sql)) {
        ended(outcome);
      }
      return;
    }
    // nothing pending since a commit: the text's BEGIN, COMMIT, ROLLBACK and aborting statements are
    // followed on the grants' marks, from the grants as committed (probe 23d F6: 'begin; grant' then
    // a 'rollback' text that needs no inspection kept the grant)
    GrantChanges grants = session.grants();
    GrantChanges after = grants.followsTransactions() ? grants : grants.commit();
    for (TransactionControl control : TransactionControl.ofText(sql)) {
      after = after.after(control);
    }
    if (after != grants) {
      session = session.withGrants(after);
      epoch++;
    }
  }

  /**
   * Records that a text holding transaction statements failed after it was decided with the
   * session {@code after}: which of its statements ran is not known, and a COMMIT of its own may
   * have kept a REVOKE before the failure (red-team review: {@code REVOKE ...; COMMIT; select 1/0}
   * left the role granted). So its revokes are kept and its grants dropped, the strict reading.
   * Called before {@link #aborted}.
   */
  synchronized void failedKeepingRevokes(Session after) {
    GrantChanges grants = session.grants();
    GrantChanges kept = after.grants().rolledBackTo(grants, true);
    if (!kept.sameChanges(grants)) {
      session = session.withGrants(kept);
      epoch++;
    }
  }

  /**
   * Records that a text failed, or ran a statement Redshift refuses in a transaction block. In a
   * transaction Redshift then aborts it: it runs nothing more and its end rolls back (probe 23d F6,
   * probe 23b F1: a VACUUM or CREATE EXTERNAL TABLE sent as its own text left the COMMIT after it
   * keeping the grants). So the grant changes pending since the last commit (auto-commit off) are
   * rolled back now, and a transaction a BEGIN opened (followed on the grants' marks) is aborted.
   * When the text held transaction statements itself ({@code certain} false), which of them ran
   * is not known: the pending grants are taken back and the pending revokes kept, for good.
   * Outside a transaction it changes nothing.
   */
  synchronized void aborted(boolean certain, boolean inTransaction) {
    GrantChanges grants = session.grants();
    abortedTransaction = abortedTransaction || inTransaction || committed != null || grants.inTransaction();
    GrantChanges after = committed == null ? grants.abortTransaction()
        : certain ? committed : grants.rolledBackTo(committed, true);
    committed = null;
    if (after != grants) {
      session = session.withGrants(after);
      epoch++;
    }
  }

  /**
   * Records that a text with {@code effects} has been sent. {@link #ran} marked the identity stale
   * when the text was decided for sending (a batch's entries are not: they had not run), but a read
   * answered before the text reached the server (another thread's decision) cleared that mark with
   * the identity the text then changed: it is marked again.
   */
  synchronized void sent(int effects, String text) {
    sent(effects);
    if (server == null && !localDatabase && SessionEffects.has(effects, SessionEffects.IDENTITY)) {
      unfollowed(text);
    }
    mayHaveUndone(effects);
  }

  /** {@link #sent(int, String)} for a batch: its entries' {@code texts}, and the text prepared ({@code prepared}, or null). */
  synchronized void sent(int effects, List<String> texts, String prepared) {
    sent(effects);
    if (server == null && !localDatabase && SessionEffects.has(effects, SessionEffects.IDENTITY)) {
      for (String text : texts) {
        unfollowed(text);
      }
      unfollowed(prepared);
    }
    mayHaveUndone(effects);
  }

  /**
   * A declared identity that texts changed is not followed past a transaction end or EXECUTE sent
   * in an execution of its own ({@link SessionEffects#UNDOES}), as it is not past one in the same
   * text or a JDBC {@code commit()}/{@code rollback()} ({@link #transactionEnded}): a ROLLBACK brings
   * back the user the transaction began with, a COMMIT ends SET LOCAL. Red-team review
   * (ScriptFacesAgreeTest): {@code set session authorization bob}, {@code begin}, {@code set session
   * authorization default}, {@code rollback}, each sent on its own, left the guard deciding for the
   * login user while the target ran as bob again.
   */
  private void mayHaveUndone(int effects) {
    // a text that also changes the identity is followed in its own order: by its decision, which reads a
    // change after the end as naming the user (an END then SET SESSION AUTHORIZATION x leaves x), or by
    // unfollowed (ScriptFacesAgreeTest, seed 99)
    if (SessionEffects.has(effects, SessionEffects.UNDOES) && !SessionEffects.has(effects, SessionEffects.IDENTITY)) {
      declaredChangeMayBeUndone("a transaction end or EXECUTE of " + Session.ON_CONNECTION);
    }
  }

  /**
   * A declared identity that texts changed (even back to the login user) is no longer known after
   * {@code end}, a transaction end or EXECUTE that may bring back a user the texts no longer name.
   */
  private void declaredChangeMayBeUndone(String end) {
    if (server == null && session.origin() == Session.Origin.GIVEN
        && (session.changedByText() || !java.util.Objects.equals(session.user(), session.loginUser()))) {
      session = session.changedBy(end);
      epoch++;
    }
  }

  /**
   * Whether {@code effects} may change the groups, roles or superuser flag the server reported
   * ({@link SessionEffects#MEMBERSHIP}): they are read again as after an identity change (a rollback
   * may take the change back as well). A declared identity follows them in its session instead.
   */
  private boolean reportsMemberships(int effects) {
    return server != null && SessionEffects.has(effects, SessionEffects.MEMBERSHIP);
  }

  private void sent(int effects) {
    if (SessionEffects.has(effects, SessionEffects.IDENTITY) || reportsMemberships(effects)) {
      changedOnce = true;
      markStale();
    } else if (SessionEffects.has(effects, SessionEffects.TRANSACTION) && changedOnce) {
      markStale();
    }
  }

  /**
   * True once the identity may have changed on the connection: a transaction statement (a rollback,
   * a commit ending SET LOCAL, EXECUTE of a prepared set_config) may then change who runs the
   * statements after it in the same text or batch, though the server was asked before it was sent.
   */
  synchronized boolean transactionsMayChangeIdentity() {
    return changedOnce;
  }

  /** A transaction ended or rolled back to a savepoint through JDBC. */
  synchronized void transactionEnded(Outcome outcome) {
    if (changedOnce) {
      markStale();
    }
    if (abortedTransaction && outcome != Outcome.ROLLBACK_TO_SAVEPOINT) {
      abortedEnds();
      return;
    }
    declaredChangeMayBeUndone("a transaction end through JDBC"); // as a COMMIT or ROLLBACK in text
    if (committed != null) {
      ended(outcome);
    } else if (session.grants().inTransaction()) {
      // a transaction a text's BEGIN opened, followed on the grants' marks: it ends here
      GrantChanges grants = session.grants();
      session = session.withGrants(switch (outcome) {
        case COMMIT -> grants.commit();
        case ROLLBACK -> grants.rollback();
        case ROLLBACK_TO_SAVEPOINT -> grants.rollbackToSavepoint();
      });
      epoch++;
    }
  }

  /**
   * An aborted transaction ends (a COMMIT of it rolls back): what it held pending was rolled back
   * when it failed, and what was sent after was not counted; a transaction a text's BEGIN opened is
   * rolled back on the grants' marks.
   */
  private void abortedEnds() {
    abortedTransaction = false;
    committed = null;
    GrantChanges grants = session.grants();
    if (grants.inTransaction()) {
      session = session.withGrants(grants.rollback());
    }
    epoch++;
  }

  private void ended(Outcome outcome) {
    switch (outcome) {
      case COMMIT -> {
        committed = null;
        // a text's BEGIN marked the grants: that transaction ends too (or they stayed pending after it)
        GrantChanges grants = session.grants();
        if (grants.inTransaction()) {
          session = session.withGrants(grants.commit());
          epoch++;
        }
      }
      case ROLLBACK -> {
        if (committed != null) { // else a COMMIT before it in the same text kept what was pending
          session = session.withGrants(committed.asCommitted());
          committed = null;
          epoch++;
        }
      }
      case ROLLBACK_TO_SAVEPOINT -> {
        if (committed != null) {
          session = session.withGrants(session.grants().rolledBackTo(committed, true));
          epoch++;
        }
      }
    }
  }

  /**
   * Records what an executed text changed: {@code after} is its decision's session afterwards (a
   * declared identity after SET SESSION AUTHORIZATION; grant changes). {@code inTransaction}: the
   * connection's auto-commit is off, so grant changes stay pending until a commit;
   * {@code followedTransactions}: the text held transaction statements, which the guard followed
   * from the commit point marked on its grants.
   */
  synchronized void executed(Session after, boolean inTransaction, boolean followedTransactions) {
    if (abortedTransaction) {
      after = after.withGrants(session.grants()); // sent in an aborted transaction: it ran nothing
    }
    GrantChanges before = session.grants();
    GrantChanges now = after.grants();
    if (!now.sameChanges(before)) {
      GrantChanges lastCommit = followedTransactions ? now.lastCommit() : null;
      if (inTransaction && lastCommit != null) {
        // a text with transaction statements: the guard followed them from the commit point marked before it
        committed = lastCommit.sameChanges(now) ? null : lastCommit;
      } else if (inTransaction && committed == null) {
        committed = before;
      }
      epoch++;
    }
    if (server == null && session.origin() == Session.Origin.CHANGED && after.origin() == Session.Origin.GIVEN) {
      // decided before another text made the declared user unknown, sent after it: the user stays unknown
      after = session.withGrants(after.grants()).withExternalCatalog(after.externalCatalog());
    } else if (server == null && after.origin() == Session.Origin.CHANGED && after.note().startsWith("statement ")
        && !after.note().contains(Session.ON_CONNECTION)
        && !after.note().contains(Session.OF_SCRIPT)) {
      // the text's own 'statement N' is, for the texts after it, a statement of an earlier execution
      after = after.changedBy(after.note() + " of " + Session.ON_CONNECTION);
    }
    if (server == null || after.origin() == Session.Origin.GIVEN) {
      if (!after.equals(session)) {
        epoch++;
      }
      session = after;
    } else {
      // the server says who runs later statements
      session = session.withGrants(after.grants()).withExternalCatalog(after.externalCatalog());
    }
  }

  /**
   * {@code grants} (the connection's) marked with the transaction they run in: with auto-commit off,
   * one open since the last commit (the grants before the pending ones), else none.
   */
  synchronized GrantChanges grantsInTransaction(GrantChanges grants, boolean autoCommit) {
    if (autoCommit) {
      // a transaction an earlier text's BEGIN opened is followed on the grants' marks (probe 23d F6:
      // 'begin; grant' then 'rollback' as texts of their own kept the grant)
      return grants.inTransaction() ? grants : grants.commit();
    }
    GrantChanges marked = grants.inTransactionSince(committed != null ? committed : grants);
    return grants.inTransaction() && grants.aborted() ? marked.abortTransaction() : marked;
  }

  /** True when grant changes wait for the transaction to commit. */
  synchronized boolean grantsPending() {
    return committed != null;
  }

  private void markStale() {
    stale = true;
    epoch++;
  }

  /** The transaction ends a text holds, in order. */
  static java.util.List<Outcome> outcomes(String sql) {
    java.util.List<Outcome> outcomes = new java.util.ArrayList<>(1);
    for (TransactionControl control : TransactionControl.ofText(sql)) {
      switch (control) {
        case COMMIT -> outcomes.add(Outcome.COMMIT);
        case ROLLBACK -> outcomes.add(Outcome.ROLLBACK);
        case ROLLBACK_TO_SAVEPOINT -> outcomes.add(Outcome.ROLLBACK_TO_SAVEPOINT);
        default -> { }
      }
    }
    return outcomes;
  }
}
