package dev.iamguard.frameworks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Spring Boot application (the JDBC starter's auto-configuration: DataSource, HikariCP,
 * JdbcTemplate) whose only change is the URL: no driver-class-name.
 */
class SpringBootUrlOnlyTest {
  private static String loggingSystem;

  /** Boot would take over java.util.logging for the whole test JVM; these tests need no logging system. */
  @BeforeAll
  static void noLoggingSystem() {
    loggingSystem = System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
  }

  @AfterAll
  static void restoreLoggingSystem() {
    if (loggingSystem == null) {
      System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
    } else {
      System.setProperty(LoggingSystem.SYSTEM_PROPERTY, loggingSystem);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class})
  static class App {}

  private static ConfigurableApplicationContext start(String... properties) {
    return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false).properties(properties).run();
  }

  @Test
  void onlyTheUrlChanges() {
    try (ConfigurableApplicationContext context = start("spring.datasource.url=" + GuardedH2.url(),
        "spring.datasource.username=etl")) {
      DataSource dataSource = context.getBean(DataSource.class);
      assertThat(dataSource).isInstanceOf(HikariDataSource.class);
      assertThat(((HikariDataSource) dataSource).getDriverClassName()).isEqualTo("dev.iamguard.jdbc.Driver");
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      jdbc.execute(GuardedH2.ALLOWED);
      assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM venue", Integer.class)).isZero();
      assertThatThrownBy(() -> jdbc.execute(GuardedH2.DENIED))
          .isInstanceOf(PermissionDeniedDataAccessException.class)
          .hasMessageContaining("ROLE_UNKNOWN");
    }
  }

  @Test
  void aDriverClassTheApplicationNamesWins() {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("application", Map.of(
        "spring.datasource.url", "jdbc:iamguard:redshift://cluster:5439/dev",
        "spring.datasource.driver-class-name", "com.example.OwnDriver",
        "spring.flyway.url", "jdbc:iamguard:redshift://cluster:5439/dev",
        "spring.liquibase.url", "jdbc:redshift://cluster:5439/dev")));
    new SpringBootDriverInference().postProcessEnvironment(environment, null);
    assertThat(environment.getProperty("spring.datasource.driver-class-name")).isEqualTo("com.example.OwnDriver");
    assertThat(environment.getProperty("spring.flyway.driver-class-name")).isEqualTo("dev.iamguard.jdbc.Driver");
    assertThat(environment.getProperty("spring.liquibase.driver-class-name")).as("not a guarded URL").isNull();
  }

  @Test
  void relaxedNamesCountAsTheApplicationsOwn() {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("application", Map.of(
        "spring.datasource.url", "jdbc:iamguard:h2:mem:x",
        "spring.datasource.driverClassName", "org.h2.Driver")));
    org.springframework.boot.context.properties.source.ConfigurationPropertySources.attach(environment);
    new SpringBootDriverInference().postProcessEnvironment(environment, null);
    assertThat(environment.getPropertySources().contains(SpringBootDriverInference.PROPERTY_SOURCE)).isFalse();
  }
}
