package dev.iamguard.audit;

import java.util.List;

/**
 * One decision on one statement, as the audit log records it. Plain values only: the audit
 * package knows SQL but not the policy engine, so the driver fills this in.
 *
 * @param source the data source name (from {@code iamguard.name}), or null
 * @param decision ALLOW, REWRITE or DENY
 * @param mode enforce, audit or off
 * @param user the database user the statement was checked as
 * @param cluster the cluster id, or null
 * @param statement the statement's 1-based index in the text sent
 * @param line its 1-based line
 * @param command its command kind, e.g. COPY
 * @param rules the rule ids of its findings
 * @param message the first finding's message, or null
 * @param sql the statement as sent, already passed through the {@link Redactor}
 */
public record AuditEvent(String source, String decision, String mode, String user, String cluster,
    int statement, int line, String command, List<String> rules, String message, String sql) {
  public AuditEvent {
    rules = List.copyOf(rules);
  }
}
