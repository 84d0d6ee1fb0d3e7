package dev.iamguard.bench;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * What the guard allocates on the no-auth path beyond what the driver itself does, exactly: the
 * {@code SELECT 1} of {@link OverheadBenchmark} run {@code n} times on raw H2 and then through
 * iamguard, with the Epsilon collector, the thread's own allocation counter around each loop and
 * the class histograms of the loops compared class by class (JMH's {@code -prof gc} gives the
 * bytes with H2's spread of +- 20 B/op). Warmed up first: escape analysis removes objects once
 * the code is compiled.
 *
 * <p>Two guarded loops: one whose call site also serves raw H2 statements (the JIT then merges the
 * two kinds of result set and cannot remove the guard's result-set wrapper), and one with a call
 * site of its own, as in an application whose connections are all guarded.
 *
 * <p>{@code java -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xmx4g -cp target/benchmarks.jar
 * dev.iamguard.bench.HotPathAllocation 200000}
 */
public final class HotPathAllocation {
  private HotPathAllocation() {}

  /** One loop of {@code n} executions. */
  private interface Loop {
    long run(int n) throws SQLException;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    try (Connection raw = BenchH2.raw("raw"); Connection guarded = BenchH2.guarded("guarded");
        Statement rawStatement = raw.createStatement();
        Statement guardedStatement = guarded.createStatement()) {
      Loop rawLoop = count -> {
        long sink = 0;
        for (int i = 0; i < count; i++) {
          sink += selectOne(rawStatement);
        }
        return sink;
      };
      Loop sharedLoop = count -> {
        long sink = 0;
        for (int i = 0; i < count; i++) {
          sink += selectOne(guardedStatement);
        }
        return sink;
      };
      Loop ownLoop = count -> {
        long sink = 0;
        for (int i = 0; i < count; i++) {
          sink += selectOneGuarded(guardedStatement);
        }
        return sink;
      };
      for (Loop loop : new Loop[] {rawLoop, sharedLoop, ownLoop}) {
        loop.run(Math.max(20_000, n / 2));
      }
      long[] rawBytes = new long[1];
      Map<String, long[]>[] rawClasses = census(rawLoop, n, rawBytes);
      report("guarded, call site shared with raw H2", sharedLoop, n, rawBytes[0], rawClasses);
      report("guarded, call site of its own", ownLoop, n, rawBytes[0], rawClasses);
    }
  }

  private static void report(String what, Loop loop, int n, long rawBytes, Map<String, long[]>[] rawClasses)
      throws Exception {
    long[] bytes = new long[1];
    Map<String, long[]>[] classes = census(loop, n, bytes);
    System.out.printf("SELECT 1, %s: raw %.1f B, guarded %.1f B, guarded - raw %.1f B an execution (%d executions)%n",
        what, rawBytes / (double) n, bytes[0] / (double) n, (bytes[0] - rawBytes) / (double) n, n);
    for (Map.Entry<String, long[]> entry : classes[1].entrySet()) {
      long[] extra = new long[2];
      for (int k = 0; k < 2; k++) {
        extra[k] = grown(classes, entry.getKey(), k) - grown(rawClasses, entry.getKey(), k);
      }
      if (Math.abs(extra[0]) >= n / 100) { // at least one object in a hundred executions
        System.out.printf("%+9.2f x %8.1f B  %s%n", extra[0] / (double) n, extra[1] / (double) n, entry.getKey());
      }
    }
  }

  /** Runs {@code loop}; its bytes go to {@code bytes[0]}; returns the histograms before and after it. */
  @SuppressWarnings("unchecked")
  private static Map<String, long[]>[] census(Loop loop, int n, long[] bytes) throws Exception {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Map<String, long[]> before = AllocationCensus.histogram();
    long start = threads.getCurrentThreadAllocatedBytes();
    long sink = loop.run(n);
    bytes[0] = threads.getCurrentThreadAllocatedBytes() - start;
    Map<String, long[]> after = AllocationCensus.histogram();
    if (sink != n) {
      throw new IllegalStateException("SELECT 1 answered " + sink / (double) n + " on average");
    }
    return new Map[] {before, after};
  }

  private static long grown(Map<String, long[]>[] histograms, String type, int k) {
    return histograms[1].getOrDefault(type, new long[2])[k] - histograms[0].getOrDefault(type, new long[2])[k];
  }

  /** The guarded statement's own call site, as in an application that uses only guarded connections. */
  private static int selectOneGuarded(Statement statement) throws SQLException {
    try (ResultSet resultSet = statement.executeQuery("SELECT 1")) {
      resultSet.next();
      return resultSet.getInt(1);
    }
  }

  private static int selectOne(Statement statement) throws SQLException {
    try (ResultSet resultSet = statement.executeQuery("SELECT 1")) {
      resultSet.next();
      return resultSet.getInt(1);
    }
  }
}
