package dev.iamguard.audit;

import dev.iamguard.sql.SecretSpans;

/**
 * The one place that makes SQL text safe to print: every exception, log line and report that
 * shows SQL passes it through here first. Access key ids, secret keys, session tokens, CREDENTIALS
 * key values, master symmetric keys and passwords become {@value #MASK}; role ARNs, which are not
 * secrets, stay readable.
 */
public final class Redactor {
  /** What a secret value is replaced with. */
  public static final String MASK = "***";

  private Redactor() {}

  /** {@code sql} with every secret value masked; the same string when there is none. */
  public static String redact(String sql) {
    return sql == null ? null : SecretSpans.mask(sql, MASK);
  }
}
