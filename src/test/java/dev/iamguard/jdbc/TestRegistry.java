package dev.iamguard.jdbc;

import java.nio.file.Path;
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
}
