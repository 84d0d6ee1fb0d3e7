package dev.iamguard.jdbc;

import dev.iamguard.audit.AuditEvent;
import dev.iamguard.audit.AuditSink;
import dev.iamguard.audit.Redactor;
import dev.iamguard.local.LocalS3;
import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The policy state of one guarded connection: the registry it is checked against, the mode, the
 * session identity (which SET/RESET SESSION AUTHORIZATION changes) and the optional local S3
 * emulation. Every SQL entry point of every guarded object funnels through {@link #decide}.
 */
final class ConnectionGuard {
  private final RegistryWatch registry;
  /** The mode a connection setting names; null when the current registry's policy.mode applies. */
  private final Mode override;
  private final String name;
  private final LocalS3 local;
  private final AuditSink audit;
  private volatile Session session;
  /**
   * The last text found to hold no auth-related statement. Whether a text needs inspection
   * depends on the text alone (not the registry, not the session), and applications send the same
   * strings again and again: a repeat costs a comparison instead of a lexer pass.
   */
  private String lastClean = "";

  /**
   * @param override the mode a connection setting names, or null: then the policy.mode of the
   *     registry version in force decides, so a reloaded registry reaches open (pooled) connections
   */
  ConnectionGuard(RegistryWatch registry, Mode override, Session session, String name, LocalS3 local,
      AuditSink audit) {
    this.registry = registry;
    this.override = override;
    this.session = session;
    this.name = name;
    this.local = local;
    this.audit = audit;
  }

  /**
   * Decides on {@code sql}; in enforce mode a denial throws, in audit mode it is logged and the
   * text is sent anyway. Returns null when the text is sent as written without inspection: in
   * mode off, and for text that holds no auth-related statement (the hot path, which needs
   * neither the registry nor a Decision).
   *
   * @throws GuardDeniedException when the text is denied in enforce mode
   */
  Decision decide(String sql) throws SQLException {
    if (override == Mode.OFF) {
      return null;
    }
    if (sql == null) {
      throw new SQLException("iamguard: SQL text is null", "22004");
    }
    String clean = lastClean;
    if (sql == clean || sql.length() == clean.length() && sql.equals(clean)) {
      return null;
    }
    if (!SqlScript.needsInspection(sql)) {
      if (session.externalCatalog().tables().isEmpty()) {
        lastClean = sql;
        return null;
      }
      // an INSERT into an external table created through the guard is checked against its schema's role
    }
    Guard current = registry.current();
    Mode mode = override != null ? override : Mode.of(current.registry().settings().mode());
    if (mode == Mode.OFF) {
      return null;
    }
    Decision decision = current.inspect(sql, session);
    if (decision.inspected()) {
      audit(decision, mode);
    }
    if (!decision.allowed() && mode == Mode.ENFORCE) {
      throw new GuardDeniedException(decision);
    }
    return decision;
  }

  /**
   * True when some statement of the text is emulated on the local database instead of sent:
   * {@code decision} is what {@link #decide} returned for {@code sql}.
   */
  boolean emulates(Decision decision, String sql) {
    if (local == null) {
      return false;
    }
    if (decision == null) {
      // null means mode off, or a text without an auth-carrying statement (which emulates nothing)
      return mode() == Mode.OFF && anyEmulated(SqlScript.parse(sql).statements());
    }
    return decision.inspected()
        && anyEmulated(decision.statements().stream().map(StatementDecision::statement).toList());
  }

  private static boolean anyEmulated(List<SqlStatement> statements) {
    for (SqlStatement statement : statements) {
      if (LocalS3.emulates(statement.command())) {
        return true;
      }
    }
    return false;
  }

  /** The decision on {@code sql} without logging or throwing; null in mode off. */
  Decision preview(String sql) {
    return mode() == Mode.OFF || sql == null ? null : registry.current().inspect(sql, session);
  }

  /** The mode in force now: the setting's, else the policy.mode of the registry version last loaded. */
  Mode mode() {
    if (override != null) {
      return override;
    }
    return Mode.of(registry.latest().registry().settings().mode());
  }

  /** The text to send for {@code decision}: the rewritten text, or {@code sql} when none was made. */
  static String toSend(Decision decision, String sql) {
    return decision == null || !decision.inspected() ? sql : decision.sql();
  }

  /** Records what a successfully executed text changed: the session identity. */
  void executed(Decision decision) {
    if (decision != null && decision.inspected()) {
      if (!decision.sessionAfter().externalCatalog().equals(session.externalCatalog())) {
        lastClean = ""; // a text found clean before may now insert into a new external table
      }
      session = decision.sessionAfter();
    }
  }

  /** The local S3 emulation, or null when statements go to the database as they are. */
  LocalS3 local() {
    return local;
  }

  /** The session's cluster, or the registry's only one when the session names none. */
  private String clusterLabel() {
    if (session.cluster() != null) {
      return session.cluster();
    }
    var clusters = registry.current().registry().clusters();
    return clusters.size() == 1 ? clusters.get(0).id() : null;
  }

  private void audit(Decision decision, Mode mode) {
    for (StatementDecision statement : decision.inspectedStatements()) {
      List<Finding> findings = statement.allFindings();
      audit.record(new AuditEvent(name, statement.verdict().name(), mode.label(), session.user(),
          clusterLabel(), statement.statement().index(), statement.statement().line(),
          statement.statement().command().kind().name(),
          findings.stream().map(Finding::ruleId).distinct().toList(),
          findings.isEmpty() ? null : findings.get(0).message(), Redactor.redact(statement.sql())));
    }
  }
}
