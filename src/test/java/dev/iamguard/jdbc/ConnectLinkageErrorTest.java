package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iamguard.OpenFiles;
import dev.iamguard.StandInDriver;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target driver may fail with an {@link Error} rather than an SQLException: the Redshift driver's
 * IAM login throws {@code NoClassDefFoundError} where the AWS SDK is not on the classpath, a driver
 * built against another JDBC version throws {@code AbstractMethodError}. Such a failure, at connect or
 * while iamguard asks the new connection who it is, still gives back the audit file the connection
 * held and closes the target connection already opened: none is left open behind the error.
 */
class ConnectLinkageErrorTest {
  @TempDir
  Path dir;

  /** What the stand-in driver does at its next connect. */
  private static volatile Supplier<Connection> target;

  /** Accepts jdbc:linkless: URLs and does whatever {@link #target} says. */
  static final class LinklessDriver extends StandInDriver {
    LinklessDriver() {
      super("jdbc:linkless:");
    }

    @Override
    protected Connection connectAccepted(String url, Properties info) {
      return target.get();
    }
  }

  private final LinklessDriver driver = new LinklessDriver();

  @BeforeEach
  void register() throws SQLException {
    OpenFiles.require();
    DriverManager.registerDriver(driver);
  }

  @AfterEach
  void deregister() throws SQLException {
    DriverManager.deregisterDriver(driver);
  }

  private Properties settings(Path audit) {
    Properties properties = TestRegistry.properties("etl");
    properties.setProperty("iamguard.audit-file", audit.toString());
    return properties;
  }

  /**
   * A connection each of whose methods but {@code close} and {@code isClosed} throws {@code error};
   * {@code closes} counts the calls to close.
   */
  private static Connection broken(Error error, AtomicInteger closes) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "close" -> {
            closes.incrementAndGet();
            yield null;
          }
          case "isClosed" -> closes.get() > 0;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          case "toString" -> "broken connection";
          default -> throw error;
        });
  }

  private static Error[] errors() {
    return new Error[] {new NoClassDefFoundError("com/amazonaws/auth/AWSCredentialsProvider"),
        new AbstractMethodError("a driver built against another JDBC version"),
        new ExceptionInInitializerError("a driver class failed to initialise")};
  }

  @Test
  void anErrorAtConnectGivesTheAuditFileBack() throws Exception {
    for (Error error : errors()) {
      Path audit = dir.resolve(error.getClass().getSimpleName() + ".jsonl");
      target = () -> {
        throw error;
      };
      Throwable thrown = catchThrowable(() -> DriverManager.getConnection("jdbc:iamguard:linkless://host/dev",
          settings(audit)));
      assertThat(thrown).as(error.toString()).isSameAs(error);
      assertThat(OpenFiles.isOpen(audit)).as("audit file open after " + error).isFalse();
    }
  }

  @Test
  void anErrorWhileAskingTheConnectionClosesItAndGivesTheFileBack() throws Exception {
    for (Error error : errors()) {
      Path audit = dir.resolve("asked-" + error.getClass().getSimpleName() + ".jsonl");
      AtomicInteger closes = new AtomicInteger();
      target = () -> broken(error, closes);
      Throwable thrown = catchThrowable(() -> DriverManager.getConnection("jdbc:iamguard:linkless://host/dev",
          settings(audit)));
      assertThat(thrown).as(error.toString()).isSameAs(error);
      assertThat(closes).as("target connection closed after " + error).hasValue(1);
      assertThat(OpenFiles.isOpen(audit)).as("audit file open after " + error).isFalse();
    }
  }

  @Test
  void aDataSourceClosesATargetConnectionItCannotAsk() throws Exception {
    for (Error error : errors()) {
      Path audit = dir.resolve("source-" + error.getClass().getSimpleName() + ".jsonl");
      AtomicInteger closes = new AtomicInteger();
      DataSource source = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
          new Class<?>[] {DataSource.class}, (proxy, method, args) -> switch (method.getName()) {
            case "getConnection" -> broken(error, closes);
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "broken data source";
            default -> throw new SQLFeatureNotSupportedException(method.getName());
          });
      GuardDataSource guarded = GuardDataSource.wrap(source, settings(audit));
      Throwable thrown = catchThrowable(guarded::getConnection);
      assertThat(thrown).as(error.toString()).isSameAs(error);
      assertThat(closes).as("target connection closed after " + error).hasValue(1);
    }
  }
}
