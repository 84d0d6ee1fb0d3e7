package dev.iamguard.bench;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a transaction text costs the guard beyond raw H2, exactly: {@code truncate table t} (which
 * commits, so the connection reads it after it ran) run {@code n} times on raw H2 and through
 * iamguard, three rounds each, with the thread's allocation counter and CPU time around each loop.
 * The figure of interest is the third round's guarded minus raw. Run it compiled and with
 * {@code -Xint} for the cost as cold code (an application sends such texts seldom): README
 * "Twenty-fifth session".
 *
 * <p>{@code java -cp target/benchmarks.jar dev.iamguard.bench.TransactionTextCost 20000};
 * {@code java -Xint -cp target/benchmarks.jar dev.iamguard.bench.TransactionTextCost 300}
 */
public final class TransactionTextCost {
  private TransactionTextCost() {}

  public static void main(String[] args) throws SQLException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (Connection raw = BenchH2.raw("raw"); Connection guarded = BenchH2.guarded("guarded")) {
      for (Connection connection : new Connection[] {raw, guarded}) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("create table t (a int)");
        }
      }
      for (int round = 1; round <= 3; round++) {
        double[] bytes = new double[2];
        double[] cpu = new double[2];
        for (int k = 0; k < 2; k++) {
          try (Statement statement = (k == 0 ? raw : guarded).createStatement()) {
            long b0 = threads.getCurrentThreadAllocatedBytes();
            long c0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
              statement.execute("truncate table t");
            }
            bytes[k] = (threads.getCurrentThreadAllocatedBytes() - b0) / (double) n;
            cpu[k] = (threads.getCurrentThreadCpuTime() - c0) / 1e3 / n;
          }
        }
        System.out.printf("round %d: raw %.0f B %.2f us, guarded %.0f B %.2f us, guarded - raw %.0f B %.2f us a truncate%n",
            round, bytes[0], cpu[0], bytes[1], cpu[1], bytes[1] - bytes[0], cpu[1] - cpu[0]);
      }
    }
  }
}
