package dev.iamguard.jdbc;

import dev.iamguard.policy.Decision;
import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.ClientInfoStatus;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection whose SQL is checked before it is sent. Overrides only what takes SQL text
 * ({@code prepareStatement}, {@code prepareCall}, {@code nativeSQL}) and what hands out JDBC
 * objects (statements, metadata), so that no raw target object escapes; {@code unwrap} still
 * reaches the target for vendor APIs.
 */
class GuardConnection extends ForwardingConnection implements IamguardConnection {
  private final ConnectionPolicy policy;
  /**
   * With local emulation on H2, the locks H2 takes around each command and transaction end, held by
   * the guard around an emulated text ({@link #emulating}), so that another thread's statement,
   * commit, rollback or change of auto-commit on a shared connection never lands inside its
   * {@link ImplicitTransaction} (statements that emulate nothing then take no lock of the guard's).
   * Null without emulation, or where they cannot be reached ({@link #statements} is used instead).
   */
  private final LocalDatabaseLock local;
  /**
   * With local emulation but no {@link #local} lock: statements, commits, rollbacks and changes of
   * auto-commit of this connection run one at a time (as Redshift's own driver runs them), for the
   * same reason. Null otherwise: the database alone decides.
   */
  private final ReentrantLock statements;
  /** The texts sent through this connection whose words the target may still hold ({@link SentTexts}). */
  private final SentTexts sentTexts = new SentTexts();
  /** Without emulation: held from a checked text's final decision to its send ({@link #lockChecked}). */
  private final ReentrantLock checked = new ReentrantLock();

  GuardConnection(Connection target, ConnectionPolicy policy) {
    super(target);
    this.policy = policy;
    // H2DialectConnection's nativeSQL also translates Redshift to H2: the escapes are H2's own
    policy.readsWith(target instanceof H2DialectConnection dialect ? dialect.target() : target);
    this.local = policy.local() == null ? null
        : LocalDatabaseLock.of(target instanceof H2DialectConnection dialect ? dialect.target() : target);
    this.statements = policy.local() == null || local != null ? null : new ReentrantLock();
    policy.readsIdentityUnder(statements != null ? statements : checked);
  }

  /** What an emulated text does, run by {@link #emulating}. */
  interface Emulation<T> {
    T run() throws SQLException;
  }

