package dev.iamguard;

import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Closes, once a test class has run, the in-memory H2 databases it created and left without a
 * connection. Tests name a fresh database per case with {@code DB_CLOSE_DELAY=-1} (so a database
 * outlives its last connection while the case runs), and nothing closed them afterwards: the
 * suite's JVM held about 450 databases (700 MB that every full collection walked, 0.5 s for each
 * {@code System.gc()} a lifetime test runs) by the middle of the {@code jdbc} package. Only what
 * the class created is closed (a database made before it may be a fixture another class shares),
 * and only where no session is open. Registered for the JUnit Platform launcher in
 * {@code META-INF/services}; H2's engine keeps its databases in a private map, read by reflection
 * (test code only: a change in H2 turns this into a warning, never into a failed test).
 */
public final class H2DatabasesClosedAfterEachClass implements TestExecutionListener {
  private final Map<String, Set<String>> openBefore = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean broken;

  @Override
  public void executionStarted(TestIdentifier test) {
    if (isClass(test)) {
      Map<String, ?> databases = databases();
      if (databases != null) {
        synchronized (databases) {
          openBefore.put(test.getUniqueId(), new HashSet<>(databases.keySet()));
        }
      }
    }
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    Set<String> before = isClass(test) ? openBefore.remove(test.getUniqueId()) : null;
    Map<String, ?> databases = before == null ? null : databases();
    if (databases == null) {
      return;
    }
    java.util.List<Object> created = new java.util.ArrayList<>();
    synchronized (databases) {
      databases.forEach((name, holder) -> {
        if (!before.contains(name)) {
          created.add(holder);
        }
      });
    }
    for (Object holder : created) {
      closeIfUnused(holder);
    }
  }

  private static boolean isClass(TestIdentifier test) {
    return test.isContainer() && test.getSource().filter(ClassSource.class::isInstance).isPresent();
  }

  @SuppressWarnings("unchecked")
  private Map<String, ?> databases() {
    if (broken) {
      return null;
    }
    try {
      Field field = Class.forName("org.h2.engine.Engine").getDeclaredField("DATABASES");
      field.setAccessible(true);
      return (Map<String, ?>) field.get(null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      warn(e);
      return null;
    }
  }

  private void closeIfUnused(Object holder) {
    try {
      Field field = holder.getClass().getDeclaredField("database");
      field.setAccessible(true);
      Object database = field.get(holder);
      if (database == null) {
        return;
      }
      Class<?> type = database.getClass();
      boolean persistent = (Boolean) type.getMethod("isPersistent").invoke(database);
      int sessions = (Integer) type.getMethod("getSessionCount").invoke(database);
      if (!persistent && sessions == 0) {
        type.getMethod("shutdownImmediately").invoke(database);
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      warn(e);
    }
  }

  private void warn(Throwable e) {
    if (!broken) {
      broken = true;
      System.err.println("H2DatabasesClosedAfterEachClass: cannot read H2's open databases (" + e
          + "); the suite runs on with them open");
    }
  }
}
