package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver reloads its registry file while statements run: a valid change is swapped in
 * atomically, an invalid or vanished file keeps the last good registry (and says so, once).
 */
class RegistryReloadTest {
  static final String SCRIPT = "UNLOAD ('select 1') TO 's3://lake/a/x_' IAM_ROLE 'current';\n"
      + "UNLOAD ('select 1') TO 's3://lake/b/x_' IAM_ROLE 'current'";

  @TempDir
  Path dir;

  /** Version {@code v}: alias 'current' names role V{v}, which may write only s3://lake/{a|b}/. */
  static String version(int v) {
    String prefix = v % 2 == 0 ? "a" : "b";
    return "version: 1\n"
        + "clusters:\n  - id: dev-cluster\n    account: \"123456789012\"\n    region: us-west-2\n"
        + "    attached_roles: [arn:aws:iam::123456789012:role/V" + v + "]\n"
        + "roles:\n  - arn: arn:aws:iam::123456789012:role/V" + v + "\n    alias: current\n"
        + "    allow:\n      s3_write: [\"s3://lake/" + prefix + "/\"]\n";
  }

  /** Replaces the file in one step, as editors and config tools do. */
  static void write(Path registry, String text) throws IOException {
    Path temporary = Files.writeString(registry.resolveSibling(registry.getFileName() + "." + UUID.randomUUID()), text);
    Files.move(temporary, registry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  Connection connect(Path registry) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "etl");
    properties.setProperty("iamguard.registry", registry.toString());
    properties.setProperty("iamguard.reload-interval", "0");
    return DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID(), properties);
  }

  /** The registry version a decision was made with; fails on a decision that mixes two versions. */
  static int versionOf(Decision decision) {
    List<StatementDecision> statements = decision.statements();
    StatementDecision allowed = statements.get(0).verdict() == Verdict.REWRITE ? statements.get(0) : statements.get(1);
    StatementDecision denied = allowed == statements.get(0) ? statements.get(1) : statements.get(0);
    assertThat(allowed.verdict()).isEqualTo(Verdict.REWRITE);
    assertThat(denied.verdict()).isEqualTo(Verdict.DENY);
    int version = Integer.parseInt(allowed.sql().replaceAll("(?s).*role/V(\\d+)'.*", "$1"));
    assertThat(allowed == statements.get(0)).as("V%d writes under %s/", version, version % 2 == 0 ? "a" : "b")
        .isEqualTo(version % 2 == 0);
    assertThat(denied.allFindings()).singleElement().satisfies(f -> {
      assertThat(f.ruleId()).isEqualTo("S3_NOT_PERMITTED");
      assertThat(f.message()).contains("role/V" + version + " ");
    });
    return version;
  }

  @Test
  void eightThreadsSeeEveryVersionWholeWhileTheFileIsRewrittenAHundredTimes() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    write(registry, version(0));
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong seen = new AtomicLong(-1);
    AtomicInteger decisions = new AtomicInteger();
    AtomicInteger executed = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    CountDownLatch started = new CountDownLatch(8);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<Future<?>> readers = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      readers.add(threads.submit(() -> {
        try (Connection connection = connect(registry)) {
          IamguardConnection guarded = connection.unwrap(IamguardConnection.class);
          started.countDown();
          while (!done.get()) {
            int version = versionOf(guarded.decisionFor(SCRIPT));
            decisions.incrementAndGet();
            seen.accumulateAndGet(version, Math::max);
            try (ResultSet one = connection.createStatement().executeQuery("SELECT 1")) {
              one.next();
              assertThat(one.getInt(1)).isEqualTo(1);
              executed.incrementAndGet();
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        }
        return null;
      }));
    }
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    for (int v = 1; v <= 100; v++) {
      write(registry, version(v));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (seen.get() < v && errors.isEmpty() && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // waits for a reader to make a decision with version v, not for time
      }
      assertThat(seen.get()).as("a reader saw version %d", v).isGreaterThanOrEqualTo(v);
    }
    done.set(true);
    for (Future<?> reader : readers) {
      reader.get(30, TimeUnit.SECONDS);
    }
    threads.shutdown();
    assertThat(errors).as("errors in reader threads").isEmpty();
    assertThat(executed.get()).as("every statement issued was executed").isEqualTo(decisions.get());
    System.out.println("registry reload: 100 rewrites, " + decisions.get() + " decisions by 8 threads, "
        + errors.size() + " errors, 0 torn");
  }

  @Test
  void anInvalidOrVanishedFileKeepsTheLastGoodRegistryAndLogsOneError() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    write(registry, version(0));
    try (Connection connection = connect(registry)) {
      IamguardConnection guarded = connection.unwrap(IamguardConnection.class);
      assertThat(versionOf(guarded.decisionFor(SCRIPT))).isZero();
      String log = capturingStandardError(() -> {
        write(registry, version(1).replace("s3_write", "s3_wirte"));
        assertThat(versionOf(guarded.decisionFor(SCRIPT))).isZero();
        assertThat(versionOf(guarded.decisionFor(SCRIPT))).isZero();
      });
      assertThat(log.lines().filter(l -> l.contains("ERROR"))).singleElement().asString()
          .contains("registry " + registry + " changed but is not valid; keeping the last good registry");
      assertThat(log).contains("unknown key \"s3_wirte\"")
          .as("the connection goes on: nothing was refused (probe 24c F8)").doesNotContain("refused");
      write(registry, version(1));
      assertThat(versionOf(guarded.decisionFor(SCRIPT))).isEqualTo(1);
      String vanished = capturingStandardError(() -> {
        Files.delete(registry);
        assertThat(versionOf(guarded.decisionFor(SCRIPT))).isEqualTo(1);
        assertThat(versionOf(guarded.decisionFor(SCRIPT))).isEqualTo(1);
      });
      assertThat(vanished.lines().filter(l -> l.contains("ERROR"))).singleElement().asString()
          .contains("cannot be read").contains("keeping the last good registry").doesNotContain("refused");
      write(registry, version(2));
      assertThat(versionOf(guarded.decisionFor(SCRIPT))).isEqualTo(2);
    }
  }

  /**
   * A reload that changes {@code policy.mode} says so at WARN, naming both modes and what
   * connections following it now do (red-team review: a switch to off silenced the audit trail
   * with nothing but an INFO "reloaded"); a reload that keeps the mode says nothing of it.
   */
  @Test
  void aReloadThatChangesTheModeSaysSo() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    write(registry, version(0));
    String[] modes = {"off", "audit", "audit", "enforce", "off", "off", "enforce"};
    try (Connection connection = connect(registry)) {
      String was = "enforce";
      for (String mode : modes) {
        write(registry, version(0) + "policy:\n  mode: " + mode + "\n");
        // the next decision looks at the file first, as version() does
        String log = capturingStandardError(() -> ((GuardConnection) connection.unwrap(IamguardConnection.class))
            .policy().version());
        String said = "reloaded with policy.mode " + mode + " (was " + was + ")";
        if (mode.equals(was)) {
          assertThat(log).as(was + " -> " + mode).doesNotContain("reloaded with policy.mode");
        } else {
          assertThat(log).as(was + " -> " + mode).contains(said).contains(mode.equals("off")
              ? "send every statement unchecked and record no decision" : mode.equals("audit")
              ? "send denied statements and record them" : "refuse denied statements");
        }
        was = mode;
      }
    }
  }

  interface Action {
    void run() throws Exception;
  }

  static String capturingStandardError(Action action) throws Exception {
    PrintStream saved = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(saved);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
