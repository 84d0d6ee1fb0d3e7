package dev.iamguard.audit;

/**
 * Where decision events go. The default logs them on SLF4J ({@link AuditLog}); a data source can
 * send them elsewhere as well (a metrics counter, a test).
 */
@FunctionalInterface
public interface AuditSink {
  /** Logs on the SLF4J logger {@code dev.iamguard.audit}. */
  AuditSink DEFAULT = AuditLog::record;

  void record(AuditEvent event);
}
