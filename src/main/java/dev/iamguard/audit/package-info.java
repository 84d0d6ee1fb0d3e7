/**
 * Decision events, and the one {@link dev.iamguard.audit.Redactor} every output (exceptions, logs,
 * reports) shows SQL through, so that keys, tokens, CREDENTIALS values and passwords are never
 * printed. {@link dev.iamguard.audit.AuditLog} writes one line per decision on the SLF4J logger
 * {@code dev.iamguard.audit}; an {@link dev.iamguard.audit.AuditSink} receives the events
 * elsewhere too.
 *
 * <p>Uses {@code sql} only.
 */
package dev.iamguard.audit;
