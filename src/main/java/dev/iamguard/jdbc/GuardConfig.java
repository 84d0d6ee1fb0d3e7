package dev.iamguard.jdbc;

import dev.iamguard.policy.registry.PolicySettings.Mode;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The iamguard settings of one connection, resolved in the order DESIGN.md gives: connection
 * properties and URL arguments named {@code iamguard.*}, then system properties, then environment
 * variables ({@code IAMGUARD_REGISTRY}, ...); the registry itself falls back to a classpath
 * resource {@code iamguard.yaml}.
 */
final class GuardConfig {
  /** The classpath resource used as the registry when no setting names one. */
  static final String CLASSPATH_REGISTRY = "iamguard.yaml";

  private final Map<Setting, String> values;

  private GuardConfig(Map<Setting, String> values) {
    this.values = values;
  }

  /**
   * Resolves every setting; {@code explicit} holds the {@code iamguard.*} connection properties
   * and URL arguments (URL arguments win over properties with the same name).
   */
  static GuardConfig resolve(Properties properties, Map<String, String> urlSettings,
      Function<String, String> systemProperties, Function<String, String> environment) {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    for (Setting setting : Setting.values()) {
      String value = urlSettings.get(setting.key());
      if (value == null) {
        value = property(properties, setting.key());
      }
      if (value == null) {
        value = systemProperties.apply(setting.key());
      }
      if (value == null) {
        value = environment.apply(setting.environmentVariable());
      }
      if (value != null && !value.isBlank()) {
        values.put(setting, value.strip());
      }
    }
    return new GuardConfig(values);
  }

  /** Resolves against the real system properties and environment. */
  static GuardConfig resolve(Properties properties, Map<String, String> urlSettings) {
    return resolve(properties, urlSettings, System::getProperty, System::getenv);
  }

  /** A property by name, ignoring case (Redshift treats property names case-insensitively). */
  static String property(Properties properties, String key) {
    if (properties == null) {
      return null;
    }
    String exact = properties.getProperty(key);
    if (exact != null) {
      return exact;
    }
    for (String name : properties.stringPropertyNames()) {
      if (name.equalsIgnoreCase(key)) {
        return properties.getProperty(name);
      }
    }
    return null;
  }

  /** A copy of {@code properties} without the {@code iamguard.*} entries: what the target sees. */
  static Properties withoutSettings(Properties properties) {
    Properties copy = new Properties();
    if (properties != null) {
      for (String name : properties.stringPropertyNames()) {
        if (!name.toLowerCase(Locale.ROOT).startsWith(Setting.PREFIX)) {
          copy.setProperty(name, properties.getProperty(name));
        }
      }
    }
    return copy;
  }

  String get(Setting setting) {
    return values.get(setting);
  }

  /** How a setting (and the registry's {@code policy.mode}) writes {@code mode}: {@code enforce}, ... */
  static String modeName(Mode mode) {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  /** The mode named by a setting, or null when none names one (the registry's policy.mode applies). */
  Mode mode() throws java.sql.SQLException {
    String mode = values.get(Setting.MODE);
    if (mode == null) {
      return null;
    }
    for (Mode parsed : Mode.values()) {
      if (parsed.name().equalsIgnoreCase(mode.strip())) {
        return parsed;
      }
    }
    throw new java.sql.SQLException("iamguard: " + Setting.MODE.key() + "=" + mode
        + " is not a mode; use enforce, audit or off", GuardSqlStates.CONNECTION_REFUSED);
  }

  /** Where the registry's policy_files may lie: inside its folder unless the setting is {@code true}. */
  dev.iamguard.policy.registry.PolicyFileScope policyFilesOutside() throws java.sql.SQLException {
    String value = values.get(Setting.POLICY_FILES_OUTSIDE);
    if (value == null || value.equalsIgnoreCase("false")) {
      return dev.iamguard.policy.registry.PolicyFileScope.REGISTRY_FOLDER;
    }
    if (value.equalsIgnoreCase("true")) {
      return dev.iamguard.policy.registry.PolicyFileScope.ANYWHERE;
    }
    throw new java.sql.SQLException("iamguard: " + Setting.POLICY_FILES_OUTSIDE.key() + "=" + value
        + " is not true or false", GuardSqlStates.CONNECTION_REFUSED);
  }

  long reloadIntervalMillis() throws java.sql.SQLException {
    String interval = values.get(Setting.RELOAD_INTERVAL);
    if (interval == null) {
      return 1000;
    }
    try {
      long millis = Long.parseLong(interval);
      if (millis >= 0) {
        return millis;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new java.sql.SQLException("iamguard: " + Setting.RELOAD_INTERVAL.key() + "=" + interval
        + " is not a number of milliseconds", GuardSqlStates.CONNECTION_REFUSED);
  }

  /** Where a missing registry was looked for, for the message that refuses the connection. */
  static String registryLookedAt() {
    return "connection property or URL argument " + Setting.REGISTRY.key() + ", system property "
        + Setting.REGISTRY.key() + ", environment variable " + Setting.REGISTRY.environmentVariable()
        + ", classpath resource " + CLASSPATH_REGISTRY;
  }
}
