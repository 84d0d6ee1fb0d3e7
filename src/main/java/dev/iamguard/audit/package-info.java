/**
 * Decision events, and the one {@link dev.iamguard.audit.Redactor} every output (exceptions, logs,
 * reports) shows SQL through, so that keys, tokens, CREDENTIALS values and passwords are never
 * printed. {@link dev.iamguard.audit.AuditLog} writes one line per decision on the SLF4J logger
 * {@code dev.iamguard.audit}; an {@link dev.iamguard.audit.AuditSink} receives the events
 * elsewhere too: {@link dev.iamguard.audit.JsonLinesAuditFile} (one JSON object per line), a sink
 * class named in a setting, or Micrometer counters ({@link dev.iamguard.audit.AuditSinks}).
 *
 * <p>Uses {@code sql} only; Micrometer, an optional dependency, only in {@code MicrometerAuditSink},
 * loaded when Micrometer is present.
 */
package dev.iamguard.audit;
