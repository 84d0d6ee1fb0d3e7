package dev.iamguard.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Two builds of iamguard (two CLI jars, each with its dependencies) inspecting the same text in
 * alternating rounds on one thread of one JVM, each build in its own class loader. A change to the
 * inspection is measured against the build before it as the median of the per-pair time ratios, which
 * the development host's drift (its CPUs change speed within minutes) cancels out of, where two JMH runs
 * minutes apart would carry it.
 *
 * <p>{@code java -cp target/benchmarks.jar dev.iamguard.bench.BuildsInterleaved before.jar after.jar
 * [copyChain|unloadWithQuery|plainSelect|largeScript|scanSelect|scanInsert] [pairs]}, from the project root
 * ({@code samples/registry.yaml}, or {@code -Diamguard.registry=...}). Prints each build's median time
 * per inspection and after/before with its quartiles.
 */
public final class BuildsInterleaved {
  private static final long WARM_UP_NANOS = 15_000_000_000L;
  private static final long ROUND_NANOS = 50_000_000L;

  private BuildsInterleaved() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: BuildsInterleaved before.jar after.jar [case] [pairs]");
    }
    String text = text(args.length > 2 ? args[2] : "copyChain");
    int pairs = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    boolean scanOnly = args.length > 2 && args[2].startsWith("scan");
    Build before = new Build(Path.of(args[0]), scanOnly);
    Build after = new Build(Path.of(args[1]), scanOnly);
    long sink = 0;
    for (long end = System.nanoTime() + WARM_UP_NANOS; System.nanoTime() < end; ) {
      sink += before.round(text, 10) + after.round(text, 10);
    }
    int perRound = calibrate(before, text);
    double[] beforeNanos = new double[pairs];
    double[] afterNanos = new double[pairs];
    double[] ratios = new double[pairs];
    for (int p = 0; p < pairs; p++) {
      boolean beforeFirst = p % 2 == 0;
      Build first = beforeFirst ? before : after;
      Build second = beforeFirst ? after : before;
      long t0 = System.nanoTime();
      sink += first.round(text, perRound);
      long t1 = System.nanoTime();
      sink += second.round(text, perRound);
      long t2 = System.nanoTime();
      beforeNanos[p] = (double) (beforeFirst ? t1 - t0 : t2 - t1) / perRound;
      afterNanos[p] = (double) (beforeFirst ? t2 - t1 : t1 - t0) / perRound;
      ratios[p] = afterNanos[p] / beforeNanos[p];
    }
    Arrays.sort(ratios);
    System.out.printf("%s (%d chars), %d pairs of %d inspections: before %.1f ns, after %.1f ns (medians);"
        + " after/before %.4f (quartiles %.4f to %.4f) [%d]%n", args.length > 2 ? args[2] : "copyChain",
        text.length(), pairs, perRound, InterleavedOverhead.median(beforeNanos), InterleavedOverhead.median(afterNanos),
        InterleavedOverhead.quantile(ratios, 0.5), InterleavedOverhead.quantile(ratios, 0.25),
        InterleavedOverhead.quantile(ratios, 0.75), sink & 1);
  }

  private static String text(String name) {
    return switch (name) {
      case "copyChain" -> InspectBenchmark.COPY_CHAIN;
      case "unloadWithQuery" -> InspectBenchmark.UNLOAD_WITH_QUERY;
      case "plainSelect" -> InspectBenchmark.plainSelectText();
      case "largeScript" -> InspectBenchmark.largeScript(1 << 20);
      case "scanSelect" -> InspectBenchmark.plainSelectText();
      case "scanInsert" -> "insert into bench_log (batch, step, note) values (4711, 'loaded', 'row 4711')";
      default -> throw new IllegalArgumentException("unknown case " + name);
    };
  }

  /** How many inspections make a round of about {@link #ROUND_NANOS}, measured once warm. */
  private static int calibrate(Build build, String text) throws Throwable {
    int n = 1;
    while (true) {
      long t0 = System.nanoTime();
      build.round(text, n);
      long took = System.nanoTime() - t0;
      if (took > ROUND_NANOS / 4 || n > 1 << 20) {
        return Math.max(1, (int) (n * (double) ROUND_NANOS / took / 4));
      }
      n *= 2;
    }
  }

  /**
   * One build's guard and session, called through method handles (the same cost for both builds); or,
   * for the {@code scan...} cases, its hot-path scan alone ({@code SqlScript.scan}).
   */
  private static final class Build {
    private final Object guard;
    private final Object session;
    private final MethodHandle inspect;
    private final MethodHandle scan;

    Build(Path jar, boolean scanOnly) throws Throwable {
      URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> registryClass = loader.loadClass("dev.iamguard.policy.registry.Registry");
      Class<?> sessionClass = loader.loadClass("dev.iamguard.policy.Session");
      Class<?> guardClass = loader.loadClass("dev.iamguard.policy.Guard");
      Object registry = loader.loadClass("dev.iamguard.policy.registry.RegistryLoader")
          .getMethod("load", Path.class)
          .invoke(null, Path.of(System.getProperty("iamguard.registry", "samples/registry.yaml")));
      guard = guardClass.getConstructor(registryClass).newInstance(registry);
      session = sessionClass.getMethod("of", String.class, String.class).invoke(null, "user1", null);
      inspect = lookup.findVirtual(guardClass, "inspect",
          MethodType.methodType(loader.loadClass("dev.iamguard.policy.Decision"), String.class, sessionClass))
          .asType(MethodType.methodType(Object.class, Object.class, String.class, Object.class));
      scan = scanOnly ? lookup.findStatic(loader.loadClass("dev.iamguard.sql.SqlScript"), "scan",
          MethodType.methodType(int.class, String.class)) : null;
    }

    long round(String text, int times) throws Throwable {
      long sink = 0;
      if (scan != null) {
        for (int i = 0; i < times; i++) {
          sink += (int) scan.invokeExact(text);
        }
        return sink;
      }
      for (int i = 0; i < times; i++) {
        sink += System.identityHashCode(inspect.invokeExact(guard, text, session)) & 1;
      }
      return sink;
    }
  }
}
