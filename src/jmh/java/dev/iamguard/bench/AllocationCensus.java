package dev.iamguard.bench;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.registry.RegistryLoader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * What one {@code Guard.inspect} of an {@link InspectBenchmark} case allocates, object by object:
 * with the Epsilon collector nothing is ever freed, so the difference of two class histograms
 * taken around {@code n} inspections, divided by {@code n}, is exact (JMH's {@code -prof gc} gives
 * the bytes, this gives the classes). Escape analysis removes some objects once the code is
 * compiled, so the case is warmed up first; two runs may differ by an object or two where the JIT
 * decided differently.
 *
 * <p>{@code java -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xmx4g -cp target/benchmarks.jar
 * dev.iamguard.bench.AllocationCensus copyChain 100000} (cases: copyChain, unloadWithQuery,
 * plainSelect, largeScript; a smaller count for largeScript, whose inspection allocates about
 * 7 MB).
 */
public final class AllocationCensus {
  private static final Pattern ROW = Pattern.compile("\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*");

  private AllocationCensus() {}

  public static void main(String[] args) throws Exception {
    String name = args.length > 0 ? args[0] : "copyChain";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    String text = switch (name) {
      case "copyChain" -> InspectBenchmark.COPY_CHAIN;
      case "unloadWithQuery" -> InspectBenchmark.UNLOAD_WITH_QUERY;
      case "plainSelect" -> InspectBenchmark.plainSelectText();
      case "largeScript" -> InspectBenchmark.largeScript(1 << 20);
      default -> throw new IllegalArgumentException("unknown case " + name
          + ": copyChain, unloadWithQuery, plainSelect or largeScript");
    };
    Guard guard = new Guard(RegistryLoader.load(Path.of(System.getProperty("iamguard.registry", "samples/registry.yaml"))));
    Session session = Session.of("user1", null);
    long sink = 0;
    for (int i = 0; i < Math.max(200, n / 5); i++) {
      sink += guard.inspect(text, session).hashCode();
    }
    Map<String, long[]> before = histogram();
    for (int i = 0; i < n; i++) {
      sink += guard.inspect(text, session).hashCode();
    }
    Map<String, long[]> after = histogram();
    List<Map.Entry<String, long[]>> grown = new ArrayList<>();
    long objects = 0;
    long bytes = 0;
    for (Map.Entry<String, long[]> entry : after.entrySet()) {
      long[] was = before.getOrDefault(entry.getKey(), new long[2]);
      long[] diff = {entry.getValue()[0] - was[0], entry.getValue()[1] - was[1]};
      if (diff[0] >= n / 100) { // at least one object in a hundred inspections: the rest is the census itself
        grown.add(Map.entry(entry.getKey(), diff));
        objects += diff[0];
        bytes += diff[1];
      }
    }
    grown.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
    System.out.printf("%s: %.1f objects, %.0f bytes an inspection (%d inspections; %d)%n", name,
        objects / (double) n, bytes / (double) n, n, sink & 1);
    for (Map.Entry<String, long[]> entry : grown) {
      System.out.printf("%9.2f x %8.1f B  %s%n", entry.getValue()[0] / (double) n,
          entry.getValue()[1] / (double) n, entry.getKey());
    }
  }

  /** Instances and bytes by class name, of every object in the heap (with Epsilon: every one allocated). */
  static Map<String, long[]> histogram() throws Exception {
    String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[] {"-all"}}, new String[] {String[].class.getName()});
    Map<String, long[]> rows = new HashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        rows.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
      }
    }
    return rows;
  }
}
