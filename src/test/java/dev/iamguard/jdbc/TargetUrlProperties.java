package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Whatever order and separators a URL's arguments come in, every {@code iamguard.*} argument is a
 * setting and every other one reaches the target as written. A second {@code iamguard.*} argument
 * right after a first one that opened the query ({@code ?iamguard.registry=r&iamguard.mode=enforce})
 * was neither: its {@code &} was skipped with the first argument, so the target got
 * {@code ?iamguard.mode=enforce} and the registry's {@code audit} mode held where the owner asked
 * for {@code enforce}.
 */
class TargetUrlProperties {
  /** An argument of the URL: a key, and a value or none. */
  record Argument(String key, String value) {
    boolean setting() {
      return key.toLowerCase(Locale.ROOT).startsWith("iamguard.");
    }

    String text() {
      return value == null ? key : key + "=" + value;
    }
  }

  @Property(tries = 3000)
  void queryArgumentsSplitIntoSettingsAndTheTargetsOwn(@ForAll("arguments") List<Argument> arguments) {
    String base = "redshift://h:5439/db";
    StringBuilder url = new StringBuilder("jdbc:iamguard:" + base);
    for (int i = 0; i < arguments.size(); i++) {
      url.append(i == 0 ? '?' : '&').append(arguments.get(i).text());
    }
    List<String> targets = new ArrayList<>();
    Map<String, String> settings = new LinkedHashMap<>();
    List<String> repeated = new ArrayList<>();
    for (Argument a : arguments) {
      if (!a.setting()) {
        targets.add(a.text());
      } else if (settings.put(a.key().toLowerCase(Locale.ROOT), a.value() == null ? "" : a.value()) != null
          && !repeated.contains(a.key().toLowerCase(Locale.ROOT))) {
        repeated.add(a.key().toLowerCase(Locale.ROOT));
      }
    }

    TargetUrl parsed = TargetUrl.parse(url.toString());

    assertThat(parsed.url()).isEqualTo("jdbc:" + base + (targets.isEmpty() ? "" : "?" + String.join("&", targets)));
    assertThat(parsed.settings()).containsExactlyEntriesOf(settings);
    assertThat(parsed.repeated()).isEqualTo(repeated);
  }

  @Property(tries = 1000)
  void semicolonArgumentsSplitTheSameWay(@ForAll("arguments") List<Argument> arguments) {
    String base = "h2:mem:x";
    StringBuilder url = new StringBuilder("jdbc:iamguard:" + base);
    StringBuilder target = new StringBuilder("jdbc:" + base);
    for (Argument a : arguments) {
      url.append(';').append(a.text());
      if (!a.setting()) {
        target.append(';').append(a.text());
      }
    }
    TargetUrl parsed = TargetUrl.parse(url.toString());
    assertThat(parsed.url()).isEqualTo(target.toString());
    assertThat(parsed.settings().keySet()).containsExactlyInAnyOrderElementsOf(arguments.stream()
        .filter(Argument::setting).map(a -> a.key().toLowerCase(Locale.ROOT)).distinct().toList());
  }

  @Provide
  Arbitrary<List<Argument>> arguments() {
    Arbitrary<String> keys = Arbitraries.of("iamguard.registry", "iamguard.mode", "IAMGUARD.Mode", "iamguard.user",
        "iamguard.cluster", "ssl", "user", "iamguardish", "socketFactory", "IAMGUARD.AUDIT-FILE");
    Arbitrary<String> values = Arbitraries.of("r.yaml", "enforce", "audit", "", "a=b", "c1").injectNull(0.2);
    return Combinators.combine(keys, values).as(Argument::new).list().ofMaxSize(6);
  }

  @Test
  void aSettingGivenTwiceRefusesTheConnectionNamingIt() {
    String url = "jdbc:iamguard:h2:mem:twice;iamguard.registry=" + TestRegistry.path() + ";iamguard.mode=audit;IAMGUARD.MODE=enforce";
    assertThatThrownBy(() -> DriverManager.getConnection(url, "etl", ""))
        .isInstanceOf(SQLException.class).hasMessage("iamguard: the URL gives iamguard.mode more than once; give each setting once");
  }

  @Test
  void theModeAfterTheRegistryInTheQueryIsTheModeThatHolds() {
    // the finding: an audit registry, enforce asked for in the URL right after the registry
    TargetUrl parsed = TargetUrl.parse("jdbc:iamguard:redshift://h/db?iamguard.registry=audit.yaml&iamguard.mode=enforce");
    assertThat(parsed.url()).isEqualTo("jdbc:redshift://h/db");
    assertThat(parsed.settings()).isEqualTo(Map.of("iamguard.registry", "audit.yaml", "iamguard.mode", "enforce"));
  }
}
