package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazon.redshift.util.RedshiftProperties;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Every {@code iamguard.*} setting, after whichever separator and in whichever position, is found
 * and taken out of the URL, or the URL is refused; what remains the Redshift driver reads as it
 * reads the URL as written (its own {@code Driver.parseURL} is the judge). {@code ;ssl=true?iamguard.mode=enforce}
 * used to be read as one argument named {@code ssl}: the mode was neither applied nor removed
 * (review rtF).
 */
class TargetUrlPlacementTest {
  private static final Pattern LEFT_SETTING = Pattern.compile("(?i)[?&;]iamguard\\.");

  @Provide
  Arbitrary<String> urls() {
    Arbitrary<String> base = Arbitraries.of("redshift:iam://prod.abc123.us-east-1.redshift.amazonaws.com:5439/dev",
        "redshift://h:5439/dev", "redshift:iam://c:us-east-1/dev", "postgresql://h/db", "h2:mem:x");
    Arbitrary<String> argument = Arbitraries.of("ssl=true", "DbGroups=etl", "x", "iamguard.mode=enforce",
        "iamguard.registry=r.yaml", "IAMGUARD.Cluster=c1", "iamguard.mode=audit", "user=u");
    Arbitrary<String> separator = Arbitraries.of("?", "&", ";");
    Arbitrary<List<String>> pieces = Combinators.combine(separator, argument).as((s, a) -> s + a).list().ofMinSize(1).ofMaxSize(5);
    return Combinators.combine(base, pieces).as((b, p) -> "jdbc:iamguard:" + b + String.join("", p));
  }

  @Property(tries = 2000)
  void everySettingIsFoundAndTakenOutOrTheUrlRefused(@ForAll("urls") String url) throws Exception {
    TargetUrl parsed = TargetUrl.parse(url);
    String written = "jdbc:" + url.substring("jdbc:iamguard:".length());
    Statistics.collect(parsed.moved() ? "refused" : "taken out");
    if (parsed.moved()) {
      assertThat(written).as("only Redshift URLs are refused").startsWith("jdbc:redshift:");
      return;
    }
    Map<String, String> expected = new HashMap<>();
    var settings = Pattern.compile("(?i)[?&;](iamguard\\.[a-z-]+)=([^?&;]*)").matcher(written);
    while (settings.find()) {
      expected.put(settings.group(1).toLowerCase(Locale.ROOT), settings.group(2));
    }
    assertThat(parsed.settings()).as(url).isEqualTo(expected);
    assertThat(LEFT_SETTING.matcher(parsed.url()).find()).as("no setting left in " + parsed.url()).isFalse();
    if (written.startsWith("jdbc:redshift:")) {
      Map<String, String> before = driverReading(written);
      if (before != null) {
        before.keySet().removeIf(k -> k.startsWith("iamguard."));
      }
      assertThat(driverReading(parsed.url())).as("the driver reads " + parsed.url() + " as " + written).isEqualTo(before);
    }
  }

  private static Map<String, String> driverReading(String url) throws Exception {
    Properties read = com.amazon.redshift.Driver.parseURL(url, new RedshiftProperties(new Properties(), new Properties()));
    if (read == null) {
      return null;
    }
    Map<String, String> map = new HashMap<>();
    read.stringPropertyNames().forEach(n -> map.put(n, read.getProperty(n)));
    return map;
  }

  @Test
  void theReviewsCasesAreAppliedAndTakenOut() {
    String iam = "jdbc:iamguard:redshift:iam://prod.abc123.us-east-1.redshift.amazonaws.com:5439/dev";
    TargetUrl mode = TargetUrl.parse(iam + ";ssl=true?iamguard.mode=enforce");
    assertThat(mode.settings()).containsEntry("iamguard.mode", "enforce");
    assertThat(mode.moved()).isFalse();
    assertThat(mode.url()).isEqualTo("jdbc:redshift:iam://prod.abc123.us-east-1.redshift.amazonaws.com:5439/dev;ssl=true");
    assertThat(TargetUrl.parse(iam + ";ssl=true?iamguard.registry=r.yaml&DbGroups=etl").settings())
        .containsEntry("iamguard.registry", "r.yaml");
    TargetUrl plain = TargetUrl.parse("jdbc:iamguard:redshift://h:5439/dev;ssl=true?iamguard.mode=enforce");
    assertThat(plain.url()).as("the '?' still ends the database name").isEqualTo("jdbc:redshift://h:5439/dev;ssl=true?");
  }

  @Test
  void aSettingInsideAnotherArgumentsValueRefusesTheConnection() {
    String url = "jdbc:iamguard:redshift://h:5439/dev?ssl=true?iamguard.mode=off";
    assertThat(TargetUrl.parse(url).moved()).isTrue();
    assertThatThrownBy(() -> DriverManager.getConnection(url, "u", "p")).isInstanceOf(SQLException.class)
        .hasMessageContaining("put them after the '?'");
  }
}
