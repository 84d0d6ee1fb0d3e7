package dev.iamguard.jdbc;

import dev.iamguard.policy.registry.PolicySettings.Mode;
import dev.iamguard.audit.AuditSink;
import dev.iamguard.policy.Session;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Guards any {@link DataSource}: a connection pool (HikariCP) or a Spring bean. Connections come
 * back guarded exactly as from {@code jdbc:iamguard:} URLs.
 *
 * <pre>{@code
 * DataSource guarded = GuardDataSource.builder(hikari)
 *     .registry("etc/iamguard/registry.yaml")
 *     .cluster("my-cluster")
 *     .build();
 * }</pre>
 *
 * The user checked is the one the server reports (Redshift, PostgreSQL); {@code user(..)} is only
 * for targets that cannot report it (H2), and elsewhere must name the user the server reports or
 * the connection is refused. The cluster is {@code cluster(..)}, else the one the connection's URL
 * names, else the registry's only cluster. Settings not given fall back to system properties and environment
 * variables, as for the driver.
 */
public final class GuardDataSource implements DataSource {
  private final DataSource target;
  private final GuardConfig config;
  private final boolean local;
  private final AuditSink audit;
  /**
   * The policy the settings were validated with, held for the data source's life so that what
   * every connection shares stays open between them: a pool that lends one connection at a time
   * would otherwise close and reopen the audit file (and reread the registry once the collector
   * dropped it) at every borrow.
   */
  @SuppressWarnings("unused")
  private final ConnectionPolicy shared;

  /**
   * False when the target hands out a new physical connection at each getConnection
   * ({@link Builder#unpooled}); true by default: a pooled connection may carry an identity change an
   * earlier borrower left in an open transaction.
   */
  private final boolean reused;

  private GuardDataSource(DataSource target, GuardConfig config, boolean local, AuditSink audit,
      ConnectionPolicy shared, boolean reused) {
    this.reused = reused;
    this.target = target;
    this.config = config;
    this.local = local;
    this.audit = audit;
    this.shared = shared;
  }

  /** Starts guarding {@code target}. */
  public static Builder builder(DataSource target) {
    return new Builder(target);
  }

  /**
   * Guards {@code target} with settings named as for the driver ({@code iamguard.registry}, ...);
   * missing ones fall back to system properties and environment variables.
   */
  public static GuardDataSource wrap(DataSource target, Properties settings) throws SQLException {
    return validated(target, GuardConfig.resolve(settings, Map.of()), false, AuditSink.DEFAULT, true);
  }

  private static GuardDataSource validated(DataSource target, GuardConfig config, boolean local, AuditSink audit,
      boolean reused) throws SQLException {
    if (target == null) {
      throw new SQLException("iamguard: no target DataSource to guard", GuardSqlStates.CONNECTION_REFUSED);
    }
    ConnectionPolicy shared = GuardFactory.create(config, Session.of(null, null), local, audit); // fails now, not at the first getConnection
    return new GuardDataSource(target, config, local, audit, shared, reused);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return guard(target.getConnection(), null);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    Connection connection;
    try {
      connection = target.getConnection(username, password);
    } catch (SQLException refused) { // a refusal that quotes the password it was given is masked
      throw TargetErrors.withSecrets(refused, password == null ? List.of() : List.of(password));
    }
    return guard(connection, username);
  }