  /**
   * Runs an emulated text while no other thread's command can run on the local database's session.
   * Where there is no session lock, the caller holds the connection's {@link #statements} lock
   * already (every statement takes it), which serves the same end.
   */
  <T> T emulating(Emulation<T> emulation) throws SQLException {
    LocalDatabaseLock lock = local;
    if (lock == null) {
      return emulation.run();
    }
    lock.lock();
    try {
      return emulation.run();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the statement lock when there is one (statements, commits, rollbacks and changes of
   * auto-commit take it); returns it for {@link #unlock}, or null.
   */
  Lock lockStatements() {
    ReentrantLock lock = statements;
    if (lock != null) {
      lock.lock();
    }
    return lock;
  }

  /**
   * Takes the lock under which a checked text (or one that changes the identity) is decided again
   * when needed, sent, and recorded: the statement lock with emulation, else a lock of its own, so
   * another thread of a shared connection cannot change who runs it between its decision and its
   * send. Texts that are not checked never take it.
   */
  Lock lockChecked() {
    ReentrantLock lock = statements != null ? statements : checked;
    lock.lock();
    return lock;
  }

  /** True when a thread waits for {@link #lockChecked} (tests force interleavings with it). */
  boolean checkedWaiting() {
    return (statements != null ? statements : checked).hasQueuedThreads();
  }

  static void unlock(Lock lock) {
    if (lock != null) {
      lock.unlock();
    }
  }

  ConnectionPolicy policy() {
    return policy;
  }

  @Override
  public Decision decisionFor(String sql) throws SQLException {
    return policy.preview(sql);
  }

  @Override
  public Decision decisionFor(dev.iamguard.sql.SqlScript script) throws SQLException {
    return policy.preview(script);
  }

  @Override
  public boolean enforcing() {
    return policy.mode() == dev.iamguard.policy.registry.PolicySettings.Mode.ENFORCE;
  }

  @Override
  public boolean checking() {
    return policy.mode() != dev.iamguard.policy.registry.PolicySettings.Mode.OFF;
  }

  /** A guarded wrapper for a statement the target handed out some other way (result set owner). */
  Statement wrap(Statement statement) {
    if (statement == null || statement instanceof GuardStatement) {
      return statement;
    }
    if (statement instanceof CallableStatement callable) {
      return new GuardCallableStatement(callable, this, null, null);
    }
    if (statement instanceof PreparedStatement prepared) {
      return new GuardPreparedStatement(prepared, this, null, null);
    }
    return new GuardStatement(statement, this);
  }

  /** How the target prepares the text to send (one of the prepareStatement/prepareCall variants). */
  private interface Preparer<S> {
    S prepare(String sql) throws SQLException;
  }

  /** The plain target statement an emulated text runs beside (the same result set settings). */
  private interface PlainStatement {
    Statement create() throws SQLException;
  }

  /**
   * Prepared statements are inspected here, and again before an execution only when the identity
   * or the grants may have changed since; the target prepares the text to send. A text emulated on
   * the local database (COPY, UNLOAD, AWS-only DDL), which the database could not prepare, gets an
   * {@link EmulatedTarget} over a plain statement instead, and runs locally on each execution.
   */
  private PreparedStatement prepared(String sql, Preparer<PreparedStatement> preparer, PlainStatement plain)
      throws SQLException {
    ConnectionPolicy.Prepared prepared = policy.prepare(sql, false);
    PreparedStatement target;
    try {
      target = prepared.emulated() ? EmulatedTarget.prepared(plain.create())
          : preparer.prepare(ConnectionPolicy.toSend(prepared.decision(), sql));
    } catch (SQLException e) {
      throw TargetErrors.masked(e, sql);
    }
    return new GuardPreparedStatement(target, this, sql, prepared);
  }

  private CallableStatement callable(String sql, Preparer<CallableStatement> preparer, PlainStatement plain)
      throws SQLException {
    ConnectionPolicy.Prepared prepared = policy.prepare(sql, true);
    CallableStatement target;
    try {
      target = prepared.emulated() ? EmulatedTarget.callable(plain.create())
          : preparer.prepare(ConnectionPolicy.toSend(prepared.decision(), sql));
    } catch (SQLException e) {
      throw TargetErrors.masked(e, sql);
    }
    return new GuardCallableStatement(target, this, sql, prepared);
  }

  /**
   * The driver writes the schema into a {@code SET search_path} of its own: refused while the
   * encoding is not UTF-8 and the name holds a char beyond ASCII ({@link ClientEncoding}; probe 39
   * F2: in SJIS the yen sign became the backslash that escaped the driver's closing quote).
   */
  @Override
  public void setSchema(String schema) throws SQLException {
    policy.encoding().require(schema);
    super.setSchema(schema);
  }

  /** As {@link #setSchema}: the driver writes {@code ApplicationName} into a {@code SET application_name}. */
  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    requireClientInfo(value == null ? Map.of() : Map.of(name == null ? "" : name, value));
    super.setClientInfo(name, value);
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    Map<String, String> values = new java.util.LinkedHashMap<>();
    if (properties != null) {
      for (String name : properties.stringPropertyNames()) {
        values.put(name, properties.getProperty(name));
      }
    }
    requireClientInfo(values);
    super.setClientInfo(properties);
  }

  private void requireClientInfo(Map<String, String> values) throws SQLClientInfoException {
    try {
      for (String value : values.values()) {
        policy.encoding().require(value);
      }
    } catch (SQLException refused) {
      Map<String, ClientInfoStatus> failed = new java.util.HashMap<>();
      values.keySet().forEach(name -> failed.put(name, ClientInfoStatus.REASON_VALUE_INVALID));
      throw new SQLClientInfoException(refused.getMessage(), refused.getSQLState(), failed, refused);
    }
  }

  /** A driver's array builds its result sets on a statement of its own connection: guarded too. */
  @Override
  public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    if (policy.inlinesValues()) {
      InlinedValues.typeName(typeName); // the driver looks the type up with the name written into its query
    }
    policy.encoding().require(typeName);
    return GuardArray.of(target().createArrayOf(typeName, elements), this);
  }

  @Override
  public Statement createStatement() throws SQLException {
    return new GuardStatement(target().createStatement(), this);
  }

  @Override
  public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
    return new GuardStatement(target().createStatement(resultSetType, resultSetConcurrency), this);
  }

