package dev.iamguard.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Guarded against raw H2 {@code SELECT 1} (the statement of {@link OverheadBenchmark}), timed in
 * alternating rounds on one thread of one JVM. JMH runs {@code raw} and {@code guarded} in separate
 * forks a minute or more apart, and on a virtual machine whose CPUs change speed within minutes (up
 * to half apart on the development host) the ratio of the two then carries that change; here both
 * sides of every pair run on the same CPU within milliseconds, so the median of the per-pair ratios
 * is the guard's cost alone. Prints that median with its quartiles, the medians per statement and the
 * collectors (add {@code -XX:+UseParallelGC} to compare with G1).
 *
 * <p>{@code java -cp target/benchmarks.jar dev.iamguard.bench.InterleavedOverhead [pairs]} (default
 * 400 pairs of 20,000 statements each, after 10 s of warm-up), from the project root
 * ({@code samples/registry.yaml}, or {@code -Diamguard.registry=...}).
 */
public final class InterleavedOverhead {
  private static final int STATEMENTS_PER_ROUND = 20_000;
  private static final long WARM_UP_NANOS = 10_000_000_000L;

  private InterleavedOverhead() {}

  public static void main(String[] args) throws SQLException {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    try (Connection raw = BenchH2.raw("interleaved-raw"); Connection guarded = BenchH2.guarded("interleaved-guarded");
        Statement rawStatement = raw.createStatement();
        Statement guardedStatement = guarded.createStatement()) {
      long sink = 0;
      for (long end = System.nanoTime() + WARM_UP_NANOS; System.nanoTime() < end; ) {
        sink += round(rawStatement) + round(guardedStatement);
      }
      double[] rawNanos = new double[pairs];
      double[] guardedNanos = new double[pairs];
      double[] ratios = new double[pairs];
      for (int p = 0; p < pairs; p++) {
        boolean rawFirst = p % 2 == 0; // a drift within a pair falls on both sides alike
        long t0 = System.nanoTime();
        sink += round(rawFirst ? rawStatement : guardedStatement);
        long t1 = System.nanoTime();
        sink += round(rawFirst ? guardedStatement : rawStatement);
        long t2 = System.nanoTime();
        rawNanos[p] = (double) (rawFirst ? t1 - t0 : t2 - t1) / STATEMENTS_PER_ROUND;
        guardedNanos[p] = (double) (rawFirst ? t2 - t1 : t1 - t0) / STATEMENTS_PER_ROUND;
        ratios[p] = guardedNanos[p] / rawNanos[p];
      }
      Arrays.sort(ratios);
      System.out.printf("H2 SELECT 1, %d pairs of %d statements: raw %.1f ns, guarded %.1f ns (medians);"
          + " guarded/raw %.4f (quartiles %.4f to %.4f), collector %s [%d]%n", pairs, STATEMENTS_PER_ROUND,
          median(rawNanos), median(guardedNanos), quantile(ratios, 0.5), quantile(ratios, 0.25),
          quantile(ratios, 0.75), collector(), sink & 1);
    }
  }

  /**
   * The JVM's collectors: the ratio depends on them (G1, the default on most servers, marks a card
   * behind a fence for each reference a query stores in the long-lived statement; raw H2 pays it too).
   */
  private static String collector() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
        .collect(Collectors.joining(", "));
  }

  private static long round(Statement statement) throws SQLException {
    long sum = 0;
    for (int i = 0; i < STATEMENTS_PER_ROUND; i++) {
      try (ResultSet rows = statement.executeQuery("SELECT 1")) {
        rows.next();
        sum += rows.getInt(1);
      }
    }
    return sum;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return quantile(sorted, 0.5);
  }

  /** The {@code q} quantile of sorted {@code values}, by the nearest rank. */
  static double quantile(double[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
  }
}
