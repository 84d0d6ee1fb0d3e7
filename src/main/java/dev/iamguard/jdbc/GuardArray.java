package dev.iamguard.jdbc;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * An SQL array whose result sets come back guarded. A driver builds an array's result set on a
 * statement of its own connection (pgjdbc and the Redshift driver do), so the raw
 * {@code getResultSet().getStatement()} would run any SQL past the guard.
 */
final class GuardArray implements Array {
  private final Array target;
  private final GuardConnection connection;

  GuardArray(Array target, GuardConnection connection) {
    this.target = target;
    this.connection = connection;
  }

  /** {@code array} guarded, or null for null. */
  static Array of(Array array, GuardConnection connection) {
    return array == null || array instanceof GuardArray ? array : new GuardArray(array, connection);
  }

  /**
   * The elements of an array as the driver returned them, with every array or result set among them
   * (nested arrays, arrays of rows: H2 returns its own objects there) guarded, at any depth; a copy
   * when anything was replaced, of type {@code Object[]} where the driver's element type cannot hold
   * the guarded object (probe 24b F2).
   */
  private Object elements(Object value) {
    if (!(value instanceof Object[] elements)) {
      return value;
    }
    Object[] result = elements;
    for (int i = 0; i < elements.length; i++) {
      Object element = elements[i];
      Object guarded = element instanceof Object[] ? elements(element) : GuardResultSet.cursor(element, connection);
      if (guarded != element) {
        if (result == elements) {
          result = java.util.Arrays.copyOf(elements, elements.length, Object[].class);
        }
        result[i] = guarded;
      }
    }
    if (result != elements && elements.getClass().getComponentType() != Object.class) {
      // kept in the driver's element type where it holds every guarded value
      Object[] typed = (Object[]) java.lang.reflect.Array.newInstance(elements.getClass().getComponentType(), result.length);
      for (int i = 0; i < result.length; i++) {
        if (result[i] != null && !typed.getClass().getComponentType().isInstance(result[i])) {
          return result;
        }
        typed[i] = result[i];
      }
      return typed;
    }
    return result;
  }

  private ResultSet guarded(ResultSet resultSet) {
    return resultSet == null ? null : GuardResultSet.detached(resultSet, null, connection);
  }

  @Override
  public String getBaseTypeName() throws SQLException {
    return target.getBaseTypeName();
  }

  @Override
  public int getBaseType() throws SQLException {
    return target.getBaseType();
  }

  @Override
  public Object getArray() throws SQLException {
    return elements(target.getArray());
  }

  @Override
  public Object getArray(Map<String, Class<?>> map) throws SQLException {
    return elements(target.getArray(map));
  }

  @Override
  public Object getArray(long index, int count) throws SQLException {
    return elements(target.getArray(index, count));
  }

  @Override
  public Object getArray(long index, int count, Map<String, Class<?>> map) throws SQLException {
    return elements(target.getArray(index, count, map));
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    return guarded(target.getResultSet());
  }

  @Override
  public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLException {
    return guarded(target.getResultSet(map));
  }

  @Override
  public ResultSet getResultSet(long index, int count) throws SQLException {
    return guarded(target.getResultSet(index, count));
  }

  @Override
  public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map) throws SQLException {
    return guarded(target.getResultSet(index, count, map));
  }

  @Override
  public void free() throws SQLException {
    target.free();
  }

  @Override
  public String toString() {
    return target.toString();
  }
}
