package dev.iamguard.policy;

import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * The guard's decision on a whole SQL text: the worst verdict of its statements (one denied
 * statement denies the text), the decision on each statement, the text to send, and the session
 * identity once the text has run.
 */
public final class Decision {
  private final Verdict verdict;
  /** The rewritten text, built on first use from {@link #source} and {@link #replacements}. */
  private String sql;
  private final String source;
  private final List<Replacement> replacements;
  private final Session sessionAfter;
  private final SqlScript unchanged;
  private List<StatementDecision> statements;

  Decision(Verdict verdict, List<StatementDecision> statements, String source, List<Replacement> replacements,
      Session sessionAfter) {
    this.verdict = verdict;
    this.statements = List.copyOf(statements);
    this.source = source;
    this.replacements = List.copyOf(replacements);
    this.sql = this.replacements.isEmpty() ? source : null;
    this.sessionAfter = sessionAfter;
    this.unchanged = null;
  }

  /** The decision on a text without any auth-related statement: built without per-statement work. */
  private Decision(SqlScript script, Session session) {
    this.verdict = Verdict.ALLOW;
    this.sql = script.source();
    this.source = script.source();
    this.replacements = List.of();
    this.sessionAfter = session;
    this.unchanged = script;
  }

  static Decision allowUnchanged(SqlScript script, Session session) {
    return new Decision(script, session);
  }

  /**
   * False when the text held no auth-related statement and no rule ran (the fast path): there is
   * nothing to audit.
   */
  public boolean inspected() {
    return unchanged == null;
  }

  /** ALLOW, REWRITE or DENY. */
  public Verdict verdict() {
    return verdict;
  }

  /** True when the text may be sent. */
  public boolean allowed() {
    return verdict != Verdict.DENY;
  }

  /** The text to send: the input with rewrites applied, every other byte unchanged. */
  public String sql() {
    String text = sql;
    if (text == null) {
      text = Replacement.apply(source, 0, source.length(), replacements);
      sql = text;
    }
    return text;
  }

  /** The session identity after the text has run (SET/RESET SESSION AUTHORIZATION). */
  public Session sessionAfter() {
    return sessionAfter;
  }

  /** The decision on every statement, in order. */
  public List<StatementDecision> statements() {
    if (statements == null) {
      List<StatementDecision> allowed = new ArrayList<>(unchanged.statements().size());
      for (SqlStatement statement : unchanged.statements()) {
        allowed.add(new StatementDecision(statement, Verdict.ALLOW, List.of(), null, List.of()));
      }
      statements = List.copyOf(allowed);
    }
    return statements;
  }

  /** Every finding of every statement, nested ones included, in order. */
  public List<Finding> findings() {
    if (unchanged != null) {
      return List.of();
    }
    List<Finding> all = new ArrayList<>();
    for (StatementDecision statement : statements) {
      all.addAll(statement.allFindings());
    }
    return all;
  }

  /** The findings that deny. */
  public List<Finding> errors() {
    return findings().stream().filter(f -> f.severity() == Severity.ERROR).toList();
  }

  @Override
  public String toString() {
    return "Decision[" + verdict + ", " + findings().size() + " findings]";
  }
}
