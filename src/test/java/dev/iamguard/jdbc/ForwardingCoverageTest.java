package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public method of each JDBC interface, default methods and those of super-interfaces
 * included, must be declared by the Forwarding class or one of its superclasses, and every method
 * the interface itself declares by a Forwarding class. A default method that is not overridden
 * would run the JDK's default instead of the target's. (The prepared and callable Forwarding
 * classes sit in the one statement chain: what they inherit from Statement comes through
 * GuardStatement, which overrides the SQL-taking methods and forwards the rest.)
 */
class ForwardingCoverageTest {

  static Stream<Arguments> classes() {
    return Stream.of(
        Arguments.of(ForwardingConnection.class, Connection.class),
        Arguments.of(ForwardingStatement.class, Statement.class),
        Arguments.of(ForwardingPreparedStatement.class, PreparedStatement.class),
        Arguments.of(ForwardingCallableStatement.class, CallableStatement.class),
        Arguments.of(ForwardingDatabaseMetaData.class, DatabaseMetaData.class),
        Arguments.of(ForwardingResultSet.class, ResultSet.class));
  }

  @ParameterizedTest(name = "{0} overrides every method of {1}")
  @MethodSource("classes")
  void everyInterfaceMethodIsDeclaredByAForwardingClass(Class<?> forwarding, Class<?> iface)
      throws NoSuchMethodException {
    assertThat(iface).isInterface().isAssignableFrom(forwarding);
    assertThat(Modifier.isFinal(forwarding.getModifiers())).as("%s is final", forwarding).isFalse();

    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (Method method : iface.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      checked++;
      Method implementation = forwarding.getMethod(method.getName(), method.getParameterTypes());
      Class<?> declarer = implementation.getDeclaringClass();
      boolean wrapper = declarer.getSimpleName().startsWith("Forwarding")
          || declarer.getSimpleName().startsWith("Guard") && method.getDeclaringClass() != iface;
      if (declarer.isInterface() || !wrapper) {
        missing.add(declarer.getSimpleName() + "." + method.getName()
            + Arrays.toString(method.getParameterTypes()));
      }
    }

    assertThat(checked).as("methods checked on %s", iface.getSimpleName()).isPositive();
    assertThat(missing)
        .as("%s leaves %d of %d %s methods to an interface default",
            forwarding.getSimpleName(), missing.size(), checked, iface.getSimpleName())
        .isEmpty();
  }

  @ParameterizedTest(name = "{0} has no interface default left in its hierarchy")
  @MethodSource("classes")
  void noDefaultMethodIsReachableThroughTheClass(Class<?> forwarding, Class<?> iface) {
    List<String> defaults = new ArrayList<>();
    for (Method method : forwarding.getMethods()) {
      if (method.isDefault()) {
        defaults.add(method.getDeclaringClass().getSimpleName() + "." + method.getName());
      }
    }
    assertThat(defaults).as("defaults reachable through %s", forwarding.getSimpleName()).isEmpty();
    assertThat(forwarding.getMethods()).as("public methods of %s", forwarding).isNotEmpty();
  }
}
