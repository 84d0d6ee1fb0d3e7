package dev.iamguard.jdbc;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Objects;

/**
 * A result set whose {@code getStatement()} returns the guarded statement (p6spy and
 * datasource-proxy return the raw one: a way around any check), and whose cursor values and
 * arrays (whose own result sets hold a statement) come back guarded too.
 *
 * <p>Two kinds: {@link GuardStatementResultSet}, a statement's current result set, which finds its
 * target through the statement and so takes 16 bytes (the no-auth path's only allocation), and
 * {@link GuardHoldingResultSet}, which holds its target (metadata, cursor values, arrays, generated keys).
 */
abstract class GuardResultSet extends ForwardingResultSet {

  /** The guarded statement that produced it, or null (metadata result sets, cursor values). */
  abstract Statement owner();

  /** The guarded connection it belongs to. */
  abstract GuardConnection connection();

  // An updatable result set's row changes are statements the driver builds and sends itself.

  @Override
  public void updateRow() throws SQLException {
    refuseRowChangeWrittenInline();
    refuseRowChangeBesideExternalTables();
    super.updateRow();
  }

  @Override
  public void insertRow() throws SQLException {
    refuseRowChangeWrittenInline();
    refuseRowChangeBesideExternalTables();
    super.insertRow();
  }

  @Override
  public void deleteRow() throws SQLException {
    refuseRowChangeWrittenInline();
    refuseRowChangeBesideExternalTables();
    super.deleteRow();
  }

  @Override
  public void refreshRow() throws SQLException {
    refuseRowChangeWrittenInline();
    super.refreshRow();
  }

  /** Where the driver writes values into its text ({@link QueryMode}), it would write the row's values unchecked. */
  private void refuseRowChangeWrittenInline() throws SQLException {
    GuardConnection connection = connection();
    if (connection != null && connection.policy().inlinesValues()) {
      throw InlinedValues.rowChange();
    }
  }

  /**
   * On a connection that created external tables through the guard, an INSERT, UPDATE or DELETE the
   * driver builds for a row change is not read by the guard, and it may write into one of them
   * unchecked (red-team review: {@code insertRow} on a result set of such a table wrote a row the
   * same INSERT as text is denied): refused there; the statement written as text is checked.
   */
  private void refuseRowChangeBesideExternalTables() throws SQLException {
    GuardConnection connection = connection();
    if (connection != null && connection.policy().knowsExternalTables()) {
      throw new SQLException("iamguard: this connection created external tables through the guard, and a row change"
          + " of an updatable result set is a statement the driver builds, which the guard cannot check against"
          + " their schemas' roles; nothing was sent: write the INSERT, UPDATE or DELETE as a statement",
          GuardSqlStates.NOT_SUPPORTED);
    }
  }

  /** A guarded result set that holds its target; {@code owner} may be null. */
  static GuardResultSet detached(ResultSet target, Statement owner, GuardConnection connection) {
    return new GuardHoldingResultSet(target, owner, connection);
  }

  /** The guarded statement; asked of the target first, so that a closed result set fails as the driver's does. */
  @Override
  public Statement getStatement() throws SQLException {
    Statement raw = target().getStatement();
    Statement owner = owner();
    return owner != null ? owner : connection().wrap(raw);
  }

  /**
   * A notice about the query may quote it: any SQL secret of the texts its statement sent, or of any
   * text by its shape, or URL password it holds is masked.
   */
  @Override
  public java.sql.SQLWarning getWarnings() throws SQLException {
    java.sql.SQLWarning warnings = target().getWarnings();
    StatementGuard guard = statementGuard();
    return guard == null ? TargetErrors.maskedWarning(warnings, java.util.List.of()) : guard.maskedWarning(warnings);
  }

  /** The next row may be fetched now (pgjdbc with a fetch size), and the server's error quote the query. */
  @Override
  public boolean next() throws SQLException {
    try {
      return target().next();
    } catch (SQLException e) {
      throw masked(e);
    }
  }

  /** A driver may fetch ahead to tell (pgjdbc with a fetch size), as {@link #next}. */
  @Override
  public boolean isLast() throws SQLException {
    try {
      return target().isLast();
    } catch (SQLException e) {
      throw masked(e);
    }
  }

  /** {@code error}, or its masked copy when it quotes a secret of a text its statement sent. */
  private SQLException masked(SQLException error) {
    StatementGuard guard = statementGuard();
    return guard == null ? TargetErrors.withSecrets(error, java.util.List.of()) : guard.maskedAfterSend(error);
  }

  /** The guard of the statement that produced it, or null (metadata result sets, cursor values). */
  private StatementGuard statementGuard() {
    return owner() instanceof GuardStatement statement ? statement.guard() : null;
  }

  @Override
  public Object getObject(int columnIndex) throws SQLException {
    return cursor(target().getObject(columnIndex));
  }

  @Override
  public Object getObject(String columnLabel) throws SQLException {
    return cursor(target().getObject(columnLabel));
  }

  @Override
  public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
    return cursor(target().getObject(columnIndex, map));
  }

  @Override
  public Object getObject(String columnLabel, Map<String, Class<?>> map) throws SQLException {
    return cursor(target().getObject(columnLabel, map));
  }

  @Override
  public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
    return cursor(target().getObject(columnIndex, type), type);
  }

  @Override
  public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
    return cursor(target().getObject(columnLabel, type), type);
  }

  @Override
  public Array getArray(int columnIndex) throws SQLException {
    return GuardArray.of(target().getArray(columnIndex), connection());
  }

  @Override
  public Array getArray(String columnLabel) throws SQLException {
    return GuardArray.of(target().getArray(columnLabel), connection());
  }

  private Object cursor(Object value) {
    return cursor(value, connection());
  }

  private <T> T cursor(T value, Class<T> type) {
    return cursor(value, type, connection());
  }

  /** A cursor value (a result set in a column or OUT parameter) or an array comes back guarded. */
  static Object cursor(Object value, GuardConnection connection) {
    if (value instanceof Array array) {
      return GuardArray.of(array, connection);
    }
    return value instanceof ResultSet resultSet ? detached(resultSet, null, connection) : value;
  }

  /** As {@link #cursor(Object, GuardConnection)}, unless the caller asked for the vendor's own class. */
  static <T> T cursor(T value, Class<T> type, GuardConnection connection) {
    if (value instanceof ResultSet resultSet) {
      ResultSet guarded = detached(resultSet, null, connection);
      return type.isInstance(guarded) ? type.cast(guarded) : value;
    }
    if (value instanceof Array array) {
      Array guarded = GuardArray.of(array, connection);
      return type.isInstance(guarded) ? type.cast(guarded) : value;
    }
    return value;
  }

  /** A guarded result set that holds its target. */
  private static final class GuardHoldingResultSet extends GuardResultSet {
    private final ResultSet target;
    private final Statement owner;
    private final GuardConnection connection;

    GuardHoldingResultSet(ResultSet target, Statement owner, GuardConnection connection) {
      this.target = Objects.requireNonNull(target, "target");
      this.owner = owner;
      this.connection = connection;
    }

    @Override
    ResultSet target() {
      return target;
    }

    @Override
    Statement owner() {
      return owner;
    }

    @Override
    GuardConnection connection() {
      return connection;
    }
  }
}