  private Connection guard(Connection connection, String username) throws SQLException {
    try {
      Properties identity = new Properties();
      DatabaseMetaData metaData = connection.getMetaData();
      String url = metaData.getURL() == null ? "" : metaData.getURL();
      String user = username != null ? username : metaData.getUserName();
      if (user != null) {
        identity.setProperty("user", user);
      }
      Identity.Login login = Identity.login(url, identity, config);
      boolean localDatabase = local || GuardFactory.isLocalDatabase(url);
      connection = GuardFactory.localDialect(connection, url);
      ConnectionPolicy policy = GuardFactory.create(config, login.declaredSession(), localDatabase, audit);
      try {
        // a pooled connection with auto-commit off is asked at its first auth-carrying statement, as
        // asking now would start a transaction the application did not begin; an earlier borrower
        // may have left it in a transaction whose end undoes an identity change (probe fw F1)
        policy.attach(connection, login, connection.getAutoCommit(), reused);
        return new GuardConnection(connection, policy);
      } catch (SQLException | RuntimeException | Error e) {
        policy.releaseAfter(e);
        throw e;
      }
    } catch (SQLException | RuntimeException | Error e) { // an Error too: a target built against another JDBC version
      Driver.closeAfter(connection, e); // never hand out, nor leak, an unguarded connection
      throw e;
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : target.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || target.isWrapperFor(iface);
  }

  /** Collects settings; {@link #build()} validates them and loads the registry once. */
  public static final class Builder {
    private final DataSource target;
    private final Map<Setting, String> settings = new HashMap<>();
    private boolean local;
    private AuditSink audit = AuditSink.DEFAULT;
    private boolean reused = true;

    private Builder(DataSource target) {
      this.target = target;
    }

    /** The registry file (or {@code classpath:name}). */
    public Builder registry(String location) {
      return set(Setting.REGISTRY, location);
    }

    public Builder registry(Path file) {
      return set(Setting.REGISTRY, file.toString());
    }

    public Builder mode(Mode mode) {
      return set(Setting.MODE, GuardConfig.modeName(mode));
    }

    public Builder cluster(String cluster) {
      return set(Setting.CLUSTER, cluster);
    }

    /**
     * The user to check as, on targets that cannot report it (H2); on Redshift and PostgreSQL it
     * must be the user the server reports, or connections are refused.
     */
    public Builder user(String user) {
      return set(Setting.USER, user);
    }

    public Builder groups(String... groups) {
      return set(Setting.GROUPS, String.join(",", groups));
    }

    /** Emulates COPY and UNLOAD against {@code folder} instead of sending them (local tests). */
    public Builder localS3(Path folder) {
      local = true;
      return set(Setting.LOCAL_S3, folder.toString());
    }

    /**
     * Lets the registry's policy_files lie outside its folder (absolute paths, {@code ..}, links);
     * by default they must lie inside it.
     */
    public Builder policyFilesOutside(boolean allowed) {
      return set(Setting.POLICY_FILES_OUTSIDE, Boolean.toString(allowed));
    }

    /** A name printed as the {@code source} field of every audit line. */
    public Builder name(String name) {
      return set(Setting.NAME, name);
    }

    /** Where decision events go; the default logs them on SLF4J logger dev.iamguard.audit. */
    public Builder auditTo(AuditSink sink) {
      this.audit = sink;
      return this;
    }

    /**
     * Says that the target opens a new physical connection at each {@code getConnection} (no pool):
     * then a transaction end on a connection is an identity change only once the guard saw the
     * identity change, as for {@code jdbc:iamguard:} URLs. By default each connection is taken to be
     * one a pool handed out before, which an earlier borrower may have left in a transaction that
     * changed the identity: a transaction end is then always taken as a possible identity change
     * (the server is asked again before the next auth-carrying statement, and a text holding both
     * is refused). Wrong for a pool: a statement could be checked for a user the server no longer
     * runs as.
     */
    public Builder unpooled() {
      reused = false;
      return this;
    }

    public Builder reloadIntervalMillis(long millis) {
      return set(Setting.RELOAD_INTERVAL, Long.toString(millis));
    }

    private Builder set(Setting setting, String value) {
      settings.put(setting, value);
      return this;
    }

    /** The guarded data source; fails when the registry is missing or invalid (unless mode off). */
    public GuardDataSource build() throws SQLException {
      Map<String, String> explicit = new HashMap<>();
      settings.forEach((setting, value) -> explicit.put(setting.key(), value));
      return validated(target, GuardConfig.resolve(new Properties(), explicit), local, audit, reused);
    }
  }
}
