package dev.iamguard.jdbc;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.registry.PolicyFileScope;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.registry.RegistrySource;
import dev.iamguard.policy.registry.RegularFile;
import dev.iamguard.sql.WeakShared;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard for one registry file, reloaded when the file or any policy file it loaded changes: a
 * valid change is swapped in atomically (a decision is made with one registry version entirely);
 * an invalid or missing file keeps the last good registry and logs an ERROR naming the problem,
 * once per change. A change is a change of content: every watched file is read and compared with
 * the digest of what was loaded, so an edit that keeps the size and restores the modification
 * time ({@code cp -p}, {@code rsync -t}, tar) is seen too. Files are checked at most once per
 * reload interval. Connections to the same registry share one watch.
 */
final class RegistryWatch {
  private static final Logger LOG = LoggerFactory.getLogger("dev.iamguard.jdbc");
  /**
   * The watches connections hold, by file (with the reload interval and scope) or by classpath
   * resource and class loader. Held weakly: a watch no connection holds any more is dropped, so
   * connections to ever new registry files, or an application server that redeploys, do not make
   * the process keep every registry it ever loaded.
   */
  private static final WeakShared<Object, RegistryWatch> SHARED = new WeakShared<>();

  /** One loaded registry version and the files (registry first, then policy files) it was read from. */
  private record Version(Guard guard, List<RegistrySource> sources) {}

  private final String source;
  private final Path file;
  private final PolicyFileScope scope;
  private final long intervalNanos;
  private final AtomicLong nextCheck = new AtomicLong();
  private volatile Version version;
  /** Run between a reload's reading and its installing; tests hold a reload there. */
  private volatile Runnable afterRead = () -> {};
  /** The file state last reported as broken, so one broken edit logs one ERROR. */
  private volatile String reportedState;
  /**
   * A change seen at the last check and not applied yet (interval above 0): the digests of the files
   * then, and of every file the changed registry loaded; applied if it reads the same next time.
   */
  private volatile String pendingState;

  private RegistryWatch(String source, Path file, PolicyFileScope scope, long intervalMillis, Version first) {
    this.source = source;
    this.file = file;
    this.scope = scope;
    this.intervalNanos = nanos(intervalMillis);
    this.version = first;
    this.nextCheck.set(System.nanoTime() + intervalNanos);
  }

  /**
   * The interval in nanoseconds. Past about 292 years (Long.MAX_VALUE ns) the product wrapped to a negative
   * number, and a setting meant as "do not reload" (iamguard.reload-interval=10000000000000, or Long.MAX_VALUE)
   * read every watched file before every statement and applied each change at once; such an interval is held
   * at 146 years instead, half the range, so that {@code now + interval} compared by difference stays ordered.
   */
  static long nanos(long intervalMillis) {
    return intervalMillis >= Long.MAX_VALUE / 2 / 1_000_000L ? Long.MAX_VALUE / 2 : intervalMillis * 1_000_000L;
  }

  /**
   * The watch of the registry named by {@code location} (a path, or {@code classpath:name}),
   * loading it the first time.
   *
   * @throws SQLException (SQLState 08001) when the registry cannot be read or has errors
   */
  static RegistryWatch open(String location, long intervalMillis, PolicyFileScope scope) throws SQLException {
    if (location.startsWith("classpath:")) {
      LoaderKey key = new LoaderKey(location, loader());
      RegistryWatch existing = SHARED.get(key);
      if (existing != null) {
        return existing;
      }
      RegistryWatch loaded = new RegistryWatch(location, null, scope, intervalMillis,
          new Version(new Guard(classpath(location.substring("classpath:".length()))), List.of()));
      return SHARED.share(key, loaded);
    }
    // loaded as given, so messages name the file as the user wrote it; shared by absolute path
    Path path = Path.of(location);
    String key = path.toAbsolutePath().normalize() + "#" + intervalMillis + "#" + scope;
    RegistryWatch existing = SHARED.get(key);
    if (existing != null) {
      return existing;
    }
    RegistryWatch loaded = new RegistryWatch(location, path, scope, intervalMillis, load(path, scope));
    return SHARED.share(key, loaded);
  }

