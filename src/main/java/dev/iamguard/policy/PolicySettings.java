package dev.iamguard.policy;

/**
 * The registry's {@code policy} section.
 *
 * @param mode what the guard does with a denial
 * @param credentials which credential forms are acceptable at all
 * @param rewriteAliases whether aliases and chain names are rewritten to ARNs
 * @param rewriteDefaultRole whether {@code IAM_ROLE default} is rewritten to the cluster's role
 * @param maxChain the most roles a chain may hold (Redshift allows 10)
 * @param dynamicSql what a procedure body's dynamic SQL whose text is not constant
 *     ({@code AUTH_DYNAMIC}) does: deny it (the default) or only warn
 */
public record PolicySettings(Mode mode, Credentials credentials, boolean rewriteAliases,
    boolean rewriteDefaultRole, int maxChain, DynamicSql dynamicSql) {

  /** The most roles Redshift accepts in one chain. */
  public static final int REDSHIFT_MAX_CHAIN = 10;

  /** The settings of a registry without a {@code policy} section. */
  public static final PolicySettings DEFAULTS =
      new PolicySettings(Mode.ENFORCE, Credentials.ROLES_ONLY, true, false, REDSHIFT_MAX_CHAIN, DynamicSql.DENY);

  /** The settings with {@code dynamic_sql} at its default ({@code deny}). */
  public PolicySettings(Mode mode, Credentials credentials, boolean rewriteAliases, boolean rewriteDefaultRole,
      int maxChain) {
    this(mode, credentials, rewriteAliases, rewriteDefaultRole, maxChain, DynamicSql.DENY);
  }

  /** {@code enforce}: deny; {@code audit}: log and let through; {@code off}: do nothing. */
  public enum Mode {
    ENFORCE,
    AUDIT,
    OFF
  }

  /**
   * {@code deny}: dynamic SQL whose text is only known when the procedure runs is denied like any
   * statement that cannot be checked; {@code warn}: it is a warning, and the procedure is allowed.
   */
  public enum DynamicSql {
    DENY,
    WARN
  }

  /**
   * {@code roles-only}: IAM roles only; {@code temporary-keys}: also keys with a session token;
   * {@code any}: long-term keys too.
   */
  public enum Credentials {
    ROLES_ONLY,
    TEMPORARY_KEYS,
    ANY
  }
}
