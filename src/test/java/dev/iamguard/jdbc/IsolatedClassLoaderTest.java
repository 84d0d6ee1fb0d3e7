package dev.iamguard.jdbc;

import static dev.iamguard.jdbc.IsolatedDriver.codeSource;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The driver finds its target driver when it is loaded in a class loader of its own, as GUI SQL
 * clients load driver jars: {@code DriverManager} then hands it none of the drivers the JVM
 * registered (their classes are not its loader's), so it asks {@code ServiceLoader} over its own
 * class loader, and over the thread's context class loader. (The self-contained driver jar is tested
 * the same way by {@code DriverJarIT}, after {@code package}.)
 */
class IsolatedClassLoaderTest {
  private static List<Path> iamguardAndItsDependencies() throws Exception {
    return List.of(codeSource(Driver.class), codeSource(org.slf4j.LoggerFactory.class),
        codeSource(org.snakeyaml.engine.v2.api.LoadSettings.class));
  }

  @Test
  void findsTheTargetDriverBesideItInItsOwnClassLoader() throws Exception {
    List<Path> jars = new java.util.ArrayList<>(iamguardAndItsDependencies());
    jars.add(codeSource(org.h2.Driver.class));
    try (URLClassLoader loader = IsolatedDriver.loader(jars)) {
      java.sql.Driver driver = IsolatedDriver.driver(loader);
      assertThat(driver.acceptsURL(TestRegistry.h2Url())).isTrue();
      IsolatedDriver.allowsAndDenies(driver);
    }
  }

  @Test
  void findsTheTargetDriverOfTheThreadsContextClassLoader() throws Exception {
    try (URLClassLoader iamguard = IsolatedDriver.loader(iamguardAndItsDependencies());
        URLClassLoader application = IsolatedDriver.loader(List.of(codeSource(org.h2.Driver.class)))) {
      java.sql.Driver driver = IsolatedDriver.driver(iamguard);
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      thread.setContextClassLoader(application);
      try {
        IsolatedDriver.allowsAndDenies(driver);
      } finally {
        thread.setContextClassLoader(previous);
      }
    }
  }

  @Test
  void withoutAnyTargetDriverTheConnectionIsRefusedNamingTheUrl() throws Exception {
    try (URLClassLoader iamguard = IsolatedDriver.loader(iamguardAndItsDependencies())) {
      java.sql.Driver driver = IsolatedDriver.driver(iamguard);
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      thread.setContextClassLoader(iamguard);
      try {
        assertThat(driver.acceptsURL("jdbc:iamguard:h2:mem:x")).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> driver.connect("jdbc:iamguard:h2:mem:x", TestRegistry.properties("etl")))
            .isInstanceOf(java.sql.SQLException.class)
            .hasMessageContaining("jdbc:h2:mem:x")
            .extracting(e -> ((java.sql.SQLException) e).getSQLState()).isEqualTo(GuardSqlStates.CONNECTION_REFUSED);
      } finally {
        thread.setContextClassLoader(previous);
      }
    }
  }
}
