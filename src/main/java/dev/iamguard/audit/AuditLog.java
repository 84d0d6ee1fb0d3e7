package dev.iamguard.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decision events on the SLF4J logger {@code dev.iamguard.audit}: DENY at WARN, REWRITE at INFO,
 * ALLOW of auth-carrying statements at DEBUG; one line each, stable {@code key=value} fields, SQL
 * always through the {@link Redactor}.
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

  /** The line for {@code event}: {@code [source] decision=.. mode=.. user=.. ... sql="..."}. */
  public static String format(AuditEvent event) {
    StringBuilder line = new StringBuilder(256);
    if (event.source() != null) {
      line.append('[').append(event.source()).append("] ");
    }
    line.append("decision=").append(event.decision())
        .append(" mode=").append(event.mode())
        .append(" user=").append(event.user())
        .append(" cluster=").append(event.cluster())
        .append(" statement=").append(event.statement())
        .append(" line=").append(event.line())
        .append(" command=").append(event.command())
        .append(" rules=").append(event.rules().isEmpty() ? "-" : String.join(",", event.rules()));
    if (event.message() != null) {
      line.append(" message=").append(quote(event.message()));
    }
    return line.append(" sql=").append(quote(shorten(Redactor.redact(event.sql())))).toString();
  }

  private static String shorten(String sql) {
    String flat = sql.replaceAll("\\s+", " ").strip();
    return flat.length() <= MAX_SQL ? flat : flat.substring(0, MAX_SQL) + "...";
  }

  private static String quote(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + '"';
  }
}
