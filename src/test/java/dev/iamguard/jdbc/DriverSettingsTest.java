package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.policy.registry.PolicySettings.Mode;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings, modes and the fail-closed cases of the driver. */
class DriverSettingsTest {
  static final String GRANT_BAD_ARN = "GRANT ASSUMEROLE ON 'not-an-arn' TO etl FOR COPY";

  @TempDir
  Path dir;

  @Test
  void acceptsOnlyIamguardUrlsWithATargetDriver() throws SQLException {
    Driver driver = new Driver();
    assertThat(driver.acceptsURL("jdbc:iamguard:h2:mem:x")).isTrue();
    assertThat(driver.acceptsURL("jdbc:h2:mem:x")).isFalse();
    assertThat(driver.acceptsURL("jdbc:iamguard:nosuchdb://x")).isFalse();
    assertThat(driver.acceptsURL("jdbc:iamguard:iamguard:h2:mem:x")).isFalse();
    assertThat(driver.acceptsURL(null)).isFalse();
    assertThat(driver.connect("jdbc:h2:mem:x", new Properties())).isNull();
    assertThat(DriverManager.getDriver("jdbc:iamguard:h2:mem:x")).isInstanceOf(Driver.class);
  }

  @Test
  void onlyTheLeadingPrefixAndOnlyIamguardArgumentsAreRemoved() {
    TargetUrl redshift = TargetUrl.parse(
        "jdbc:iamguard:redshift://h:5439/iamguard?iamguard.registry=r.yaml&ssl=true&IAMGUARD.MODE=audit");
    assertThat(redshift.url()).isEqualTo("jdbc:redshift://h:5439/iamguard?ssl=true");
    assertThat(redshift.settings()).containsExactly(Map.entry("iamguard.registry", "r.yaml"), Map.entry("iamguard.mode", "audit"));
    TargetUrl h2 = TargetUrl.parse("jdbc:iamguard:h2:mem:iamguard:x;iamguard.mode=off;DB_CLOSE_DELAY=-1");
    assertThat(h2.url()).isEqualTo("jdbc:h2:mem:iamguard:x;DB_CLOSE_DELAY=-1");
    assertThat(TargetUrl.parse("jdbc:iamguard:redshift://h/db?iamguard.cluster=c").url()).isEqualTo("jdbc:redshift://h/db");
    assertThat(TargetUrl.parse("jdbc:redshift://h/db")).isNull();
  }

  @Test
  void settingsInTheUrlNeverReachTheTarget() throws SQLException {
    // H2 refuses settings it does not know, so connecting proves they were removed
    String url = "jdbc:iamguard:h2:mem:urlsettings;iamguard.registry=" + TestRegistry.path() + ";iamguard.mode=enforce";
    Properties properties = new Properties();
    properties.setProperty("user", "etl");
    properties.setProperty("iamguard.cluster", "dev-cluster");
    try (Connection connection = DriverManager.getConnection(url, properties)) {
      assertThatThrownBy(() -> connection.createStatement().execute(TestRegistry.DENIED)).isInstanceOf(GuardDeniedException.class);
    }
  }

