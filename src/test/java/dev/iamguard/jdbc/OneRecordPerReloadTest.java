package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.AuditEvent;
import dev.iamguard.policy.Session;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry reload does not make the decision after it twice (red-team review: the first
 * statement after each reload was decided against the new registry, then taken for stale because
 * the version was read before the reload was applied, decided again and recorded twice: two audit
 * lines, two counts). For each way a text is decided (executed, prepared then executed, a batch
 * entry then the batch), after a change of the registry's meaning and after a change of its bytes
 * only, each decision is recorded exactly once, and the decision is the new registry's.
 */
class OneRecordPerReloadTest {
  private static final String UNLOAD = "UNLOAD ('select 1') TO 's3://lake/a/x_' IAM_ROLE 'current'";

  @TempDir
  Path dir;

  private String source;

  private List<AuditEvent> events() {
    return AuditSettingsTest.RecordingSink.EVENTS.stream().filter(e -> source.equals(e.source())).toList();
  }

  /** The events recorded while {@code step} ran. */
  private List<AuditEvent> recordedBy(Step step) throws SQLException {
    int before = events().size();
    step.run();
    List<AuditEvent> all = events();
    return all.subList(before, all.size());
  }

  private interface Step {
    void run() throws SQLException;
  }

  /** A connection whose statements answer every call as a driver that ran it would. */
  private Connection answeringTarget() {
    ClassLoader loader = getClass().getClassLoader();
    return (Connection) Proxy.newProxyInstance(loader, new Class<?>[] {Connection.class}, (self, method, args) -> {
      Class<?> type = method.getReturnType();
      if (Statement.class.isAssignableFrom(type)) {
        int[] entries = {0};
        return Proxy.newProxyInstance(loader, new Class<?>[] {type}, (s, m, a) -> {
          if (m.getName().equals("addBatch")) {
            entries[0]++;
          }
          if (m.getName().equals("executeBatch")) {
            int[] counts = new int[entries[0]];
            entries[0] = 0;
            return counts;
          }
          return GuardCoverageTest.defaultValue(m.getReturnType());
        });
      }
      return method.getName().equals("getAutoCommit") ? Boolean.TRUE : GuardCoverageTest.defaultValue(type);
    });
  }

  @Test
  void eachDecisionAfterAReloadIsRecordedOnce() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    RegistryReloadTest.write(registry, RegistryReloadTest.version(0));
    source = UUID.randomUUID().toString();
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", registry.toString());
    properties.setProperty("iamguard.reload-interval", "0");
    properties.setProperty("iamguard.mode", "audit"); // a denied text is sent too, and recorded once as well
    properties.setProperty("iamguard.audit-sink", AuditSettingsTest.RecordingSink.class.getName());
    properties.setProperty("iamguard.name", source);
    ConnectionPolicy policy = GuardFactory.create(GuardConfig.resolve(properties, Map.of(), k -> null, k -> null),
        Session.of("etl", null), false);
    int checked = 0;
    // a target that answers every execution (no emulation: a batch holds the UNLOAD)
    try (Connection connection = new GuardConnection(answeringTarget(), policy);
        Statement statement = connection.createStatement()) {
      for (int v = 1; v <= 6; v++) {
        for (boolean bytesOnly : new boolean[] {false, true}) {
          // V even writes under lake/a/ (the UNLOAD rewritten), V odd under lake/b/ (denied)
          RegistryReloadTest.write(registry, RegistryReloadTest.version(v) + (bytesOnly ? "# touched\n" : ""));
          String expected = v % 2 == 0 ? "REWRITE" : "DENY";
          String way = List.of("execute", "prepared", "batch").get((v + (bytesOnly ? 1 : 0)) % 3);
          switch (way) {
            case "execute" -> assertThat(recordedBy(() -> statement.execute(UNLOAD)))
                .as("v%d %s %s", v, bytesOnly, way).extracting(AuditEvent::decision).containsExactly(expected);
            case "prepared" -> {
              PreparedStatement[] prepared = new PreparedStatement[1];
              assertThat(recordedBy(() -> prepared[0] = connection.prepareStatement(UNLOAD)))
                  .as("v%d %s prepared", v, bytesOnly).extracting(AuditEvent::decision).containsExactly(expected);
              try (PreparedStatement executed = prepared[0]) {
                assertThat(recordedBy(executed::execute)).as("v%d %s executed: nothing changed since", v, bytesOnly)
                    .isEmpty();
              }
            }
            default -> {
              assertThat(recordedBy(() -> statement.addBatch(UNLOAD))).as("v%d %s addBatch", v, bytesOnly)
                  .extracting(AuditEvent::decision).containsExactly(expected);
              assertThat(recordedBy(statement::executeBatch)).as("v%d %s executeBatch: nothing changed since", v,
                  bytesOnly).isEmpty();
            }
          }
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(12);
  }
}
