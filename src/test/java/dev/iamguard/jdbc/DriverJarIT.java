package dev.iamguard.jdbc;

import static dev.iamguard.jdbc.IsolatedDriver.codeSource;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The self-contained driver jar that {@code package} builds ({@code target/iamguard-driver-<version>.jar}),
 * used as a GUI SQL client uses it: that jar and the H2 jar, nothing else, in a fresh class loader,
 * the driver class instantiated by name and connected directly. Run by failsafe after
 * {@code package}, which passes the jar's path.
 */
class DriverJarIT {
  private static Path driverJar() {
    String jar = System.getProperty("iamguard.driverJar");
    assertThat(jar).as("system property iamguard.driverJar (set by failsafe after package)").isNotNull();
    Path path = Path.of(jar);
    assertThat(path).exists();
    return path;
  }

  @Test
  void theJarAloneBesideTheTargetDriverAllowsAndDenies() throws Exception {
    List<LogRecord> audit = Collections.synchronizedList(new ArrayList<>());
    Logger auditLogger = Logger.getLogger("dev.iamguard.audit");
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        audit.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    auditLogger.addHandler(capture);
    try (URLClassLoader loader = IsolatedDriver.loader(List.of(driverJar(), codeSource(org.h2.Driver.class)))) {
      IsolatedDriver.allowsAndDenies(IsolatedDriver.driver(loader));
    } finally {
      auditLogger.removeHandler(capture);
    }
    // the relocated SLF4J writes to java.util.logging, which the JVM (and so the GUI client) has
    assertThat(audit).as("audit lines through java.util.logging")
        .anySatisfy(record -> {
          assertThat(record.getLevel()).isEqualTo(Level.WARNING);
          assertThat(record.getMessage()).contains("decision=\"DENY\"", "ROLE_UNKNOWN");
        });
  }

  @Test
  void theTargetDriverMayComeFromTheThreadsContextClassLoader() throws Exception {
    try (URLClassLoader iamguard = IsolatedDriver.loader(List.of(driverJar()));
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
  void dependenciesAreRelocatedAndNoTargetDriverIsInside() throws IOException {
    try (JarFile jar = new JarFile(driverJar().toFile())) {
      List<String> names = jar.stream().map(ZipEntry::getName).toList();
      assertThat(names).contains("dev/iamguard/jdbc/Driver.class",
          "dev/iamguard/shaded/org/slf4j/LoggerFactory.class",
          "dev/iamguard/shaded/org/snakeyaml/engine/v2/api/LoadSettings.class",
          "META-INF/LICENSE");
      assertThat(names).noneMatch(name -> name.startsWith("org/") || name.startsWith("com/")
          || name.startsWith("net/") || name.startsWith("dev/iamguard/cli/"));
      assertThat(new String(jar.getInputStream(jar.getEntry("META-INF/services/java.sql.Driver")).readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8).strip()).isEqualTo("dev.iamguard.jdbc.Driver");
      assertThat(new String(jar.getInputStream(jar.getEntry(
          "META-INF/services/dev.iamguard.shaded.org.slf4j.spi.SLF4JServiceProvider")).readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8).strip()).isEqualTo("dev.iamguard.shaded.org.slf4j.jul.JULServiceProvider");
      assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name")).isEqualTo("dev.iamguard.driver");
      assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Version")).isNotBlank();
    }
  }

  @Test
  void theLibraryJarNamesItsModuleAndVersion() throws IOException {
    Path library = driverJar().resolveSibling(driverJar().getFileName().toString().replace("iamguard-driver-", "iamguard-"));
    assertThat(library).exists();
    try (JarFile jar = new JarFile(library.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name")).isEqualTo("dev.iamguard");
      assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Version")).isNotBlank();
      assertThat(jar.getEntry("META-INF/LICENSE")).isNotNull();
    }
    for (String classifier : List.of("sources", "javadoc")) {
      assertThat(Files.exists(library.resolveSibling(library.getFileName().toString().replace(".jar", "-" + classifier + ".jar"))))
          .as(classifier + " jar").isTrue();
    }
  }
}
