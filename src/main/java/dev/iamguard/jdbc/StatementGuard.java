package dev.iamguard.jdbc;

import dev.iamguard.local.LocalS3;
import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.registry.PolicySettings.Mode;
import dev.iamguard.sql.SessionEffects;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * The SQL entry points of one guarded statement (of any kind: {@link GuardStatement} and its
 * prepared and callable subclasses): every text is decided on before it is sent; a prepared text
 * is decided on again only when who runs it may have changed; denied batch entries poison the
 * whole batch; with local S3 emulation, COPY and UNLOAD run here instead of in the database.
 *
 * <p>JDBC lets threads share a statement. What the batch methods do to the driver's batch and to this
 * guard's record of it happens under this object's monitor, as one step: another thread's
 * executeBatch sent the driver's batch, holding an entry the driver had taken and this guard had not
 * yet recorded, without deciding it again after a change of user (fail-open: {@code SharedBatchRaceTest}).
 * The monitor is taken before the connection's checked lock, never after it.
 */
final class StatementGuard {
  /**
   * One way of sending SQL to the target ({@code execute}, {@code executeUpdate}, ...); the
   * common ones are constants, so the hot path allocates no lambda.
   */
  interface Send<T> {
    T send(Statement target, String sql) throws SQLException;
  }

  static final Send<Boolean> EXECUTE = Statement::execute;
  static final Send<Integer> EXECUTE_UPDATE = Statement::executeUpdate;
  static final Send<Long> EXECUTE_LARGE_UPDATE = Statement::executeLargeUpdate;
  static final Send<java.sql.ResultSet> EXECUTE_QUERY = Statement::executeQuery;

  /** What an emulated statement returns through the same method, from the rows it handled. */
  interface LocalValue<T> {
    T of(long rows);
  }

  /**
   * For {@code executeQuery}: an emulated statement has no result set to return, so a text holding
   * one is refused before any of it runs (a retry must not load the data twice).
   */
  static final LocalValue<java.sql.ResultSet> NO_RESULT_SET = null;
  /** {@code execute}: an emulated statement returns no result set. */
  static final LocalValue<Boolean> NO_RESULTS = rows -> false;
  /** {@code executeUpdate}: the rows an emulated statement handled. */
  static final LocalValue<Integer> INT_ROWS = rows -> (int) rows;
  /** {@code executeLargeUpdate}: likewise. */
  static final LocalValue<Long> ROWS = rows -> rows;

  private final GuardConnection connection;
  private final Statement target;
  /** A prepared statement's text and the decision made when it was prepared; null otherwise. */
  private final String preparedSql;
  /** Replaced when a decision made again before an execution holds from then on. */
  private ConnectionPolicy.Prepared prepared;
  /**
   * The batch's checked entries as decided at addBatch (with their place in the batch), decided again
   * before it is sent if anything changed since. Unchecked entries, the usual ones, need nothing
   * decided again and are not kept here: a batch of them keeps one list, its texts.
   */
  private final List<CheckedEntry> checkedEntries = new ArrayList<>();
  /**
   * The texts of the batch, read again before it is sent and for masking their secrets in the target's
   * error. The default growth (from 10 by half) copies fewer arrays than growing from 0 one at a time.
   */
  private final List<String> batchTexts = new ArrayList<>();
  private boolean batchDenied;
  /** The texts last sent through this statement, whose words the target may still hold ({@link SentTexts}). */
  private final SentTexts sent = new SentTexts();
  /** Parameter sets were added to a prepared statement's batch. */
  private boolean parameterBatch;
  /** See {@link #boundBeyondAscii()}. */
  private boolean boundBeyondAscii;
  /** The batch entry (1-based) that may change the identity first, or 0. */
  private int batchIdentityChange;
  /** Whether the entry {@link #batchIdentityChange} names changes grants or memberships rather than the identity. */
  private boolean batchChangesGrants;
  /** The {@link SessionEffects} of the batch's entries together, recorded again once the batch is sent. */
  private int batchEffects;
  /** {@code setEscapeProcessing(false)}: the driver sends this statement's texts as written, escapes and all. */
  private boolean escapesOff;
  /** The emulated result's update count, {@link #NOT_LOCAL} or {@link #CONSUMED}. */
  private long localRows = NOT_LOCAL;
  /** The last execution ran in the database: its results are the target's. */
  private static final long NOT_LOCAL = -1;
  /** The last execution was emulated and getMoreResults moved past its one result (an update count). */
  private static final long CONSUMED = -2;

