package dev.iamguard.audit;

import dev.iamguard.sql.LineText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decision events on the SLF4J logger {@code dev.iamguard.audit}: DENY at WARN, REWRITE at INFO,
 * ALLOW of auth-carrying statements at DEBUG; one line each, stable {@code key="value"} fields
 * (quoted and escaped, see {@link #format}), SQL always through the {@link Redactor}.
 */
public final class AuditLog {
  /** The logger name applications configure. */
  public static final String LOGGER = "dev.iamguard.audit";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final int MAX_SQL = 500;

  private AuditLog() {}

  /** Logs one event at the level its decision calls for. */
  public static void record(AuditEvent event) {
    switch (event.decision()) {
      case "DENY" -> {
        if (LOG.isWarnEnabled()) {
          LOG.warn(format(event));
        }
      }
      case "REWRITE" -> {
        if (LOG.isInfoEnabled()) {
          LOG.info(format(event));
        }
      }
      default -> {
        if (LOG.isDebugEnabled()) {
          LOG.debug(format(event));
        }
      }
    }
  }

  /**
   * The line for {@code event}: {@code source="..." decision="DENY" mode="enforce" user="..."
   * cluster="..." statement="1" line="3" command="COPY" rules="ROLE_UNKNOWN" message="..."
   * sql="..."}. Every value is quoted and escaped ({@link LineText#quote}): a user name, a literal
   * or a message can neither end the line nor imitate another field, so one decision is always
   * exactly one line. {@code source} is left out without a data source name, {@code message}
   * without findings; an absent cluster is {@code ""}.
   */
  public static String format(AuditEvent event) {
    StringBuilder line = new StringBuilder(256);
    if (event.source() != null) {
      field(line, "source", event.source());
    }
    field(line, "decision", event.decision());
    field(line, "mode", event.mode());
    field(line, "user", event.user());
    field(line, "cluster", event.cluster() == null ? "" : event.cluster());
    field(line, "statement", Integer.toString(event.statement()));
    field(line, "line", Integer.toString(event.line()));
    field(line, "command", event.command());
    field(line, "rules", String.join(",", event.rules()));
    if (event.message() != null) {
      field(line, "message", event.message());
    }
    field(line, "sql", sqlValue(event));
    return line.toString();
  }

  /** The {@code sql} value of an event's line: redacted, whitespace runs as one space, cut at 500 characters. */
  static String sqlValue(AuditEvent event) {
    return shorten(Redactor.redactAlone(event.sql())); // a sink's own event too
  }

  private static void field(StringBuilder line, String key, String value) {
    if (!line.isEmpty()) {
      line.append(' ');
    }
    line.append(key).append('=').append(LineText.quote(value));
  }

  private static String shorten(String sql) {
    String flat = sql.replaceAll("\\s+", " ").strip();
    return flat.length() <= MAX_SQL ? flat : flat.substring(0, MAX_SQL) + "...";
  }
}
