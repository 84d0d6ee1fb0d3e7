package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.URI;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Wrapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Calls every method of each Forwarding class on a recording {@link Proxy} target and checks that
 * the target received the same method with the same arguments, and that its answer came back
 * unchanged.
 */
class ForwardingDelegationTest {

  /** One Forwarding class under test: its interface, how to build it, and a floor for the count. */
  record Case(Class<?> iface, Class<?> forwarding, Function<Object, Wrapper> wrap, int floor) {
    @Override
    public String toString() {
      return forwarding.getSimpleName();
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(Connection.class, ForwardingConnection.class,
            t -> new ForwardingConnection((Connection) t), 50),
        new Case(Statement.class, ForwardingStatement.class,
            t -> new ForwardingStatement((Statement) t), 45),
        new Case(PreparedStatement.class, ForwardingPreparedStatement.class,
            t -> new ForwardingPreparedStatement((PreparedStatement) t, guardedConnection(), null, null), 100),
        new Case(CallableStatement.class, ForwardingCallableStatement.class,
            t -> new ForwardingCallableStatement((CallableStatement) t, guardedConnection(), null, null), 200),
        new Case(DatabaseMetaData.class, ForwardingDatabaseMetaData.class,
            t -> new ForwardingDatabaseMetaData((DatabaseMetaData) t), 170),
        new Case(ResultSet.class, ForwardingResultSet.class,
            t -> ForwardingResultSet.of((ResultSet) t), 180));
  }

