package dev.iamguard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The emulated COPY on H2 as Spark's Redshift connector runs it, a prepared statement executed
 * ({@code prepareStatement(copy).execute()}: decided once at prepare, emulated on each execution),
 * against the same COPY sent through {@code Statement.execute} (decided on each execution), and
 * the whole connector step (prepare and execute) each time: a 10-row pipe-delimited file loaded
 * into a table emptied before every iteration. The difference between {@code statementCopy} and
 * {@code preparedCopy} is the decision a prepared execution skips.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EmulatedCopyBenchmark {
  private static final String COPY = "COPY t FROM 's3://etl-temp/spark/bench/' IAM_ROLE "
      + "'arn:aws:iam::123456789012:role/SparkEtl'";

  private Path localS3;
  private Connection connection;
  private Statement statement;
  private PreparedStatement prepared;

  @Setup(Level.Trial)
  public void open() throws SQLException, IOException {
    localS3 = Files.createTempDirectory("iamguard-bench-s3");
    Path folder = Files.createDirectories(localS3.resolve("etl-temp/spark/bench"));
    StringBuilder rows = new StringBuilder();
    for (int i = 1; i <= 10; i++) {
      rows.append(i).append("|name ").append(i).append("|2024-01-").append(10 + i).append('\n');
    }
    Files.writeString(folder.resolve("part-00000"), rows);
    Properties settings = new Properties();
    settings.setProperty("user", "etl");
    settings.setProperty("iamguard.registry", System.getProperty("iamguard.registry", "samples/spark/registry.yaml"));
    settings.setProperty("iamguard.local-s3", localS3.toString());
    connection = DriverManager.getConnection("jdbc:iamguard:h2:mem:emulated-copy;DB_CLOSE_DELAY=-1", settings);
    statement = connection.createStatement();
    statement.execute("CREATE TABLE t (id INT, name VARCHAR(20), day DATE)");
    prepared = connection.prepareStatement(COPY);
  }

  @Setup(Level.Iteration)
  public void empty() throws SQLException {
    statement.execute("TRUNCATE TABLE t");
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException, IOException {
    connection.close();
    try (Stream<Path> files = Files.walk(localS3)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /** A prepared COPY executed again: the emulation alone. */
  @Benchmark
  public boolean preparedCopy() throws SQLException {
    return prepared.execute();
  }

  /** The same COPY through Statement.execute: decided, then emulated. */
  @Benchmark
  public boolean statementCopy() throws SQLException {
    return statement.execute(COPY);
  }

  /** What the connector does for each statement: prepare (decide), execute (emulate). */
  @Benchmark
  public boolean connectorStep() throws SQLException {
    try (PreparedStatement copy = connection.prepareStatement(COPY)) {
      return copy.execute();
    }
  }
}
