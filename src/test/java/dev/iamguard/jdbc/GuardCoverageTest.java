package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Proves, by reflection over the JDBC interfaces, that every method taking a String is guarded (a
 * denied text throws and never reaches the target) unless it is on the reviewed list of methods
 * whose Strings are not SQL, that no method hands out an unwrapped JDBC object, and that unwrap
 * reaches the target's vendor API (after the AWS JDBC wrapper's BoundObjectCoverageTest).
 */
class GuardCoverageTest {
  // an Array too: a driver builds its result sets on a statement of its own connection
  private static final List<Class<?>> JDBC_TYPES = List.of(Connection.class, Statement.class,
      PreparedStatement.class, CallableStatement.class, ResultSet.class, DatabaseMetaData.class, DataSource.class,
      Array.class);
  private static final Path REVIEWED = Path.of("src", "test", "resources", "jdbc", "not-sql-string-methods.txt");

  /** A vendor API only the targets implement (as RedshiftConnection, PGStatement, ...). */
  interface VendorExtension {}

  /**
   * Records every call on every proxy it creates; JDBC-typed results are new proxies. Each proxy
   * also implements {@link VendorExtension} and answers unwrap and isWrapperFor as a driver does.
   */
  static final class Recorder {
    final List<Object[]> calls = new ArrayList<>();
    /** The proxy created last: the raw target of the guarded object made from it. */
    Object last;

    @SuppressWarnings("unchecked")
    <T> T proxy(Class<T> type) {
      T proxy = (T) Proxy.newProxyInstance(GuardCoverageTest.class.getClassLoader(),
          new Class<?>[] {type, VendorExtension.class},
          (self, method, args) -> answer(type, self, method, args));
      last = proxy;
      return proxy;
    }

    private Object answer(Class<?> type, Object self, Method method, Object[] args) throws SQLException {
      calls.add(args == null ? new Object[0] : args);
      Class<?> returns = method.getReturnType();
      switch (method.getName()) {
        case "toString":
          return "proxy " + type.getSimpleName();
        case "hashCode":
          return System.identityHashCode(self);
        case "equals":
          return self == args[0];
        case "unwrap":
          if (((Class<?>) args[0]).isInstance(self)) {
            return self;
          }
          throw new SQLException("not a wrapper for " + args[0]);
        case "isWrapperFor":
          return ((Class<?>) args[0]).isInstance(self);
        case "getURL":
          return "jdbc:h2:mem:coverage"; // a target that cannot report its user: GuardDataSource declares it
        default:
          break;
      }
      if (JDBC_TYPES.contains(returns)) {
        return proxy(returns);
      }
      if (returns == Object.class) {
        return proxy(ResultSet.class); // a cursor value, as a refcursor column returns
      }
      return defaultValue(returns);
    }

    boolean sawArgument(String sql) {
      return calls.stream().anyMatch(args -> Arrays.asList(args).contains(sql));
    }
  }

  /** A guarded object, the interface it is handed out as, and the raw target it wraps. */
  record Guarded(Class<?> iface, Object guarded, Object target) {}

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

