package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17: running out of memory is a clear error (exit 2), never a stack trace, also where the
 * heap is too small for the command line itself: in 8 to 16 MB the command line ran out while it
 * started (loading its classes), the message ran out too, and the JVM's own error ended the command
 * (exit 1, "OutOfMemoryError thrown from the UncaughtExceptionHandler"). In 24 and 48 MB the
 * registry of 3.4 MB (6,000 roles of 20 prefixes; {@code registry validate} needs 84 MB for it) runs
 * the heap out, and the message names it. In a JVM without its shared class archive the heap was
 * full by then (the classes are on the heap; picocli's search for Groovy's Closure opens every jar of
 * this class path), {@code System.err} ran out writing the line and {@code System.exit} ran out loading
 * its class: {@code LastWords}.
 */
class OutOfMemoryMessageTest {
  @TempDir
  static Path dir;
  private static Path registry;

  private static Path script;
  /** Each case's run, started ahead two at a time: the JVMs start on one core each, and CI has two. */
  private static final Map<List<String>, Future<ScaleLimitsTest.Exit>> RUNS = new HashMap<>();
  private static ExecutorService runner;

  @BeforeAll
  static void largeRegistry() throws Exception {
    registry = Files.writeString(dir.resolve("large.yaml"), registry(6_000, 20));
    script = Files.writeString(dir.resolve("s.sql"), "copy t from 's3://lake/r0/p0/' iam_role 'arn:aws:iam::123456789012:role/R0';\n");
    runner = Executors.newFixedThreadPool(2);
    for (List<String> jvmAndArgs : commandsAndHeaps()) {
      RUNS.put(jvmAndArgs, runner.submit(() -> ScaleLimitsTest.cli(out(jvmAndArgs),
          List.of(jvmAndArgs.get(0), "-Xmx" + jvmAndArgs.get(1)), args(jvmAndArgs))));
    }
  }

  @AfterAll
  static void stopRuns() {
    runner.shutdownNow();
  }

  private static String[] args(List<String> jvmAndArgs) {
    return jvmAndArgs.subList(2, jvmAndArgs.size()).stream()
        .map(a -> a.equals("REGISTRY") ? registry.toString() : a.equals("SCRIPT") ? script.toString() : a)
        .toArray(String[]::new);
  }

  private static Path out(List<String> jvmAndArgs) {
    return dir.resolve("out-" + String.join("-", jvmAndArgs.subList(0, 4)).replace('/', '_').replace(':', '_').replace('+', '_'));
  }

  /**
   * Each command in each heap, in a JVM with and without its shared class archive: without it, the
   * JDK's own classes are loaded onto the heap too, so the heap runs out earlier in the start, and
   * again while the JVM exits (a JVM that cannot map the archive goes on without it, saying
   * nothing; CI met it once). The serial collector (what a JVM picks on one core) and the parallel
   * one (whose heap runs out as "GC overhead limit exceeded") at the start and in the registry.
   */
  static List<List<String>> commandsAndHeaps() {
    List<List<String>> cases = new java.util.ArrayList<>();
    for (String jvm : List.of("-Xshare:auto", "-Xshare:off", "-XX:+UseSerialGC", "-XX:+UseParallelGC")) {
      for (String heap : jvm.startsWith("-Xshare") ? List.of("8m", "16m", "24m", "48m") : List.of("16m", "48m")) {
        cases.add(List.of(jvm, heap, "registry", "validate", "REGISTRY"));
        cases.add(List.of(jvm, heap, "registry", "diff", "REGISTRY", "REGISTRY"));
        cases.add(List.of(jvm, heap, "access", "--registry", "REGISTRY"));
        cases.add(List.of(jvm, heap, "check", "--registry", "REGISTRY", "--user", "u", "SCRIPT"));
        cases.add(List.of(jvm, heap, "suggest", "--registry", "REGISTRY", "--user", "u", "SCRIPT"));
      }
    }
    return cases;
  }

  @ParameterizedTest
  @MethodSource("commandsAndHeaps")
  void aHeapTooSmallForTheRegistryIsAClearErrorWhateverItsSize(List<String> jvmAndArgs) throws Exception {
    String heap = jvmAndArgs.get(1);
    String[] args = args(jvmAndArgs);

    ScaleLimitsTest.Exit exit = RUNS.get(jvmAndArgs).get();

    assertThat(exit.code()).as(exit.err()).isEqualTo(ExitCodes.ERROR);
    assertThat(exit.err()).startsWith("iamguard: out of memory").contains("java -Xmx")
        .doesNotContain("\tat ", "Exception", "UncaughtExceptionHandler");
    assertThat(exit.err().lines().count()).as(exit.err()).isOne();
    if (!List.of("8m", "16m").contains(heap)) { // the command line started: the message names the cause
      // the JVM's words vary ("Java heap space: failed reallocation of scalar replaced objects")
      assertThat(exit.err()).matches("iamguard: out of memory \\((Java heap space|GC overhead limit exceeded)[^)]*\\): .*\\R")
          .contains(args[0].equals("check") ? "a statement, the registry or the output"
              : args[0].equals("suggest") ? "the distinct S3 locations and other resources the scripts use, a"
              + " statement or the registry" : "the registry, or what");
    }
  }

  /**
   * The other side of the cases above: the same registry is validated in 100 MB. It needed 116 MB while
   * every node of the composed YAML kept the reader's window of the text and two comment lists
   * ({@code YamlTreeTest.nodesKeepTheirPositionsButNotTheText}); 84 MB since.
   */
  @Test
  void theLargeRegistryIsValidatedInAHundredMegabytes() throws Exception {
    ScaleLimitsTest.Exit exit = ScaleLimitsTest.cli(dir.resolve("validated"), "100m", "registry", "validate",
        registry.toString());

    assertThat(exit.err()).isEmpty();
    assertThat(exit.code()).isEqualTo(ExitCodes.OK);
    assertThat(Files.readString(dir.resolve("validated"))).isEqualTo(registry + ": loads; 0 warnings\n");
  }

  /** {@code roles} roles attached to cluster c1, each reading {@code prefixes} prefixes of bucket lake (about 5 MB). */
  private static String registry(int roles, int prefixes) {
    StringBuilder yaml = new StringBuilder("version: 1\nclusters:\n  - id: c1\n    account: \"123456789012\"\n"
        + "    region: us-east-1\n    attached_roles: [");
    for (int r = 0; r < roles; r++) {
      yaml.append(r == 0 ? "" : ", ").append("arn:aws:iam::123456789012:role/R").append(r);
    }
    yaml.append("]\nroles:\n");
    for (int r = 0; r < roles; r++) {
      yaml.append("  - arn: arn:aws:iam::123456789012:role/R").append(r).append("\n    allow:\n      s3_read: [");
      for (int p = 0; p < prefixes; p++) {
        yaml.append(p == 0 ? "" : ", ").append("\"s3://lake/r").append(r).append("/p").append(p).append("/\"");
      }
      yaml.append("]\n");
    }
    return yaml.toString();
  }
}
