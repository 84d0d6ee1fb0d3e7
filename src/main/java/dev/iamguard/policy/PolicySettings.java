package dev.iamguard.policy;

/**
 * The registry's {@code policy} section.
 *
 * @param mode what the guard does with a denial
 * @param credentials which credential forms are acceptable at all
 * @param rewriteAliases whether aliases and chain names are rewritten to ARNs
 * @param rewriteDefaultRole whether {@code IAM_ROLE default} is rewritten to the cluster's role
 * @param maxChain the most roles a chain may hold (Redshift allows 10)
 */
public record PolicySettings(Mode mode, Credentials credentials, boolean rewriteAliases,
    boolean rewriteDefaultRole, int maxChain) {

  /** The most roles Redshift accepts in one chain. */
  public static final int REDSHIFT_MAX_CHAIN = 10;

  /** The settings of a registry without a {@code policy} section. */
  public static final PolicySettings DEFAULTS =
      new PolicySettings(Mode.ENFORCE, Credentials.ROLES_ONLY, true, false, REDSHIFT_MAX_CHAIN);

  /** {@code enforce}: deny; {@code audit}: log and let through; {@code off}: do nothing. */
  public enum Mode {
    ENFORCE,
    AUDIT,
    OFF
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