  @Override
  public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    return new GuardStatement(target().createStatement(resultSetType, resultSetConcurrency, resultSetHoldability), this);
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    return prepared(sql, s -> target().prepareStatement(s), () -> target().createStatement());
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
      throws SQLException {
    return prepared(sql, s -> target().prepareStatement(s, resultSetType, resultSetConcurrency),
        () -> target().createStatement(resultSetType, resultSetConcurrency));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
      int resultSetHoldability) throws SQLException {
    return prepared(sql, s -> target().prepareStatement(s, resultSetType, resultSetConcurrency, resultSetHoldability),
        () -> target().createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    return prepared(sql, s -> target().prepareStatement(s, autoGeneratedKeys), () -> target().createStatement());
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    return prepared(sql, s -> target().prepareStatement(s, columnIndexes), () -> target().createStatement());
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    return prepared(sql, s -> target().prepareStatement(s, columnNames), () -> target().createStatement());
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    return callable(sql, s -> target().prepareCall(s), () -> target().createStatement());
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
      throws SQLException {
    return callable(sql, s -> target().prepareCall(s, resultSetType, resultSetConcurrency),
        () -> target().createStatement(resultSetType, resultSetConcurrency));
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
      int resultSetHoldability) throws SQLException {
    return callable(sql, s -> target().prepareCall(s, resultSetType, resultSetConcurrency, resultSetHoldability),
        () -> target().createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
  }

  @Override
  public String nativeSQL(String sql) throws SQLException {
    String sent = policy.nativeReading(sql); // decided, not audited: nativeSQL sends nothing
    try {
      return target().nativeSQL(sent);
    } catch (SQLException e) {
      throw TargetErrors.masked(e, sql);
    }
  }

  /**
   * Ends the transaction; a rollback takes back the identity changes and grant changes made in it,
   * so the guard asks again before it next needs the user. Transaction ends hold the checked lock:
   * a checked text another thread decided before a rollback restored an earlier user is then sent
   * only after the guard recorded the rollback, and is decided again first.
   */
  @Override
  public void commit() throws SQLException {
    Lock lock = lockChecked();
    try {
      target().commit();
    } finally {
      policy.transactionEnded(SessionState.Outcome.COMMIT);
      unlock(lock);
    }
  }

  @Override
  public void rollback() throws SQLException {
    Lock lock = lockChecked();
    try {
      target().rollback();
    } finally {
      policy.transactionEnded(SessionState.Outcome.ROLLBACK);
      unlock(lock);
    }
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    Lock lock = lockChecked();
    try {
      target().rollback(savepoint);
    } finally {
      policy.transactionEnded(SessionState.Outcome.ROLLBACK_TO_SAVEPOINT);
      unlock(lock);
    }
  }

  /** Turning auto-commit on commits the transaction in progress. */
  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    Lock lock = lockChecked();
    try {
      boolean wasOff = autoCommit && !target().getAutoCommit();
      try {
        target().setAutoCommit(autoCommit);
      } finally {
        if (wasOff) {
          policy.transactionEnded(SessionState.Outcome.COMMIT);
        }
      }
    } finally {
      unlock(lock);
    }
  }

  /** Closes the target connection, then gives back the audit file this connection held open. */
  @Override
  public void close() throws SQLException {
    ending(() -> target().close());
  }

  /** Aborts the target connection, then gives back the audit file this connection held open. */
  @Override
  public void abort(java.util.concurrent.Executor executor) throws SQLException {
    ending(() -> target().abort(executor));
  }

  /** The target's end of the connection, which may fail. */
  private interface TargetEnd {
    void run() throws SQLException;
  }

  private void ending(TargetEnd end) throws SQLException {
    try {
      end.run();
    } catch (SQLException | RuntimeException | Error e) {
      policy.releaseAfter(e); // what the guard holds is given back even when the target fails to close
      throw e;
    }
    policy.release();
  }

  /** See {@link #sentTexts}. */
  SentTexts sentTexts() {
    return sentTexts;
  }

  /**
   * The connection's warnings, with any SQL secret or URL password a message quotes masked: the
   * secrets of the texts its statements sent last ({@link SentTexts}; a driver may
   * put a statement's notice on its connection), and any by their shape.
   */
  @Override
  public java.sql.SQLWarning getWarnings() throws SQLException {
    java.sql.SQLWarning warnings = target().getWarnings();
    return warnings == null ? null
        : TargetErrors.maskedWarning(warnings, SentTexts.secretsOf(sentTexts.texts()));
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    DatabaseMetaData metaData = target().getMetaData();
    return metaData == null ? null : new GuardDatabaseMetaData(metaData, this);
  }
}
