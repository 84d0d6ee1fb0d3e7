package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.policy.registry.PolicyFileScope;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, bounded memory in a long-lived process: what the driver shares between connections
 * (registry watches, audit sink instances) is kept only while a connection holds it, and never
 * keeps an application's class loader, so an application server that redeploys, or an
 * application that opens connections to ever new registry files, does not make the driver grow.
 */
class LongLivedProcessTest {
  /** Allowed by the test registry, denied when its role may not read {@code s3://lake/in/}. */
  private static final String COPY = "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "'";

  @TempDir
  Path dir;

  /** A deployment's class loader whose text, as some application servers print it, is the same for every deployment. */
  private static URLClassLoader deployment(Path classes) throws IOException {
    return new URLClassLoader(new URL[] {classes.toUri().toURL()}, LongLivedProcessTest.class.getClassLoader()) {
      @Override
      public String toString() {
        return "WebappClassLoader context: /etl";
      }
    };
  }

  private static Connection openAs(ClassLoader context, Properties properties) throws SQLException {
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    thread.setContextClassLoader(context);
    try {
      // a database of its own, closed with the connection: a database thread started now would keep the loader
      return DriverManager.getConnection("jdbc:iamguard:h2:mem:" + java.util.UUID.randomUUID(), properties);
    } finally {
      thread.setContextClassLoader(saved);
    }
  }

  private static Properties classpathRegistry() {
    Properties properties = TestRegistry.properties("etl");
    properties.setProperty("iamguard.registry", "classpath:iamguard.yaml");
    return properties;
  }

  /** Runs the collector until {@code reference} is cleared (a hang guard of 200 collections, not a timing). */
  private static boolean collected(WeakReference<?> reference) {
    for (int i = 0; i < 200 && reference.get() != null; i++) {
      System.gc();
    }

    return reference.get() == null;
  }

  /**
   * Two deployments of one application, each with its own {@code iamguard.yaml} on its class path,
   * whose class loaders print the same: each connection is checked against its own deployment's
   * registry (the watches were once shared by the loader's text, so a redeployed application kept
   * the registry of its first deployment, roles removed since included).
   */
  @Test
  void eachDeploymentKeepsItsOwnClasspathRegistry() throws Exception {
    Path first = Files.createDirectories(dir.resolve("first"));
    Path second = Files.createDirectories(dir.resolve("second"));
    Files.copy(TestRegistry.path(), first.resolve("iamguard.yaml"));
    Files.writeString(second.resolve("iamguard.yaml"),
        Files.readString(TestRegistry.path()).replace("s3_read: [\"s3://lake/in/\"]", "s3_read: [\"s3://lake/other/\"]"));
    List<WeakReference<ClassLoader>> deployments = twoDeploymentsDecide(first, second);

    assertThat(collected(deployments.get(0))).as("the first deployment's class loader is not kept").isTrue();
    assertThat(collected(deployments.get(1))).as("the second deployment's class loader is not kept").isTrue();
  }

  /** Decides in each deployment (in a frame of its own: the caller's frame holds no loader once it returns). */
  private static List<WeakReference<ClassLoader>> twoDeploymentsDecide(Path first, Path second) throws Exception {
    try (URLClassLoader firstDeployment = deployment(first);
        URLClassLoader secondDeployment = deployment(second);
        Connection firstConnection = openAs(firstDeployment, classpathRegistry());
        Connection secondConnection = openAs(secondDeployment, classpathRegistry())) {
      assertThat(firstDeployment.toString()).isEqualTo(secondDeployment.toString());
      assertThat(firstConnection.unwrap(IamguardConnection.class).decisionFor(COPY).allowed()).isTrue();
      assertThat(secondConnection.unwrap(IamguardConnection.class).decisionFor(COPY).allowed()).isFalse();
      return List.of(new WeakReference<>(firstDeployment), new WeakReference<>(secondDeployment));
    }
  }

