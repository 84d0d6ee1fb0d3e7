package dev.iamguard.jdbc;

import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What a {@link GuardStatementResultSet} forwards to once its statement has run again: a closed result
 * set. {@code isClosed()} is true, {@code close()} does nothing, and every other call fails, as the
 * target's own result set, closed by that execution, would.
 */
final class SupersededResultSet {
  static final ResultSet INSTANCE = (ResultSet) Proxy.newProxyInstance(
      SupersededResultSet.class.getClassLoader(), new Class<?>[] {ResultSet.class},
      (self, method, args) -> {
        switch (method.getName()) {
          case "isClosed":
            return Boolean.TRUE;
          case "close":
            return null;
          case "toString":
            return "closed result set";
          case "hashCode":
            return System.identityHashCode(self);
          case "equals":
            return self == args[0];
          default:
            throw new SQLException("The result set is closed: its statement ran again", GuardSqlStates.INVALID_CURSOR_STATE);
        }
      });

  private SupersededResultSet() {}
}