  /** Arguments for {@code method}, with {@code text} in every String parameter. */
  static Object[] arguments(Method method, String text) {
    Class<?>[] types = method.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> type = types[i];
      args[i] = type == String.class ? text
          : type == int.class ? 1 : type == long.class ? 1L : type == boolean.class ? false
          : type == int[].class ? new int[] {1} : type == String[].class ? new String[] {"x"}
          : type == Class.class ? ResultSet.class : type == Map.class ? Map.of()
          : type.isPrimitive() ? defaultValue(type) : null;
    }
    return args;
  }

  static GuardConnection guarded(Recorder recorder) throws SQLException {
    return TestRegistry.guarded(recorder.proxy(Connection.class));
  }

  /** The guarded objects of every kind, over recording proxies, each with its raw target. */
  static List<Guarded> guardedObjects(Recorder recorder) throws SQLException {
    List<Guarded> objects = new ArrayList<>();
    GuardConnection connection = guarded(recorder);
    objects.add(new Guarded(Connection.class, connection, recorder.last));
    objects.add(new Guarded(Statement.class, connection.createStatement(), recorder.last));
    objects.add(new Guarded(PreparedStatement.class, connection.prepareStatement("SELECT 1"), recorder.last));
    objects.add(new Guarded(CallableStatement.class, connection.prepareCall("SELECT 1"), recorder.last));
    objects.add(new Guarded(DatabaseMetaData.class, connection.getMetaData(), recorder.last));
    objects.add(new Guarded(ResultSet.class, connection.createStatement().executeQuery("SELECT 1"), recorder.last));
    Properties settings = new Properties();
    settings.setProperty("iamguard.registry", TestRegistry.path().toString());
    settings.setProperty("iamguard.user", "etl");
    DataSource target = recorder.proxy(DataSource.class);
    objects.add(new Guarded(DataSource.class, GuardDataSource.wrap(target, settings), target));
    return objects;
  }

  /** {@code Interface.method(ParameterTypes)}, with the interface that declares the method. */
  static String signature(Method method) {
    return method.getDeclaringClass().getSimpleName() + "." + method.getName() + Arrays.stream(method.getParameterTypes())
        .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
  }

  /** The reviewed list: each method taking a String but no SQL, with the reason it is not guarded. */
  static Map<String, String> reviewed() throws IOException {
    Map<String, String> reasons = new LinkedHashMap<>();
    String reason = null;
    for (String line : Files.readAllLines(REVIEWED)) {
      if (line.startsWith("## ")) {
        reason = line.substring(3).strip();
      } else if (!line.isBlank() && !line.startsWith("#")) {
        assertThat(reason).as("the reason for %s", line).isNotBlank();
        assertThat(reasons.put(line.strip(), reason)).as("%s listed twice", line).isNull();
      }
    }
    return reasons;
  }

  @Test
  void everyMethodTakingAStringIsGuardedOrReviewed() throws Exception {
    Map<String, String> reviewed = reviewed();
    Set<String> reviewedSeen = new TreeSet<>();
    List<String> unguarded = new ArrayList<>();
    int checked = 0;
    Recorder recorder = new Recorder();
    for (Guarded object : guardedObjects(recorder)) {
      for (Method method : object.iface().getMethods()) {
        if (Modifier.isStatic(method.getModifiers()) || !Arrays.asList(method.getParameterTypes()).contains(String.class)) {
          continue;
        }
        String signature = signature(method);
        if (reviewed.containsKey(signature)) {
          reviewedSeen.add(signature);
          continue;
        }
        checked++;
        String sql = TestRegistry.DENIED + " /* " + object.iface().getSimpleName() + "." + method.getName() + checked
            + " */";
        Method implementation = object.guarded().getClass().getMethod(method.getName(), method.getParameterTypes());
        boolean declaredByGuard = implementation.getDeclaringClass().getSimpleName().startsWith("Guard");
        Throwable thrown = null;
        try {
          method.invoke(object.guarded(), arguments(method, sql));
        } catch (InvocationTargetException e) {
          thrown = e.getCause();
        }
        if (!declaredByGuard || !(thrown instanceof GuardDeniedException) || recorder.sawArgument(sql)) {
          unguarded.add(object.iface().getSimpleName() + ": " + signature);
        }
      }
    }
    assertThat(unguarded).as("methods taking a String that are neither guarded nor reviewed in " + REVIEWED).isEmpty();
    assertThat(checked).as("SQL methods checked").isGreaterThanOrEqualTo(50);
    assertThat(reviewed.keySet()).as("reviewed entries that match no method (stale)")
        .containsExactlyInAnyOrderElementsOf(reviewedSeen);
  }

  @Test
  void noMethodHandsOutAnUnwrappedJdbcObject() throws Exception {
    List<String> leaks = new ArrayList<>();
    int checked = 0;
    for (Guarded object : guardedObjects(new Recorder())) {
      // the class's public methods: the interface's, and any the wrapper adds
      for (Method method : object.guarded().getClass().getMethods()) {
        Class<?> returns = method.getReturnType();
        boolean jdbc = JDBC_TYPES.stream().anyMatch(type -> type.isAssignableFrom(returns)) && returns != Object.class
            || returns == Object.class && method.getDeclaringClass() != Object.class;
        if (!jdbc || method.getName().equals("unwrap") || Modifier.isStatic(method.getModifiers())) {
          continue;
        }
        checked++;
        Object result = method.invoke(object.guarded(), arguments(method, "SELECT 1"));
        if (result != null && !result.getClass().getSimpleName().startsWith("Guard")) {
          leaks.add(object.guarded().getClass().getSimpleName() + " " + signature(method) + " -> " + result.getClass());
        }
      }
    }
    assertThat(leaks).as("methods returning raw JDBC objects").isEmpty();
    assertThat(checked).as("object-returning methods checked").isGreaterThanOrEqualTo(60);
  }

  @Test
  void anArraysResultSetsAndTheirStatementsAreGuarded() throws Exception {
    Recorder recorder = new Recorder();
    GuardConnection connection = guarded(recorder);
    ResultSet rows = connection.createStatement().executeQuery("SELECT 1");
    CallableStatement call = connection.prepareCall("SELECT 1");
    List<Array> arrays = List.of(rows.getArray(1), rows.getArray("a"), call.getArray(1), call.getArray("a"),
        connection.createArrayOf("int", new Object[] {1}),
        (Array) GuardResultSet.cursor(recorder.proxy(Array.class), connection), // getObject of an array column
        GuardResultSet.cursor(recorder.proxy(Array.class), Array.class, connection));
    for (Array array : arrays) {
      assertThat(array).isInstanceOf(GuardArray.class);
      for (ResultSet resultSet : List.of(array.getResultSet(), array.getResultSet(Map.of()),
          array.getResultSet(1, 1), array.getResultSet(1, 1, Map.of()))) {
        assertThat(resultSet).isInstanceOf(GuardResultSet.class);
        assertThat(resultSet.getStatement()).isInstanceOf(GuardStatement.class);
      }
    }
  }

  @Test
  void unwrapStillReachesTheTarget() throws Exception {
    for (Guarded object : guardedObjects(new Recorder())) {
      Wrapper guarded = (Wrapper) object.guarded();
      String what = object.iface().getSimpleName();
      assertThat(object.target()).as(what).isInstanceOf(VendorExtension.class).isNotInstanceOf(guarded.getClass());
      assertThat(guarded.unwrap(VendorExtension.class)).as("%s: the vendor API is the target's", what)
          .isSameAs(object.target());
      assertThat(guarded.isWrapperFor(VendorExtension.class)).as(what).isTrue();
      assertThat(guarded.unwrap(object.iface())).as("%s: the JDBC interface is the guarded object", what)
          .isSameAs(guarded);
      assertThat(guarded.isWrapperFor(Runnable.class)).as(what).isFalse();
      assertThatThrownBy(() -> guarded.unwrap(Runnable.class)).as(what)
          .isInstanceOf(SQLException.class).hasMessageContaining("Runnable");
    }
    GuardConnection connection = guarded(new Recorder());
    assertThat(connection.unwrap(IamguardConnection.class)).isSameAs(connection);
  }
}