  /**
   * The prepared and callable Forwarding classes sit in the one statement chain above the
   * Statement guard, so they need a guarded connection (over an inert target: none of the
   * methods they forward asks it anything).
   */
  static GuardConnection guardedConnection() {
    try {
      return TestRegistry.guarded((Connection) proxy(Connection.class, inert("connection")));
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The methods {@code c}'s class inherits from a Guard class of the statement chain: they are
   * policy, not plumbing (GuardCoverageTest and the H2 tests prove what they do), and each is a
   * method of a super-interface, whose own Forwarding case proves its delegation.
   */
  static boolean guardedInChain(Case c, Method method) {
    try {
      Class<?> declarer = c.forwarding().getMethod(method.getName(), method.getParameterTypes()).getDeclaringClass();
      return declarer.getSimpleName().startsWith("Guard");
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  /** A call the target received. */
  record Call(Method method, Object[] args) {}

  /** Target handler: records each call and answers with a fresh sentinel for the return type. */
  static final class Recorder implements InvocationHandler {
    final List<Call> calls = new ArrayList<>();
    Object lastAnswer;
    private int seed = 10_000;

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      if (method.getDeclaringClass() == Object.class) {
        return objectMethod(proxy, method, args, "recording target");
      }
      calls.add(new Call(method, args == null ? new Object[0] : args));
      lastAnswer = sample(method.getReturnType(), seed++);
      return lastAnswer;
    }
  }

  /** Marker for a vendor-specific interface that only the target implements. */
  interface VendorExtension {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyMethodReachesTheTargetUnchanged(Case c) throws IllegalAccessException {
    Recorder recorder = new Recorder();
    Object target = proxy(c.iface(), recorder);
    Wrapper wrapper = c.wrap().apply(target);

    Map<String, Method> methods = new TreeMap<>();
    List<Method> guarded = new ArrayList<>();
    for (Method method : c.iface().getMethods()) {
      if (Modifier.isStatic(method.getModifiers())
          || method.getName().equals("unwrap")
          || method.getName().equals("isWrapperFor")) {
        continue;
      }
      if (guardedInChain(c, method)) {
        guarded.add(method);
        continue;
      }
      methods.putIfAbsent(signature(method), method);
    }
    assertThat(guarded).as("%s: methods of its own interface left to a Guard class", c)
        .allMatch(method -> method.getDeclaringClass() != c.iface());

    SoftAssertions softly = new SoftAssertions();
    int seed = 0;
    int checked = 0;
    for (Method method : methods.values()) {
      Class<?>[] types = method.getParameterTypes();
      Object[] args = new Object[types.length];
      for (int i = 0; i < types.length; i++) {
        args[i] = sample(types[i], seed++);
      }
      recorder.calls.clear();
      recorder.lastAnswer = null;
      Object result;
      try {
        result = method.invoke(wrapper, args);
      } catch (InvocationTargetException e) {
        softly.fail(signature(method) + " threw " + e.getCause());
        continue;
      }
      checked++;
      String what = c + "." + signature(method);
      softly.assertThat(recorder.calls).as("%s: calls received by the target", what).hasSize(1);
      if (recorder.calls.size() != 1) {
        continue;
      }
      Call call = recorder.calls.get(0);
      softly.assertThat(signature(call.method())).as("%s: method received", what)
          .isEqualTo(signature(method));
      softly.assertThat(call.method().getReturnType()).as("%s: return type", what)
          .isEqualTo(method.getReturnType());
      softly.assertThat(call.args()).as("%s: argument count", what).hasSameSizeAs(args);
      for (int i = 0; i < Math.min(args.length, call.args().length); i++) {
        if (types[i].isPrimitive()) {
          softly.assertThat(call.args()[i]).as("%s: argument %d", what, i).isEqualTo(args[i]);
        } else {
          softly.assertThat(call.args()[i]).as("%s: argument %d", what, i).isSameAs(args[i]);
        }
      }
      if (method.getReturnType() == void.class) {
        softly.assertThat(result).as("%s: result", what).isNull();
      } else if (method.getReturnType().isPrimitive()) {
        softly.assertThat(result).as("%s: result", what).isEqualTo(recorder.lastAnswer);
      } else {
        softly.assertThat(result).as("%s: result", what).isNotNull().isSameAs(recorder.lastAnswer);
      }
    }
    softly.assertThat(checked)
        .as("%s: %d methods checked of %d", c, checked, methods.size())
        .isEqualTo(methods.size());
    softly.assertThat(checked + guarded.size()).as("%s: methods of its interface", c).isGreaterThan(c.floor());
    softly.assertAll();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void unwrapAndIsWrapperForAnswerForTheWrapperThenAskTheTarget(Case c) throws SQLException {
    List<Call> calls = new ArrayList<>();
    VendorExtension extension = (VendorExtension) proxy(VendorExtension.class, inert("extension"));
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return objectMethod(proxy, method, args, "target");
      }
      calls.add(new Call(method, args));
      if (method.getName().equals("isWrapperFor")) {
        return args[0] == VendorExtension.class;
      }
      if (method.getName().equals("unwrap") && args[0] == VendorExtension.class) {
        return extension;
      }
      throw new SQLException("not a wrapper for " + args[0]);
    };
    Wrapper wrapper = c.wrap().apply(proxy(c.iface(), handler));

    assertThat(wrapper.unwrap(c.forwarding())).isSameAs(wrapper);
    assertThat(wrapper.unwrap(c.iface())).isSameAs(wrapper);
    assertThat(wrapper.isWrapperFor(c.forwarding())).isTrue();
    assertThat(wrapper.isWrapperFor(c.iface())).isTrue();
    assertThat(calls).as("calls the wrapper answered by itself").isEmpty();

    assertThat(wrapper.unwrap(VendorExtension.class)).isSameAs(extension);
    assertThat(wrapper.isWrapperFor(VendorExtension.class)).isTrue();
    assertThat(wrapper.isWrapperFor(Runnable.class)).isFalse();
    assertThatThrownBy(() -> wrapper.unwrap(Runnable.class))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Runnable");
    assertThat(calls).extracting(call -> call.method().getName())
        .containsExactly("unwrap", "isWrapperFor", "isWrapperFor", "unwrap");
    assertThat(calls).extracting(call -> call.args()[0])
        .containsExactly(VendorExtension.class, VendorExtension.class, Runnable.class,
            Runnable.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void toStringShowsOnlyTheTarget(Case c) {
    Object target = proxy(c.iface(), new Recorder());
    Wrapper wrapper = c.wrap().apply(target);

    assertThat(wrapper).hasToString("iamguard:" + target);
    assertThat(wrapper.toString()).isEqualTo("iamguard:recording target");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusesANullTarget(Case c) {
    assertThatThrownBy(() -> c.wrap().apply(null)).isInstanceOf(NullPointerException.class);
  }

  // --- helpers -----------------------------------------------------------------------------

  static String signature(Method method) {
    return method.getName() + Arrays.toString(method.getParameterTypes());
  }

  static Object proxy(Class<?> iface, InvocationHandler handler) {
    return Proxy.newProxyInstance(
        ForwardingDelegationTest.class.getClassLoader(), new Class<?>[] {iface}, handler);
  }

  /** A handler for sentinel proxies: answers Object's methods, nothing else is expected. */
  static InvocationHandler inert(String name) {
    return (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return objectMethod(proxy, method, args, name);
      }
      throw new UnsupportedOperationException(name + " received " + method);
    };
  }

  static Object objectMethod(Object proxy, Method method, Object[] args, String name) {
    switch (method.getName()) {
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      default:
        return name;
    }
  }

  /**
   * A value of the given type, distinct for each seed where the type allows it: fresh objects
   * (compared by identity), fresh proxies for interfaces, seed-dependent primitives.
   */
  static Object sample(Class<?> type, int seed) {
    if (type == void.class) {
      return null;
    } else if (type == boolean.class) {
      return seed % 2 == 0;
    } else if (type == byte.class) {
      return (byte) seed;
    } else if (type == short.class) {
      return (short) (1_000 + seed);
    } else if (type == int.class) {
      return 100_000 + seed;
    } else if (type == long.class) {
      return 10_000_000_000L + seed;
    } else if (type == float.class) {
      return 0.5f + seed;
    } else if (type == double.class) {
      return 0.25d + seed;
    } else if (type == char.class) {
      return (char) ('a' + seed % 26);
    } else if (type == String.class) {
      return new String("sentinel-" + seed);
    } else if (type == Object.class) {
      return new Object();
    } else if (type == Class.class) {
      return seed % 2 == 0 ? String.class : Integer.class;
    } else if (type.isArray()) {
      return java.lang.reflect.Array.newInstance(type.getComponentType(), 1 + seed % 3);
    } else if (type.isEnum()) {
      Object[] constants = type.getEnumConstants();
      return constants[seed % constants.length];
    } else if (type.isInterface()) {
      return proxy(type, inert(type.getSimpleName() + "#" + seed));
    } else if (type == BigDecimal.class) {
      return new BigDecimal(seed + ".5");
    } else if (type == java.sql.Date.class) {
      return new java.sql.Date(seed);
    } else if (type == Time.class) {
      return new Time(seed);
    } else if (type == Timestamp.class) {
      return new Timestamp(seed);
    } else if (type == java.net.URL.class) {
      try {
        return URI.create("http://example.invalid/" + seed).toURL();
      } catch (java.net.MalformedURLException e) {
        throw new AssertionError(e);
      }
    } else if (type == InputStream.class) {
      return new ByteArrayInputStream(new byte[] {(byte) seed});
    } else if (type == Reader.class) {
      return new StringReader("reader-" + seed);
    } else if (type == Calendar.class) {
      return Calendar.getInstance();
    } else if (type == Properties.class) {
      return new Properties();
    } else if (type == SQLWarning.class) {
      return new SQLWarning("warning-" + seed);
    }
    throw new AssertionError("no sample value for " + type);
  }
}
