package dev.iamguard.jdbc;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A target connection whose statements do nothing but record the texts they send, in {@code sent}:
 * each statement keeps a batch as a driver does (a prepared statement's parameter sets as its text)
 * and sends it at {@code executeBatch}; auto-commit is on.
 */
final class RecordingTarget {
  private RecordingTarget() {}

  static Connection of(List<String> sent) {
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
      String preparedSql = args != null && args.length > 0 && args[0] instanceof String sql ? sql : null;
      List<String> held = new CopyOnWriteArrayList<>();
      return Proxy.newProxyInstance(loader, new Class<?>[] {type}, (s, m, a) -> {
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
}
