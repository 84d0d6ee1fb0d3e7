package dev.iamguard.bench;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link InspectBenchmark#copyChain}'s COPY, its chain written in one of 1,024 spellings in turn
 * (the role names in every mix of case, which IAM reads as the same roles): the guard's memo of
 * chains (64 slots) and the ARN parse cache never hold the text, so this is what a chain seen for
 * the first time costs, where {@code copyChain} names the same chain every time as an ETL job does.
 * A class of its own: inspecting the 1,024 spellings in a shared setup changed how the JIT
 * compiled {@code copyChain} (8% slower).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NewChainBenchmark {
  private final String[] spellings = new String[1024];
  private Guard guard;
  private Session session;
  private int next;

  @Setup(Level.Trial)
  public void load() throws Exception {
    guard = new Guard(RegistryLoader.load(Path.of(System.getProperty("iamguard.registry", "samples/registry.yaml"))));
    session = Session.of("user1", null);
    for (int i = 0; i < spellings.length; i++) {
      spellings[i] = InspectBenchmark.COPY_CHAIN.replace("RoleA", mixedCase("RoleA", i & 31))
          .replace("RoleB", mixedCase("RoleB", i >>> 5));
      Decision decision = guard.inspect(spellings[i], session);
      if (decision.verdict() != Verdict.ALLOW) {
        throw new IllegalStateException("benchmark statement is not allowed: " + decision.findings());
      }
    }
  }

  /** {@code name} with the letters whose bit is set in {@code mask} in the other case. */
  private static String mixedCase(String name, int mask) {
    StringBuilder mixed = new StringBuilder(name);
    for (int k = 0; k < name.length(); k++) {
      if ((mask >>> k & 1) != 0) {
        char c = name.charAt(k);
        mixed.setCharAt(k, Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
      }
    }
    return mixed.toString();
  }

  @Benchmark
  public Decision copyChainNewChainText() {
    return guard.inspect(spellings[next++ & (spellings.length - 1)], session);
  }
}
