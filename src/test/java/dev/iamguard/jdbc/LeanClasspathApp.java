package dev.iamguard.jdbc;

import dev.iamguard.sql.SqlScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * An application that uses only the driver, run by {@link LeanClasspathTest} in a JVM whose
 * classpath holds iamguard's classes and the driver's required dependencies, nothing else. It
 * prints one line per fact; the test reads them. (No AssertJ here: it is not on that classpath.)
 *
 * <p>Arguments: the registry file, and the folder standing in for S3.
 */
public final class LeanClasspathApp {
  private LeanClasspathApp() {}

  public static void main(String[] args) throws Exception {
    System.out.println("picocli " + presence("picocli.CommandLine"));
    System.out.println("jsqlparser " + presence("net.sf.jsqlparser.parser.CCJSqlParserUtil"));
    Properties settings = new Properties();
    settings.setProperty("user", "etl");
    settings.setProperty("iamguard.registry", args[0]);
    settings.setProperty("iamguard.local-s3", args[1]);
    try (Connection connection = DriverManager.getConnection("jdbc:iamguard:h2:mem:lean;DB_CLOSE_DELAY=-1", settings);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (v INT)");
      statement.execute("INSERT INTO t VALUES (7)");
      try (ResultSet rows = statement.executeQuery("SELECT v FROM t")) {
        rows.next();
        System.out.println("allowed select " + rows.getInt(1));
      }
      // an allowed auth-carrying statement: decided by the policy engine, emulated on the local S3 folder
      statement.execute("UNLOAD ('SELECT v FROM t') TO 's3://lake/out/t_' IAM_ROLE 'loader' PARALLEL OFF");
      try (Stream<Path> files = Files.walk(Path.of(args[1], "lake", "out"))) {
        System.out.println("allowed unload " + files.filter(Files::isRegularFile).count() + " file");
      }
      try {
        statement.execute(TestRegistry.DENIED);
        System.out.println("denied: NOT DENIED");
      } catch (SQLException denied) {
        System.out.println("denied " + denied.getSQLState() + " " + denied.getMessage().contains("ROLE_UNKNOWN"));
      }
    }
    // the one path to JSqlParser: the tables an embedded query reads; without it they are unknown
    System.out.println("reads " + SqlScript.parse("UNLOAD ('select * from venue') TO 's3://b/u/' IAM_ROLE default")
        .statements().get(0).command().query().reads());
  }

  private static String presence(String className) {
    try {
      Class.forName(className, false, LeanClasspathApp.class.getClassLoader());
      return "present";
    } catch (ClassNotFoundException e) {
      return "absent";
    }
  }
}
