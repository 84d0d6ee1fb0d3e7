package dev.iamguard.frameworks;

import liquibase.database.core.UnsupportedDatabase;

/**
 * Lets Liquibase open a {@code jdbc:iamguard:} URL without {@code --driver}: Liquibase asks each
 * database implementation for the default driver of a URL, and none knows this prefix ("Driver class
 * was not specified and could not be determined from the url"). This one names iamguard's driver
 * for guarded URLs and is never chosen for a connection, whose metadata names the target database
 * (H2, PostgreSQL, Redshift) that Liquibase then works with.
 *
 * <p>Registered in {@code META-INF/services/liquibase.database.Database}; tested with
 * liquibase-core 4.33.
 */
public final class LiquibaseIamguardDatabase extends UnsupportedDatabase {
  /** Instantiated by Liquibase's service locator. */
  public LiquibaseIamguardDatabase() {}

  @Override
  public String getDefaultDriver(String url) {
    return GuardedUrls.isGuarded(url) ? GuardedUrls.DRIVER : null;
  }

  @Override
  public String getShortName() {
    return "iamguard";
  }

  @Override
  protected String getDefaultDatabaseProductName() {
    return "iamguard";
  }
}
