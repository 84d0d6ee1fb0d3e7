package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Session;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Proves, by reflection over the JDBC interfaces, that every method taking SQL text is guarded
 * (a denied text throws and never reaches the target) and that no method hands out an unwrapped
 * JDBC object (after the AWS JDBC wrapper's BoundObjectCoverageTest).
 */
class GuardCoverageTest {
  private static final Set<String> SQL_METHODS = Set.of("execute", "executeQuery", "executeUpdate",
      "executeLargeUpdate", "addBatch", "prepareStatement", "prepareCall", "nativeSQL");
  private static final List<Class<?>> JDBC_TYPES = List.of(Connection.class, Statement.class,
      PreparedStatement.class, CallableStatement.class, ResultSet.class, DatabaseMetaData.class);

  /** Records every call on every proxy it creates; JDBC-typed results are new proxies. */
  static final class Recorder {
    final List<Object[]> calls = new ArrayList<>();

    @SuppressWarnings("unchecked")
    <T> T proxy(Class<T> type) {
      return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
        calls.add(args == null ? new Object[0] : args);
        Class<?> returns = method.getReturnType();
        if (method.getName().equals("toString")) {
          return "proxy " + type.getSimpleName();
        }
        if (method.getName().equals("hashCode")) {
          return System.identityHashCode(proxy);
        }
        if (method.getName().equals("equals")) {
          return proxy == args[0];
        }
        if (JDBC_TYPES.contains(returns)) {
          return proxy(returns);
        }
        if (returns == Object.class) {
          return proxy(ResultSet.class); // a cursor value, as a refcursor column returns
        }
        return defaultValue(returns);
      });
    }

    boolean sawArgument(String sql) {
      return calls.stream().anyMatch(args -> Arrays.asList(args).contains(sql));
    }
  }

  static Object defaultValue(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == int[].class) {
      return new int[0];
    }
    if (type == long[].class) {
      return new long[0];
    }
    if (type == String.class) {
      return "x";
    }
    return type.isPrimitive() ? (type == double.class ? 0d : type == float.class ? 0f : type == short.class
        ? (short) 0 : type == byte.class ? (byte) 0 : '\0') : null;
  }

  static Object[] arguments(Method method, String sql) {
    Class<?>[] types = method.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> type = types[i];
      args[i] = type == String.class ? (i == 0 ? sql : "x")
          : type == int.class ? 1 : type == long.class ? 1L : type == boolean.class ? false
          : type == int[].class ? new int[] {1} : type == String[].class ? new String[] {"x"}
          : type == Class.class ? ResultSet.class : type == Map.class ? Map.of()
          : type.isPrimitive() ? defaultValue(type) : null;
    }
    return args;
  }

  static GuardConnection guarded(Recorder recorder) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", TestRegistry.path().toString());
    ConnectionGuard guard = GuardFactory.create(GuardConfig.resolve(properties, Map.of(), k -> null, k -> null),
        Session.of("etl", null), false);
    return new GuardConnection(recorder.proxy(Connection.class), guard);
  }

  /** The guarded objects of every kind, over recording proxies. */
  static List<Object[]> guardedObjects(Recorder recorder) throws SQLException {
    GuardConnection connection = guarded(recorder);
    return List.of(
        new Object[] {Connection.class, connection},
        new Object[] {Statement.class, connection.createStatement()},
        new Object[] {PreparedStatement.class, connection.prepareStatement("SELECT 1")},
        new Object[] {CallableStatement.class, connection.prepareCall("SELECT 1")},
        new Object[] {DatabaseMetaData.class, connection.getMetaData()},
        new Object[] {ResultSet.class, connection.createStatement().executeQuery("SELECT 1")});
  }

  @Test
  void everyMethodTakingSqlTextIsGuarded() throws Exception {
    List<String> unguarded = new ArrayList<>();
    int checked = 0;
    Recorder recorder = new Recorder();
    for (Object[] pair : guardedObjects(recorder)) {
      Class<?> type = (Class<?>) pair[0];
      Object guarded = pair[1];
      for (Method method : type.getMethods()) {
        if (!SQL_METHODS.contains(method.getName()) || method.getParameterCount() == 0
            || method.getParameterTypes()[0] != String.class) {
          continue;
        }
        checked++;
        String sql = TestRegistry.DENIED + " /* " + type.getSimpleName() + "." + method.getName() + checked + " */";
        Method implementation = guarded.getClass().getMethod(method.getName(), method.getParameterTypes());
        boolean declaredByGuard = implementation.getDeclaringClass().getSimpleName().startsWith("Guard");
        Throwable thrown = null;
        try {
          method.invoke(guarded, arguments(method, sql));
        } catch (InvocationTargetException e) {
          thrown = e.getCause();
        }
        if (!declaredByGuard || !(thrown instanceof GuardDeniedException) || recorder.sawArgument(sql)) {
          unguarded.add(type.getSimpleName() + "." + method.getName() + Arrays.toString(method.getParameterTypes()));
        }
      }
    }
    assertThat(unguarded).as("methods taking SQL that are not guarded").isEmpty();
    assertThat(checked).as("SQL methods checked").isGreaterThanOrEqualTo(40);
  }

  @Test
  void noMethodHandsOutAnUnwrappedJdbcObject() throws Exception {
    List<String> leaks = new ArrayList<>();
    int checked = 0;
    for (Object[] pair : guardedObjects(new Recorder())) {
      Object guarded = pair[1];
      for (Method method : ((Class<?>) pair[0]).getMethods()) {
        Class<?> returns = method.getReturnType();
        boolean jdbc = JDBC_TYPES.contains(returns) || returns == Object.class && method.getName().equals("getObject");
        if (!jdbc || method.getName().equals("unwrap") || Modifier.isStatic(method.getModifiers())) {
          continue;
        }
        checked++;
        Object result = method.invoke(guarded, arguments(method, "SELECT 1"));
        if (result != null && !result.getClass().getSimpleName().startsWith("Guard")) {
          leaks.add(pair[0].getClass().getSimpleName() + " " + ((Class<?>) pair[0]).getSimpleName() + "."
              + method.getName() + Arrays.toString(method.getParameterTypes()) + " -> " + result.getClass());
        }
      }
    }
    assertThat(leaks).as("methods returning raw JDBC objects").isEmpty();
    assertThat(checked).as("object-returning methods checked").isGreaterThanOrEqualTo(60);
  }

  @Test
  void unwrapStillReachesTheTarget() throws Exception {
    Recorder recorder = new Recorder();
    GuardConnection connection = guarded(recorder);
    assertThat(connection.unwrap(GuardConnection.class)).isSameAs(connection);
    assertThat(connection.isWrapperFor(Connection.class)).isTrue();
  }
}
