package dev.iamguard.jdbc;

import dev.iamguard.policy.Session;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/** The JDBC tests' registry and connection settings. */
final class TestRegistry {
  /** Denied: the role is not in the registry (ROLE_UNKNOWN). */
  static final String DENIED = "COPY t FROM 's3://lake/in/t/' IAM_ROLE 'arn:aws:iam::123456789012:role/Nobody'";
  static final String LOADER = "arn:aws:iam::123456789012:role/Loader";

  private TestRegistry() {}

  static Path path() {
    return Path.of("src", "test", "resources", "jdbc", "registry.yaml").toAbsolutePath();
  }

  /** A fresh in-memory H2 URL behind iamguard. */
  static String h2Url() {
    return "jdbc:iamguard:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  /** Settings for user {@code user} with the test registry. */
  static Properties properties(String user) {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", "");
    properties.setProperty("iamguard.registry", path().toString());
    return properties;
  }

  /** A guarded connection of user {@code etl} to a fresh in-memory H2, emulating S3 in {@code localS3}. */
  static Connection openH2(Path localS3) throws SQLException {
    Properties properties = properties("etl");
    properties.setProperty("iamguard.local-s3", localS3.toString());
    return DriverManager.getConnection(h2Url(), properties);
  }

  /**
   * The policy state of a connection of user {@code etl} checked against the test registry (mode
   * enforce, no local emulation), built as the driver builds it, without the environment.
   */
  static ConnectionPolicy policy() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", path().toString());
    return GuardFactory.create(GuardConfig.resolve(properties, Map.of(), k -> null, k -> null), Session.of("etl", null),
        false);
  }

  /** {@code target} guarded by {@link #policy()}. */
  static GuardConnection guarded(Connection target) throws SQLException {
    return new GuardConnection(target, policy());
  }
}
