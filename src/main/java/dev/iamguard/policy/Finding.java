package dev.iamguard.policy;

import dev.iamguard.sql.SecretText;

/**
 * One reason for a decision.
 *
 * @param rule the rule that fired
 * @param message the whole sentence for people: starts with {@code iamguard:}, names the rule,
 *     the statement (number, line, command), the offending role or resource, and the remedy
 * @param subject the offending role, resource or clause on its own (never a secret)
 * @param remedy what to change
 * @param offset source offset in the statement's source where the problem is
 * @param severity whether it denies: the rule's own severity unless a registry switch changed it
 *     ({@code policy.copy_job_run}, {@code policy.unknown_external_schema}, {@code policy.dynamic_sql})
 * @param role the ARN of the role whose permissions the finding judges, as resolved, when the subject
 *     names something else (a location, source, function or catalog database that the role may not
 *     use); null otherwise. An alias, {@code IAM_ROLE DEFAULT} or an external schema's role may
 *     resolve to another role once the registry changes, with the statement's text and the subject
 *     the same: what tells the findings apart (the command line's baseline fingerprint).
 */
public record Finding(RuleId rule, String message, String subject, String remedy, int offset, Severity severity,
    String role) {
  /**
   * Whatever a rule quotes, a credential-shaped piece or a location's user info never reaches a
   * report ({@link SecretText}; a location's partition folders, {@code /token=2026-01/}, are no
   * secrets: probe 21d F6): the parser masks what it reads, this is the net under it.
   */
  public Finding {
    message = SecretText.masked(message);
    subject = SecretText.masked(subject);
    remedy = SecretText.masked(remedy);
  }

  /** A finding that names no role apart from its subject. */
  public Finding(RuleId rule, String message, String subject, String remedy, int offset, Severity severity) {
    this(rule, message, subject, remedy, offset, severity, null);
  }


  /** A finding with the rule's own severity. */
  public Finding(RuleId rule, String message, String subject, String remedy, int offset) {
    this(rule, message, subject, remedy, offset, rule.severity());
  }

  /** This finding about the permissions of role {@code role} (an ARN; null: none apart from the subject). */
  public Finding withRole(String role) {
    return new Finding(rule, message, subject, remedy, offset, severity, role);
  }

  /** The rule's stable id, e.g. {@code S3_NOT_PERMITTED}. */
  public String ruleId() {
    return rule.name();
  }
}
