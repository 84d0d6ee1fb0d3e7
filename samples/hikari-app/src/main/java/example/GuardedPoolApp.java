package example;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A HikariCP pool whose only change for iamguard is its JDBC URL (jdbc:iamguard:...) and one
 * setting (iamguard.registry). Runs on embedded H2, where COPY and UNLOAD are emulated against a
 * local folder standing in for S3.
 *
 * <p>Run from the project root: {@code mvn -q install -DskipTests && mvn -q -f samples/hikari-app compile exec:java}
 */
public final class GuardedPoolApp {
  public static void main(String[] args) throws Exception {
    Path registry = Path.of(args.length > 0 ? args[0] : "../registry.yaml");
    Path localS3 = Files.createTempDirectory("local-s3");

    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:iamguard:h2:mem:app;DB_CLOSE_DELAY=-1");  // was: jdbc:h2:mem:app (or jdbc:redshift://...)
    config.setUsername("user1");
    config.addDataSourceProperty("iamguard.registry", registry.toString());
    config.addDataSourceProperty("iamguard.local-s3", localS3.toString());
    config.setMaximumPoolSize(2);

    try (HikariDataSource pool = new HikariDataSource(config);
        Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE venue (venueid INT, venuename VARCHAR(100))");
      statement.execute("INSERT INTO venue VALUES (1, 'Toyota Park'), (2, 'Columbus Crew Stadium')");

      // allowed: the seed's chain, RoleA (attached) -> RoleB (Company B's bucket)
      statement.execute("UNLOAD ('select * from venue') TO 's3://companyb/redshift/venue_pipe_' "
          + "IAM_ROLE 'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB' PARALLEL OFF");
      System.out.println("UNLOAD allowed: " + statement.getUpdateCount() + " rows written under " + localS3);

      // rewritten: the registry alias 'copy-unload' becomes the role ARN before H2 (or Redshift) sees it
      statement.execute("CREATE TABLE venue_copy (venueid INT, venuename VARCHAR(100))");
      statement.execute("COPY venue_copy FROM 's3://companyb/redshift/venue_pipe_' IAM_ROLE 'companyb'");
      System.out.println("COPY rewritten and allowed: " + statement.getUpdateCount() + " rows loaded");

      // denied: RedshiftCopyUnload may write only under s3://acmedata/redshift/unload/
      try {
        statement.execute("UNLOAD ('select * from venue') TO 's3://acmedata/exports/venue_' IAM_ROLE 'copy-unload'");
      } catch (SQLException denied) {
        System.out.println("UNLOAD denied (SQLState " + denied.getSQLState() + "): " + denied.getMessage());
      }
    }
  }
}
