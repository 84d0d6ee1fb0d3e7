package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * The driver as a GUI SQL client (DBeaver, DataGrip) uses it: its jars in a class loader of their
 * own whose parent is the platform class loader (so none of the test's classes are visible), the
 * {@code dev.iamguard.jdbc.Driver} class instantiated from it and {@link Driver#connect} called
 * directly, never through {@code DriverManager}.
 */
final class IsolatedDriver {
  private IsolatedDriver() {}

  /** A class loader over {@code paths} (jars or class folders) that sees nothing of this JVM's class path. */
  static URLClassLoader loader(List<Path> paths) throws MalformedURLException {
    URL[] urls = new URL[paths.size()];
    for (int i = 0; i < urls.length; i++) {
      urls[i] = paths.get(i).toUri().toURL();
    }
    return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
  }

  /** The jar or class folder {@code type} was loaded from. */
  static Path codeSource(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** The iamguard driver of {@code loader}, instantiated as a GUI client does: by class name. */
  static Driver driver(ClassLoader loader) throws ReflectiveOperationException {
    Class<?> type = Class.forName("dev.iamguard.jdbc.Driver", true, loader);
    assertThat(type.getClassLoader()).as("the driver comes from the isolated loader").isSameAs(loader);
    return (Driver) type.getConstructor().newInstance();
  }

  /**
   * Connects {@code driver} to a fresh in-memory H2 behind iamguard with the test registry, runs an
   * allowed statement and a denied one, and checks both.
   */
  static void allowsAndDenies(Driver driver) throws SQLException {
    Properties properties = TestRegistry.properties("etl");
    try (Connection connection = driver.connect(TestRegistry.h2Url(), properties);
        Statement statement = connection.createStatement()) {
      assertThat(connection).as("the driver accepted its URL").isNotNull();
      statement.execute("CREATE TABLE t (v INT)");
      statement.execute("INSERT INTO t VALUES (7)");
      try (ResultSet rows = statement.executeQuery("SELECT v FROM t")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(7);
      }
      assertThatThrownBy(() -> statement.execute(TestRegistry.DENIED))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("ROLE_UNKNOWN")
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(GuardDeniedException.SQLSTATE);
    }
  }
}
