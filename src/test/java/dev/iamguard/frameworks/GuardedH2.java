package dev.iamguard.frameworks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;

/** Guarded in-memory H2 URLs for the framework tests, checked against the JDBC tests' registry as user etl. */
final class GuardedH2 {
  /** Allowed: no auth clause. */
  static final String ALLOWED = "CREATE TABLE venue (venueid INT, venuename VARCHAR(100))";
  /** Denied: the role is not in the registry (ROLE_UNKNOWN). */
  static final String DENIED = "COPY venue FROM 's3://lake/in/venue/' IAM_ROLE 'arn:aws:iam::123456789012:role/Nobody'";

  private GuardedH2() {}

  static Path registry() {
    return Path.of("src", "test", "resources", "jdbc", "registry.yaml").toAbsolutePath();
  }

  /** A fresh database; the registry and the user to check as are URL arguments, so the URL is all a framework needs. */
  static String url() {
    return "jdbc:iamguard:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;iamguard.registry=" + registry()
        + ";iamguard.user=etl";
  }

  /** A connection to {@code url} (from {@link #url()}), to look at what a framework left behind. */
  static Connection connect(String url) throws SQLException {
    Properties login = new Properties();
    login.setProperty("user", "etl");
    return DriverManager.getConnection(url, login);
  }
}
