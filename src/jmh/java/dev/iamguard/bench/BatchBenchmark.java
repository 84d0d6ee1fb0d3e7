package dev.iamguard.bench;

import dev.iamguard.jdbc.GuardDataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The guard's own CPU time on a batch of 100 unique INSERTs, against a target whose statements do
 * nothing (a proxy that names itself a Redshift connection): {@code guarded} minus {@code raw},
 * divided by 100, is what the guard costs an entry when its code is hot, without the driver's and
 * the server's work around it, whose noise hides a few microseconds a batch in
 * {@code bench/real-driver.sh}. {@code scanOnly} is the raw batch plus the hot-path scan of each
 * entry: the part of the guard's cost that is the scan.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BatchBenchmark {
  /** How many unique texts the batches cycle through (a power of two): 16,384 hold about 2 MB. */
  @Param("16384")
  private int texts;

  private String[] inserts;
  private Connection raw;
  private Connection guarded;
  private int next;

  @Setup(Level.Trial)
  public void open() throws SQLException {
    inserts = new String[texts];
    for (int i = 0; i < texts; i++) {
      inserts[i] = "insert into bench_log (batch, step, note) values (" + i + ", 'loaded', 'row " + i + "')";
    }
    raw = (Connection) idle(Connection.class);
    DataSource target = (DataSource) Proxy.newProxyInstance(BatchBenchmark.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, arguments) -> {
          if (method.getName().equals("getConnection")) {
            return idle(Connection.class);
          }
          throw new UnsupportedOperationException(method.getName());
        });
    Properties settings = new Properties();
    settings.setProperty("iamguard.registry", System.getProperty("iamguard.registry", "samples/registry.yaml"));
    guarded = GuardDataSource.wrap(target, settings).getConnection();
  }

  /**
   * A JDBC object that does nothing: a connection makes statements and names itself a Redshift
   * connection, a batch reports 100 updates, anything else answers a default.
   */
  private static Object idle(Class<?> type) {
    return Proxy.newProxyInstance(BatchBenchmark.class.getClassLoader(), new Class<?>[] {type},
        (proxy, method, arguments) -> switch (method.getName()) {
          case "createStatement" -> idle(Statement.class);
          case "getMetaData" -> idle(DatabaseMetaData.class);
          case "getURL" -> "jdbc:redshift://stub.example:5439/dev";
          case "getUserName" -> "user1";
          case "executeBatch" -> new int[100];
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == arguments[0];
          case "toString" -> type.getSimpleName() + " stub";
          case "getAutoCommit" -> true;
          case "getTransactionIsolation" -> Connection.TRANSACTION_READ_COMMITTED;
          default -> defaultOf(method.getReturnType());
        });
  }

  private static Object defaultOf(Class<?> type) {
    if (type == boolean.class) {
      return Boolean.FALSE;
    }
    if (type == int.class) {
      return 0;
    }
    return type == long.class ? (Object) 0L : null;
  }

  private int batch(Connection connection, boolean scan) throws SQLException {
    int sum = 0;
    try (Statement statement = connection.createStatement()) {
      for (int k = 0; k < 100; k++) {
        String sql = inserts[next++ & (texts - 1)];
        if (scan) {
          sum += dev.iamguard.sql.SqlScript.scan(sql);
        }
        statement.addBatch(sql);
      }
      return sum + statement.executeBatch().length;
    }
  }

  @Benchmark
  public int raw() throws SQLException {
    return batch(raw, false);
  }

  @Benchmark
  public int scanOnly() throws SQLException {
    return batch(raw, true);
  }

  @Benchmark
  public int guarded() throws SQLException {
    return batch(guarded, false);
  }
}
