package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Settings are honoured as written or refused (red-team review): a misspelled {@code iamguard.*}
 * name was dropped without a word, and an empty {@code iamguard.registry} hid the environment's
 * registry and took the classpath's {@code iamguard.yaml} (one with {@code mode: off} allowed what the
 * intended registry denies). Generated over every setting's name misspelled four ways, in the URL
 * and in the properties; an empty registry in each of the four places, alone and before each later
 * place naming one; an empty value of every setting before a later one.
 */
class SettingsHonouredTest {
  private static final String[] PLACES = {"url", "property", "system", "environment"};

  /** Misspellings of {@code suffix}: a letter dropped, doubled, two swapped, a dash for an underscore. */
  private static List<String> misspellings(String suffix) {
    return List.of(suffix.substring(1), suffix + suffix.charAt(suffix.length() - 1),
        suffix.charAt(1) + "" + suffix.charAt(0) + suffix.substring(2), suffix.replace('-', '_') + "s");
  }

  @Test
  void aNameNoSettingHasIsRefusedWithTheNearestOne() {
    for (Setting setting : Setting.values()) {
      String suffix = setting.key().substring(Setting.PREFIX.length());
      for (String wrong : misspellings(suffix)) {
        String name = Setting.PREFIX + wrong;
        Properties properties = new Properties();
        properties.setProperty(name.toUpperCase(Locale.ROOT), "x");
        for (GuardConfig config : List.of(GuardConfig.resolve(properties, Map.of(), k -> null, k -> null),
            GuardConfig.resolve(new Properties(), Map.of(name, "x"), k -> null, k -> null))) {
          assertThatThrownBy(config::requireHonourable).as(name)
              .isInstanceOf(SQLException.class)
              .hasMessageContaining(" is not an iamguard setting; did you mean " + setting.key() + "?")
              .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(GuardSqlStates.CONNECTION_REFUSED);
        }
      }
    }
  }

  @Test
  void theDriverRefusesAMisspelledSettingBeforeConnecting() {
    Properties properties = TestRegistry.properties("etl");
    properties.setProperty("iamguard.registery", "samples/registry.yaml");
    assertThatThrownBy(() -> DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID(), properties))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("iamguard.registery is not an iamguard setting; did you mean iamguard.registry?");
    assertThatThrownBy(() -> DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID()
        + ";iamguard.mdoe=off", TestRegistry.properties("etl")))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("iamguard.mdoe is not an iamguard setting; did you mean iamguard.mode?");
  }

  /** The settings with {@code values} placed as {@link #PLACES} names (null: not given there). */
  private static GuardConfig placed(Setting setting, String... values) {
    Map<String, String> url = new java.util.HashMap<>();
    Properties properties = new Properties();
    Map<String, String> system = new java.util.HashMap<>();
    Map<String, String> environment = new java.util.HashMap<>();
    if (values[0] != null) {
      url.put(setting.key(), values[0]);
    }
    if (values[1] != null) {
      properties.setProperty(setting.key(), values[1]);
    }
    if (values[2] != null) {
      system.put(setting.key(), values[2]);
    }
    if (values[3] != null) {
      environment.put(setting.environmentVariable(), values[3]);
    }
    return GuardConfig.resolve(properties, url, system::get, environment::get);
  }

  @Test
  void anEmptyRegistryIsRefusedUnlessALaterPlaceNamesOne() throws SQLException {
    for (int empty = 0; empty < PLACES.length; empty++) {
      for (String blank : new String[] {"", " ", "\t"}) {
        String[] values = new String[4];
        values[empty] = blank;
        GuardConfig alone = placed(Setting.REGISTRY, values);
        assertThatThrownBy(alone::requireHonourable).as(PLACES[empty])
            .hasMessageContaining("iamguard.registry is empty (")
            .hasMessageContaining("name the registry file");
        for (int later = empty + 1; later < PLACES.length; later++) {
          String[] named = values.clone();
          named[later] = "r-" + PLACES[later] + ".yaml";
          GuardConfig config = placed(Setting.REGISTRY, named);
          config.requireHonourable();
          assertThat(config.get(Setting.REGISTRY)).as(PLACES[empty] + " then " + PLACES[later])
              .isEqualTo("r-" + PLACES[later] + ".yaml");
        }
      }
    }
  }

  @Test
  void anEmptyValueOfAnySettingIsNoValue() throws SQLException {
    for (Setting setting : Setting.values()) {
      for (int empty = 0; empty < PLACES.length - 1; empty++) {
        String[] values = new String[4];
        values[empty] = "";
        values[3] = "from-environment";
        GuardConfig config = placed(setting, values);
        config.requireHonourable();
        assertThat(config.get(setting)).as(setting.key() + " empty in " + PLACES[empty]).isEqualTo("from-environment");
      }
    }
  }
}
