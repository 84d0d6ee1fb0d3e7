package dev.iamguard.jdbc;

import dev.iamguard.policy.registry.PolicySettings.Mode;
import dev.iamguard.audit.AuditSink;
import dev.iamguard.local.LocalS3;
import dev.iamguard.policy.Session;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Builds the policy state of a new connection from its settings, failing closed: without a
 * readable, valid registry the connection is refused (unless the mode is off), before the target
 * database is ever contacted.
 */
final class GuardFactory {
  /** Where COPY and UNLOAD read and write on H2 when {@code iamguard.local-s3} is not set. */
  static final String DEFAULT_LOCAL_S3 = "local-s3";

  private GuardFactory() {}

  /**
   * @param localByDefault true when the target is H2: COPY and UNLOAD are then emulated in
   *     {@code ./local-s3} unless {@code iamguard.local-s3} names another folder
   */
  static ConnectionPolicy create(GuardConfig config, Session session, boolean localByDefault) throws SQLException {
    return create(config, session, localByDefault, AuditSink.DEFAULT);
  }

  static ConnectionPolicy create(GuardConfig config, Session session, boolean localByDefault, AuditSink audit)
      throws SQLException {
    config.requireHonourable();
    // a mode setting overrides the registry's policy.mode; without one, the current registry decides
    Mode mode = config.mode();
    RegistryWatch registry = null;
    if (mode != Mode.OFF) {
      registry = RegistryWatch.open(registryLocation(config), config.reloadIntervalMillis(),
          config.policyFilesOutside());
    }
    String localS3 = config.get(Setting.LOCAL_S3);
    LocalS3 local = localS3 != null ? new LocalS3(Path.of(localS3))
        : localByDefault ? new LocalS3(Path.of(DEFAULT_LOCAL_S3)) : null;
    AuditSettings.Sinks sinks = mode == Mode.OFF ? AuditSettings.Sinks.of(audit) : AuditSettings.sink(config, audit);
    return new ConnectionPolicy(registry, mode, session, config.get(Setting.NAME), local, sinks, localByDefault);
  }

  private static String registryLocation(GuardConfig config) throws SQLException {
    String location = config.get(Setting.REGISTRY);
    if (location != null) {
      return location;
    }
    if (RegistryWatch.onClasspath(GuardConfig.CLASSPATH_REGISTRY)) {
      return "classpath:" + GuardConfig.CLASSPATH_REGISTRY;
    }
    throw new SQLException("iamguard: no registry, connection refused. Looked at: "
        + GuardConfig.registryLookedAt() + ". Set one of them to the registry file, or set "
        + Setting.MODE.key() + "=off to disable checking", GuardSqlStates.CONNECTION_REFUSED);
  }

  /**
   * The target connection as the guard sends to it: an H2 target reads Redshift SQL through
   * {@link H2DialectConnection} (table attributes, types, functions); any other is left as it is.
   */
  static java.sql.Connection localDialect(java.sql.Connection connection, String targetUrl) throws SQLException {
    return isLocalDatabase(targetUrl) ? H2DialectConnection.of(connection) : connection;
  }

  /** True for target URLs whose database cannot run COPY/UNLOAD itself (H2). */
  static boolean isLocalDatabase(String targetUrl) {
    return targetUrl.startsWith("jdbc:h2:");
  }
}