  @Test
  void precedenceIsUrlThenPropertiesThenSystemThenEnvironment() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("iamguard.mode", "audit");
    properties.setProperty("iamguard.cluster", "from-properties");
    Map<String, String> system = Map.of("iamguard.mode", "off", "iamguard.cluster", "from-system", "iamguard.user", "system-user");
    Map<String, String> environment = Map.of("IAMGUARD_MODE", "off", "IAMGUARD_USER", "env-user", "IAMGUARD_GROUPS", "a,b");
    GuardConfig config = GuardConfig.resolve(properties, Map.of("iamguard.mode", "enforce"), system::get, environment::get);
    assertThat(config.mode()).isEqualTo(Mode.ENFORCE);
    assertThat(config.get(Setting.CLUSTER)).isEqualTo("from-properties");
    assertThat(config.get(Setting.USER)).isEqualTo("system-user");
    assertThat(config.get(Setting.GROUPS)).isEqualTo("a,b");
    assertThat(config.get(Setting.REGISTRY)).isNull();
  }

  @Test
  void noRegistryRefusesTheConnectionAndSaysWhereItLooked() {
    Properties properties = new Properties();
    properties.setProperty("user", "etl");
    assertThatThrownBy(() -> DriverManager.getConnection("jdbc:iamguard:h2:mem:noregistry", properties))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("no registry, connection refused")
        .hasMessageContaining("iamguard.registry").hasMessageContaining("IAMGUARD_REGISTRY")
        .hasMessageContaining("classpath resource iamguard.yaml").hasMessageContaining("iamguard.mode=off")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
  }

  @Test
  void anInvalidOrMissingRegistryRefusesTheConnection() throws IOException {
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "version: 1\nclusters:\n  - id: c\n    acount: \"123456789012\"\n");
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", broken.toString());
    assertThatThrownBy(() -> DriverManager.getConnection("jdbc:iamguard:h2:mem:broken", properties))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("registry has errors, connection refused")
        .hasMessageContaining("broken.yaml:4")
        .hasMessageContaining("did you mean \"account\"");
    properties.setProperty("iamguard.registry", dir.resolve("missing.yaml").toString());
    assertThatThrownBy(() -> DriverManager.getConnection("jdbc:iamguard:h2:mem:missing", properties))
        .isInstanceOf(SQLException.class).hasMessageContaining("missing.yaml");
  }

  @Test
  void anUnknownModeIsRefused() {
    Properties properties = TestRegistry.properties("etl");
    properties.setProperty("iamguard.mode", "relaxed");
    assertThatThrownBy(() -> DriverManager.getConnection("jdbc:iamguard:h2:mem:mode", properties))
        .isInstanceOf(SQLException.class).hasMessageContaining("iamguard.mode=relaxed is not a mode");
  }

  @Test
  void enforceDeniesAuditSendsAnywayOffInspectsNothing() throws SQLException {
    for (String mode : new String[] {"enforce", "audit", "off"}) {
      Properties properties = TestRegistry.properties("etl");
      properties.setProperty("iamguard.mode", mode);
      properties.setProperty("iamguard.local-s3", dir.toString());
      try (Connection connection = DriverManager.getConnection(TestRegistry.h2Url(), properties);
          Statement statement = connection.createStatement()) {
        if (mode.equals("enforce")) {
          assertThatThrownBy(() -> statement.execute(GRANT_BAD_ARN)).isInstanceOf(GuardDeniedException.class)
              .hasMessageContaining("ARN_MALFORMED");
        } else {
          statement.execute(GRANT_BAD_ARN); // recorded by the local emulation, not refused
          assertThat(statement.getUpdateCount()).isZero();
        }
      }
    }
  }

  @Test
  void modeOffNeedsNoRegistry() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("iamguard.mode", "off");
    try (Connection connection = DriverManager.getConnection("jdbc:iamguard:h2:mem:off", properties)) {
      assertThat(connection.createStatement().execute("SELECT 1")).isTrue();
    }
  }

  @Test
  void theRegistryFallsBackToAClasspathIamguardYaml() throws IOException, SQLException {
    Files.copy(TestRegistry.path(), dir.resolve("iamguard.yaml"));
    ClassLoader saved = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, saved)) {
      Thread.currentThread().setContextClassLoader(loader);
      Properties properties = new Properties();
      properties.setProperty("user", "etl");
      try (Connection connection = DriverManager.getConnection("jdbc:iamguard:h2:mem:classpath", properties)) {
        assertThatThrownBy(() -> connection.createStatement().execute(TestRegistry.DENIED))
            .isInstanceOf(GuardDeniedException.class).hasMessageContaining("classpath:iamguard.yaml");
      }
    } finally {
      Thread.currentThread().setContextClassLoader(saved);
    }
  }

  @Test
  void propertyInfoListsIamguardSettingsThenTheTargets() throws SQLException {
    DriverPropertyInfo[] info = new Driver().getPropertyInfo("jdbc:iamguard:h2:mem:x", new Properties());
    assertThat(Arrays.stream(info).map(p -> p.name)).startsWith(
        "iamguard.registry", "iamguard.mode", "iamguard.cluster", "iamguard.user", "iamguard.groups",
        "iamguard.local-s3", "iamguard.reload-interval", "iamguard.policy-files-outside",
        "iamguard.name");
    assertThat(info[1].choices).containsExactly("enforce", "audit", "off");
    assertThat(info[0].description).contains("IAMGUARD_REGISTRY");
  }

  @Test
  void aMissingTargetDriverIsAClearError() {
    assertThatThrownBy(() -> new Driver().connect("jdbc:iamguard:nosuchdb://h/x", TestRegistry.properties("etl")))
        .isInstanceOf(SQLException.class).hasMessageContaining("no registered JDBC driver accepts the target URL jdbc:nosuchdb://h/x");
    assertThatThrownBy(() -> new Driver().connect("jdbc:iamguard:iamguard:h2:mem:x", TestRegistry.properties("etl")))
        .isInstanceOf(SQLException.class).hasMessageContaining("appears twice");
  }

  /** A password in the URL never reaches a message: not iamguard's own, not the target driver's. */
  @Test
  void errorsNeverQuoteAPasswordFromTheUrl() {
    assertThatThrownBy(() -> new Driver().connect("jdbc:iamguard:nosuchdb://bob:Hunter2@h/x?password=Hunter2;pwd=Hunter2",
        TestRegistry.properties("etl")))
        .isInstanceOf(SQLException.class).hasMessageContaining("no registered JDBC driver accepts the target URL")
        .hasMessageContaining("jdbc:nosuchdb://bob:***@h/x?password=***;").hasMessageNotContaining("pwd=").hasMessageNotContaining("Hunter2");
    // H2 quotes "Hunter2@127.0.0.1:1" from this URL in its own message
    java.util.Properties noPassword = TestRegistry.properties("etl");
    noPassword.remove("password");
    assertThatThrownBy(() -> new Driver().connect("jdbc:iamguard:h2:tcp://bob:Hunter2@127.0.0.1:1/x", noPassword))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> {
          for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(t.getMessage()).doesNotContain("Hunter2");
          }
        });
  }
}