  /** The text a prepared or callable statement was prepared with; null for a plain statement. */
  String preparedSql() {
    return preparedSql;
  }

  StatementGuard(GuardConnection connection, Statement target, String preparedSql, ConnectionPolicy.Prepared prepared) {
    this.connection = connection;
    this.target = target;
    this.preparedSql = preparedSql;
    this.prepared = prepared;
  }

  /**
   * Before the prepared text runs: decided again if who runs it may have changed since it was
   * prepared; returns the decision to record with {@link ConnectionPolicy#executed} once it ran.
   */
  Decision beforePrepared() throws SQLException {
    if (prepared == null || prepared.decision() == null && prepared.effects() == 0 && prepared.checkedWith() == null
        && !connection.policy().tablesChangedSince(prepared)) {
      return null; // the hot path: a prepared text that is neither checked nor changes the session
    }
    prepared = connection.policy().decidedNow(preparedSql, prepared);
    return prepared.decision();
  }

  /**
   * Runs the prepared text ({@code execute()}, {@code executeQuery()}, ...; {@code send} gets no
   * SQL), under the connection's statement lock, and records what it changed once it ran. A text
   * decided at prepare time to be emulated ({@link EmulatedTarget}) runs on the local database
   * instead, its other statements going through the plain statement with {@code text}; with no
   * {@code localValue} (executeQuery) it is refused before anything runs.
   */
  <T> T executePrepared(Send<T> send, Send<T> text, LocalValue<T> localValue) throws SQLException {
    Statement plain = prepared != null && prepared.emulated() ? EmulatedTarget.plain(target) : null;
    if (plain != null && localValue == null) {
      throw noResultSet();
    }
    localRows = NOT_LOCAL;
    T result;
    // a checked text is decided again (when needed), sent and recorded while no other thread of the
    // connection can change who runs it
    boolean checked = prepared != null && (prepared.decision() != null || prepared.effects() != 0
        || prepared.checkedWith() != null || connection.policy().tablesChangedSince(prepared));
    Lock lock = checked ? connection.lockChecked() : connection.lockStatements();
    int preparedEffects = prepared == null ? SessionEffects.NONE : prepared.effects();
    boolean ran = false;
    boolean handed = false;
    try {
      connection.policy().encoding().require(preparedSql, boundBeyondAscii);
      Decision decision = beforePrepared();
      sending(preparedSql);
      handed = true;
      try {
        result = plain != null
            ? connection.emulating(() -> executeLocally(decision, preparedSql, plain, text, localValue,
                connection.policy().local()))
            : send.send(target, null);
        ran = true;
      } catch (SQLException e) {
        throw TargetErrors.masked(e, preparedSql);
      } finally {
        if (!ran) {
          connection.policy().failed(decision, preparedEffects);
        }
        connection.policy().transactionText(preparedSql, preparedEffects, ran, target);
      }
      connection.policy().executed(decision);
    } finally {
      // a text refused before it was handed to the driver changed nothing (RefusedBeforeSendingTest)
      if (prepared != null && handed) {
        connection.policy().sent(prepared.effects(), preparedSql);
      }
      GuardConnection.unlock(lock);
    }
    return result;
  }

  private static SQLException noResultSet() {
    return new SQLException("iamguard: executeQuery must return a result set, and an emulated COPY, UNLOAD or"
        + " AWS-only DDL statement has none; nothing was run: use execute or executeUpdate", GuardSqlStates.NOT_SUPPORTED);
  }

