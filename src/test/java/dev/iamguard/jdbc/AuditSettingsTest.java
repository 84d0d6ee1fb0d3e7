package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.audit.AuditEvent;
import dev.iamguard.audit.AuditSink;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Audit output chosen by configuration alone (connection properties, URL arguments, system
 * properties or environment variables), not only through the data source builder: a JSON Lines
 * file, a sink class, and Micrometer counters when Micrometer is on the classpath.
 */
class AuditSettingsTest {
  /** Allowed: the alias is rewritten to the Loader role, the UNLOAD emulated under the local S3 folder. */
  private static final String ALLOWED = "UNLOAD ('SELECT v FROM t') TO 's3://lake/out/t_' IAM_ROLE 'loader' PARALLEL OFF ALLOWOVERWRITE";
  /** Denied, and it carries keys that must never reach any output. */
  private static final String DENIED_WITH_KEYS = "COPY t FROM 's3://lake/in/t/' ACCESS_KEY_ID 'AKIAIOSFODNN7EXAMPLE'"
      + " SECRET_ACCESS_KEY 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'";

  @TempDir
  Path dir;

  private Connection open(Map<String, String> settings) throws SQLException {
    Properties properties = TestRegistry.properties("etl");
    properties.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    settings.forEach(properties::setProperty);
    return DriverManager.getConnection(TestRegistry.h2Url(), properties);
  }

  private void allowedThenDenied(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (v INT)");
      statement.execute(ALLOWED);
      assertThatThrownBy(() -> statement.execute(DENIED_WITH_KEYS)).isInstanceOf(GuardDeniedException.class);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> jsonLines(Path file) throws Exception {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      objects.add((Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(line));
    }
    return objects;
  }

  @Test
  void anAuditFileGetsOneJsonObjectPerDecision() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (Connection connection = open(Map.of("iamguard.audit-file", file.toString(), "iamguard.name", "nightly"))) {
      allowedThenDenied(connection);
    }
    String text = Files.readString(file);
    assertThat(text).doesNotContain("wJalrXUtnFEMI", "AKIAIOSFODNN7EXAMPLE");
    List<Map<String, Object>> decisions = jsonLines(file);
    assertThat(decisions).hasSize(2);
    Map<String, Object> rewrite = decisions.get(0);
    assertThat(rewrite).containsEntry("decision", "REWRITE").containsEntry("source", "nightly")
        .containsEntry("mode", "enforce").containsEntry("user", "etl").containsEntry("cluster", "dev-cluster")
        .containsEntry("statement", 1).containsEntry("line", 1).containsEntry("command", "UNLOAD")
        .containsEntry("rules", List.of()).doesNotContainKey("message");
    assertThat((String) rewrite.get("sql")).contains("arn:aws:iam::123456789012:role/Loader");
    assertThat(java.time.Instant.parse((String) rewrite.get("time"))).isBeforeOrEqualTo(java.time.Instant.now());
    Map<String, Object> deny = decisions.get(1);
    assertThat(deny).containsEntry("decision", "DENY").containsEntry("command", "COPY");
    assertThat(deny.get("rules")).asList().contains("STATIC_KEYS");
    assertThat((String) deny.get("message")).startsWith("iamguard: ");
  }

