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
    Map<String, String> urlSettings = target == null ? Map.of() : target.settings();
    List<String> outside = new ArrayList<>(0);
    for (Setting setting : Setting.values()) {
      // the order GuardConfig resolves them in; a blank value is none
      if (given(urlSettings.get(setting.key())) || given(GuardConfig.property(properties, setting.key()))) {
        continue;
      }
      String value = systemProperties.apply(setting.key());
      String where = "system property " + setting.key();
      if (!given(value)) {
        value = environment.apply(setting.environmentVariable());
        where = "environment variable " + setting.environmentVariable();
      }
      if (given(value)) {
        outside.add(setting.key() + "=" + value.strip() + " (" + where + ")");
      }
    }
    return outside;
  }

  private static boolean given(String value) {
    return value != null && !value.isBlank();
  }
}
