package dev.iamguard.jdbc;

import java.util.Locale;

/**
 * The iamguard settings, as they are named in connection properties and URL arguments
 * ({@code iamguard.registry}), system properties (the same name) and environment variables
 * ({@code IAMGUARD_REGISTRY}).
 */
enum Setting {
  REGISTRY("registry", "the role registry: a file path or classpath:resource (YAML or JSON)"),
  MODE("mode", "enforce (deny = SQLException), audit (log, send anyway) or off"),
  CLUSTER("cluster", "the cluster or serverless workgroup id, when the host does not tell"),
  USER("user", "the database user to check as on targets that cannot report it (H2); elsewhere it must be the server's"),
  GROUPS("groups", "comma-separated groups of that user, on targets that cannot report them (H2)"),
  LOCAL_S3("local-s3", "a folder standing in for S3: COPY and UNLOAD are emulated there (default ./local-s3 on H2)"),
  RELOAD_INTERVAL("reload-interval", "milliseconds between checks of the registry file for changes (default 1000; 0 checks on every statement)"),
  POLICY_FILES_OUTSIDE("policy-files-outside", "true lets the registry's policy_files lie outside its folder (absolute paths, .., symbolic links); default false"),
  NAME("name", "a name for this data source, printed as the source field of every audit line"),
  AUDIT_FILE("audit-file", "a file every decision is appended to as one JSON object per line (JSON Lines)"),
  AUDIT_SINK("audit-sink", "the class name of an AuditSink (public no-argument constructor) that receives every decision as well"),
  METRICS("metrics", "false turns off the Micrometer counters iamguard.decisions and iamguard.findings (on when Micrometer is on the classpath)");

  /** The prefix of every property and URL argument iamguard reads and removes. */
  static final String PREFIX = "iamguard.";

  private final String suffix;
  private final String description;

  Setting(String suffix, String description) {
    this.suffix = suffix;
    this.description = description;
  }

  /** {@code iamguard.registry}. */
  String key() {
    return PREFIX + suffix;
  }

  /** {@code IAMGUARD_REGISTRY}. */
  String environmentVariable() {
    return "IAMGUARD_" + suffix.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  String description() {
    return description;
  }
}
