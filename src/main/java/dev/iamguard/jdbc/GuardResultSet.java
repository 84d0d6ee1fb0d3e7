package dev.iamguard.jdbc;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A result set whose {@code getStatement()} returns the guarded statement (p6spy and
 * datasource-proxy return the raw one: a way around any check), and whose cursor values and
 * arrays (whose own result sets hold a statement) come back guarded too.
 */
class GuardResultSet extends ForwardingResultSet {
  private final Statement owner;
  private final GuardConnection connection;

  /** {@code owner} is the guarded statement that produced it, or null (metadata result sets). */
  GuardResultSet(ResultSet target, Statement owner, GuardConnection connection) {
    super(target);
    this.owner = owner;
    this.connection = connection;
  }

  @Override
  public Statement getStatement() throws SQLException {
    return owner != null ? owner : connection.wrap(target().getStatement());
  }

  /** A notice about the query may quote it: any SQL secret or URL password it holds is masked. */
  @Override
  public java.sql.SQLWarning getWarnings() throws SQLException {
    return TargetErrors.maskedWarning(target().getWarnings(), java.util.List.of());
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
    return GuardArray.of(target().getArray(columnIndex), connection);
  }

  @Override
  public Array getArray(String columnLabel) throws SQLException {
    return GuardArray.of(target().getArray(columnLabel), connection);
  }

  private Object cursor(Object value) {
    return cursor(value, connection);
  }

  private <T> T cursor(T value, Class<T> type) {
    return cursor(value, type, connection);
  }

  /** A cursor value (a result set in a column or OUT parameter) or an array comes back guarded. */
  static Object cursor(Object value, GuardConnection connection) {
    if (value instanceof Array array) {
      return GuardArray.of(array, connection);
    }
    return value instanceof ResultSet resultSet ? new GuardResultSet(resultSet, null, connection) : value;
  }

  /** As {@link #cursor(Object, GuardConnection)}, unless the caller asked for the vendor's own class. */
  static <T> T cursor(T value, Class<T> type, GuardConnection connection) {
    if (value instanceof ResultSet resultSet) {
      GuardResultSet guarded = new GuardResultSet(resultSet, null, connection);
      return type.isInstance(guarded) ? type.cast(guarded) : value;
    }
    if (value instanceof Array array) {
      Array guarded = GuardArray.of(array, connection);
      return type.isInstance(guarded) ? type.cast(guarded) : value;
    }
    return value;
  }
}
