package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.audit.AuditSink;
import dev.iamguard.policy.Session;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A batch stopped at {@code executeBatch} before it is sent, by a denial or by anything thrown while
 * its entries are decided again (an audit sink's RuntimeException or Error), leaves the driver's
 * batch empty: the next {@code executeBatch} sends nothing of it (red-team review: after a sink's
 * NoClassDefFoundError the driver kept the batch, the guard had forgotten its entries, and the next
 * executeBatch sent a COPY as a user its role does not trust). Text batches and a prepared
 * statement's parameter sets alike; the target records what it is sent.
 */
class BatchStoppedBeforeSendTest {
  private static final String COPY = "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "'";

  private final List<String> sent = new CopyOnWriteArrayList<>();
  /** What the audit sink throws for a COPY while set, or null. */
  private volatile Supplier<Throwable> sinkFailure;

  static Stream<Arguments> stops() {
    Map<String, Supplier<Throwable>> failures = Map.of(
        "denial", () -> null,
        "sink RuntimeException", () -> new IllegalStateException("sink down"),
        "sink NoClassDefFoundError", () -> new NoClassDefFoundError("com/example/sink/Dependency"),
        "sink AssertionError", () -> new AssertionError("sink invariant"),
        "sink OutOfMemoryError", () -> new OutOfMemoryError("sink buffer"));
    return failures.entrySet().stream().flatMap(f -> Stream.of(true, false)
        .map(prepared -> Arguments.of(f.getKey() + (prepared ? ", parameter batch" : ", text batch"), f.getValue(), prepared)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stops")
  void theNextExecuteBatchSendsNothingOfAStoppedBatch(String name, Supplier<Throwable> failure, boolean prepared)
      throws SQLException {
    AuditSink sink = event -> {
      Supplier<Throwable> now = sinkFailure;
      Throwable thrown = now == null || !event.command().equals("COPY") ? null : now.get();
      if (thrown instanceof RuntimeException e) {
        throw e;
      }
      if (thrown instanceof Error e) {
        throw e;
      }
    };
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", TestRegistry.path().toString());
    ConnectionPolicy policy = GuardFactory.create(GuardConfig.resolve(properties, Map.of(), k -> null, k -> null),
        Session.of("etl", null), false, sink);
    GuardConnection connection = new GuardConnection(RecordingTarget.of(sent), policy);
    Statement batch;
    if (prepared) {
      PreparedStatement statement = connection.prepareStatement(COPY);
      statement.addBatch(); // decided for etl, whom Loader trusts
      batch = statement;
    } else {
      batch = connection.createStatement();
      batch.addBatch(COPY);
    }
    connection.createStatement().execute("SET SESSION AUTHORIZATION bob"); // Loader does not trust bob
    sent.clear();
    sinkFailure = failure;
    Throwable stopped = assertThrows(Throwable.class, batch::executeBatch, name);
    if (failure.get() == null) {
      assertThat(stopped).as(name).isInstanceOf(GuardDeniedException.class);
    } else {
      assertThat(stopped).as(name).isNotInstanceOf(GuardDeniedException.class);
    }
    sinkFailure = null;
    try {
      batch.executeBatch();
    } catch (SQLException refused) {
      // refusing the second execution is as good as sending nothing
    }
    assertThat(sent).as(name + ": sent after the batch was stopped").isEmpty();
  }
}