  @Test
  void connectionsSharingTheFileNeverInterleaveLines() throws Exception {
    Path file = dir.resolve("shared.jsonl");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(pool.submit(() -> {
          try (Connection connection = open(Map.of("iamguard.audit-file", file.toString()));
              Statement statement = connection.createStatement()) {
            for (int i = 0; i < 25; i++) {
              assertThatThrownBy(() -> statement.execute(DENIED_WITH_KEYS)).isInstanceOf(GuardDeniedException.class);
            }
          }
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(jsonLines(file)).hasSize(100).allSatisfy(line -> assertThat(line).containsEntry("decision", "DENY"));
  }

  /** A sink named by class in a setting. */
  public static final class RecordingSink implements AuditSink {
    static final List<AuditEvent> EVENTS = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void record(AuditEvent event) {
      EVENTS.add(event);
    }
  }

  @Test
  void aSinkClassNamedInASettingReceivesEveryDecision() throws SQLException {
    String source = UUID.randomUUID().toString();
    try (Connection connection = open(Map.of("iamguard.audit-sink", RecordingSink.class.getName(), "iamguard.name", source))) {
      allowedThenDenied(connection);
    }
    List<AuditEvent> mine = RecordingSink.EVENTS.stream().filter(e -> source.equals(e.source())).toList();
    assertThat(mine).extracting(AuditEvent::decision).containsExactly("REWRITE", "DENY");
  }

  /** Fails every record: the audit trail cannot be written. */
  public static final class BrokenSink implements AuditSink {
    @Override
    public void record(AuditEvent event) {
      throw new IllegalStateException("disk full");
    }
  }

  @Test
  void aDecisionThatCannotBeAuditedIsNotSent() throws Exception {
    try (Connection connection = open(Map.of("iamguard.audit-sink", BrokenSink.class.getName()));
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (v INT)");
      assertThatThrownBy(() -> statement.execute(ALLOWED))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("could not be audited").hasMessageContaining("disk full")
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(GuardSqlStates.AUDIT_FAILED);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile)).as("nothing unloaded").isEmpty();
    }
  }

  @Test
  void settingsThatCannotBeHonouredRefuseTheConnection() throws Exception {
    Files.createDirectories(dir.resolve("folder"));
    Map<Map<String, String>, String> refused = Map.of(
        Map.of("iamguard.audit-sink", "com.example.NoSuchSink"), "no class com.example.NoSuchSink",
        Map.of("iamguard.audit-sink", "java.lang.String"), "does not implement dev.iamguard.audit.AuditSink",
        Map.of("iamguard.audit-file", dir.resolve("folder").toString()), "is a folder",
        Map.of("iamguard.audit-file", dir.resolve("missing/audit.jsonl").toString()), "cannot open the audit file",
        Map.of("iamguard.metrics", "maybe"), "iamguard.metrics=maybe: not true or false");
    refused.forEach((settings, message) -> assertThatThrownBy(() -> open(settings).close())
        .as(settings.toString())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(GuardSqlStates.CONNECTION_REFUSED));
  }

  static final AtomicBoolean NOT_A_SINK_RAN = new AtomicBoolean();

  /** Not a sink, with code that runs when the class is initialised. */
  public static final class NotASink {
    static {
      NOT_A_SINK_RAN.set(true);
    }
  }

  /**
   * A class named as a sink runs none of its code unless it is one (red-team review: its static
   * initialiser ran before the type was checked, as plugin classes named in a URL did in pgjdbc's
   * CVE-2022-21724; a URL may come from someone else, in a BI tool).
   */
  @Test
  void aClassThatIsNoSinkRunsNothing() {
    assertThatThrownBy(() -> open(Map.of("iamguard.audit-sink", NotASink.class.getName())).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("does not implement dev.iamguard.audit.AuditSink");
    assertThat(NOT_A_SINK_RAN).isFalse();
  }

  @Test
  void micrometerCountsDecisionsAndRulesUnlessTurnedOff() throws SQLException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.globalRegistry.add(registry);
    try {
      String counted = UUID.randomUUID().toString();
      try (Connection connection = open(Map.of("iamguard.name", counted))) {
        allowedThenDenied(connection);
      }
      assertThat(registry.get("iamguard.decisions").tags("source", counted, "decision", "DENY", "command", "COPY",
          "mode", "enforce").counter().count()).isEqualTo(1.0);
      assertThat(registry.get("iamguard.decisions").tags("source", counted, "decision", "REWRITE").counter().count())
          .isEqualTo(1.0);
      assertThat(registry.get("iamguard.findings").tags("source", counted, "rule", "STATIC_KEYS").counter().count())
          .isEqualTo(1.0);

      String quiet = UUID.randomUUID().toString();
      try (Connection connection = open(Map.of("iamguard.name", quiet, "iamguard.metrics", "false"))) {
        allowedThenDenied(connection);
      }
      assertThat(registry.find("iamguard.decisions").tags("source", quiet).counters()).isEmpty();
    } finally {
      Metrics.globalRegistry.remove(registry);
    }
  }
}