  /**
   * A value beyond ASCII was bound where the driver writes values into the text: the prepared
   * text's executions are refused while the driver's encoding is not UTF-8 ({@link ClientEncoding}).
   */
  void boundBeyondAscii() {
    boundBeyondAscii = true;
  }

  /**
   * {@code addBatch()} of a prepared statement: a set of parameters joins the batch, each running the
   * prepared text, which executeBatch then decides again when needed. Marked before the driver takes
   * it, under the batch's monitor, so that no executeBatch sends it unmarked.
   */
  synchronized void addParameterBatch() throws SQLException {
    parameterBatch = true;
    ((java.sql.PreparedStatement) target).addBatch();
  }

  /**
   * {@code setEscapeProcessing}: once the target took it, the texts of this statement are read as it
   * sends them. Under the monitor, which a text with a brace holds from its check to its send
   * ({@link #execute}): another thread turned escape processing off between them, and the driver sent
   * as written a text decided on as its escapes read it, a COPY the escapes put in a comment
   * (fail-open: {@code EscapeProcessingRaceTest}).
   */
  synchronized void escapeProcessing(boolean enable) throws SQLException {
    target.setEscapeProcessing(enable);
    escapesOff = !enable;
  }

  /**
   * Refuses, while escape processing is off, a text that the driver's escape processing would read
   * differently. The guard reads a text with a brace as the driver's escapes leave it
   * ({@link ConnectionPolicy#driverReading}), but with escape processing off the driver sends it as
   * written, and where the driver's lexer differs from the server's ({@code /}{@code *}{@code /} is a
   * whole comment to the Redshift driver and pgjdbc, the start of one to the server) an escape can
   * hide a statement from the one reading and not from the other. The reading compared is the plain
   * statement's, whose {@code ?} stay as written ({@link DriverReading#plain}).
   */
  private void requireOneReading(String sql) throws SQLException {
    if (escapesOff && sql != null && sql.indexOf('{') >= 0) {
      ConnectionPolicy policy = connection.policy();
      if (policy.mode() != Mode.OFF && !policy.driverReading(sql).equals(sql)) {
        throw new SQLException("iamguard: escape processing is off on this statement, and the driver's JDBC escape "
            + "processing would read this text's braces ({...}) differently from the text as written, which is what "
            + "is sent; nothing was sent: turn escape processing on, or write the statement without JDBC escapes",
            GuardSqlStates.NOT_SUPPORTED);
      }
    }
  }

  /** Decides on {@code sql}, then sends it (rewritten) or emulates it locally. */
  <T> T execute(String sql, Send<T> send, LocalValue<T> localValue) throws SQLException {
    if (sql != null && sql.indexOf('{') >= 0) {
      // the driver's escape processing reads it otherwise: not turned off between its check and its send
      synchronized (this) {
        return decideAndSend(sql, send, localValue);
      }
    }
    return decideAndSend(sql, send, localValue);
  }

