package dev.iamguard.policy.registry;

import java.util.List;

/**
 * The registry's {@code policy} section.
 *
 * @param mode what the guard does with a denial
 * @param credentials which credential forms are acceptable at all
 * @param rewriteAliases whether aliases and chain names are rewritten to ARNs
 * @param rewriteDefaultRole whether {@code IAM_ROLE default} is rewritten to the cluster's role
 * @param maxChain the most roles a chain may hold (Redshift allows 10)
 * @param sessionRole whether {@code IAM_ROLE 'SESSION'} (and {@code CATALOG_ROLE 'SESSION'}) may
 *     be used: the guard cannot see the federated caller's own permissions ({@code session_role})
 * @param copyJobRun what {@code COPY JOB RUN} gets: a warning, or a denial ({@code copy_job_run})
 * @param unknownExternalSchema what an external table location gets when the registry does not
 *     know its schema's role: a warning, or a denial ({@code unknown_external_schema})
 * @param keys the resources key-based credentials may touch ({@code keys}); none by default
 * @param dynamicSql what a procedure body's dynamic SQL whose text is not constant
 *     ({@code AUTH_DYNAMIC}) gets: a denial (the default) or only a warning ({@code dynamic_sql})
 */
public record PolicySettings(Mode mode, Credentials credentials, boolean rewriteAliases,
    boolean rewriteDefaultRole, int maxChain, Switch sessionRole, Switch copyJobRun,
    Switch unknownExternalSchema, KeyGrants keys, DynamicSql dynamicSql) {

  /** The most roles Redshift accepts in one chain. */
  public static final int REDSHIFT_MAX_CHAIN = 10;

  /** The settings of a registry without a {@code policy} section. */
  public static final PolicySettings DEFAULTS =
      new PolicySettings(Mode.ENFORCE, Credentials.ROLES_ONLY, true, false, REDSHIFT_MAX_CHAIN);

  /** The first five settings, every later one at its default. */
  public PolicySettings(Mode mode, Credentials credentials, boolean rewriteAliases, boolean rewriteDefaultRole,
      int maxChain) {
    this(mode, credentials, rewriteAliases, rewriteDefaultRole, maxChain, Switch.DENY, Switch.WARN, Switch.WARN,
        KeyGrants.NONE, DynamicSql.DENY);
  }

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

  /**
   * {@code deny}: dynamic SQL whose text is only known when the procedure runs is denied like any
   * statement that cannot be checked; {@code warn}: it is a warning, and the procedure is allowed.
   * There is no {@code allow}: such a procedure is never let through silently.
   */
  public enum DynamicSql {
    DENY,
    WARN
  }

  /** How the guard treats something it cannot verify: let it through, warn, or deny. */
  public enum Switch {
    ALLOW,
    WARN,
    DENY
  }

  /**
   * What key-based credentials may touch ({@code policy.keys}): keys name no role, so the registry
   * states their resources here. Empty lists deny every location of that kind.
   *
   * @param s3Read locations COPY and CREATE LIBRARY may read with keys
   * @param s3Write locations UNLOAD may write with keys
   * @param dynamodbTables DynamoDB tables COPY may read with keys
   * @param emrClusters EMR clusters COPY may read with keys
   */
  public record KeyGrants(List<S3Prefix> s3Read, List<S3Prefix> s3Write, List<String> dynamodbTables,
      List<String> emrClusters) {
    /** No resource at all: the default. */
    public static final KeyGrants NONE = new KeyGrants(List.of(), List.of(), List.of(), List.of());

    public KeyGrants {
      s3Read = S3PrefixList.of(s3Read);
      s3Write = S3PrefixList.of(s3Write);
      dynamodbTables = NameList.of(dynamodbTables);
      emrClusters = NameList.of(emrClusters);
    }
  }
}
