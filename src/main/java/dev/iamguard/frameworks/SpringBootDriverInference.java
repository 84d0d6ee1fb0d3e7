package dev.iamguard.frameworks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Lets a Spring Boot application change only {@code spring.datasource.url} to a {@code jdbc:iamguard:}
 * URL. Boot infers the driver class from the URL's vendor prefix (its {@code DatabaseDriver} list,
 * which cannot be extended), knows none for {@code jdbc:iamguard:}, and then falls back to the
 * embedded database on the classpath: H2's driver, which refuses the URL ("claims to not accept
 * jdbcUrl"), or, without one, "Failed to determine a suitable driver class". This supplies
 * {@code driver-class-name} for such URLs, as the lowest-precedence property, so a
 * {@code driver-class-name} the application sets still wins. The same for the data sources of
 * Flyway and Liquibase ({@code spring.flyway.url}, {@code spring.liquibase.url}).
 *
 * <p>Registered in {@code META-INF/spring.factories} under Boot 3's
 * {@code org.springframework.boot.env.EnvironmentPostProcessor}, which Boot 4 still reads.
 */
public final class SpringBootDriverInference implements EnvironmentPostProcessor, Ordered {
  /** The name of the property source this adds. */
  public static final String PROPERTY_SOURCE = "iamguard-driver-class";
  private static final List<String> PREFIXES = List.of("spring.datasource", "spring.flyway", "spring.liquibase");

  /** Instantiated by Spring Boot. */
  public SpringBootDriverInference() {}

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    Binder binder = Binder.get(environment);
    Map<String, Object> inferred = new LinkedHashMap<>();
    for (String prefix : PREFIXES) {
      String url = binder.bind(prefix + ".url", String.class).orElse(null);
      if (GuardedUrls.isGuarded(url) && !binder.bind(prefix + ".driver-class-name", String.class).isBound()) {
        inferred.put(prefix + ".driver-class-name", GuardedUrls.DRIVER);
      }
    }
    if (!inferred.isEmpty()) {
      environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, inferred));
    }
  }

  /** After Boot has read the application's configuration files. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
