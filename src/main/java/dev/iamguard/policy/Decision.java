package dev.iamguard.policy;

import dev.iamguard.sql.Frozen;
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
  private final SqlScript script;
  /** Decisions on the statements that needed one, in order; the others are ALLOW as written. */
  private final List<StatementDecision> inspected;
  private final boolean fastPath;
  /** The rewritten text, built on first use from the script and {@link #replacements}. */
  private String sql;
  private final List<Replacement> replacements;
  private final Session sessionAfter;
  private volatile List<StatementDecision> statements;

  Decision(Verdict verdict, SqlScript script, List<StatementDecision> inspected, List<Replacement> replacements,
      Session sessionAfter) {
    this.verdict = verdict;
    this.script = script;
    this.inspected = Frozen.copy(inspected);
    this.replacements = Frozen.copy(replacements);
    this.sql = this.replacements.isEmpty() ? script.source() : null;
    this.sessionAfter = sessionAfter;
    this.fastPath = false;
  }

  /** The decision on a text without any auth-related statement: built without per-statement work. */
  private Decision(SqlScript script, Session session) {
    this.verdict = Verdict.ALLOW;
    this.script = script;
    this.inspected = List.of();
    this.sql = script.source();
    this.replacements = List.of();
    this.sessionAfter = session;
    this.fastPath = true;
  }

  static Decision allowUnchanged(SqlScript script, Session session) {
    return new Decision(script, session);
  }

  /**
   * False when the text held no auth-related statement and no rule ran (the fast path): there is
   * nothing to audit.
   */
  public boolean inspected() {
    return !fastPath;
  }

  /** ALLOW, REWRITE or DENY. */
  public Verdict verdict() {
    return verdict;
  }

  /** True when the text may be sent. */
  public boolean allowed() {
    return verdict != Verdict.DENY;
  }

  /** True when a statement was rewritten: {@link #sql()} differs from the text decided on. */
  public boolean rewritten() {
    return !replacements.isEmpty();
  }

  /** The text to send: the input with rewrites applied, every other byte unchanged. */
  public String sql() {
    String text = sql;
    if (text == null) {
      String source = script.source();
      text = Replacement.apply(source, 0, source.length(), replacements);
      sql = text;
    }
    return text;
  }

  /** What the text's statements may do to the session they run in ({@link dev.iamguard.sql.SessionEffects} bits). */
  public int sessionEffects() {
    return script.effects();
  }

  /** The session identity after the text has run (SET/RESET SESSION AUTHORIZATION). */
  public Session sessionAfter() {
    return sessionAfter;
  }

  /** The decisions on the statements that needed one (auth-carrying or with problems), in order. */
  public List<StatementDecision> inspectedStatements() {
    return inspected;
  }

  /** The decision on every statement, in order (built on first use). */
  public List<StatementDecision> statements() {
    List<StatementDecision> all = statements;
    if (all == null) {
      List<SqlStatement> every = script.statements();
      List<StatementDecision> built = new ArrayList<>(every.size());
      int next = 0;
      for (SqlStatement statement : every) {
        // an INSERT into a known external table was inspected as a copy read as such: same place
        if (next < inspected.size() && inspected.get(next).statement().start() == statement.start()
            && inspected.get(next).statement().source() == statement.source()) {
          built.add(inspected.get(next++));
        } else {
          built.add(new StatementDecision(statement, Verdict.ALLOW, List.of(), null, List.of()));
        }
      }
      all = List.copyOf(built);
      statements = all;
    }
    return all;
  }

  /** Every finding of every statement, nested ones included, in order. */
  public List<Finding> findings() {
    List<Finding> all = new ArrayList<>();
    for (StatementDecision statement : inspected) {
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
