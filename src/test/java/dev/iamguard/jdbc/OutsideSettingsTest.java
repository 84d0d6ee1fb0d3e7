package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@link OutsideSettings} names the settings a connection takes from system properties and the
 * environment, in the order {@link GuardConfig} resolves them: for every setting, given in the URL,
 * in the properties (any case), by a system property, by an environment variable, or not at all; the
 * two together, where the system property wins; and blank in any place, which is no value.
 */
class OutsideSettingsTest {
  @Test
  void everySettingFromOutsideIsNamedWithWhereItCameFrom() {
    for (Setting setting : Setting.values()) {
      String key = setting.key();
      String variable = setting.environmentVariable();
      Map<String, String> system = Map.of(key, "s");
      Map<String, String> environment = Map.of(variable, "e");
      String url = "jdbc:iamguard:h2:mem:x";
      assertThat(of(url, new Properties(), Map.of(), Map.of())).as(key).isEmpty();
      assertThat(of(url, new Properties(), system, Map.of())).as(key)
          .containsExactly(key + "=s (system property " + key + ")");
      assertThat(of(url, new Properties(), Map.of(), environment)).as(key)
          .containsExactly(key + "=e (environment variable " + variable + ")");
      assertThat(of(url, new Properties(), system, environment)).as(key)
          .containsExactly(key + "=s (system property " + key + ")");
      // a blank value is none: the next place is looked at
      assertThat(of(url, new Properties(), Map.of(key, " "), Map.of())).as("blank: not in force").isEmpty();
      assertThat(of(url, new Properties(), Map.of(key, " "), environment)).as(key)
          .containsExactly(key + "=e (environment variable " + variable + ")");
      // given inside: nothing from outside is in force
      assertThat(of(url + ";" + key + "=u", new Properties(), system, environment)).as(key).isEmpty();
      assertThat(of(url + ";" + key + "=", new Properties(), system, environment)).as(key)
          .containsExactly(key + "=s (system property " + key + ")");
      Properties properties = new Properties();
      properties.setProperty(key.toUpperCase(java.util.Locale.ROOT), "p");
      assertThat(of(url, properties, system, environment)).as(key + " property").isEmpty();
      properties.setProperty(key.toUpperCase(java.util.Locale.ROOT), "");
      assertThat(of(url, properties, Map.of(), environment)).as(key + " blank property")
          .containsExactly(key + "=e (environment variable " + variable + ")");
    }
  }

  @Test
  void theDecisionsAgree() throws Exception {
    // what is named is what the connection resolves: the setting in force comes from there
    Properties properties = new Properties();
    Map<String, String> system = Map.of("iamguard.mode", "audit");
    Map<String, String> environment = Map.of("IAMGUARD_MODE", "off", "IAMGUARD_CLUSTER", "c1");
    GuardConfig config = GuardConfig.resolve(properties, Map.of(), system::get, environment::get);
    assertThat(of("jdbc:iamguard:h2:mem:x", properties, system, environment))
        .containsExactly("iamguard.mode=" + config.get(Setting.MODE) + " (system property iamguard.mode)",
            "iamguard.cluster=" + config.get(Setting.CLUSTER) + " (environment variable IAMGUARD_CLUSTER)");
  }

  private static java.util.List<String> of(String url, Properties properties, Map<String, String> system,
      Map<String, String> environment) {
    return OutsideSettings.of(url, properties, system::get, environment::get);
  }
}
