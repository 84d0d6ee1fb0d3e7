package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.audit.AuditEvent;
import dev.iamguard.audit.AuditSink;
import dev.iamguard.audit.AuditSinks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An audit sink that fails with a LinkageError (a sink or Micrometer built against another version:
 * NoSuchMethodError, NoClassDefFoundError, AbstractMethodError) escaped as that Error from
 * {@code execute}, past the guard's clear AUDIT_FAILED refusal, and the sinks after it had no record.
 * Oracle: README/DESIGN's contract, a decision that cannot be audited is an SQLException of state
 * 58030 and nothing is sent; every sink receives the event.
 */
class SinkLinkageErrorTest {
  @TempDir
  Path dir;

  static final List<Supplier<Throwable>> FAILURES = List.of(
      () -> new NoSuchMethodError("io.micrometer.core.instrument.Counter$Builder.tag"),
      () -> new NoClassDefFoundError("io/micrometer/core/instrument/Tags"),
      () -> new AbstractMethodError("record"),
      () -> new IncompatibleClassChangeError("AuditSink"),
      () -> new IllegalStateException("disk full"));

  /** Throws the failure of {@link #current}, as a sink named in a setting. */
  public static final class FailingSink implements AuditSink {
    static volatile Supplier<Throwable> current;

    @Override
    public void record(AuditEvent event) {
      Throwable failure = current.get();
      if (failure instanceof Error error) {
        throw error;
      }
      throw (RuntimeException) failure;
    }
  }

  @Test
  void everySinkHasTheEventAndTheFirstFailureIsThrown() {
    for (Supplier<Throwable> failure : FAILURES) {
      List<AuditEvent> after = new ArrayList<>();
      Throwable thrown = failure.get();
      AuditSink failing = event -> {
        if (thrown instanceof Error error) {
          throw error;
        }
        throw (RuntimeException) thrown;
      };
      AuditSink all = AuditSinks.all(List.of(failing, after::add));
      AuditEvent event = new AuditEvent(null, "DENY", "enforce", "etl", null, 1, 1, "COPY", List.of(), null, "COPY");
      assertThatThrownBy(() -> all.record(event)).as("%s", thrown).isSameAs(thrown);
      assertThat(after).as("the sink after %s", thrown).containsExactly(event);
    }
  }

  @Test
  void aStatementWhoseSinkFailsIsRefusedWithTheAuditStateAndNotSent() throws SQLException {
    for (Supplier<Throwable> failure : FAILURES) {
      FailingSink.current = failure;
      Properties properties = TestRegistry.properties("etl");
      properties.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
      properties.setProperty("iamguard.audit-sink", FailingSink.class.getName());
      properties.setProperty("iamguard.metrics", "false");
      try (Connection connection = DriverManager.getConnection(TestRegistry.h2Url(), properties);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE t (v INT)");
        String unload = "UNLOAD ('select 1') TO 's3://lake/out/x_' IAM_ROLE 'loader'";
        assertThatThrownBy(() -> statement.execute(unload)).as("%s", failure.get())
            .isInstanceOf(SQLException.class).hasMessageContaining("could not be audited")
            .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(GuardSqlStates.AUDIT_FAILED);
      }
      assertThat(Files.exists(dir.resolve("s3"))
          ? nothingIn(dir.resolve("s3")) : true).as("nothing unloaded after %s", failure.get()).isTrue();
    }
  }

  private static boolean nothingIn(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.noneMatch(Files::isRegularFile);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
