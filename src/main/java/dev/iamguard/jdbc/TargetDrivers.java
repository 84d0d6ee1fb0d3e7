package dev.iamguard.jdbc;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the driver of a target URL. {@link DriverManager} first: it knows the drivers an application
 * put on its classpath. But it hands a caller only the drivers its own class loader can see, and it
 * finds {@code META-INF/services/java.sql.Driver} entries only on the class path it started with, so
 * a GUI SQL client (DBeaver, DataGrip) that loads iamguard's jar and the vendor's jar in a class
 * loader of their own gets nothing from it. Then the {@link ServiceLoader} entries seen by iamguard's
 * class loader, and by the thread's context class loader (an application server's web application),
 * are asked too.
 */
final class TargetDrivers {
  /** Drivers of iamguard's own class loader: instantiated once, on the first miss of DriverManager. */
  private static final ServiceLoader<java.sql.Driver> OWN =
      ServiceLoader.load(java.sql.Driver.class, TargetDrivers.class.getClassLoader());

  /** Broken {@code java.sql.Driver} entries skipped in one loader before giving up on it. */
  private static final int MAX_BROKEN_ENTRIES = 64;

  private TargetDrivers() {}

  /** The first driver, other than an iamguard one, that accepts {@code url}; null when none does. */
  static java.sql.Driver find(String url) {
    for (Enumeration<java.sql.Driver> drivers = DriverManager.getDrivers(); drivers.hasMoreElements(); ) {
      java.sql.Driver driver = drivers.nextElement();
      if (accepts(driver, url)) {
        return driver;
      }
    }
    java.sql.Driver own;
    synchronized (OWN) { // a ServiceLoader caches what it instantiated, but is not safe for threads
      own = first(OWN, url);
    }
    if (own != null) {
      return own;
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context == null || context == TargetDrivers.class.getClassLoader()) {
      return null;
    }
    return first(ServiceLoader.load(java.sql.Driver.class, context), url);
  }

  private static java.sql.Driver first(ServiceLoader<java.sql.Driver> loader, String url) {
    Iterator<java.sql.Driver> drivers = loader.iterator();
    for (int errors = 0; errors < MAX_BROKEN_ENTRIES; ) {
      java.sql.Driver driver;
      try {
        if (!drivers.hasNext()) {
          return null;
        }
        driver = drivers.next();
      } catch (ServiceConfigurationError e) {
        errors++;
        continue; // a listed driver that cannot be loaded (a missing dependency) is skipped; the next may do
      }
      if (accepts(driver, url)) {
        return driver;
      }
    }
    return null; // a loader whose entries keep failing is given up on rather than retried forever
  }

  /**
   * True when {@code driver} is not iamguard's (by class name: another copy of iamguard, in another
   * class loader, is iamguard too) and accepts {@code url}.
   */
  private static boolean accepts(java.sql.Driver driver, String url) {
    if (driver.getClass().getName().equals(Driver.class.getName())) {
      return false;
    }
    try {
      return driver.acceptsURL(url);
    } catch (SQLException | RuntimeException e) {
      return false; // a driver that cannot judge a URL does not accept it
    }
  }
}
