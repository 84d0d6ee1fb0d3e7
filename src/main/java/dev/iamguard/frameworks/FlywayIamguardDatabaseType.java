package dev.iamguard.frameworks;

import java.sql.Types;
import java.util.Properties;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.database.DatabaseType;
import org.flywaydb.core.internal.database.DatabaseTypeRegister;
import org.flywaydb.core.internal.database.GeneralDatabaseType;
import org.flywaydb.core.internal.database.base.BaseDatabaseType;
import org.flywaydb.core.internal.database.base.Database;
import org.flywaydb.core.internal.jdbc.JdbcConnectionFactory;
import org.flywaydb.core.internal.jdbc.StatementInterceptor;
import org.flywaydb.core.internal.parser.Parser;
import org.flywaydb.core.internal.parser.ParsingContext;

/**
 * Lets Flyway open a {@code jdbc:iamguard:} URL it is given ({@code flyway.url}, {@code
 * Flyway.configure().dataSource(url, ...)}), as its database types already let it open
 * {@code jdbc:p6spy:} ones. Flyway asks the database type plugins which one handles a URL and loads
 * that one's driver; without this, none handles {@code jdbc:iamguard:} ("No Flyway database plugin
 * found"). This one handles a guarded URL whose target URL another Flyway type handles, loads
 * iamguard's driver, and passes the target's own connection settings through. Once connected,
 * Flyway picks the database type from the connection's metadata (H2, PostgreSQL, Redshift), never
 * this one.
 *
 * <p>Registered in {@code META-INF/services/org.flywaydb.core.extensibility.Plugin}; tested with
 * flyway-core 13.12.
 */
public final class FlywayIamguardDatabaseType extends BaseDatabaseType {
  /** Instantiated by Flyway's plugin register. */
  public FlywayIamguardDatabaseType() {}

  @Override
  public String getName() {
    return "iamguard";
  }

  @Override
  public int getNullType() {
    return Types.NULL;
  }

  @Override
  public boolean handlesJDBCUrl(String url) {
    return GuardedUrls.isGuarded(url) && target(url) != null;
  }

  @Override
  public String getDriverClass(String url, ClassLoader classLoader) {
    return GuardedUrls.DRIVER;
  }

  /** Never chosen for a connection: its metadata names the target database. */
  @Override
  public boolean handlesDatabaseProductNameAndVersion(String databaseProductName, String databaseProductVersion,
      java.sql.Connection connection) {
    return false;
  }

  @Override
  public Database createDatabase(Configuration configuration, JdbcConnectionFactory jdbcConnectionFactory,
      StatementInterceptor statementInterceptor) {
    throw new UnsupportedOperationException("iamguard: Flyway uses the target database's own type once connected");
  }

  @Override
  public Parser createParser(Configuration configuration, ResourceProvider resourceProvider, ParsingContext parsingContext) {
    throw new UnsupportedOperationException("iamguard: Flyway uses the target database's own type once connected");
  }

  @Override
  public void setDefaultConnectionProps(String url, Properties props, ClassLoader classLoader) {
    DatabaseType target = target(url);
    if (target != null) {
      target.setDefaultConnectionProps(GuardedUrls.target(url), props, classLoader);
    }
  }

  @Override
  public boolean detectUserRequiredByUrl(String url) {
    DatabaseType target = target(url);
    return target == null || target.detectUserRequiredByUrl(GuardedUrls.target(url));
  }

  @Override
  public boolean detectPasswordRequiredByUrl(String url) {
    DatabaseType target = target(url);
    return target == null || target.detectPasswordRequiredByUrl(GuardedUrls.target(url));
  }

  @Override
  public boolean externalAuthPropertiesRequired(String url, String username, String password) {
    DatabaseType target = target(url);
    return target != null && target.externalAuthPropertiesRequired(GuardedUrls.target(url), username, password);
  }

  @Override
  public Properties getExternalAuthProperties(String url, String username) {
    DatabaseType target = target(url);
    return target == null ? new Properties() : target.getExternalAuthProperties(GuardedUrls.target(url), username);
  }

  @Override
  public Properties getExternalAuthProperties(Configuration configuration, String url, String username) {
    DatabaseType target = target(url);
    return target == null ? new Properties()
        : target.getExternalAuthProperties(configuration, GuardedUrls.target(url), username);
  }

  /** The Flyway type of the target URL inside {@code url}; null when Flyway knows none. */
  private static DatabaseType target(String url) {
    if (!GuardedUrls.isGuarded(url)) {
      return null;
    }
    for (GeneralDatabaseType type : DatabaseTypeRegister.getDatabaseTypesForUrl(GuardedUrls.target(url), null)) {
      if (type instanceof DatabaseType database && !(type instanceof FlywayIamguardDatabaseType)) {
        return database;
      }
    }
    return null;
  }
}
