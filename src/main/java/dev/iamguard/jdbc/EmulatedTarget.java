package dev.iamguard.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The target of a prepared (or callable) statement whose text is emulated on the local database
 * (COPY, UNLOAD, AWS-only DDL): the database cannot prepare such a text, so the guarded statement
 * wraps this stand-in instead, over one of the target's plain statements. {@link StatementGuard}
 * runs the text locally on every {@code execute*}; what the stand-in answers itself:
 * <ul>
 *   <li>parameters ({@code setXxx}, {@code registerOutParameter}, OUT values) and
 *       {@code addBatch()}: refused with {@code 0AI01}, since these statements take none and an
 *       emulated statement is never batched;</li>
 *   <li>{@code clearParameters()} does nothing, {@code getMetaData()} is null (no result set),
 *       {@code getParameterMetaData()} counts no parameter;</li>
 *   <li>every method {@link Statement} declares goes to the plain statement (timeouts, warnings,
 *       close, and SQL text the guard has already decided on).</li>
 * </ul>
 * It sits below the guard, like the target driver's own objects: the guarded statement never
 * hands it out except through {@code unwrap}, which reaches the plain statement's vendor API.
 */
final class EmulatedTarget implements InvocationHandler {
  private static final ParameterMetaData NO_PARAMETERS = noParameters();

  private final Statement plain;

  private EmulatedTarget(Statement plain) {
    this.plain = plain;
  }

  /** A prepared statement standing in for an emulated text, over {@code plain}. */
  static PreparedStatement prepared(Statement plain) {
    return proxy(PreparedStatement.class, plain);
  }

  /** A callable statement standing in for an emulated text, over {@code plain}. */
  static CallableStatement callable(Statement plain) {
    return proxy(CallableStatement.class, plain);
  }

  private static <T extends Statement> T proxy(Class<T> type, Statement plain) {
    return type.cast(Proxy.newProxyInstance(EmulatedTarget.class.getClassLoader(), new Class<?>[] {type},
        new EmulatedTarget(plain)));
  }

  /** The plain statement under a stand-in made here, or null when {@code target} is none. */
  static Statement plain(Statement target) {
    if (target != null && Proxy.isProxyClass(target.getClass())
        && Proxy.getInvocationHandler(target) instanceof EmulatedTarget emulated) {
      return emulated.plain;
    }
    return null;
  }

  @Override
  public Object invoke(Object self, Method method, Object[] args) throws Throwable {
    Class<?> declaring = method.getDeclaringClass();
    if (declaring == Object.class) {
      return switch (method.getName()) {
        case "equals" -> self == args[0];
        case "hashCode" -> System.identityHashCode(self);
        default -> "emulated " + plain;
      };
    }
    if (declaring != PreparedStatement.class && declaring != CallableStatement.class) {
      try {
        return method.invoke(plain, args); // Statement, Wrapper, AutoCloseable
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
    return switch (method.getName()) {
      case "clearParameters" -> null;
      case "getMetaData" -> null;
      case "getParameterMetaData" -> NO_PARAMETERS;
      case "addBatch" -> throw new SQLException("iamguard: an emulated COPY, UNLOAD or AWS-only DDL statement is"
          + " not run in a batch; call execute() for each", GuardSqlStates.NOT_SUPPORTED);
      case "execute", "executeQuery", "executeUpdate", "executeLargeUpdate" ->
          throw new IllegalStateException("an emulated statement runs locally, never on the target");
      default -> throw new SQLException("iamguard: COPY, UNLOAD and the AWS-only DDL take no parameters, and"
          + " this one is emulated on the local database (" + method.getName() + " refused): write the values"
          + " into the text", GuardSqlStates.NOT_SUPPORTED);
    };
  }

  private static ParameterMetaData noParameters() {
    InvocationHandler none = (self, method, args) -> switch (method.getName()) {
      case "getParameterCount" -> 0;
      case "isWrapperFor" -> ((Class<?>) args[0]).isInstance(self);
      case "unwrap" -> {
        if (((Class<?>) args[0]).isInstance(self)) {
          yield self;
        }
        throw new SQLException("not a wrapper for " + args[0]);
      }
      case "equals" -> self == args[0];
      case "hashCode" -> System.identityHashCode(self);
      case "toString" -> "no parameters";
      default -> throw new SQLException("iamguard: parameter " + args[0] + " does not exist: the statement has"
          + " none", GuardSqlStates.NO_SUCH_PARAMETER);
    };
    return (ParameterMetaData) Proxy.newProxyInstance(EmulatedTarget.class.getClassLoader(),
        new Class<?>[] {ParameterMetaData.class}, none);
  }
}
