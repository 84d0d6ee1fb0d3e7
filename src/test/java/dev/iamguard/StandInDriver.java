package dev.iamguard;

import java.sql.Connection;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A target driver a test registers to stand for one that fails in a given way: it accepts the URLs
 * starting with its prefix and answers {@link #connect} with {@link #connectAccepted}.
 */
public abstract class StandInDriver implements java.sql.Driver {
  private final String prefix;

  /** A driver for the URLs starting with {@code prefix} (e.g. {@code jdbc:leaky:}). */
  protected StandInDriver(String prefix) {
    this.prefix = prefix;
  }

  /** What the driver does with a URL it accepts. */
  protected abstract Connection connectAccepted(String url, Properties info) throws SQLException;

  @Override
  public final Connection connect(String url, Properties info) throws SQLException {
    return acceptsURL(url) ? connectAccepted(url, info) : null;
  }

  @Override
  public final boolean acceptsURL(String url) {
    return url.startsWith(prefix);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[0];
  }

  @Override
  public int getMajorVersion() {
    return 1;
  }

  @Override
  public int getMinorVersion() {
    return 0;
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }
}