  private <T> T decideAndSend(String sql, Send<T> send, LocalValue<T> localValue) throws SQLException {
    requireOneReading(sql);
    ConnectionPolicy policy = connection.policy();
    policy.encoding().require(sql);
    if (policy.cleanAgain(sql)) {
      return sendClean(sql, send);
    }
    long epoch = policy.epoch();
    Object version = policy.version();
    // this execution's own: a Statement shared by threads ran a COPY after another thread's SET SESSION
    // AUTHORIZATION undecided, its effects read back from a field that thread had zeroed (red-team review)
    int[] effects = new int[1];
    Decision decision = policy.decide(sql, effects); // cleanAgain looked in the cache
    int sentEffects = effects[0];
    localRows = NOT_LOCAL;
    T result;
    // a checked text, or one that changes who runs the connection, is sent and recorded while no
    // other thread of the connection can change who runs it (drivers send one statement at a time)
    Lock lock = decision != null || sentEffects != 0 ? connection.lockChecked() : connection.lockStatements();
    boolean handed = false;
    try {
      if (decision != null && !SessionEffects.has(sentEffects, SessionEffects.IDENTITY)) {
        decision = policy.stillHolds(sql, decision, epoch, version);
      } else if (SessionEffects.has(sentEffects, SessionEffects.IDENTITY)) {
        decision = policy.stillHoldsChanging(sql, decision, epoch, version);
      }
      boolean ran = false;
      sending(sql);
      handed = true;
      try {
        if (policy.emulates(decision, sql)) {
          if (localValue == null) {
            throw noResultSet();
          }
          Decision decided = decision;
          result = connection.emulating(() -> executeLocally(decided, sql, target, send, localValue, policy.local()));
        } else {
          result = send.send(target, ConnectionPolicy.toSend(decision, sql));
        }
        ran = true;
      } catch (SQLException e) {
        throw TargetErrors.masked(e, sql);
      } finally {
        if (!ran) {
          policy.failed(decision, sentEffects);
        }
        policy.transactionText(sql, sentEffects, ran, target);
      }
      policy.executed(decision);
    } finally {
      if (handed) { // a text refused when decided again under the lock changed nothing (RefusedBeforeSendingTest)
        policy.sent(sentEffects, sql);
      }
      GuardConnection.unlock(lock);
    }
    return result;
  }

  /**
   * Sends a text found clean before as written: what {@link #execute} does for it (no decision, no
   * session effect, nothing emulated), without reading the identity epoch, the registry or the mode.
   */
  private <T> T sendClean(String sql, Send<T> send) throws SQLException {
    localRows = NOT_LOCAL;
    Lock lock = connection.lockStatements();
    sending(sql);
    try {
      return send.send(target, sql);
    } catch (SQLException e) {
      throw TargetErrors.masked(e, sql);
    } finally {
      GuardConnection.unlock(lock);
    }
  }

  /** Records {@code texts} (a text or a batch's) as sent, for this statement and its connection ({@link SentTexts}). */
  private void sending(Object texts) {
    sent.sending(texts);
    connection.sentTexts().sending(texts);
  }


  private static List<SqlStatement> statements(Decision decision, String sql) {
    if (decision == null) {
      return SqlScript.parse(sql).statements();
    }
    return decision.statements().stream().map(StatementDecision::statement).toList();
  }

  /**
   * Runs a text holding emulated statements one statement at a time, a text of several as one
   * {@link ImplicitTransaction}; returns the last result.
   */
  private <T> T executeLocally(Decision decision, String sql, Statement sender, Send<T> send,
      LocalValue<T> localValue, LocalS3 local) throws SQLException {
    if (target.isClosed()) {
      // the local database never sees the statement, so its own closed check does not run (probe 24b F1:
      // a closed statement loaded rows and wrote files)
      throw new SQLException("iamguard: the statement is closed", GuardSqlStates.CLOSED);
    }
    List<SqlStatement> statements = statements(decision, sql);
    if (statements.size() == 1) {
      return executeOne(decision, statements, 0, sender, send, localValue, local);
    }
    return ImplicitTransaction.run(connection.target(), () -> {
      T last = null;
      for (int i = 0; i < statements.size(); i++) {
        last = executeOne(decision, statements, i, sender, send, localValue, local);
      }
      return last;
    });
  }

  private <T> T executeOne(Decision decision, List<SqlStatement> statements, int i, Statement sender,
      Send<T> send, LocalValue<T> localValue, LocalS3 local) throws SQLException {
    SqlStatement statement = statements.get(i);
    if (LocalS3.emulates(statement.command())) {
      // in enforce mode a COPY reads only the manifest entries its role may read, as in AWS
      StatementDecision decided = decision == null || !connection.enforcing() ? null
          : decision.statements().get(i);
      localRows = local.execute(connection.target(), statement, decided == null ? null : decided::mayRead).rows();
      return localValue.of(localRows);
    }
    localRows = NOT_LOCAL;
    return send.send(sender, decision == null ? statement.text() : decision.statements().get(i).sql());
  }

