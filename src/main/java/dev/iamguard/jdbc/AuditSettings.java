package dev.iamguard.jdbc;

import dev.iamguard.audit.AuditSink;
import dev.iamguard.audit.AuditSinks;
import dev.iamguard.audit.JsonLinesAuditFile;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a connection's decision events go, from its settings: the given sink (SLF4J by default, or a
 * data source builder's), then a JSON Lines file ({@code iamguard.audit-file}), a sink class
 * ({@code iamguard.audit-sink}) and the Micrometer counters (when Micrometer is present, unless
 * {@code iamguard.metrics=false}). A setting that cannot be honoured refuses the connection.
 */
final class AuditSettings {
  private AuditSettings() {}

  /**
   * A connection's sinks, and the audit file it holds open (null: none), given back by
   * {@link #release} when the connection closes.
   */
  record Sinks(AuditSink sink, JsonLinesAuditFile file) {
    /** Sinks that hold nothing open. */
    static Sinks of(AuditSink sink) {
      return new Sinks(sink, null);
    }

    /** Gives back the audit file's hold; call once. */
    void release() throws SQLException {
      if (file != null) {
        try {
          file.release();
        } catch (java.io.IOException e) {
          throw new SQLException("iamguard: cannot close the audit file: " + e.getMessage(), e);
        }
      }
    }
  }

  static Sinks sink(GuardConfig config, AuditSink base) throws SQLException {
    List<AuditSink> sinks = new ArrayList<>();
    sinks.add(base);
    String file = config.get(Setting.AUDIT_FILE);
    JsonLinesAuditFile opened = null;
    if (file != null) {
      try {
        opened = JsonLinesAuditFile.open(Path.of(file));
      } catch (IOException | InvalidPathException e) {
        throw refused(Setting.AUDIT_FILE, file, e.getMessage());
      }
      sinks.add(opened);
    }
    Sinks made = new Sinks(null, opened);
    try {
      String sinkClass = config.get(Setting.AUDIT_SINK);
      if (sinkClass != null) {
        try {
          sinks.add(AuditSinks.named(sinkClass));
        } catch (IllegalArgumentException e) {
          throw refused(Setting.AUDIT_SINK, sinkClass, e.getMessage());
        }
      }
      if (metrics(config) && AuditSinks.micrometerPresent()) {
        sinks.add(AuditSinks.micrometer());
      }
    } catch (SQLException | RuntimeException e) {
      try {
        made.release(); // a refused connection holds nothing open
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return new Sinks(AuditSinks.all(sinks), opened);
  }

  private static boolean metrics(GuardConfig config) throws SQLException {
    String value = config.get(Setting.METRICS);
    if (value == null || value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw refused(Setting.METRICS, value, "not true or false");
  }

  private static SQLException refused(Setting setting, String value, String problem) {
    return new SQLException("iamguard: " + setting.key() + "=" + value + ": " + problem,
        GuardSqlStates.CONNECTION_REFUSED);
  }
}
