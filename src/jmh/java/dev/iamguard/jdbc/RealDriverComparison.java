package dev.iamguard.jdbc;

import dev.iamguard.bench.InspectBenchmark;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The guard through the real Redshift driver ({@code com.amazon.redshift:redshift-jdbc42}) on a
 * local PostgreSQL: raw and guarded rounds interleaved on one physical connection (the guarded
 * connection wraps the raw one), so both see the same server, socket and caches. Cases: {@code
 * SELECT 1}, a prepared SELECT with a parameter, a unique 2 KB SELECT (a new text every time, so
 * the connection's last-clean cache never hides the check) and a batch of 100 unique INSERTs.
 * Prints, per case, the median over rounds of the mean time per operation, raw and guarded, and
 * the median of the per-round-pair ratios guarded / raw. Wall time includes the server's and the
 * network's jitter, which on a shared machine exceeds the guard's cost by far; so it also prints
 * the calling thread's CPU time per operation (the guard runs there and only there), raw and
 * guarded, and what the extra CPU time is of the raw wall time: the guard's share of a round trip
 * ({@code cpu share}), the figure that stays put when other processes load the machine. A last
 * row, {@code raw/raw}, times the raw connection against itself as the batch pairs are timed: the
 * method's own noise, against which the other rows' ratios are read.
 *
 * <p>Run by {@code bench/real-driver.sh}, which starts a throwaway server; by hand:
 * {@code java -cp target/benchmarks.jar:target/test-classes dev.iamguard.jdbc.RealDriverComparison
 * 'jdbc:redshift://127.0.0.1:PORT/postgres?user=postgres&ssl=false&socketFactory=...' [rounds]}.
 */
public final class RealDriverComparison {
  private static final int UNIQUE_TEXTS = 1 << 14;
  private static final long WARM_UP_NANOS = 8_000_000_000L;
  private static final int WARM_UP_OPS = 20_000;

  private final Connection raw;
  private final Connection guarded;
  private final String[] selects2k = new String[UNIQUE_TEXTS];
  private final String[] inserts = new String[UNIQUE_TEXTS];
  private int next;

  private RealDriverComparison(Connection raw, Connection guarded) {
    this.raw = raw;
    this.guarded = guarded;
    String select = InspectBenchmark.plainSelectText().replace("orders o join customers c on c.id = o.customer_id",
        "bench_orders o join bench_customers c on c.id = o.customer_id");
    for (int i = 0; i < UNIQUE_TEXTS; i++) {
      selects2k[i] = select + " and o.order_id <> " + i;
      inserts[i] = "insert into bench_log (batch, step, note) values (" + i + ", 'loaded', 'row " + i + "')";
    }
  }

  /** One timed case: {@code ops} operations on a connection, returning something the JIT cannot drop. */
  interface Case {
    long run(Connection connection, int ops) throws SQLException;
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    Connection raw = DriverManager.getConnection(url);
    DataSource one = (DataSource) Proxy.newProxyInstance(RealDriverComparison.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, arguments) -> {
          if (method.getName().equals("getConnection")) {
            return raw;
          }
          throw new UnsupportedOperationException(method.getName());
        });
    Properties settings = new Properties();
    settings.setProperty("iamguard.registry", System.getProperty("iamguard.registry", "samples/registry.yaml"));
    Connection guarded = GuardDataSource.wrap(one, settings).getConnection();
    try (Statement setup = raw.createStatement()) {
      setup.execute("drop table if exists bench_orders, bench_customers, bench_log");
      StringBuilder columns = new StringBuilder("id int, order_id int, customer_id int, status text, note text");
      for (int i = 0; i < 60; i++) {
        columns.append(", attribute_").append(i).append(" int");
      }
      setup.execute("create table bench_orders (" + columns + ")");
      setup.execute("create table bench_customers (id int, name text, email text)");
      setup.execute("create table bench_log (batch int, step text, note text)");
    }
    RealDriverComparison bench = new RealDriverComparison(raw, guarded);
    System.out.printf("real driver %s, %d rounds per case (load average %s)%n",
        raw.getMetaData().getDriverVersion(), rounds, loadAverage());
    System.out.printf("%-10s %10s %10s %8s %9s %10s %10s %9s %10s%n", "case", "raw us", "guarded us", "ratio",
        "extra us", "raw cpu", "guard cpu", "extra cpu", "cpu share");
    bench.compare("select1", 400, rounds, RealDriverComparison::selectOne);
    bench.compare("prepared", 400, rounds, RealDriverComparison::prepared);
    bench.compare("unique2k", 200, rounds, bench::unique2k);
    bench.compare("batch100", 4, rounds, bench::batch100);
    // the method's own noise: the raw connection against itself, timed exactly as the pairs above
    bench.compare("raw/raw", raw, raw, 4, rounds, bench::batch100);
    try (Statement cleanup = raw.createStatement()) {
      cleanup.execute("drop table if exists bench_orders, bench_customers, bench_log");
    }
    guarded.close();
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /**
   * Warms both paths up, then times {@code rounds} pairs of rounds, raw first in even pairs and
   * guarded first in odd ones, so a drift of the machine's load falls on both alike.
   */
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private void compare(String name, int ops, int rounds, Case c) throws SQLException {
    compare(name, raw, guarded, ops, rounds, c);
  }

  /** Statements one operation of a case sends: 100 for a batch, else 1 (what the warm-up counts). */
  private static int statementsPerOp(String name) {
    return name.startsWith("batch") || name.equals("raw/raw") ? 100 : 1;
  }

  /**
   * Warms both paths up as JMH would (until both have run for {@link #WARM_UP_NANOS} and at least
   * {@link #WARM_UP_OPS} statements each, so that the guard's code is compiled by C2 before the
   * timed rounds: five short runs left much of it interpreted and doubled its apparent cost, and
   * 3 s of warm-up, 200 batches, still did so for the batch: +44 to +70 us CPU a batch against +21
   * to +24 us after 8 s), then times the rounds.
   */
  private void compare(String name, Connection raw, Connection guarded, int ops, int rounds, Case c)
      throws SQLException {
    long warmEnd = System.nanoTime() + WARM_UP_NANOS;
    for (int done = 0; done < WARM_UP_OPS || System.nanoTime() < warmEnd; done += ops * statementsPerOp(name)) {
      c.run(raw, ops);
      c.run(guarded, ops);
    }
    double[] rawTimes = new double[rounds];
    double[] guardedTimes = new double[rounds];
    double[] ratios = new double[rounds];
    double[] rawCpu = new double[rounds];
    double[] guardedCpu = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      boolean rawFirst = r % 2 == 0;
      long c0 = THREADS.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      c.run(rawFirst ? raw : guarded, ops);
      long t1 = System.nanoTime();
      long c1 = THREADS.getCurrentThreadCpuTime();
      c.run(rawFirst ? guarded : raw, ops);
      long t2 = System.nanoTime();
      long c2 = THREADS.getCurrentThreadCpuTime();
      rawTimes[r] = (rawFirst ? t1 - t0 : t2 - t1) / 1e3 / ops;
      guardedTimes[r] = (rawFirst ? t2 - t1 : t1 - t0) / 1e3 / ops;
      rawCpu[r] = (rawFirst ? c1 - c0 : c2 - c1) / 1e3 / ops;
      guardedCpu[r] = (rawFirst ? c2 - c1 : c1 - c0) / 1e3 / ops;
      ratios[r] = guardedTimes[r] / rawTimes[r];
    }
    double rawMedian = median(rawTimes);
    double guardedMedian = median(guardedTimes);
    double extraCpu = median(guardedCpu) - median(rawCpu);
    System.out.printf("%-10s %10.2f %10.2f %8.4f %9.2f %10.2f %10.2f %9.2f %10.4f%n", name, rawMedian, guardedMedian,
        median(ratios), guardedMedian - rawMedian, median(rawCpu), median(guardedCpu), extraCpu,
        extraCpu / rawMedian);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static long selectOne(Connection connection, int ops) throws SQLException {
    long sum = 0;
    try (Statement statement = connection.createStatement()) {
      for (int i = 0; i < ops; i++) {
        try (ResultSet rows = statement.executeQuery("SELECT 1")) {
          rows.next();
          sum += rows.getInt(1);
        }
      }
    }
    return sum;
  }

  private static long prepared(Connection connection, int ops) throws SQLException {
    long sum = 0;
    try (PreparedStatement statement = connection.prepareStatement("select ? + 1")) {
      for (int i = 0; i < ops; i++) {
        statement.setInt(1, i);
        try (ResultSet rows = statement.executeQuery()) {
          rows.next();
          sum += rows.getInt(1);
        }
      }
    }
    return sum;
  }

  private long unique2k(Connection connection, int ops) throws SQLException {
    long sum = 0;
    try (Statement statement = connection.createStatement()) {
      for (int i = 0; i < ops; i++) {
        try (ResultSet rows = statement.executeQuery(selects2k[next++ & (UNIQUE_TEXTS - 1)])) {
          sum += rows.next() ? 1 : 0;
        }
      }
    }
    return sum;
  }

  private long batch100(Connection connection, int ops) throws SQLException {
    long sum = 0;
    try (Statement statement = connection.createStatement()) {
      for (int i = 0; i < ops; i++) {
        for (int k = 0; k < 100; k++) {
          statement.addBatch(inserts[next++ & (UNIQUE_TEXTS - 1)]);
        }
        sum += statement.executeBatch().length;
      }
      statement.execute("truncate bench_log");
    }
    return sum;
  }
}