  /**
   * A classpath registry's key: its location and the class loader it is read through, compared by
   * identity (not by its text, which some application servers make the same for each deployment
   * of an application: a redeployment then kept the first deployment's registry) and held weakly.
   */
  private static final class LoaderKey {
    private final String location;
    private final java.lang.ref.WeakReference<ClassLoader> loader;
    private final int hash;

    LoaderKey(String location, ClassLoader loader) {
      this.location = location;
      this.loader = new java.lang.ref.WeakReference<>(loader);
      this.hash = location.hashCode() * 31 + System.identityHashCode(loader);
    }

    @Override
    public boolean equals(Object other) {
      if (other == this) {
        return true;
      }
      if (!(other instanceof LoaderKey key) || key.hash != hash || !key.location.equals(location)) {
        return false;
      }
      ClassLoader mine = loader.get();
      return mine != null && mine == key.loader.get();
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** The class loader classpath registries are read through: the thread's context loader, else iamguard's. */
  private static ClassLoader loader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : RegistryWatch.class.getClassLoader();
  }

  /** Watches shared now; for tests. */
  static int shared() {
    return SHARED.size();
  }

  /** True when the classpath resource {@code name} exists (read only when a connection opens its watch). */
  static boolean onClasspath(String name) {
    return loader().getResource(name) != null;
  }

  private static Registry classpath(String name) throws SQLException {
    try (InputStream in = loader().getResourceAsStream(name)) {
      if (in == null) {
        throw new SQLException("iamguard: registry classpath:" + name + " is not on the classpath", GuardSqlStates.CONNECTION_REFUSED);
      }
      // read as a registry file is: bounded (one byte past the limit tells it is passed) and strictly UTF-8
      return RegistryLoader.parse(in.readNBytes(RegularFile.MAX_BYTES + 1), "classpath:" + name, null);
    } catch (IOException e) {
      throw new SQLException("iamguard: cannot read registry classpath:" + name + ": " + e.getMessage(), GuardSqlStates.CONNECTION_REFUSED, e);
    } catch (RegistryException e) {
      throw new SQLException("iamguard: registry has errors, connection refused:\n" + e.getMessage(), GuardSqlStates.CONNECTION_REFUSED, e);
    }
  }

  private static Version load(Path path, PolicyFileScope scope) throws SQLException {
    try {
      return read(path, scope);
    } catch (RegistryException e) {
      throw new SQLException("iamguard: registry has errors, connection refused:\n" + e.getMessage(), GuardSqlStates.CONNECTION_REFUSED, e);
    }
  }

