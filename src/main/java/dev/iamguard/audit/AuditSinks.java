package dev.iamguard.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the audit sinks a configuration names: several sinks as one, a sink class named in a
 * setting, and Micrometer counters when Micrometer is on the classpath.
 */
public final class AuditSinks {
  /** One instance per sink class, shared by every connection that names it. */
  private static final Map<Class<?>, AuditSink> NAMED = new ConcurrentHashMap<>();
  private static final String MICROMETER = "io.micrometer.core.instrument.Metrics";

  private AuditSinks() {}

  /**
   * Every sink of {@code sinks}, in order. Each one receives every event even when an earlier one
   * throws; the first failure is thrown afterwards, so that the statement fails (nothing is sent
   * without its audit record) while the other records are still written.
   */
  public static AuditSink all(List<AuditSink> sinks) {
    List<AuditSink> copy = List.copyOf(sinks);
    if (copy.size() == 1) {
      return copy.get(0);
    }
    return event -> {
      RuntimeException failure = null;
      for (AuditSink sink : copy) {
        try {
          sink.record(event);
        } catch (RuntimeException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    };
  }

  /**
   * The sink class {@code className}: an {@link AuditSink} with a public no-argument constructor,
   * looked up through the thread's context class loader, then iamguard's own. Instantiated once
   * and shared by every connection that names it.
   *
   * @throws IllegalArgumentException naming what is wrong: no such class, not an AuditSink, no
   *     public no-argument constructor, or a constructor that failed
   */
  public static AuditSink named(String className) {
    Class<?> type = load(className.strip());
    if (!AuditSink.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(className + " does not implement " + AuditSink.class.getName());
    }
    return NAMED.computeIfAbsent(type, AuditSinks::instantiate);
  }

  private static Class<?> load(String className) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    for (ClassLoader loader : new ClassLoader[] {context, AuditSinks.class.getClassLoader()}) {
      if (loader == null) {
        continue;
      }
      try {
        return Class.forName(className, true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // the next loader may have it
      }
    }
    throw new IllegalArgumentException("no class " + className + " on the classpath");
  }

  private static AuditSink instantiate(Class<?> type) {
    try {
      return (AuditSink) type.getConstructor().newInstance();
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalArgumentException(type.getName() + " has no public no-argument constructor", e);
    } catch (ReflectiveOperationException | RuntimeException e) {
      Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
      throw new IllegalArgumentException("cannot instantiate " + type.getName() + ": " + cause, cause);
    }
  }

  /** True when Micrometer is on the classpath iamguard was loaded from. */
  public static boolean micrometerPresent() {
    try {
      Class.forName(MICROMETER, false, AuditSinks.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Counters on Micrometer's global registry ({@link MicrometerAuditSink}), where Spring Boot's
   * registry, among others, reads them; only call when {@link #micrometerPresent()}.
   */
  public static AuditSink micrometer() {
    return MicrometerAuditSink.global();
  }
}
