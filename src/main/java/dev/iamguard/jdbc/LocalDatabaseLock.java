package dev.iamguard.jdbc;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The two locks H2 takes around what a connection does: the connection's own (commit, rollback,
 * auto-commit, close) and its session's (every command, taken inside the first), reached by
 * reflection: H2 is an optional dependency, and nothing here links against it.
 *
 * <p>Held by the guard around an emulated text (COPY, UNLOAD, AWS-only DDL, and a text of several
 * statements run as one implicit transaction), in H2's own order, so that no other thread's
 * statement, commit, rollback or change of auto-commit on the same connection runs inside it.
 * Statements that emulate nothing then need no lock of the guard's: H2 runs them one at a time.
 */
final class LocalDatabaseLock {
  private static final String H2_CONNECTION = "org.h2.jdbc.JdbcConnection";
  private static final String H2_SESSION = "org.h2.engine.Session";

  private final ReentrantLock connection;
  private final ReentrantLock session;

  private LocalDatabaseLock(ReentrantLock connection, ReentrantLock session) {
    this.connection = connection;
    this.session = session;
  }

  /**
   * The locks of the H2 connection {@code h2} wraps or is, or null when this class cannot reach
   * them (another database, an H2 built otherwise, a wrapper that does not unwrap): the caller then
   * serialises the connection's work itself.
   */
  static LocalDatabaseLock of(Connection h2) {
    for (ClassLoader loader : new ClassLoader[] {h2.getClass().getClassLoader(),
        Thread.currentThread().getContextClassLoader(), LocalDatabaseLock.class.getClassLoader()}) {
      LocalDatabaseLock found = of(h2, loader);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static LocalDatabaseLock of(Connection h2, ClassLoader loader) {
    try {
      Class<?> connectionType = Class.forName(H2_CONNECTION, false, loader);
      Accessors accessors = ACCESSORS.get(connectionType);
      if (accessors == null || !h2.isWrapperFor(connectionType)) {
        return null;
      }
      Object jdbc = h2.unwrap(connectionType);
      ReentrantLock connectionLock = (ReentrantLock) accessors.connectionLock.get(jdbc);
      ReentrantLock sessionLock = (ReentrantLock) accessors.sessionLock.get(accessors.getSession.invoke(jdbc));
      return connectionLock == null || sessionLock == null || connectionLock == sessionLock ? null
          : new LocalDatabaseLock(connectionLock, sessionLock);
    } catch (ReflectiveOperationException | SQLException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  /** How the locks are read from an H2 connection class, found once per class (a pool hands out many connections). */
  private record Accessors(Field connectionLock, Method getSession, Field sessionLock) {}

  private static final ClassValue<Accessors> ACCESSORS = new ClassValue<>() {
    @Override
    protected Accessors computeValue(Class<?> connectionType) {
      try {
        Field connectionLock = lockField(connectionType);
        Field sessionLock = lockField(Class.forName(H2_SESSION, false, connectionType.getClassLoader()));
        Method getSession = connectionType.getMethod("getSession");
        return connectionLock == null || sessionLock == null ? null
            : new Accessors(connectionLock, getSession, sessionLock);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        return null; // InaccessibleObjectException and SecurityException included
      }
    }
  };

  /** The one ReentrantLock instance field {@code type} declares, made accessible, or null. */
  private static Field lockField(Class<?> type) {
    Field found = null;
    for (Field field : type.getDeclaredFields()) {
      if (field.getType() == ReentrantLock.class && !Modifier.isStatic(field.getModifiers())) {
        if (found != null) {
          return null; // two locks: which one guards the commands is not known
        }
        found = field;
      }
    }
    if (found != null) {
      found.setAccessible(true);
    }
    return found;
  }

  /** Takes both locks, the connection's first, as H2 does (both reentrant: the emulation's own commands take them again). */
  void lock() {
    connection.lock();
    try {
      session.lock();
    } catch (RuntimeException | Error e) {
      connection.unlock();
      throw e;
    }
  }

  void unlock() {
    try {
      session.unlock();
    } finally {
      connection.unlock();
    }
  }
}
