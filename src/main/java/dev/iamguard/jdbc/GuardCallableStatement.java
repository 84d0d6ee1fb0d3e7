package dev.iamguard.jdbc;

import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * A callable statement: inspected once when it was prepared, and run, like
 * {@link GuardPreparedStatement}, its superclass in the one statement chain; OUT parameters
 * holding cursors come back as guarded result sets.
 */
class GuardCallableStatement extends ForwardingCallableStatement {
  /**
   * @param sql the text as the application wrote it (null when the target handed the statement out)
   * @param prepared the guard's decision on it, made when it was prepared (null likewise)
   */
  GuardCallableStatement(CallableStatement target, GuardConnection connection, String sql,
      ConnectionPolicy.Prepared prepared) {
    super(target, connection, sql, prepared);
  }

  @Override
  public Object getObject(int parameterIndex) throws SQLException {
    return cursor(target().getObject(parameterIndex));
  }

  @Override
  public Object getObject(String parameterName) throws SQLException {
    return cursor(target().getObject(parameterName));
  }

  @Override
  public Object getObject(int parameterIndex, Map<String, Class<?>> map) throws SQLException {
    return cursor(target().getObject(parameterIndex, map));
  }

  @Override
  public Object getObject(String parameterName, Map<String, Class<?>> map) throws SQLException {
    return cursor(target().getObject(parameterName, map));
  }

  @Override
  public <T> T getObject(int parameterIndex, Class<T> type) throws SQLException {
    return cursor(target().getObject(parameterIndex, type), type);
  }

  @Override
  public <T> T getObject(String parameterName, Class<T> type) throws SQLException {
    return cursor(target().getObject(parameterName, type), type);
  }

  /** An OUT parameter holding a cursor (a result set) comes back guarded. */
  @Override
  public Array getArray(int parameterIndex) throws SQLException {
    return GuardArray.of(target().getArray(parameterIndex), guardConnection());
  }

  @Override
  public Array getArray(String parameterName) throws SQLException {
    return GuardArray.of(target().getArray(parameterName), guardConnection());
  }

  private Object cursor(Object value) {
    return GuardResultSet.cursor(value, guardConnection());
  }

  private <T> T cursor(T value, Class<T> type) {
    return GuardResultSet.cursor(value, type, guardConnection());
  }
}
