package dev.iamguard.jdbc;

import dev.iamguard.policy.registry.PolicySettings.Mode;
import dev.iamguard.audit.AuditEvent;
import dev.iamguard.audit.AuditSink;
import dev.iamguard.audit.Redactor;
import dev.iamguard.local.LocalS3;
import dev.iamguard.policy.Decision;
import dev.iamguard.policy.ExternalCatalog;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.SessionEffects;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The policy state of one guarded connection: the registry it is checked against, the mode, who
 * the connection runs as ({@link SessionState}: asked of the server where it can report it) and
 * the optional local S3 emulation. Every SQL entry point of every guarded object funnels through
 * {@link #decide} or {@link #prepare}.
 */
final class ConnectionPolicy {
  private final RegistryWatch registry;
  /** The mode a connection setting names; null when the current registry's policy.mode applies. */
  private final Mode override;
  private final String name;
  private final LocalS3 local;
  private final AuditSink audit;
  /** The audit sinks' hold on what they keep open, given back once by {@link #release}. */
  private final AuditSettings.Sinks sinks;
  private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile SessionState identity;
  /** The target connection, once attached: asked whether grant changes wait for a commit. */
  private volatile java.sql.Connection target;
  /** The target's driver, asked how it rewrites JDBC escapes ({@link #driverReading}); null: not asked. */
  private volatile java.sql.Connection reader;
  /** See {@link #encoding()}; set with {@link #reader}. */
  private volatile ClientEncoding encoding = ClientEncoding.UNCHANGING;
  /** See {@link #inlinesValues()}; set with {@link #reader}. */
  private volatile boolean inlinesValues;
  /**
   * The last text found to hold no auth-related statement and to change nothing of the session.
   * Both depend on the text alone (not the registry, not the session), and applications send the
   * same strings again and again: a repeat costs a comparison instead of a lexer pass.
   */
  private volatile String lastClean = "";

  /**
   * What a prepared text is: its decision (null when it needs none), its session effects, when it
   * was made, whether it is emulated on the local database instead of prepared by the target, and
   * the registry version it was checked against ({@code checkedWith}: null when no registry can
   * change the decision, as for a text without an auth-related statement), and whether it is read as a
   * prepared statement sends it ({@code prepared}) or as a batch entry is sent; {@code tables}: the
   * external tables the connection knew before it was decided ({@link #tablesChangedSince}).
   */
  record Prepared(Decision decision, int effects, long epoch, boolean emulated, Guard checkedWith, boolean prepared,
      Map<String, List<String>> tables) {}

  /**
   * @param override the mode a connection setting names, or null: then the policy.mode of the
   *     registry version in force decides, so a reloaded registry reaches open (pooled) connections
   */
  ConnectionPolicy(RegistryWatch registry, Mode override, Session session, String name, LocalS3 local,
      AuditSettings.Sinks sinks, boolean localDatabase) {
    this.registry = registry;
    this.override = override;
    this.identity = SessionState.declared(session, localDatabase);
    this.name = name;
    this.local = local;
    this.audit = sinks.sink();
    this.sinks = sinks;
  }

  /**
   * Binds the guard to the target connection. A target that reports its user is asked who the
   * connection runs as (now when {@code verify}, to refuse a wrong {@code iamguard.user}; otherwise
   * before the first decision that needs it). A connection a pool may have handed out before
   * ({@code reused}) is treated as one whose identity may have changed ({@link SessionState#mayHaveChangedBefore}).
   */
  void attach(java.sql.Connection connection, Identity.Login login, boolean verify, boolean reused)
      throws SQLException {
    target = connection;
    if (mode() == Mode.OFF) {
      return;
    }
    refuseAnotherPlace(login);
    if (!login.reports()) {
      return;
    }
    if (!login.configuredGroups().isEmpty()) {
      throw new SQLException("iamguard: " + Setting.GROUPS.key() + " is only for targets that cannot report the "
          + "user's groups (H2); this server reports them: remove it", GuardSqlStates.CONNECTION_REFUSED);
    }
    SessionState reported = SessionState.reported(new ServerIdentity(connection, login), login.unreadSession(),
        login.configuredUser());
    identity = reported;
    if (reused) {
      reported.mayHaveChangedBefore();
    }
    if (verify && login.configuredUser() != null) {
      reported.verifyNow();
    }
  }

  /**
   * Refuses a connection whose URL names another region or serverless account than the registry
   * gives its cluster: a cluster of the same name elsewhere is not the one the registry describes
   * ({@code prod.abc123.eu-west-1.redshift.amazonaws.com} would be checked as the registry's
   * us-east-1 {@code prod}, its attached roles and trust regions).
   */
  void refuseAnotherPlace(Identity.Login login) throws SQLException {
    refuseAnotherPlace(registry.current().registry(), login);
  }

  /** {@link #refuseAnotherPlace(Identity.Login)} against {@code registry}. */
  static void refuseAnotherPlace(dev.iamguard.policy.registry.Registry registry, Identity.Login login) throws SQLException {
    if (login.cluster() == null) {
      return;
    }
    var configured = registry.cluster(login.cluster());
    if (configured.isEmpty()) {
      return;
    }
    String region = configured.get().region();
    String account = configured.get().account();
    if (login.region() != null && region != null && !region.equalsIgnoreCase(login.region())) {
      throw new SQLException("iamguard: the URL connects to cluster " + login.cluster() + " in region " + login.region()
          + ", but the registry's cluster " + login.cluster() + " is in " + region + "; give this cluster its own entry, or "
          + "connect to the one the registry describes", GuardSqlStates.CONNECTION_REFUSED);
    }
    if (login.account() != null && account != null && !account.equals(login.account())) {
      throw new SQLException("iamguard: the URL connects to workgroup " + login.cluster() + " of account " + login.account()
          + ", but the registry's " + login.cluster() + " is in account " + account, GuardSqlStates.CONNECTION_REFUSED);
    }
  }

  /** The connection whose driver applies the JDBC escapes of what the guard sends. */
  void readsWith(java.sql.Connection connection) {
    reader = connection;
    // a connection set to mode off checks nothing, its values neither
    inlinesValues = override != Mode.OFF && QueryMode.inlinesBoundValues(connection);
    encoding = override == Mode.OFF ? ClientEncoding.UNCHANGING : ClientEncoding.of(connection);
  }

  /** The encoding the target driver sends text in, asked before each execution ({@link ClientEncoding}). */
  ClientEncoding encoding() {
    return encoding;
  }

  /**
   * True when the target driver writes bound values into the text it sends (the Redshift driver's
   * {@code preferQueryMode=simple}): prepared texts are read as plain ones are
   * ({@link #driverReading(String, boolean)}) and values are checked as they are bound
   * ({@link InlinedValues}).
   */
  boolean inlinesValues() {
    return inlinesValues;
  }

  /** Runs the server's identity query under {@code lock}: the connection's checked lock (see {@link SessionState}). */
  void readsIdentityUnder(java.util.concurrent.locks.Lock lock) {
    identity.readUnder(lock);
  }

  /**
   * The text as the target driver will send it from a plain statement or a batch entry
   * ({@link DriverReading#plain}), or, when {@code prepared}, from a prepared statement: with its
   * {@code ?} numbered, or, where the driver writes the values in their place ({@link #inlinesValues}),
   * as a plain statement sends it (a value written as {@code ('...')} stands where the {@code ?}
   * stood, and is read with the chars beside it as the {@code ?} is, not as {@code $1} is).
   *
   * @throws SQLException when the guard cannot tell what the driver sends
   */
  String driverReading(String sql, boolean prepared) throws SQLException {
    return prepared && !inlinesValues ? DriverReading.prepared(reader, sql) : DriverReading.plain(reader, sql);
  }

  /** {@link #driverReading(String, boolean)} of a plain statement's text. */
  String driverReading(String sql) throws SQLException {
    return DriverReading.plain(reader, sql);
  }

  /**
   * True when {@code sql} is the text last found clean (no auth-related statement, no effect on the
   * session): {@link #decide} would return null for it, and, holding only statements the guard
   * classifies as other commands, it emulates nothing ({@link #emulates} is false in every mode).
   * Such a text is sent as written with nothing read, decided or recorded: the hot path of an
   * application that sends the same string again and again.
   */
  boolean cleanAgain(String sql) {
    String clean = lastClean;
    return sql == clean || sql != null && sql.length() == clean.length() && sql.equals(clean);
  }

  /**
   * Decides on {@code sql}, which {@link #cleanAgain} found not to be the text last found clean;
   * in enforce mode a denial throws, in audit mode it is logged and the text is sent anyway.
   * Returns null when the text is sent as written without inspection: in mode off, and for text
   * that holds no auth-related statement (the hot path, which needs neither the registry nor a
   * Decision). {@code effects[0]} (when given) receives the text's {@link SessionEffects}.
   *
   * @throws GuardDeniedException when the text is denied in enforce mode
   */
  Decision decide(String sql, int[] effects) throws SQLException {
    return decide(sql, null, effects, false, false);
  }

  /**
   * {@link #decide(String, int[])} on the text as the driver sends it from a prepared statement
   * ({@code prepared}) or from a plain statement or a batch entry, where an earlier entry of the same
   * batch ({@code changedBy}, as messages name it, or null) may have changed the identity. The clean
   * text remembered is one read as a plain statement sends it, so a prepared text that the two read
   * differently (a brace, a {@code ?} that {@code $1} would join) neither uses nor sets it. Only a
   * prepared text is compared with it (otherwise only the String itself is): {@code execute} looked
   * already ({@link #cleanAgain}), and a batch's entries are seldom equal texts, so comparing each
   * with the last one read their common prefix (all but a few chars of two INSERTs of one length).
   * {@code ahead}: the text is prepared or added to a batch, not sent now, so what it may do to the
   * session is not recorded yet ({@link SessionState#ran}): the execution records it (a prepared
   * text's, at each execution) or the sending does (a batch's). Recorded when it was prepared, a
   * CALL's own possible change made a transaction end before it in the same text count as a change
   * (TransactionEndBeforeCallServerTest's controls: {@code rollback; call p()} prepared on a connection
   * whose identity never changed was refused).
   */
  private Decision decide(String sql, String changedBy, int[] effects, boolean prepared, boolean ahead)
      throws SQLException {
    boolean lookInCache = prepared; // a text prepared again and again (no statement cache) is found there
    if (override == Mode.OFF) {
      return null;
    }
    if (sql == null) {
      throw new SQLException("iamguard: SQL text is null", GuardSqlStates.NULL_SQL);
    }
    if (prepared && inlinesValues) {
      prepared = false; // values written in place of the ? are read as a plain text is
    }
    boolean plainReading = !prepared || DriverReading.preparedAsWritten(sql);
    if (plainReading && (sql == lastClean || lookInCache && cleanAgain(sql))) {
      return null; // the same String again costs nothing even where the cache is not read
    }
    String written = sql;
    // the text itself, unless it holds a brace (or, prepared, a ? that $1 would join: looked for once)
    sql = prepared && plainReading ? written : driverReading(written, prepared);
    int scan = SqlScript.scan(sql); // one pass: whether to inspect, and what the text may do to the session
    // an inspected text's scan stopped early, maybe before the comment (probe sq3 F1): looked at whole
    boolean splits = SessionEffects.has(scan, SessionEffects.DRIVER_SPLIT)
        || SessionEffects.has(scan, SessionEffects.INSPECT) && sql.contains("--");
    if (splits) {
      refuseDriverSplits(sql);
      scan &= ~SessionEffects.DRIVER_SPLIT;
    }
    Session current = identity.current();
    ExternalCatalog catalog = current.externalCatalog();
    boolean knownTables = !catalog.tables().isEmpty();
    // on a declared identity, a CALL (an IDENTITY effect) of a procedure an earlier text created is judged
    // as check judges it (red-team review, ScriptFacesAgreeTest: call p0() sent on its own ran its COPY as
    // a user the role does not trust), and an ALTER of one is recorded (ROUTINES: its new owner ran the
    // COPY after it was sent on its own); a server that reports its identity has its catalog asked instead
    boolean knownProcedures = SessionEffects.has(scan, SessionEffects.IDENTITY | SessionEffects.ROUTINES)
        && !current.procedures().isEmpty() && !identity.serverReports();
    // a schema rename (CATALOG) is decided too, so the session learns which role its external tables use, and
    // on a declared identity a change of memberships (MEMBERSHIP), so it learns which groups' grants it holds
    boolean memberships = SessionEffects.has(scan, SessionEffects.MEMBERSHIP) && !identity.serverReports();
    if (!SessionEffects.has(scan, SessionEffects.INSPECT | SessionEffects.CATALOG) && !knownTables && !knownProcedures
        && !memberships) {
      if (SessionEffects.has(scan, SessionEffects.IDENTITY)) {
        checkCalls(sql); // an inspected text's CALLs are checked from the parse inspect makes
      }
      if (scan == SessionEffects.NONE) {
        if (plainReading) {
          lastClean = written;
          if (identity.current().externalCatalog() != catalog) {
            // another thread's CREATE EXTERNAL TABLE ran meanwhile, and may have cleared the cache before
            // this write (red-team review: an INSERT into the new table then went unchecked for good);
            // it publishes its catalog before it clears, so one of the two always clears after this write
            lastClean = "";
          }
        }
      } else {
        if (!ahead) {
          identity.ran(scan, sql);
        }
        if (effects != null) {
          effects[0] = scan;
        }
      }
      return null;
    }
    // with external tables created through the guard, an INSERT into one is checked against its schema's role
    Decision decision = inspect(sql, changedBy, effects, ahead);
    if (splits) {
      refuseCuts(sql); // after the decision: a denied statement is reported as denied
    }
    refuseEscapesTwice(written, sql, decision, prepared);
    return decision;
  }

  /**
   * Judges the bodies of the procedures the text's {@code CALL}s run as who they run as: a SECURITY
   * INVOKER procedure (Redshift's default) runs its COPY or UNLOAD as the caller, while its body was
   * judged for its creator when it was created (red-team review: a procedure user1 created ran a
   * COPY as user3, whom the role does not trust); a SECURITY DEFINER one runs as its owner now,
   * who may no longer be its creator. The server's catalog says which bodies a CALL may run (one
   * round trip per CALL, and one more per SECURITY DEFINER body for its owner, on a connection
   * whose server reports its identity); an invoker's body in a CALL after a statement of the same
   * text that may change the identity is judged for an unknown user. The routines those bodies run
   * are judged in turn, as who runs them ({@link CallChecks}: one more round trip per body that
   * calls routines not asked yet).
   *
   * @throws GuardDeniedException when a body is denied for the caller, in enforce mode
   */
  void checkCalls(String sql) throws SQLException {
    checkCalls(List.of(sql));
  }

  /**
   * As {@link #checkCalls(String)}, of a batch's entries, which the server runs as one execution:
   * a CALL is judged knowing what the entries before it may change (who calls, the search path,
   * the routines), as a CALL in one text is.
   *
   * @throws GuardDeniedException when a body is denied for the caller, in enforce mode
   */
  void checkCalls(List<String> entries) throws SQLException {
    if (!identity.serverReports() || registry == null) {
      return;
    }
    Guard current = registry.current();
    Mode mode = override != null ? override : current.registry().settings().mode();
    if (mode != Mode.OFF) {
      List<SqlScript> scripts = new ArrayList<>(entries.size());
      for (String entry : entries) {
        scripts.add(SqlScript.parse(entry));
      }
      new CallChecks(identity, current, mode, this::audit).check(scripts);
    }
  }

  /**
   * Refuses a text that holds, after a {@code ;} inside a {@code --} comment, a statement the guard
   * must see (an auth-carrying command, a change of identity, a transaction end, a schema rename).
   * The Redshift driver and pgjdbc split a text at {@code ;} by their own lexer and send each piece
   * as a statement; where their lexer disagrees with the server's ({@code /}{@code *}{@code /} is a
   * whole comment to them, a non-ASCII character next to {@code $} may start or end a dollar quote),
   * a piece can start inside what the server and the guard read as a comment, and the server runs
   * it: {@code select 1 /}{@code *}{@code / ' *}{@code / -- ' ; COPY ...} (reading probe F1, F2).
   */
  private static void refuseDriverSplits(String sql) throws SQLException {
    if (SqlScript.hiddenByDriverSplits(sql)) {
      throw new SQLException("iamguard: a ';' inside a '--' comment starts, when the text is read afresh from it, a"
          + " statement the guard must see and reads as part of the comment; a driver that splits the text at"
          + " that ';' by a reading of its own sends that statement; nothing was sent: remove the ';' from the"
          + " comment", GuardSqlStates.NOT_SUPPORTED);
    }
  }

  /**
   * Refuses a text in which a {@code ;} inside a {@code --} comment lies inside the statement of an
   * auth-carrying command: a driver that splits the text there by a reading of its own sends the
   * statement's first part alone, which the guard did not decide (probe sq4 F4: a COPY cut before
   * its IAM_ROLE ran).
   */
  private static void refuseCuts(String sql) throws SQLException {
    if (SqlScript.cutByDriverSplits(sql)) {
      throw new SQLException("iamguard: a ';' inside a '--' comment cuts an auth-carrying statement in two; a driver"
          + " that splits the text at that ';' by a reading of its own sends the statement's first part alone, which"
          + " the guard did not decide; nothing was sent: remove the ';' from the comment", GuardSqlStates.NOT_SUPPORTED);
    }
  }

  /**
   * Refuses a rewritten text that was decided as the driver reads it ({@code sql} is not
   * {@code written}: its JDBC escapes applied, its {@code ?} numbered) when the driver would read the
   * rewritten text differently again: its escapes applied twice, or, for a prepared text, its
   * numbered {@code ?} sent as written. A text sent as written is read by the driver as it was here.
   */
  private void refuseEscapesTwice(String written, String sql, Decision decision, boolean prepared)
      throws SQLException {
    if (sql == written || decision == null || !decision.rewritten() || sql.equals(written)) {
      return; // sent as written, or rewritten from a reading that is the text as written
    }
    if (prepared && written.indexOf('?') >= 0) {
      throw new SQLException("iamguard: this prepared text would be rewritten, and it was read as the driver sends it,"
          + " with its '?' numbered ($1, ...), which the rewritten text would then hold instead of its parameters;"
          + " write the statement without JDBC escapes ({...}), with a space before each '?'",
          GuardSqlStates.NOT_SUPPORTED);
    }
    if (!driverReading(decision.sql(), prepared).equals(decision.sql())) {
      throw new SQLException("iamguard: this text's JDBC escapes ({...}) would be applied again to the rewritten "
          + "text, which may then say something else; write the statement without JDBC escapes",
          GuardSqlStates.NOT_SUPPORTED);
    }
  }

  /**
   * What {@code Connection.nativeSQL} answers for {@code sql} before the target's own escapes: the
   * text the guard would send (aliases rewritten), decided as {@link #decide} decides it, but neither
   * audited nor counted as run: nativeSQL sends nothing (Liquibase asks it twice for each change set
   * it then executes, which audited and counted every decision three times).
   *
   * @throws GuardDeniedException when the text would be denied in enforce mode
   */
  String nativeReading(String sql) throws SQLException {
    if (override == Mode.OFF) {
      return sql;
    }
    if (sql == null) {
      throw new SQLException("iamguard: SQL text is null", GuardSqlStates.NULL_SQL);
    }
    String read = driverReading(sql, true);
    Decision decision = SqlScript.needsInspection(read) || !identity.current().externalCatalog().tables().isEmpty()
        ? preview(sql, true) : null;
    if (decision != null && !decision.allowed() && mode() == Mode.ENFORCE) {
      throw new GuardDeniedException(decision);
    }
    refuseEscapesTwice(sql, read, decision, true);
    return toSend(decision, sql);
  }

  /** The text may hold an auth-related statement: parsed, judged, audited and, when denied in enforce mode, refused. */
  private Decision inspect(String sql, String changedBy, int[] effects, boolean ahead) throws SQLException {
    Guard current = registry.current();
    Mode mode = override != null ? override : current.registry().settings().mode();
    if (mode == Mode.OFF) {
      return null;
    }
    SqlScript script = SqlScript.parse(sql);
    if (identity.serverReports() && SessionEffects.has(script.effects(), SessionEffects.IDENTITY)) {
      // from the parse, not the scan, which stops at the first reason to inspect (red-team review: in
      // COPY ...; set session authorization user3; call p() it never reached the CALL, and p's COPY ran unjudged)
      new CallChecks(identity, current, mode, this::audit).check(List.of(script));
    }
    SessionState state = identity;
    Session session = state.forDecision(needsUser(script));
    if (changedBy != null && (session.origin() == Session.Origin.SERVER || session.origin() == Session.Origin.GIVEN)) {
      // a declared identity too: the entry runs after the earlier one that may change it, and was decided
      // before that one ran (DeclaredBatchIdentityChangeTest: a COPY after SET SESSION AUTHORIZATION bob ran as bob)
      session = session.changedBy(changedBy);
    }
    session = withTransactionGrants(script, state, session);
    // the server may split the text where Redshift would not (a backslash in a literal)
    int hiddenChange = script.identityChangeOtherReadingsShow(state.transactionsMayChangeIdentity());
    Decision decision = current.inspect(script, session, identityChangeAt(script, state, hiddenChange));
    if (decision.inspected()) {
      audit(decision, session, mode);
    }
    if (!decision.allowed() && mode == Mode.ENFORCE) {
      throw new GuardDeniedException(decision);
    }
    int scriptEffects = script.effects() | (hiddenChange > 0 ? SessionEffects.IDENTITY : SessionEffects.NONE);
    if (scriptEffects != SessionEffects.NONE && !ahead) {
      state.ran(scriptEffects, sql);
    }
    if (effects != null) {
      effects[0] = scriptEffects;
    }
    return decision;
  }

  /**
   * {@code session}, for a text with transaction statements, with its grants marked with the
   * transaction they run in: a rollback in the text takes back what this connection granted since
   * its last commit, no more; marked also before any grant, so that a BEGIN in the text opens a
   * transaction a later text may abort (probe 23b F1: on a fresh connection BEGIN and the aborting
   * statement were not followed). A decision made again marks them so too (DecidedAgainAgreesTest: a
   * prepared {@code abort; COPY ...} was denied at its execution where sent afresh it was allowed,
   * the grant before it read as pending though auto-commit had committed it).
   */
  private Session withTransactionGrants(SqlScript script, SessionState state, Session session) throws SQLException {
    if (!SessionEffects.has(script.effects(), SessionEffects.TRANSACTION)) {
      return session;
    }
    java.sql.Connection connection = target;
    return session.withGrants(state.grantsInTransaction(session.grants(), connection == null || connection.getAutoCommit()));
  }

  /**
   * The statement of {@code script} after which the server may run statements as another user than
   * the one read before the text is sent ({@link #firstIdentityChange}), or the earlier one where
   * another reading of the text shows a change ({@code hiddenChange}, 0 for none). A decision made
   * again (a prepared text's execution, a text another thread's change made stale) reads it so too.
   */
  static int identityChangeAt(SqlScript script, SessionState state, int hiddenChange) {
    int change = firstIdentityChange(script, state);
    return hiddenChange > 0 && (change == 0 || hiddenChange < change) ? hiddenChange : change;
  }

  /**
   * The first statement of {@code script} after which the server may run statements as another
   * user than the one read before the text is sent: an identity change, or, once the identity has
   * changed on the connection, a statement that may undo it (a rollback restores the identity, a
   * commit ends SET LOCAL, EXECUTE may run a change again).
   */
  static int firstIdentityChange(SqlScript script, SessionState state) {
    int change = script.firstIdentityChange();
    int transaction = script.undoingStatementAfter(0);
    if (transaction > 0 && (change == 0 || transaction < change) && state.transactionsMayChangeIdentity()) {
      return transaction;
    }
    return change;
  }

  /**
   * Whether batch entry {@code sql} ({@code effects}: its scan's bits; {@code decision}: its own, or
   * null) changes what the entries after it are decided by, other than who runs them: the ASSUMEROLE
   * grants (GRANT or REVOKE ASSUMEROLE) or a membership or superuser flag ({@link dev.iamguard.sql.Memberships}). The
   * entries were decided when they were added, before it ran: after {@code alter group loaders drop
   * user etl}, or {@code revoke assumerole ... from group loaders}, the batch sent etl's COPY
   * (DeclaredMembershipChangeTest).
   */
  static boolean changesGrantsForLaterEntries(String sql, int effects, Decision decision) {
    if (decision != null) {
      for (StatementDecision statement : decision.inspectedStatements()) {
        CommandKind kind = statement.statement().command().kind();
        if (kind == CommandKind.GRANT_ASSUMEROLE || kind == CommandKind.REVOKE_ASSUMEROLE) {
          return true;
        }
      }
    }
    return SessionEffects.has(effects, SessionEffects.MEMBERSHIP) && SqlScript.parse(sql).firstMembershipChange() > 0;
  }

  /** True when a transaction statement may change who runs the statements after it (see {@link SessionState}). */
  boolean transactionsMayChangeIdentity() {
    return identity.transactionsMayChangeIdentity();
  }

  /**
   * Decides on a text being prepared: a callable statement may run a procedure that changes the
   * identity, so its executions count as identity changes. Whether the text is emulated is decided
   * here too, once: each execution then runs it locally.
   */
  Prepared prepare(String sql, boolean callable) throws SQLException {
    if (inlinesValues && sql != null) {
      InlinedValues.readable(DriverReading.plain(reader, sql));
    }
    int[] effects = new int[1];
    Prepared decided = decideAhead(sql, null, effects, true);
    return new Prepared(decided.decision(), effects[0] | (callable ? SessionEffects.IDENTITY : SessionEffects.NONE),
        decided.epoch(), emulates(decided.decision(), sql), decided.checkedWith(), true, decided.tables());
  }

  /**
   * {@link #decide(String, int[])} for a batch entry, sent later:
   * the decision with the identity epoch and the registry version it was made with, for
   * {@link #beforeExecute} to decide again when either changed. No effects are recorded in it, nor
   * on the connection before the batch is sent ({@code effects[0]} receives them); not emulated.
   */
  Prepared decideAhead(String sql, String changedBy, int[] effects) throws SQLException {
    return decideAhead(sql, changedBy, effects, false);
  }

  /** {@link #decideAhead(String, String, int[])} for a batch entry or, {@code prepared}, a text prepared. */
  private Prepared decideAhead(String sql, String changedBy, int[] effects, boolean prepared) throws SQLException {
    long epoch = identity.epoch();
    // the version before deciding (a reload due applied first, as in version()): a reload during the
    // decision makes the executions decide again
    Guard version = registry == null ? null : registry.current();
    Map<String, List<String>> tables = identity.current().externalCatalog().tables(); // likewise
    Decision decision = decide(sql, changedBy, effects, prepared, true);
    // a decision depends on the registry (its roles, its policy.mode): a reload is seen before an
    // execution. A text sent unchecked because the registry's mode was off is checked once it is not.
    boolean registryDecides = decision != null ? decision.inspected()
        : override == null && (offIn(version) || offIn(registry.latest()));
    if (decision == null && !registryDecides) {
      // decided without inspection, so with no external table known: decided again once one is
      return UNCHECKED; // the hot path of a batch: nothing to decide again, nothing allocated
    }
    return new Prepared(decision, SessionEffects.NONE, epoch, false, registryDecides ? version : null, prepared, tables);
  }

  /**
   * A text that needs no decision whatever the identity or the registry (no auth-related statement),
   * as long as the connection knows no external table.
   */
  static final Prepared UNCHECKED = new Prepared(null, SessionEffects.NONE, 0, false, null, false, Map.of());

  /**
   * Whether the connection knows external tables it did not know when {@code prepared} was decided:
   * an INSERT into one is checked against its schema's role, so a text decided before one was
   * created (unchecked, or inspected without it) is decided again (red-team review: a statement
   * prepared, or a batch entry added, before a CREATE EXTERNAL TABLE inserted into it unchecked).
   */
  boolean tablesChangedSince(Prepared prepared) {
    Map<String, List<String>> tables = identity.current().externalCatalog().tables();
    return tables != prepared.tables() && !tables.isEmpty() && !tables.equals(prepared.tables());
  }

  /** Whether the connection created external tables through the guard (an INSERT into one is checked). */
  boolean knowsExternalTables() {
    return !identity.current().externalCatalog().tables().isEmpty();
  }

  private static boolean offIn(Guard version) {
    return version.registry().settings().mode() == Mode.OFF;
  }

  /**
   * Before a prepared text runs: decided again when the identity or the grants may have changed
   * since it was prepared (the decision was made for who ran then), or the registry was reloaded
   * (it was made against the old roles and mode), and its effects recorded. Returns the decision
   * that holds now.
   *
   * @throws GuardDeniedException when the text is denied now, in enforce mode
   */
  Decision beforeExecute(String sql, Prepared prepared) throws SQLException {
    Prepared now = decidedNow(sql, prepared);
    return now == null ? null : now.decision();
  }

  /**
   * As {@link #beforeExecute}, returning the record that holds now: {@code prepared} itself, or one
   * with the decision made again and the identity epoch and registry version it was made with, so
   * that the statement keeps it and later executions are not decided (and audited) again until
   * something changes again (probe 22c F3: after one reload or identity change, every execution of a
   * cached statement was decided and audited again for the rest of its life).
   */
  Prepared decidedNow(String sql, Prepared prepared) throws SQLException {
    if (prepared == null) {
      return null;
    }
    // the registry is looked at (and reloaded when due) before its mode is
    Guard current = prepared.checkedWith() == null ? null : registry.current();
    Mode mode = mode();
    Decision decision = prepared.decision();
    if (mode == Mode.OFF) {
      return prepared;
    }
    SessionState state = identity;
    if (decision != null && decision.inspected()) {
      state.noticeReported();
    }
    long epoch = state.epoch();
    boolean identityChanged = decision != null && decision.inspected() && epoch != prepared.epoch();
    Map<String, List<String>> tables = state.current().externalCatalog().tables();
    Prepared holding = prepared;
    if (identityChanged || current != prepared.checkedWith() || tablesChangedSince(prepared)) {
      Decision now = decideAgain(sql, mode, prepared.prepared());
      if (!toSend(now, sql).equals(toSend(decision, sql))) {
        throw new SQLException("iamguard: the text this statement was prepared with would now be rewritten "
            + "differently; prepare it again", GuardSqlStates.NOT_SUPPORTED);
      }
      holding = new Prepared(now, prepared.effects(), epoch, prepared.emulated(), current, prepared.prepared(), tables);
    }
    if (SessionEffects.has(prepared.effects(), SessionEffects.IDENTITY)) {
      checkCalls(sql); // who calls may have changed since it was prepared, or the procedure
    }
    if (prepared.effects() != SessionEffects.NONE) {
      state.ran(prepared.effects(), sql);
    }
    return holding;
  }

  /**
   * Records that a text with these {@link SessionEffects} has been sent (under the connection's
   * checked lock, so that no checked text is sent between it and this record); a declared identity
   * reads {@code text} for changes it cannot follow.
   */
  void sent(int effects, String text) {
    if (effects != SessionEffects.NONE) {
      identity.sent(effects, text);
    }
  }

  /** {@link #sent(int, String)} for a batch of {@code texts} and, for parameter sets, the text {@code prepared} (or null). */
  void sent(int effects, List<String> texts, String prepared) {
    if (effects != SessionEffects.NONE) {
      identity.sent(effects, texts, prepared);
    }
  }

  /**
   * Records whether a text with these {@link SessionEffects} ran ({@code ran}) or failed: its
   * transaction statements end the connection's pending grant changes only once it ran, and a
   * failure aborts the transaction it ran in ({@link SessionState#aborted}). Called before
   * {@link #executed} for a text that ran, with the statement that sent it ({@code sender}).
   */
  void transactionText(String sql, int effects, boolean ran, java.sql.Statement sender) {
    if (!ran) {
      boolean certain = !SessionEffects.has(effects, SessionEffects.TRANSACTION);
      if (!certain || abortedBy(sender)) {
        identity.aborted(certain, inTransaction());
      }
    } else if (SessionEffects.has(effects, SessionEffects.TRANSACTION)) {
      identity.transactionText(sql);
    }
  }

  /**
   * Whether the failure of a text without transaction statements, sent by {@code sender}, aborted
   * the transaction it ran in (if one was open). The server says so where the driver keeps its
   * report ({@link SessionState#transactionFailed}); else a closed statement's failure is the
   * driver's refusal, which sent nothing (red-team review: read as an abort, a COMMIT after it was
   * taken as a rollback and a REVOKE committed before it as undone).
   */
  private boolean abortedBy(java.sql.Statement sender) {
    Boolean failed = identity.transactionFailed();
    if (failed != null) {
      return failed;
    }
    try {
      return sender == null || !sender.isClosed();
    } catch (SQLException | RuntimeException e) {
      return true;
    }
  }

  /**
   * Records that a text (or batch) decided as {@code decision} failed: when it held transaction
   * statements ({@code effects}), the REVOKEs it may have committed before the failure are kept
   * ({@link SessionState#failedKeepingRevokes}). Called before {@link #transactionText}.
   */
  void failed(Decision decision, int effects) {
    if (decision != null && decision.inspected() && SessionEffects.has(effects, SessionEffects.TRANSACTION)) {
      identity.failedKeepingRevokes(decision.sessionAfter());
    }
  }

  /** The identity epoch now: a decision made before it changed is made again before it is sent. */
  long epoch() {
    return identity.epoch();
  }

  /**
   * The registry version in force now (an opaque token), or null without a registry; a reload that
   * is due is applied first, as the decision after it would, so that the decision is not taken for
   * stale and made (and audited) twice (red-team review: the first statement after each reload was
   * recorded twice).
   */
  Object version() {
    return registry == null ? null : registry.current();
  }

  /**
   * {@code decision}, made on {@code sql} at identity {@code epoch} against registry
   * {@code version}, or the decision made again now when another thread of the connection changed
   * who runs it (or the registry was reloaded) since. Called under {@link GuardConnection#lockChecked}
   * just before the text is sent.
   *
   * @throws GuardDeniedException when the text is denied now, in enforce mode
   */
  Decision stillHolds(String sql, Decision decision, long epoch, Object version) throws SQLException {
    if (decision == null || !decision.inspected() || identity.epoch() == epoch && registry.current() == version) {
      return decision;
    }
    Mode mode = mode();
    return mode == Mode.OFF ? decision : decideAgain(sql, mode, false);
  }

  /**
   * {@link #stillHolds} for a text that changes the identity itself, decided (its statements, or
   * undecided its CALLs' bodies) at identity {@code epoch} against registry {@code version}: its own
   * change moved the epoch once, so any other move is another thread's change since, and the text is
   * decided again now, from who runs the connection now, its own changes followed in it as the first
   * time. Called under {@link GuardConnection#lockChecked} just before the text is sent. Red-team
   * review (IdentityTextBesideIdentityChangeServerTest): in {@code COPY ...; select set_config(...)}
   * the COPY judged for user1 ran as the user another thread's SET SESSION AUTHORIZATION switched to
   * in between (112 of 140 cases); fyK: a CALL's body, as the user a RESET brought back.
   *
   * @throws GuardDeniedException when the text (or a body it calls) is denied now, in enforce mode
   */
  Decision stillHoldsChanging(String sql, Decision decision, long epoch, Object version) throws SQLException {
    if (identity.epoch() == epoch + 1 && (decision == null || registry.current() == version)) {
      return decision;
    }
    if (decision == null) {
      checkCalls(sql); // nothing but CALLs and changes: its bodies judged for who calls now
      return null;
    }
    return inspect(driverReading(sql, false), null, null, false); // its CALLs' bodies judged in it too
  }

  /**
   * The decision on {@code sql} made again now, for who runs it now against the registry in force
   * (a prepared text, a batch entry or a text about to be sent whose earlier decision is stale):
   * audited, and refused in enforce mode when denied.
   *
   * @throws GuardDeniedException when the text is denied now, in enforce mode
   */
  private Decision decideAgain(String sql, Mode mode, boolean prepared) throws SQLException {
    SessionState state = identity;
    SqlScript script = SqlScript.parse(driverReading(sql, prepared));
    Session session = withTransactionGrants(script, state, state.forDecision(needsUser(script)));
    // a transaction end in the text is a change of identity once the identity changed on the connection,
    // as in the first decision (red-team review, PreparedTransactionEndServerTest: rollback; COPY ...,
    // prepared before any change, made again for user1 after set role r3; begin; reset role, ran as r3)
    int hiddenChange = script.identityChangeOtherReadingsShow(state.transactionsMayChangeIdentity());
    Decision now = registry.current().inspect(script, session, identityChangeAt(script, state, hiddenChange));
    if (now.inspected()) {
      audit(now, state.current(), mode);
    }
    if (!now.allowed() && mode == Mode.ENFORCE) {
      throw new GuardDeniedException(now);
    }
    return now;
  }

  /** A JDBC commit, rollback or rollback to a savepoint ran. */
  void transactionEnded(SessionState.Outcome outcome) {
    if (mode() != Mode.OFF) {
      identity.transactionEnded(outcome);
    }
  }

  /**
   * Whether the text needs the database user to be decided: it holds a statement whose checks may
   * ask who runs it (not only SET SESSION AUTHORIZATION or GRANT/REVOKE, whose checks never do).
   */
  private static boolean needsUser(SqlScript script) {
    for (SqlStatement statement : script.inspectable()) {
      if (needsUser(statement.command().kind())) {
        return true;
      }
    }
    return false;
  }

  private static boolean needsUser(CommandKind kind) {
    return switch (kind) {
      case OTHER, SET_SESSION_AUTHORIZATION, GRANT_ASSUMEROLE, REVOKE_ASSUMEROLE -> false;
      default -> true;
    };
  }

  /**
   * True when some statement of the text is emulated on the local database instead of sent:
   * {@code decision} is what {@link #decide} returned for {@code sql}.
   */
  boolean emulates(Decision decision, String sql) {
    return emulated(decision, sql) != null;
  }

  /**
   * The first statement of the text that the local database runs by emulation, as its command is
   * named ({@code COPY}, {@code SET SESSION AUTHORIZATION}); null when none is, or nothing is emulated.
   */
  String emulated(Decision decision, String sql) {
    if (local == null) {
      return null;
    }
    if (decision == null) {
      // null means mode off, or a text without an auth-carrying statement (which emulates nothing)
      return mode() == Mode.OFF ? firstEmulated(SqlScript.parse(sql).statements()) : null;
    }
    return decision.inspected()
        ? firstEmulated(decision.statements().stream().map(StatementDecision::statement).toList()) : null;
  }

  private static String firstEmulated(List<SqlStatement> statements) {
    for (SqlStatement statement : statements) {
      if (LocalS3.emulates(statement.command())) {
        return statement.command().kind().name().replace('_', ' ');
      }
    }
    return null;
  }

  /** The decision on {@code sql} without logging or throwing; null in mode off. */
  Decision preview(String sql) throws SQLException {
    return preview(sql, false);
  }

  /** {@link #preview(String)} of the text as a prepared statement sends it ({@code prepared}) or a plain one. */
  private Decision preview(String sql, boolean prepared) throws SQLException {
    if (mode() == Mode.OFF || sql == null) {
      return null;
    }
    return inspectNow(SqlScript.parse(driverReading(sql, prepared)));
  }

  /** As {@link #preview(String)} for a script already parsed, whose statements keep their numbers and lines. */
  Decision preview(SqlScript script) throws SQLException {
    if (mode() == Mode.OFF) {
      return null;
    }
    String text = script.source();
    if (!driverReading(text).equals(text)) {
      return preview(text); // decided as the driver will send it, as any text is
    }
    return inspectNow(script);
  }

  /** The decision on {@code script} for who runs it now, without logging or throwing. */
  private Decision inspectNow(SqlScript script) {
    return registry.current().inspect(script, identity.forDecision(needsUser(script)));
  }

  /** The mode in force now: the setting's, else the policy.mode of the registry version last loaded. */
  Mode mode() {
    if (override != null) {
      return override;
    }
    return registry.latest().registry().settings().mode();
  }

  /** The text to send for {@code decision}: the rewritten text, or {@code sql} when none was made. */
  static String toSend(Decision decision, String sql) {
    return decision == null || !decision.inspected() || !decision.rewritten() ? sql : decision.sql();
  }

  /** Records what a successfully executed text changed: a declared identity, the grants. */
  void executed(Decision decision) throws SQLException {
    if (decision != null && decision.inspected()) {
      boolean catalogChanged = !decision.sessionAfter().externalCatalog().equals(identity.current().externalCatalog());
      java.sql.Connection connection = target;
      boolean grantsChanged = !decision.sessionAfter().grants().sameChanges(identity.current().grants());
      boolean inTransaction = grantsChanged && connection != null && !connection.getAutoCommit();
      boolean followed = SessionEffects.has(decision.sessionEffects(), SessionEffects.TRANSACTION);
      identity.executed(decision.sessionAfter(), inTransaction, followed);
      if (catalogChanged) {
        // a text found clean before may now insert into a new external table; cleared after the catalog
        // is published, so that a thread finding a text clean against the old one clears it again
        lastClean = "";
      }
      if (!followed && abortsATransaction(decision)) {
        // a target that runs it in a transaction block (H2 runs CREATE EXTERNAL TABLE emulated) is
        // read as Redshift, which refuses it there and aborts the transaction
        identity.aborted(true, inTransaction());
      }
    }
  }

  /** Whether the target runs with auto-commit off (a transaction is then always open); false when it cannot say. */
  private boolean inTransaction() {
    java.sql.Connection connection = target;
    try {
      return connection != null && !connection.getAutoCommit();
    } catch (SQLException e) {
      return true; // cannot say: read as in a transaction, the strict reading
    }
  }

  private static boolean abortsATransaction(Decision decision) {
    for (dev.iamguard.policy.StatementDecision statement : decision.statements()) {
      if (dev.iamguard.sql.TransactionControl.of(statement.statement())
          == dev.iamguard.sql.TransactionControl.ABORTS_A_TRANSACTION) {
        return true;
      }
    }
    return false;
  }

  /** The identity as last known (for tests and audit). */
  Session session() {
    return identity.current();
  }

  /**
   * Gives back what the connection holds open (its audit file, closed when no other connection
   * holds it); the first call only, so that closing a connection twice gives back one hold.
   */
  void release() throws SQLException {
    if (released.compareAndSet(false, true)) {
      sinks.release();
    }
  }

  /**
   * As {@link #release}, after {@code failure} (a refused connection, a target that failed to
   * close): a failure to give back is added to it, the failure the caller throws.
   */
  void releaseAfter(Throwable failure) {
    try {
      release();
    } catch (SQLException | RuntimeException releasing) {
      failure.addSuppressed(releasing);
    }
  }

  /** The local S3 emulation, or null when statements go to the database as they are. */
  LocalS3 local() {
    return local;
  }

  /** The session's cluster, or the registry's only one when the session names none. */
  private String clusterLabel(Session session) {
    if (session.cluster() != null) {
      return session.cluster();
    }
    var clusters = registry.current().registry().clusters();
    return clusters.size() == 1 ? clusters.get(0).id() : null;
  }

  /**
   * Records the decision on every sink; a sink that fails (an audit file that cannot be written)
   * fails the statement before anything is sent.
   */
  private void audit(Decision decision, Session session, Mode mode) throws SQLException {
    try {
      record(decision, session, mode);
    } catch (RuntimeException | LinkageError e) { // a sink built against another library version: NoSuchMethodError
      throw new SQLException("iamguard: the decision could not be audited, so the statement is not sent: "
          + e.getMessage(), GuardSqlStates.AUDIT_FAILED, e);
    }
  }

  private void record(Decision decision, Session session, Mode mode) {
    for (StatementDecision statement : decision.inspectedStatements()) {
      List<Finding> findings = statement.allFindings();
      audit.record(new AuditEvent(name, statement.verdict().name(), GuardConfig.modeName(mode), session.user(),
          clusterLabel(session), statement.statement().index(), statement.statement().line(),
          statement.statement().command().kind().name(),
          findings.stream().map(Finding::ruleId).distinct().toList(),
          findings.isEmpty() ? null : findings.get(0).message(), Redactor.redactAlone(statement.sql())));
    }
  }
}
