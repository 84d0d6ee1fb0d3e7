package dev.iamguard.jdbc;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Registry;
import dev.iamguard.policy.RegistryException;
import dev.iamguard.policy.RegistryLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard for one registry file, reloaded when the file changes: a valid change is swapped in
 * atomically (a decision is made with one registry version entirely); an invalid or missing file
 * keeps the last good registry and logs an ERROR naming the problem, once per change. Connections
 * to the same registry share one watch.
 */
final class RegistryWatch {
  private static final Logger LOG = LoggerFactory.getLogger("dev.iamguard.jdbc");
  private static final ConcurrentHashMap<String, RegistryWatch> SHARED = new ConcurrentHashMap<>();

  /** One loaded registry version and the file state it was read from. */
  private record Version(Guard guard, Object fileKey, java.time.Instant modified, long size) {}

  private final String source;
  private final Path file;
  private final long intervalNanos;
  private final AtomicLong nextCheck = new AtomicLong();
  private volatile Version version;
  /** The file state last reported as broken, so one broken edit logs one ERROR. */
  private volatile String reportedState;

  private RegistryWatch(String source, Path file, long intervalMillis, Version first) {
    this.source = source;
    this.file = file;
    this.intervalNanos = intervalMillis * 1_000_000L;
    this.version = first;
    this.nextCheck.set(System.nanoTime() + intervalNanos);
  }

  /**
   * The watch of the registry named by {@code location} (a path, or {@code classpath:name}),
   * loading it the first time.
   *
   * @throws SQLException (SQLState 08001) when the registry cannot be read or has errors
   */
  static RegistryWatch open(String location, long intervalMillis) throws SQLException {
    if (location.startsWith("classpath:")) {
      String key = location + "#" + Thread.currentThread().getContextClassLoader();
      RegistryWatch existing = SHARED.get(key);
      if (existing != null) {
        return existing;
      }
      RegistryWatch loaded = new RegistryWatch(location, null, intervalMillis,
          new Version(new Guard(classpath(location.substring("classpath:".length()))), null, null, 0));
      RegistryWatch raced = SHARED.putIfAbsent(key, loaded);
      return raced == null ? loaded : raced;
    }
    // loaded as given, so messages name the file as the user wrote it; shared by absolute path
    Path path = Path.of(location);
    String key = path.toAbsolutePath().normalize() + "#" + intervalMillis;
    RegistryWatch existing = SHARED.get(key);
    if (existing != null) {
      return existing;
    }
    RegistryWatch loaded = new RegistryWatch(location, path, intervalMillis, load(path));
    RegistryWatch raced = SHARED.putIfAbsent(key, loaded);
    return raced == null ? loaded : raced;
  }

  /** The classpath resource {@code name} as a registry, or null when there is none. */
  static Registry classpathOrNull(String name) throws SQLException {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if ((loader == null ? RegistryWatch.class.getClassLoader() : loader).getResource(name) == null) {
      return null;
    }
    return classpath(name);
  }

  private static Registry classpath(String name) throws SQLException {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try (InputStream in = (loader == null ? RegistryWatch.class.getClassLoader() : loader).getResourceAsStream(name)) {
      if (in == null) {
        throw new SQLException("iamguard: registry classpath:" + name + " is not on the classpath", "08001");
      }
      return RegistryLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + name, null);
    } catch (IOException e) {
      throw new SQLException("iamguard: cannot read registry classpath:" + name + ": " + e.getMessage(), "08001", e);
    } catch (RegistryException e) {
      throw new SQLException("iamguard: registry has errors, connection refused:\n" + e.getMessage(), "08001", e);
    }
  }

  private static Version load(Path path) throws SQLException {
    try {
      BasicFileAttributes before = Files.readAttributes(path, BasicFileAttributes.class);
      Registry registry = RegistryLoader.load(path);
      return new Version(new Guard(registry), before.fileKey(), before.lastModifiedTime().toInstant(),
          before.size());
    } catch (IOException e) {
      throw new SQLException("iamguard: cannot read registry " + path + ": " + e, "08001", e);
    } catch (RegistryException e) {
      throw new SQLException("iamguard: registry has errors, connection refused:\n" + e.getMessage(), "08001", e);
    }
  }

  /** The guard of the current registry version, reloading first when the file has changed. */
  Guard current() {
    if (file != null) {
      long now = System.nanoTime();
      long due = nextCheck.get();
      if (now - due >= 0 && nextCheck.compareAndSet(due, now + intervalNanos)) {
        refresh();
      }
    }
    return version.guard();
  }

  /** Checks the file now; package-private for tests that must not wait for the interval. */
  void refresh() {
    Version current = version;
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      report("missing", "iamguard: registry " + source + " cannot be read (" + e
          + "); keeping the last good registry");
      return;
    }
    java.time.Instant modified = attributes.lastModifiedTime().toInstant();
    if (modified.equals(current.modified()) && attributes.size() == current.size()
        && java.util.Objects.equals(attributes.fileKey(), current.fileKey())) {
      return;
    }
    try {
      version = load(file);
      reportedState = null;
      LOG.info("iamguard: registry {} reloaded", source);
    } catch (SQLException e) {
      report(modified + "/" + attributes.size(), "iamguard: registry " + source
          + " changed but is not valid; keeping the last good registry:\n" + e.getMessage());
    }
  }

  private void report(String state, String message) {
    if (!state.equals(reportedState)) {
      reportedState = state;
      LOG.error(message);
    }
  }

  /** Where the registry comes from, for messages. */
  String source() {
    return source;
  }
}
