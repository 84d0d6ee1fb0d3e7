package dev.iamguard.local;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Where a COPY puts its rows before they reach the target table: a temporary table of the same
 * columns, private to the session and, by its name, to the thread. The target then receives every
 * row in one {@code INSERT ... SELECT}, which the database applies all or nothing on its own.
 *
 * <p>So a COPY is atomic without touching the connection's transaction state: it never switches
 * autocommit, never commits and never rolls back, and a connection shared by several threads
 * keeps every other thread's work, committed or not, whatever the COPY does. Inside the caller's
 * transaction the rows stay part of it. The table is created once per session, thread and target
 * shape (creating a temporary table is transactional in H2 with {@code TRANSACTIONAL} and in
 * PostgreSQL; dropping one would commit in H2), and emptied after every load.
 */
final class StagingTable {
  private final Connection connection;
  private final TargetTable target;
  private final String name;

  private StagingTable(Connection connection, TargetTable target, String name) {
    this.connection = connection;
    this.target = target;
    this.name = name;
  }

  /** The staging table for loading {@code target} on {@code connection}, created when missing and empty. */
  static StagingTable prepare(Connection connection, TargetTable target) throws SQLException {
    String name = "\"IAMGUARD_COPY_" + Thread.currentThread().getId() + "_" + shape(target) + '"';
    boolean h2 = connection.getMetaData().getDatabaseProductName().toUpperCase(Locale.ROOT).contains("H2");
    String columns = target.columnList();
    try (Statement statement = connection.createStatement()) {
      statement.execute((h2 ? "CREATE LOCAL TEMPORARY TABLE IF NOT EXISTS " + name + " TRANSACTIONAL AS SELECT "
          : "CREATE TEMPORARY TABLE IF NOT EXISTS " + name + " AS SELECT ")
          + columns + " FROM " + target.name() + " WITH NO DATA");
      statement.executeUpdate("DELETE FROM " + name);
    }
    return new StagingTable(connection, target, name);
  }

  /** The staging table as a load target: the same columns in the same order. */
  TargetTable asTarget() {
    return new TargetTable(name, target.columns());
  }

  /**
   * Moves every staged row into the target in one statement.
   *
   * @throws SQLException what the database says when it rejects the rows (a key or check
   *     constraint): then the target is unchanged
   */
  long publish() throws SQLException {
    String columns = target.columnList();
    try (Statement statement = connection.createStatement()) {
      return statement.executeLargeUpdate("INSERT INTO " + target.name() + " (" + columns + ")"
          + (target.loadsIdentity() ? " OVERRIDING SYSTEM VALUE" : "") + " SELECT " + columns + " FROM " + name);
    }
  }

  /** Empties the staging table, whether the load succeeded or not. */
  void clear() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate("DELETE FROM " + name);
    }
  }

  /** A short digest of the target and its column definitions: a changed table gets a fresh staging table. */
  private static String shape(TargetTable target) {
    StringBuilder text = new StringBuilder(target.name());
    for (TargetColumn column : target.columns()) {
      text.append('\u0000').append(column.name()).append(' ').append(column.typeName()).append('(')
          .append(column.precision()).append(',').append(column.scale()).append(')');
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
