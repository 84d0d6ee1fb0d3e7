package dev.iamguard.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The iamguard settings a connection would take from outside its URL and properties: system
 * properties and environment variables. A tool that connects on its user's behalf says which, since
 * an ambient {@code IAMGUARD_MODE=off} or {@code IAMGUARD_GROUPS} in a pipeline's environment
 * changes every decision without a word on its command line (red-team review: {@code iamguard run}
 * sent a denied UNLOAD and printed it as allowed).
 */
public final class OutsideSettings {
  private OutsideSettings() {}

  /**
   * Each setting that connecting to {@code url} with {@code properties} takes from a system property
   * or an environment variable, as {@code iamguard.mode=off (environment variable IAMGUARD_MODE)};
   * empty when the URL and the properties give them all or none is set outside.
   */
  public static List<String> of(String url, Properties properties) {
    return of(url, properties, System::getProperty, System::getenv);
  }

  static List<String> of(String url, Properties properties, Function<String, String> systemProperties,
      Function<String, String> environment) {
    TargetUrl target = url == null ? null : TargetUrl.parse(url);
    // resolved as the connection resolves them: what came from outside is what it takes from there
    GuardConfig config = GuardConfig.resolve(properties, target == null ? Map.of() : target.settings(),
        systemProperties, environment);
    List<String> outside = new ArrayList<>(0);
    for (Setting setting : Setting.values()) {
      int place = config.place(setting);
      if (place == GuardConfig.SYSTEM || place == GuardConfig.ENVIRONMENT) {
        outside.add(setting.key() + "=" + config.get(setting) + " (" + (place == GuardConfig.SYSTEM
            ? "system property " + setting.key() : "environment variable " + setting.environmentVariable()) + ")");
      }
    }
    return outside;
  }
}
