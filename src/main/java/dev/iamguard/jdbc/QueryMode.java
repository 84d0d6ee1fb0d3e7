package dev.iamguard.jdbc;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Whether the target driver writes bound values into the statement text instead of sending them
 * apart: the Redshift driver and pgjdbc do so with {@code preferQueryMode=simple}. The Redshift
 * driver then quotes a string by doubling its quotes only, whatever the server's
 * {@code standard_conforming_strings}, so where a backslash escapes inside a literal (Redshift) a
 * value can end its literal and carry a statement the guard never read (reading probe F5).
 *
 * <p>The driver is asked ({@code getPreferQueryMode()}, public API of both drivers' connection
 * interfaces, which are looked up once per connection class). A connection of either driver that
 * cannot answer is taken as writing its values into the text: the guard fails closed.
 */
final class QueryMode {
  private static final String[] DRIVER_PACKAGES = {"com.amazon.redshift.", "org.postgresql."};

  /** The drivers' connection interfaces that answer the query mode. */
  private static final String[] DRIVER_INTERFACES = {"com.amazon.redshift.RedshiftConnection", "org.postgresql.PGConnection"};

  /**
   * Per connection class, the drivers' connection interfaces its class loader or iamguard's can load
   * (looked up once: a class not found costs an exception).
   */
  private static final ClassValue<Class<?>[]> FACES = new ClassValue<>() {
    @Override
    protected Class<?>[] computeValue(Class<?> type) {
      java.util.List<Class<?>> found = new java.util.ArrayList<>(2);
      for (String name : DRIVER_INTERFACES) {
        Class<?> face = load(name, type.getClassLoader());
        if (face == null) {
          face = load(name, QueryMode.class.getClassLoader());
        }
        if (face != null) {
          found.add(face);
        }
      }
      return found.toArray(new Class<?>[0]);
    }
  };

  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  private QueryMode() {}

  /**
   * True when {@code target} (or the driver connection a pool's proxy wraps) writes bound values
   * into the text it sends.
   */
  static boolean inlinesBoundValues(Connection target) {
    if (target == null) {
      return false;
    }
    Object[] asked = driverConnection(target);
    if (asked != null) {
      return answersSimple(declared((Class<?>) asked[0]), asked[1]);
    }
    // a driver connection whose interface could not be asked: taken as writing values into the text
    return ofKnownDriver(unwrapped(target).getClass());
  }

  /**
   * The driver's connection interface {@code target} is or wraps, and the connection that
   * implements it, or null when there is none (another driver, or a wrapper that will not unwrap).
   */
  static Object[] driverConnection(Connection target) {
    // a wrapper that is a Connection itself (Spring's proxies, P6Spy) answers unwrap(Connection.class)
    // with itself, as JDBC asks: the driver's own interface is asked for by name (probe sq F1)
    for (Class<?> face : FACES.get(target.getClass())) {
      Object driven;
      try {
        driven = face.isInstance(target) ? target : target.isWrapperFor(face) ? target.unwrap(face) : null;
      } catch (SQLException | RuntimeException e) {
        driven = null;
      }
      if (driven != null) {
        return new Object[] {face, driven};
      }
    }
    return null;
  }

  /** True when {@code target} (or what a pool's proxy wraps) is a connection of the Redshift driver or pgjdbc. */
  static boolean ofKnownDriver(Connection target) {
    return ofKnownDriver(unwrapped(target).getClass());
  }

  /** The driver's answer; a driver connection that cannot answer is taken as writing values into the text. */
  private static boolean answersSimple(Method asks, Object driven) {
    if (asks == null) {
      return true;
    }
    try {
      Object mode = asks.invoke(driven);
      return mode == null || "SIMPLE".equalsIgnoreCase(mode instanceof Enum<?> e ? e.name() : mode.toString());
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true;
    }
  }

  /** The connection a pool's proxy hands out on {@code unwrap(Connection.class)}, or {@code target}. */
  private static Connection unwrapped(Connection target) {
    try {
      Connection inner = target.unwrap(Connection.class);
      return inner == null ? target : inner;
    } catch (SQLException | RuntimeException e) {
      return target;
    }
  }

  private static boolean ofKnownDriver(Class<?> type) {
    for (String name : DRIVER_PACKAGES) {
      if (type.getName().startsWith(name)) {
        return true;
      }
    }
    return false;
  }

  private static Method declared(Class<?> face) {
    try {
      return face.getMethod("getPreferQueryMode");
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
