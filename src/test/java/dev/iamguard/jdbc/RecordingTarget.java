package dev.iamguard.jdbc;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.function.BiFunction;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A target connection whose statements do nothing but record the texts they send, in {@code sent}:
 * each statement keeps a batch as a driver does (a prepared statement's parameter sets as its text)
 * and sends it at {@code executeBatch}; auto-commit is on.
 */
final class RecordingTarget {
  private RecordingTarget() {}

  static Connection of(List<String> sent) {
    return withStatements((type, preparedSql) -> {
      List<String> held = new CopyOnWriteArrayList<>();
      return Proxy.newProxyInstance(RecordingTarget.class.getClassLoader(), new Class<?>[] {type}, (s, m, a) -> {
        switch (m.getName()) {
          case "addBatch" -> held.add(a == null ? preparedSql : (String) a[0]);
          case "clearBatch" -> held.clear();
          case "executeBatch", "executeLargeBatch" -> {
            sent.addAll(held);
            held.clear();
          }
          default -> {
            if (m.getName().startsWith("execute")) {
              sent.add(a != null && a.length > 0 && a[0] instanceof String sql ? sql : preparedSql);
            }
          }
        }
        return GuardCoverageTest.defaultValue(m.getReturnType());
      });
    });
  }

  /**
   * A target connection whose statements {@code statements} makes, from the statement type asked for
   * and the text a prepared statement is made with (null for a plain one); {@code nativeSQL} reads a
   * text as it is, auto-commit is on, anything else answers its type's default.
   */
  static Connection withStatements(BiFunction<Class<?>, String, Object> statements) {
    ClassLoader loader = RecordingTarget.class.getClassLoader();
    return (Connection) Proxy.newProxyInstance(loader, new Class<?>[] {Connection.class}, (self, method, args) -> {
      Class<?> type = method.getReturnType();
      if (method.getName().equals("nativeSQL")) {
        return args[0];
      }
      if (method.getName().equals("getAutoCommit")) {
        return true;
      }
      if (!Statement.class.isAssignableFrom(type)) {
        return GuardCoverageTest.defaultValue(type);
      }
      return statements.apply(type, args != null && args.length > 0 && args[0] instanceof String sql ? sql : null);
    });
  }
}