  /**
   * {@code addBatch(sql)}: checked at add time; a denial empties and poisons the batch. The batch
   * runs as one execution: after an entry that may change the identity (or, once the identity has
   * changed on the connection, a transaction end or EXECUTE, which may undo it), or that changes the
   * grants or memberships the later entries are decided by, an auth-carrying entry is denied (who runs
   * it, and with which grants, cannot be known before the batch is sent).
   */
  synchronized void addBatch(String sql) throws SQLException {
    ConnectionPolicy policy = connection.policy();
    ConnectionPolicy.Prepared entry;
    int[] effects = new int[1]; // this entry's own, whatever another thread runs on this statement
    try {
      requireOneReading(sql);
      entry = policy.decideAhead(sql, batchIdentityChange > 0 ? "batch entry " + batchIdentityChange
          + (batchChangesGrants ? Session.CHANGES_GRANTS : "") : null, effects);
    } catch (GuardDeniedException denied) {
      poisonBatch();
      throw denied;
    } catch (SQLException refused) {
      if (GuardSqlStates.NOT_SUPPORTED.equals(refused.getSQLState()) && escapesOff) {
        poisonBatch(); // a text the guard cannot read as it is sent counts as a denied one
      }
      throw refused;
    }
    batchEffects |= effects[0];
    if (batchIdentityChange == 0) {
      boolean identity = SessionEffects.has(effects[0], SessionEffects.IDENTITY)
          || SessionEffects.has(effects[0], SessionEffects.UNDOES) && policy.transactionsMayChangeIdentity();
      if (identity || ConnectionPolicy.changesGrantsForLaterEntries(sql, effects[0], entry.decision())) {
        batchIdentityChange = batchTexts.size() + 1;
        batchChangesGrants = !identity; // read only while batchIdentityChange is set
      }
    }
    Decision decision = entry.decision();
    String emulated = policy.emulated(decision, sql);
    if (emulated != null) {
      throw new SQLException("iamguard: " + emulated + " runs on the local database by emulation, which a batch"
          + " cannot hold; execute it on its own", GuardSqlStates.NOT_SUPPORTED);
    }
    try {
      target.addBatch(ConnectionPolicy.toSend(decision, sql));
    } catch (SQLException e) {
      throw TargetErrors.masked(e, sql);
    }
    if (entry.decision() != null || entry.checkedWith() != null) {
      checkedEntries.add(new CheckedEntry(batchTexts.size(), entry));
    }
    batchTexts.add(sql);
  }

  /**
   * {@code executeBatch}: refuses a poisoned batch, so nothing of it is sent; applies what the
   * batch changed (session identity) only when it ran, and forgets its decisions either way.
   */
  synchronized <T> T executeBatch(Send<T> send) throws SQLException {
    if (batchDenied) {
      batchDenied = false;
      parameterBatch = false;
      batchIdentityChange = 0;
      batchEffects = 0;
      target.clearBatch();
      checkedEntries.clear();
      batchTexts.clear();
      throw new BatchUpdateException("iamguard: the batch held a denied statement; nothing of it was sent",
          GuardDeniedException.SQLSTATE, new int[0]);
    }
    Lock lock = connection.lockChecked();
    int sentEffects = batchEffects | (parameterBatch && prepared != null ? prepared.effects() : SessionEffects.NONE);
    boolean handed = false;
    try {
      List<Decision> decisions;
      Decision preparedDecision;
      try {
        decisions = decidedNow();
        preparedDecision = parameterBatch ? beforePrepared() : null;
      } catch (SQLException | RuntimeException | Error refused) {
        // whatever stopped the decisions (a denial, an audit sink's Error), the driver's batch must not
        // outlive the guard's lists, or the next executeBatch sends it undecided (red-team review)
        clearTargetBatch(refused);
        throw refused;
      }
      T counts;
      boolean ran = false;
      List<String> sentBatch = new ArrayList<>(batchTexts); // its warnings may quote it: kept in sent
      if (parameterBatch && preparedSql != null) {
        sentBatch.add(preparedSql);
      }
      sending(sentBatch);
      handed = true;
      try {
        counts = send.send(target, null);
        ran = true;
      } catch (SQLException e) {
        List<String> texts = new ArrayList<>(batchTexts);
        texts.add(preparedSql);
        throw TargetErrors.masked(e, texts);
      } finally {
        // a batch that failed may have run some of its texts: each is then read strictly
        for (int i = 0; !ran && i < decisions.size(); i++) { // a COMMIT entry may have kept revokes before it
          connection.policy().failed(decisions.get(i), batchEffects);
        }
        for (String text : batchTexts) {
          connection.policy().transactionText(text, batchEffects, ran, target);
        }
        if (parameterBatch && prepared != null) {
          if (!ran) {
            connection.policy().failed(preparedDecision, prepared.effects());
          }
          connection.policy().transactionText(preparedSql, prepared.effects(), ran, target);
        }
      }
      for (Decision decision : decisions) {
        connection.policy().executed(decision);
      }
      connection.policy().executed(preparedDecision);
      return counts;
    } finally {
      // recorded at addBatch, read over since, perhaps; a batch refused before it was handed to the driver
      // changed nothing (RefusedBeforeSendingTest)
      if (handed) {
        connection.policy().sent(sentEffects, batchTexts, parameterBatch ? preparedSql : null);
      }
      GuardConnection.unlock(lock);
      checkedEntries.clear();
      batchTexts.clear();
      parameterBatch = false;
      batchIdentityChange = 0;
      batchEffects = 0;
    }
  }

