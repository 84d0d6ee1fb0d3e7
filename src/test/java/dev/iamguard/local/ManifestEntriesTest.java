package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard checks a COPY's manifest, not the objects it lists; AWS checks those against the role
 * when the COPY runs, and through the guarded driver the local emulation does too: with the sample
 * registry ({@code copy-unload} reads {@code s3://acmedata/redshift/} only), a manifest entry in
 * another bucket, another prefix of the same bucket, a sibling prefix or a spelling the guard
 * refuses, at any position among allowed entries, mandatory or not, fails the whole COPY with
 * 42501 and loads nothing; entries inside the prefix load. In audit mode and with the guard off the
 * emulation reads every entry, as those modes send every statement.
 */
class ManifestEntriesTest {
  private static final String MANIFEST = "s3://acmedata/redshift/in/manifest";
  private static final List<String> OUTSIDE = List.of("s3://companyb/redshift/data", "s3://acmedata/private/data",
      "s3://acmedata/redshiftx/data", "s3://acmedata/redshift.csv", "s3://acmedata/data", "s3://ACMEDATA/redshift/in/data",
      "s3://acmedata/redshift/%2e%2e/private/data", "s3://acmedata/redshift/in/%2E%2E/%2E%2E/private/data");
  private static final String INSIDE = "s3://acmedata/redshift/in/data";

  @TempDir
  Path root;

  private Connection connect(String mode) throws SQLException {
    Properties settings = new Properties();
    settings.setProperty("iamguard.registry", "samples/registry.yaml");
    settings.setProperty("iamguard.local-s3", root.toString());
    settings.setProperty("iamguard.mode", mode);
    settings.setProperty("user", "user1");
    Connection connection = DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID(), settings);
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (id INT, name VARCHAR(20))");
    }
    return connection;
  }

  /** Every object a manifest names holds one row; the files exist, so only the role can refuse them. */
  private void objects(List<String> urls) throws Exception {
    StringBuilder manifest = new StringBuilder("{\"entries\": [");
    for (int i = 0; i < urls.size(); i++) {
      String url = urls.get(i);
      LocalDb.put(root, url.substring("s3://".length()), i + "|row" + i + "\n");
      manifest.append(i == 0 ? "" : ", ").append("{\"url\": \"").append(url).append("\", \"mandatory\": ")
          .append(i % 2 == 0).append('}');
    }
    LocalDb.put(root, MANIFEST.substring(5), manifest.append("]}").toString());
  }

  private static long count(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM t")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static SQLException copy(Connection connection) {
    return catchThrowableOfType(SQLException.class, () -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("COPY t FROM '" + MANIFEST + "' IAM_ROLE 'copy-unload' MANIFEST");
      }
    });
  }

  @Test
  void anEntryTheRoleMayNotReadFailsTheWholeCopy() throws Exception {
    int checked = 0;
    for (String outside : OUTSIDE) {
      for (int position = 0; position < 3; position++) {
        List<String> urls = new ArrayList<>(List.of(INSIDE, INSIDE + "2"));
        urls.add(position, outside);
        objects(urls);
        try (Connection connection = connect("enforce")) {
          SQLException error = copy(connection);
          assertThat((Throwable) error).as("%s at %d", outside, position).isNotNull();
          assertThat(error.getSQLState()).as(error.getMessage()).isEqualTo("42501");
          assertThat(error.getMessage()).contains("may not read", outside);
          assertThat(count(connection)).isZero();
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(OUTSIDE.size() * 3);
  }

  @Test
  void entriesInsideThePrefixLoad() throws Exception {
    objects(List.of(INSIDE, INSIDE + "2", "s3://acmedata/redshift/other/deeper/data"));
    try (Connection connection = connect("enforce")) {
      assertThat((Throwable) copy(connection)).isNull();
      assertThat(count(connection)).isEqualTo(3);
    }
  }

  @Test
  void auditModeAndTheGuardOffReadEveryEntry() throws Exception {
    objects(List.of(INSIDE, "s3://acmedata/private/data"));
    for (String mode : List.of("audit", "off")) {
      try (Connection connection = connect(mode)) {
        assertThat((Throwable) copy(connection)).as(mode).isNull();
        assertThat(count(connection)).as(mode).isEqualTo(2);
      }
    }
  }
}