  private static Version read(Path path, PolicyFileScope scope) throws RegistryException {
    RegistryLoader.Loaded loaded = RegistryLoader.load(path, scope);
    return new Version(new Guard(loaded.registry()), loaded.sources());
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

  /** The guard of the registry version loaded last, without checking the files (cheap). */
  Guard latest() {
    return version.guard();
  }

  /** Checks the files now; package-private for tests that must not wait for the interval. */
  void refresh() {
    Version current = version;
    try {
      Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
    } catch (IOException e) {
      report("missing", "iamguard: registry " + source + " cannot be read (" + e
          + "); keeping the last good registry");
      return;
    }
    String state = changedState(current);
    if (state == null) {
      pendingState = null;
      return;
    }
    if (intervalNanos == 0) {
      apply(current, state);
      return;
    }
    // A file rewritten in place can be read half-written, and a cut registry or policy file is often
    // valid and grants more (a registry without its grants: section lets every user use every attached
    // role; a YAML policy document cut before its Deny). So a change applies only once every file it
    // loads, those it newly names included, read the same at two checks an interval apart.
    Version next;
    try {
      next = read(file, scope);
    } catch (RegistryException | RuntimeException e) {
      if (!state.equals(pendingState)) {
        pendingState = state; // perhaps being written: reported if it still reads so at the next check
        return;
      }
      report(state, notValid(e));
      return;
    }
    String after = changedState(current);
    String loaded = state + loadedState(next);
    if (!state.equals(after)) {
      pendingState = after; // a file moved again while it was loaded: what was loaded may be neither reading
    } else if (!loaded.equals(pendingState)) {
      pendingState = loaded;
    } else {
      swapIn(current, next);
    }
  }

  /** Loads and applies the change at once (interval 0: every decision checks, README says to rename into place). */
  private void apply(Version current, String state) {
    try {
      swapIn(current, read(file, scope));
    } catch (RegistryException | RuntimeException e) {
      report(state, notValid(e));
    }
  }

  /** Installs {@code next} unless another check installed a version since {@code current} was in force. */
  private void swapIn(Version current, Version next) {
    afterRead.run();
    synchronized (this) {
      if (version != current) {
        // another thread's check installed a version since this one began, perhaps read after this
        // one's reading: installing this one could bring back an older registry after a newer was in
        // force (a removed role allowed again; RegistryReloadOrderTest). The next check reads again.
        return;
      }
      pendingState = null;
      version = next;
      reportedState = null;
    }
    // read, not load: a reload refuses no connection, so its log says nothing of one (probe 24c
    // F8: "registry has errors, connection refused" while every connection went on)
    LOG.info("iamguard: registry {} reloaded", source);
    var was = current.guard().registry().settings().mode();
    var now = next.guard().registry().settings().mode();
    if (was != now) {
      // connections that follow the registry's mode change with it, and in off nothing is recorded:
      // the trail's silence must not read as "nothing ran" (red-team review)
      LOG.warn("iamguard: registry {} reloaded with policy.mode {} (was {}): connections without an iamguard.mode"
          + " setting now {}", source, GuardConfig.modeName(now), GuardConfig.modeName(was), switch (now) {
            case OFF -> "send every statement unchecked and record no decision";
            case AUDIT -> "send denied statements and record them";
            case ENFORCE -> "refuse denied statements";
          });
    }
  }

  private String notValid(Exception e) {
    return "iamguard: registry " + source + " changed but is not valid; keeping the last good registry:\n" + e.getMessage();
  }

  /** The files a loaded version was read from and the digests of what was read, registry first. */
  private static String loadedState(Version loaded) {
    StringBuilder state = new StringBuilder("loaded:");
    for (RegistrySource source : loaded.sources()) {
      state.append(source.file()).append('=').append(java.util.Arrays.hashCode(source.sha256())).append(';');
    }
    return state.toString();
  }

  /**
   * Null when every file of {@code current} still holds what was loaded; else a text naming the
   * new state (the content digests), so that one broken edit is reported once.
   */
  private String changedState(Version current) {
    StringBuilder state = new StringBuilder();
    boolean changed = false;
    for (RegistrySource loaded : current.sources()) {
      byte[] bytes;
      try {
        // a file replaced by a named pipe would block the statement that triggered the check: refused
        // unopened, it counts as changed, and the reload that follows reports it and keeps the last version
        bytes = RegularFile.read(loaded.file());
      } catch (IOException e) {
        state.append(loaded.file()).append(" unreadable;");
        changed = true;
        continue;
      }
      if (!loaded.holds(bytes)) {
        changed = true;
      }
      state.append(java.util.Arrays.hashCode(RegistrySource.of(loaded.file(), bytes).sha256())).append(';');
    }
    return changed ? state.toString() : null;
  }

  private void report(String state, String message) {
    if (!state.equals(reportedState)) {
      reportedState = state;
      LOG.error(message);
    }
  }

  /** Holds each reload between its reading and its installing in {@code hook} (tests force interleavings with it). */
  void afterRead(Runnable hook) {
    afterRead = hook;
  }

  /** Where the registry comes from, for messages. */
  String source() {
    return source;
  }
}