  /**
   * The decisions on the batch's entries that hold now, in entry order (entries without one left
   * out): each decided again when the registry was reloaded or the identity may have changed since it
   * was added. A denial (or a text that would now be rewritten differently) empties the batch, so
   * nothing of it is ever sent.
   */
  private List<Decision> decidedNow() throws SQLException {
    List<Decision> decisions = List.of(); // a batch of unchecked entries (the usual one) allocates nothing here
    connection.policy().encoding().requireBatch(batchTexts, parameterBatch ? preparedSql : null, boundBeyondAscii);
    int checked = 0;
    // an unchecked entry was added while the connection knew no external table: decided now if it knows one
    ConnectionPolicy.Prepared unchecked = connection.policy().knowsExternalTables() ? ConnectionPolicy.UNCHECKED : null;
    int undoneAt = undoingEntryNotCountedAtAdd();
    for (int i = 0; i < batchTexts.size(); i++) {
      requireOneReading(batchTexts.get(i)); // escape processing may have been turned off since addBatch
      CheckedEntry entry = checked < checkedEntries.size() && checkedEntries.get(checked).at() == i
          ? checkedEntries.get(checked++) : null;
      ConnectionPolicy.Prepared decided = entry != null ? entry.decided() : unchecked;
      if (entry != null && undoneAt > 0 && i + 1 > undoneAt) {
        // after that end the server may run it as another user than the one it was decided for
        decided = connection.policy().decideAhead(batchTexts.get(i), "batch entry " + undoneAt, null);
      }
      Decision now = decided == null ? null : connection.policy().beforeExecute(batchTexts.get(i), decided);
      if (now != null) {
        decisions = decisions.isEmpty() ? new ArrayList<>() : decisions;
        decisions.add(now); // in entry order: what each changed is applied in that order
      }
    }
    if (SessionEffects.has(batchEffects, SessionEffects.IDENTITY)) {
      // who calls may have changed since addBatch, and the entries run as one execution: an entry before a
      // CALL may change who calls, the search path or the routines (red-team review), which addBatch did not know
      connection.policy().checkCalls(batchTexts);
    }
    return decisions;
  }

