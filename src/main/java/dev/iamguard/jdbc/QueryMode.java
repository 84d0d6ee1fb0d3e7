package dev.iamguard.jdbc;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
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
 * interfaces), once per connection class for the lookup. A connection of either driver that cannot
 * answer is taken as writing its values into the text: the guard fails closed.
 */
final class QueryMode {
  private static final String[] DRIVER_PACKAGES = {"com.amazon.redshift.", "org.postgresql."};

  /** The public interface method answering the query mode, per connection class (null: none). */
  private static final ClassValue<Method> ASKS = new ClassValue<>() {
    @Override
    protected Method computeValue(Class<?> type) {
      return publicInterfaceMethod(type);
    }
  };

  private QueryMode() {}

  /**
   * True when {@code target} (or the driver connection a pool's proxy wraps) writes bound values
   * into the text it sends.
   */
  static boolean inlinesBoundValues(Connection target) {
    if (target == null) {
      return false;
    }
    Connection driven = unwrapped(target);
    Method asks = ASKS.get(driven.getClass());
    if (asks == null) {
      return ofKnownDriver(driven.getClass());
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

  private static Method publicInterfaceMethod(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> face : c.getInterfaces()) {
        Method found = declared(face);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static Method declared(Class<?> face) {
    if (!Modifier.isPublic(face.getModifiers())) {
      return null;
    }
    try {
      return face.getMethod("getPreferQueryMode");
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
