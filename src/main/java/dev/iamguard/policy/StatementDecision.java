package dev.iamguard.policy;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.sql.Frozen;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The decision on one statement: the statement as parsed, what happens to it, why (warnings
 * included; empty for a plain ALLOW), the text as it would be sent, and the decisions on the
 * statements of a procedure body.
 */
public final class StatementDecision {
  private final SqlStatement statement;
  private final Verdict verdict;
  private final List<Finding> findings;
  /** The rewritten text, or null when the statement is sent as written (not copied until asked). */
  private final String rewritten;
  private final List<StatementDecision> nested;
  /** The auth clause's roles as resolved (aliases, chains, DEFAULT); empty when none or unresolved. */
  private final List<RoleArn> chain;
  /** Whether whoever the statement acts as may read one S3 object; null when the registry knows no such grantee. */
  private final Predicate<String> readable;

  /**
   * @param sql the text as sent when it differs from the statement's own text; null (or the
   *     same text) when it is sent as written
   */
  public StatementDecision(SqlStatement statement, Verdict verdict, List<Finding> findings, String sql,
      List<StatementDecision> nested) {
    this(statement, verdict, findings, sql, nested, List.of());
  }

  /** As above, with the roles the statement acts as ({@link #chain()}). */
  public StatementDecision(SqlStatement statement, Verdict verdict, List<Finding> findings, String sql,
      List<StatementDecision> nested, List<RoleArn> chain) {
    this(statement, verdict, findings, sql, nested, chain, null);
  }

  /**
   * As above, with whether whoever the statement acts as may read one S3 object
   * ({@link #mayRead}); null when the registry knows no such grantee.
   */
  public StatementDecision(SqlStatement statement, Verdict verdict, List<Finding> findings, String sql,
      List<StatementDecision> nested, List<RoleArn> chain, Predicate<String> readable) {
    this.readable = readable;
    this.chain = Frozen.copy(chain);
    this.statement = statement;
    this.verdict = verdict;
    this.findings = Frozen.copy(findings);
    this.rewritten = sql;
    this.nested = Frozen.copy(nested);
  }

  /** The roles the statement acts as, resolved; what an external schema created by it will use. */
  List<RoleArn> chain() {
    return chain;
  }

  /**
   * True when the role (or keys) the statement acts as may read the one object {@code s3Uri} under
   * the registry, as the statement's own locations were judged: what a COPY manifest lists, which
   * the guard never sees (AWS checks it when the COPY runs; the local emulation asks here). True
   * when the registry knows no grantee for the statement: its own locations were not judged either.
   */
  public boolean mayRead(String s3Uri) {
    return readable == null || readable.test(s3Uri);
  }

  /** The statement as parsed. */
  public SqlStatement statement() {
    return statement;
  }

  /** ALLOW, REWRITE or DENY. */
  public Verdict verdict() {
    return verdict;
  }

  /** Why, warnings included; empty for a plain ALLOW. */
  public List<Finding> findings() {
    return findings;
  }

  /**
   * The statement text as it would be sent: rewritten when REWRITE. Secrets are not masked: pass
   * it through the audit Redactor before printing.
   */
  public String sql() {
    return rewritten != null ? rewritten : statement.text();
  }

  /** Decisions on the statements of a procedure body. */
  public List<StatementDecision> nested() {
    return nested;
  }

  /** The findings of this statement and of the statements nested in it. */
  public List<Finding> allFindings() {
    if (nested.isEmpty()) {
      return findings;
    }
    List<Finding> all = new ArrayList<>(findings);
    for (StatementDecision inner : nested) {
      all.addAll(inner.allFindings());
    }
    return all;
  }

  @Override
  public String toString() {
    return "StatementDecision[" + statement + ", " + verdict + ", " + findings.size() + " findings]";
  }

  /** How messages name a statement: "statement 2 (line 7, UNLOAD)". */
  public static String where(SqlStatement statement, String outer) {
    String self = "statement " + statement.index() + " (line " + statement.line() + ", "
        + statement.command().kind() + ")";
    return outer == null ? self : self + " of the body of " + outer;
  }
}