  /**
   * The entry (1-based) of a transaction end or EXECUTE that did not count as a possible change of
   * identity when it was added, because the identity had not changed on the connection then, and
   * counts now that it has, before the entry addBatch counted ({@link #batchIdentityChange}); 0 for
   * none. Red-team review (PreparedTransactionEndServerTest): entries {@code rollback} and a COPY,
   * added before {@code set role r3; begin; reset role}, ran the COPY as r3, decided for user1. Read
   * only for a batch holding such an entry and a checked one, on a connection whose identity changed.
   */
  private int undoingEntryNotCountedAtAdd() throws SQLException {
    ConnectionPolicy policy = connection.policy();
    if (checkedEntries.isEmpty() || !SessionEffects.has(batchEffects, SessionEffects.UNDOES)
        || !policy.transactionsMayChangeIdentity()) {
      return 0;
    }
    int last = batchIdentityChange > 0 ? batchIdentityChange - 1 : batchTexts.size();
    for (int i = 0; i < last; i++) {
      if (SessionEffects.has(SqlScript.parse(policy.driverReading(batchTexts.get(i))).effects(), SessionEffects.UNDOES)) {
        return i + 1;
      }
    }
    return 0;
  }

  /**
   * Empties the driver's batch after {@code cause} stopped it; when it cannot be emptied, the batch
   * is poisoned, so that the next executeBatch sends nothing and tries again.
   */
  private void clearTargetBatch(Throwable cause) {
    try {
      target.clearBatch();
    } catch (SQLException | RuntimeException e) {
      cause.addSuppressed(e);
      batchDenied = true;
    }
  }

  /** A batch entry with a decision or a check to make again before the batch is sent, at its place (0-based). */
  private record CheckedEntry(int at, ConnectionPolicy.Prepared decided) {}

  /** Empties the batch and makes its execution fail: an entry of it was denied. */
  private void poisonBatch() throws SQLException {
    target.clearBatch();
    checkedEntries.clear();
    batchTexts.clear();
    batchDenied = true;
    batchIdentityChange = 0;
    batchEffects = 0;
  }

  /** {@code clearBatch}: the driver's batch and this guard's record of it, emptied in one step. */
  synchronized void clearBatch() throws SQLException {
    target.clearBatch(); // first: a driver that fails to empty its batch leaves it recorded here, decided again
    batchDenied = false;
    parameterBatch = false;
    batchIdentityChange = 0;
    batchEffects = 0;
    checkedEntries.clear();
    batchTexts.clear();
  }

  /**
   * The target's warnings, masked when one quotes a secret of a text this statement sent
   * ({@link #sentSecrets}) or any SQL secret or URL password.
   */
  java.sql.SQLWarning warnings() throws SQLException {
    java.sql.SQLWarning warnings = target.getWarnings();
    return warnings == null ? null : TargetErrors.maskedWarning(warnings, sentSecrets());
  }

  /**
   * {@code error} of what the target does after a text was sent (a result set's lazy fetch, moving to
   * the next result), or its masked copy when a message quotes a secret of a text this statement sent.
   */
  SQLException maskedAfterSend(SQLException error) {
    return TargetErrors.withSecrets(error, sentSecrets());
  }

  /** {@code warning} chain of a result set of this statement, masked as {@link #warnings()}. */
  java.sql.SQLWarning maskedWarning(java.sql.SQLWarning warning) {
    return warning == null ? null : TargetErrors.maskedWarning(warning, sentSecrets());
  }

  /**
   * The secrets of the texts whose words the target may still hold: the texts last sent
   * ({@link SentTexts}, batches among them), the prepared one and the batch being built.
   */
  private List<String> sentSecrets() {
    List<String> texts;
    synchronized (this) { // another thread may add to the batch meanwhile
      texts = new ArrayList<>(batchTexts);
    }
    texts.addAll(sent.texts());
    texts.add(preparedSql);
    return SentTexts.secretsOf(texts);
  }

  /** True when the last execution was emulated: its results are iamguard's, not the target's. */
  boolean emulatedLast() {
    return localRows != NOT_LOCAL;
  }

  /** The update count of the emulated execution, or -1 once getMoreResults moved past it. */
  long localUpdateCount() {
    return Math.max(localRows, -1);
  }

  /** Moves past the emulated result ({@code getMoreResults}): no more results follow. */
  void clearLocal() {
    localRows = CONSUMED;
  }
}
