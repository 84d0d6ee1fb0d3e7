package dev.iamguard.jdbc;

import dev.iamguard.audit.Redactor;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The iamguard JDBC driver: {@code jdbc:iamguard:<target URL>}, e.g.
 * {@code jdbc:iamguard:redshift://cluster.abc.us-west-2.redshift.amazonaws.com:5439/dev}.
 *
 * <p>Only the leading {@code iamguard:} is removed; the target driver is found through
 * {@link DriverManager}, else (loaded in a class loader of its own, as GUI SQL clients load driver
 * jars) through {@link java.util.ServiceLoader} over this driver's class loader and the thread's context class
 * loader ({@link TargetDrivers}). Settings ({@code iamguard.registry}, {@code iamguard.mode}, ...) come from
 * connection properties and URL arguments (removed before the target sees them), then system
 * properties, then environment variables ({@code IAMGUARD_REGISTRY}, ...), and the registry
 * falls back to a classpath resource {@code iamguard.yaml}. Without a registry, while the mode is
 * not {@code off}, the connection is refused.
 */
public final class Driver implements java.sql.Driver {
  static {
    try {
      DriverManager.registerDriver(new Driver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Used by ServiceLoader and the static registration. */
  public Driver() {}

  /** True for {@code jdbc:iamguard:} followed by a URL some other registered driver accepts. */
  @Override
  public boolean acceptsURL(String url) {
    TargetUrl target = TargetUrl.parse(url);
    return target != null && !TargetUrl.isGuardUrl(target.url()) && targetDriver(target.url()) != null;
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    TargetUrl target = TargetUrl.parse(url);
    if (target == null) {
      return null; // not ours: DriverManager asks the next driver
    }
    if (TargetUrl.isGuardUrl(target.url())) {
      throw new SQLException("iamguard: " + TargetUrl.PREFIX + " appears twice in the URL", GuardSqlStates.CONNECTION_REFUSED);
    }
    if (!target.repeated().isEmpty()) {
      throw new SQLException("iamguard: the URL gives " + String.join(", ", target.repeated())
          + " more than once; give each setting once", GuardSqlStates.CONNECTION_REFUSED);
    }
    if (target.moved()) {
      throw new SQLException("iamguard: the URL's iamguard settings sit where taking them out changes how the Redshift "
          + "driver reads the rest of it; put them after the '?', e.g. jdbc:iamguard:redshift://host:5439/db?ssl=true"
          + "&iamguard.mode=enforce", GuardSqlStates.CONNECTION_REFUSED);
    }
    java.sql.Driver driver = targetDriver(target.url());
    if (driver == null) {
      throw new SQLException("iamguard: no registered JDBC driver accepts the target URL "
          + Redactor.redactUrl(target.url()) + "; add the target driver (e.g. com.amazon.redshift:redshift-jdbc42) to the "
          + "classpath", GuardSqlStates.CONNECTION_REFUSED);
    }
    GuardConfig config = GuardConfig.resolve(info, target.settings());
    Properties targetProperties = GuardConfig.withoutSettings(info);
    Identity.Login login = Identity.login(target.url(), targetProperties, config);
    ConnectionPolicy guard = GuardFactory.create(config, login.declaredSession(), GuardFactory.isLocalDatabase(target.url()));
    Connection connection;
    try {
      if (guard.mode() != dev.iamguard.policy.registry.PolicySettings.Mode.OFF) {
        guard.refuseAnotherPlace(login); // before connecting: nothing is sent to a cluster the registry does not describe
      }
      connection = connectTarget(driver, target.url(), targetProperties);
      if (connection == null) {
        throw new SQLException("iamguard: the driver for " + Redactor.redactUrl(target.url()) + " returned no connection",
            GuardSqlStates.CONNECTION_REFUSED);
      }
    } catch (SQLException | RuntimeException | Error e) { // an Error too: an IAM login without the AWS SDK
      guard.releaseAfter(e); // a refused connection holds no audit file open
      throw e;
    }
    try {
      connection = GuardFactory.localDialect(connection, target.url());
      guard.attach(connection, login, true, false); // a new connection is in auto-commit: asking starts no transaction
      return new GuardConnection(connection, guard);
    } catch (SQLException | RuntimeException | Error e) {
      closeAfter(connection, e); // never hand out, nor leak, a connection whose identity is refused
      guard.releaseAfter(e);
      throw e;
    }
  }

  /**
   * Closes a target connection that is not handed out because of {@code failure}, the error the
   * caller throws; a failure to close is added to it rather than hiding it.
   */
  static void closeAfter(Connection connection, Throwable failure) {
    try {
      connection.close();
    } catch (SQLException | RuntimeException | Error closing) {
      failure.addSuppressed(closing);
    }
  }

  /**
   * Connects through the target driver; a refusal in which any message (its own, a cause's, a next
   * or suppressed exception's) quotes a password, key or token of the URL or properties (a driver
   * that echoes part of the URL) is thrown again masked and without the original, which would print
   * it as its cause.
   */
  private static Connection connectTarget(java.sql.Driver driver, String url, Properties properties) throws SQLException {
    try {
      return driver.connect(url, properties);
    } catch (SQLException refused) {
      throw TargetErrors.withSecrets(refused, Redactor.secretsOf(url, properties));
    } catch (RuntimeException failed) {
      SQLException masked = TargetErrors.replacing(failed, Redactor.secretsOf(url, properties));
      if (masked == null) {
        throw failed;
      }
      throw masked;
    }
  }

  /** The first driver, other than iamguard, that accepts {@code url} ({@link TargetDrivers}). */
  private static java.sql.Driver targetDriver(String url) {
    return TargetDrivers.find(url);
  }

  /** The iamguard settings, then the target driver's own properties. */
  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    List<DriverPropertyInfo> properties = new ArrayList<>();
    for (Setting setting : Setting.values()) {
      DriverPropertyInfo property = new DriverPropertyInfo(setting.key(),
          info == null ? null : GuardConfig.property(info, setting.key()));
      property.description = setting.description() + " (also system property " + setting.key()
          + " or environment variable " + setting.environmentVariable() + ")";
      if (setting == Setting.MODE) {
        property.choices = new String[] {"enforce", "audit", "off"};
      }
      properties.add(property);
    }
    TargetUrl target = TargetUrl.parse(url);
    java.sql.Driver driver = target == null ? null : targetDriver(target.url());
    if (driver != null) {
      for (DriverPropertyInfo property : driver.getPropertyInfo(target.url(), GuardConfig.withoutSettings(info))) {
        if (Redactor.isSecretName(property.name)) {
          property.value = null; // drivers give back the password they were handed: tools print these
        }
        properties.add(property);
      }
    }
    return properties.toArray(new DriverPropertyInfo[0]);
  }

  @Override
  public int getMajorVersion() {
    return 0;
  }

  @Override
  public int getMinorVersion() {
    return 1;
  }

  /** iamguard adds no SQL of its own; compliance is the target driver's. */
  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return Logger.getLogger("dev.iamguard");
  }
}
