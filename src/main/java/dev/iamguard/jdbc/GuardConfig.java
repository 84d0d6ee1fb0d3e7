package dev.iamguard.jdbc;

import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.registry.PolicySettings.Mode;
import dev.iamguard.sql.Spelling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
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

  /** Where a value was found: the index of {@link #URL}, ..., {@link #ENVIRONMENT}, in the order looked at. */
  static final int URL = 0;
  static final int PROPERTY = 1;
  static final int SYSTEM = 2;
  static final int ENVIRONMENT = 3;

  private final Map<Setting, String> values;
  private final Map<Setting, Integer> places;
  /** Why the settings cannot be honoured (a name that is no setting, an empty registry), or null. */
  private final String refusal;

  private GuardConfig(Map<Setting, String> values, Map<Setting, Integer> places, String refusal) {
    this.values = values;
    this.places = places;
    this.refusal = refusal;
  }

  /**
   * Resolves every setting; {@code explicit} holds the {@code iamguard.*} connection properties
   * and URL arguments (URL arguments win over properties with the same name). A blank value is no
   * value: the next place is looked at ({@code ?iamguard.registry=}, an unresolved placeholder, hid
   * the environment's registry and took the classpath's: red-team review).
   */
  static GuardConfig resolve(Properties properties, Map<String, String> urlSettings,
      Function<String, String> systemProperties, Function<String, String> environment) {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    Map<Setting, Integer> places = new EnumMap<>(Setting.class);
    String blankRegistry = null;
    for (Setting setting : Setting.values()) {
      String[] found = {urlSettings.get(setting.key()), property(properties, setting.key()),
          systemProperties.apply(setting.key()), environment.apply(setting.environmentVariable())};
      for (int i = 0; i < found.length; i++) {
        if (found[i] != null && !found[i].isBlank()) {
          values.put(setting, found[i].strip());
          places.put(setting, i);
          break;
        }
        if (found[i] != null && setting == Setting.REGISTRY && blankRegistry == null) {
          blankRegistry = PLACES[i];
        }
      }
    }
    String refusal = unknownNames(properties, urlSettings);
    if (refusal == null && blankRegistry != null && !values.containsKey(Setting.REGISTRY)) {
      // not the classpath's iamguard.yaml: whoever wrote the setting meant a registry of their own
      refusal = "iamguard: " + Setting.REGISTRY.key() + " is empty (" + blankRegistry + "); name the registry file"
          + " or classpath resource, or leave the setting out";
    }
    return new GuardConfig(values, places, refusal);
  }

  /** Where a setting's value was found, in the order they are looked at. */
  private static final String[] PLACES = {"URL argument", "connection property", "system property",
      "environment variable " + Setting.REGISTRY.environmentVariable()};

  /** The refusal of {@code iamguard.*} names no setting has (a misspelling was ignored without a word), or null. */
  private static String unknownNames(Properties properties, Map<String, String> urlSettings) {
    List<String> names = new ArrayList<>(urlSettings.keySet());
    if (properties != null) {
      names.addAll(properties.stringPropertyNames());
    }
    List<String> suffixes = Arrays.stream(Setting.values()).map(s -> s.key().substring(Setting.PREFIX.length())).toList();
    for (String name : names) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith(Setting.PREFIX) && !suffixes.contains(lower.substring(Setting.PREFIX.length()))) {
        return "iamguard: " + name + " is not an iamguard setting" + Spelling.nearest(
            lower.substring(Setting.PREFIX.length()), suffixes).map(k -> "; did you mean " + Setting.PREFIX + k + "?")
            .orElse("; the settings are " + Setting.PREFIX + String.join(", " + Setting.PREFIX, suffixes));
      }
    }
    return null;
  }

  /**
   * Refuses settings that cannot be honoured as given: a name starting with {@code iamguard.} that
   * no setting has, or a registry setting that is empty with none other naming a registry.
   */
  void requireHonourable() throws java.sql.SQLException {
    if (refusal != null) {
      throw new java.sql.SQLException(Redactor.redactMessage(refusal), GuardSqlStates.CONNECTION_REFUSED);
    }
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

  /** Where the value of {@code setting} was found ({@link #URL} ... {@link #ENVIRONMENT}), or -1 without one. */
  int place(Setting setting) {
    return places.getOrDefault(setting, -1);
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