  /** A registry watch is shared while held, and dropped once nothing holds it: opened again, it is read again. */
  @Test
  void aWatchNothingHoldsIsDropped() throws Exception {
    Path registry = Files.copy(TestRegistry.path(), dir.resolve("registry.yaml"));
    RegistryWatch watch = RegistryWatch.open(registry.toString(), 1_000, PolicyFileScope.ANYWHERE);
    assertThat(RegistryWatch.open(registry.toString(), 1_000, PolicyFileScope.ANYWHERE)).isSameAs(watch);
    assertThat(RegistryWatch.open(registry.toString(), 2_000, PolicyFileScope.ANYWHERE)).isNotSameAs(watch);
    WeakReference<RegistryWatch> held = new WeakReference<>(watch);
    watch = null;

    assertThat(collected(held)).as("a watch no connection holds is not kept").isTrue();
    RegistryWatch again = RegistryWatch.open(registry.toString(), 1_000, PolicyFileScope.ANYWHERE);
    assertThat(again.latest().registry().roles()).hasSize(1);
  }

  /**
   * Connections to 200 distinct registry files, opened and closed one after the other, leave
   * none of their watches behind once collected.
   */
  @Test
  void connectionsToEverNewRegistryFilesLeaveNothingBehind() throws Exception {
    Path registry = Files.copy(TestRegistry.path(), dir.resolve("registry.yaml"));
    WeakReference<RegistryWatch> last = null;
    for (int i = 0; i < 200; i++) {
      Path copy = Files.copy(registry, dir.resolve("registry-" + i + ".yaml"));
      Properties properties = TestRegistry.properties("etl");
      properties.setProperty("iamguard.registry", copy.toString());
      try (Connection connection = DriverManager.getConnection(TestRegistry.h2Url(), properties)) {
        assertThat(connection.unwrap(IamguardConnection.class).decisionFor(COPY).allowed()).isTrue();
      }
      last = new WeakReference<>(RegistryWatch.open(copy.toString(), 1_000, PolicyFileScope.ANYWHERE));
    }
    assertThat(collected(last)).isTrue();
    assertThat(RegistryWatch.shared()).as("watches kept after 200 registry files").isLessThan(100);
  }

  /**
   * A sink class named in a setting and loaded from an application's class loader: once the
   * application's connections are closed, neither the sink nor its class keeps the loader.
   */
  @Test
  void anAuditSinkClassDoesNotKeepItsClassLoader() throws Exception {
    WeakReference<ClassLoader> application = sinkOfItsOwnLoaderRecords();

    assertThat(collected(application)).as("the application's class loader is not kept").isTrue();
  }

  /** Opens a connection whose sink class is an application's own, and closes it (in a frame of its own). */
  private static WeakReference<ClassLoader> sinkOfItsOwnLoaderRecords() throws Exception {
    String sink = AuditSettingsTest.RecordingSink.class.getName();
    try (URLClassLoader loader = new OwnCopyLoader(sink)) {
      Properties properties = TestRegistry.properties("etl");
      properties.setProperty("iamguard.audit-sink", sink);
      try (Connection connection = openAs(loader, properties)) {
        assertThatThrownBy(() -> connection.createStatement().execute(TestRegistry.DENIED))
            .isInstanceOf(GuardDeniedException.class);
      }
      Class<?> own = loader.loadClass(sink);
      assertThat(own).as("the sink class is the application's own copy").isNotSameAs(AuditSettingsTest.RecordingSink.class);
      java.lang.reflect.Field events = own.getDeclaredField("EVENTS");
      events.setAccessible(true); // another loader's copy: another runtime package
      assertThat((List<?>) events.get(null)).as("the application's sink recorded the denial").hasSize(1);
      return new WeakReference<>(loader);
    }
  }

  /** A class loader that defines its own copy of one class (an application's class) and delegates the rest. */
  private static final class OwnCopyLoader extends URLClassLoader {
    private final String own;

    OwnCopyLoader(String own) {
      super(new URL[0], LongLivedProcessTest.class.getClassLoader());
      this.own = own;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.equals(own)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded != null) {
          return loaded;
        }
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
          byte[] bytes = in.readAllBytes();
          return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
          throw new ClassNotFoundException(name, e);
        }
      }
    }
  }
}
