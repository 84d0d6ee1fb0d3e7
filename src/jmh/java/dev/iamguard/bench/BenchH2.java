package dev.iamguard.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The in-memory H2 connections the no-auth benchmarks compare: a raw one, and one through the
 * guard as {@code user1} with {@code samples/registry.yaml} (or {@code -Diamguard.registry=...}).
 */
final class BenchH2 {
  private BenchH2() {}

  /** A raw in-memory database of its own, kept until the JVM exits. */
  static Connection raw(String name) throws SQLException {
    return DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
  }

  /** A guarded in-memory database of its own, kept until the JVM exits. */
  static Connection guarded(String name) throws SQLException {
    Properties settings = new Properties();
    settings.setProperty("user", "user1");
    settings.setProperty("iamguard.registry", System.getProperty("iamguard.registry", "samples/registry.yaml"));
    return DriverManager.getConnection("jdbc:iamguard:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", settings);
  }
}
