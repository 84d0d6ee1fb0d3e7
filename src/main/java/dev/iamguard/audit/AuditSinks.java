package dev.iamguard.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the audit sinks a configuration names: several sinks as one, a sink class named in a
 * setting, and Micrometer counters when Micrometer is on the classpath.
 */
public final class AuditSinks {
  /**
   * One instance per sink class, shared by every connection that names it. Kept with the class
   * itself, not in a map of classes: a map would hold each sink class, and with it the class loader
   * of the application that named it, for the life of the driver (an application server that
   * redeploys the application would keep every deployment's classes).
   */
  private static final ClassValue<Instance> NAMED = new ClassValue<>() {
    @Override
    protected Instance computeValue(Class<?> type) {
      return new Instance(type);
    }
  };

  /**
   * A sink class's one instance, made on first use: a class value may be computed twice by racing
   * threads (one kept), and a sink's constructor may do more than a holder's.
   */
  private static final class Instance {
    private final Class<?> type;
    private AuditSink sink;

    Instance(Class<?> type) {
      this.type = type;
    }

    synchronized AuditSink get() {
      if (sink == null) {
        sink = instantiate(type); // a constructor that failed is tried again by the next connection
      }
      return sink;
    }
  }
  private static final String MICROMETER = "io.micrometer.core.instrument.Metrics";

  private AuditSinks() {}

  /**
   * Every sink of {@code sinks}, in order. Each one receives every event even when an earlier one
   * throws (a RuntimeException or a LinkageError); the first failure is thrown afterwards, so that the statement fails (nothing is sent
   * without its audit record) while the other records are still written.
   */
  public static AuditSink all(List<AuditSink> sinks) {
    List<AuditSink> copy = List.copyOf(sinks);
    if (copy.size() == 1) {
      return copy.get(0);
    }
    return event -> {
      // a LinkageError too: a sink built against another version of a library (Micrometer's
      // NoSuchMethodError) fails every record, and the sinks after it must still have theirs
      Throwable failure = null;
      for (AuditSink sink : copy) {
        try {
          sink.record(event);
        } catch (RuntimeException | LinkageError e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (failure != null) {
        throw (LinkageError) failure;
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
    return NAMED.get(type).get();
  }

  private static Class<?> load(String className) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    for (ClassLoader loader : new ClassLoader[] {context, AuditSinks.class.getClassLoader()}) {
      if (loader == null) {
        continue;
      }
      try {
        // not initialised: no code of a class named in a setting runs before it proves to be a sink
        return Class.forName(className, false, loader);
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
