package dev.iamguard.jdbc;

import static dev.iamguard.jdbc.RegistryReloadTest.version;
import static dev.iamguard.jdbc.RegistryReloadTest.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Session;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prepared or callable statement was decided against the registry in force when it was
 * prepared; a reload (another role set, a narrower prefix, policy.mode from audit or off to
 * enforce) reaches it before its next execution, as it reaches every other statement of an open
 * connection: for every way of preparing, every way of executing, and every spelling of the text,
 * a text the new registry denies is refused and nothing of it reaches the target.
 */
class PreparedAcrossReloadTest {
  private static final String V0 = "arn:aws:iam::123456789012:role/V0";

  @TempDir
  Path dir;

  /** A registry change and a text prepared before it, which the registry after it refuses. */
  record Change(String name, String before, String after, String text, boolean denied) {}

  private static List<Change> changes() {
    return List.of(
        // V0 is no longer in the registry: ROLE_UNKNOWN
        new Change("role removed", version(0), version(1),
            "UNLOAD ('select 1') TO 's3://lake/a/x_' IAM_ROLE '" + V0 + "'", true),
        // the alias names V2 now: allowed, but rewritten to another ARN than the one prepared
        new Change("alias moved", version(0), version(2),
            "UNLOAD ('select 1') TO 's3://lake/a/x_' IAM_ROLE 'current'", false),
        new Change("audit to enforce", version(0) + "policy:\n  mode: audit\n", version(0) + "policy:\n  mode: enforce\n",
            "UNLOAD ('select 1') TO 's3://lake/b/x_' IAM_ROLE '" + V0 + "'", true),
        new Change("off to enforce", version(0) + "policy:\n  mode: \"off\"\n", version(0),
            "UNLOAD ('select 1') TO 's3://lake/b/x_' IAM_ROLE '" + V0 + "'", true),
        new Change("prefix narrowed", version(0),
            version(0).replace("s3_write: [\"s3://lake/a/\"]", "s3_write: [\"s3://lake/a/only/\"]"),
            "UNLOAD ('select 1') TO 's3://lake/a/x_' IAM_ROLE '" + V0 + "'", true));
  }

  /** The text as applications write it: case, comments and line breaks between tokens, a trailing semicolon. */
  private static List<String> spellings(String text) {
    return List.of(text, text.toLowerCase(java.util.Locale.ROOT).replace("'select 1'", "'SELECT 1'")
            .replace("arn:aws:iam::123456789012:role/v0", V0),
        text.replace(" TO ", "\n/* to */ TO\t").replace(" IAM_ROLE ", " -- role\n IAM_ROLE "),
        "  " + text + " ;");
  }

  interface Preparer {
    PreparedStatement prepare(Connection connection, String sql) throws SQLException;
  }

  private static final Map<String, Preparer> PREPARERS = Map.of(
      "prepareStatement", Connection::prepareStatement,
      "prepareStatement(keys)", (c, sql) -> c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS),
      "prepareStatement(int[])", (c, sql) -> c.prepareStatement(sql, new int[] {1}),
      "prepareStatement(String[])", (c, sql) -> c.prepareStatement(sql, new String[] {"a"}),
      "prepareStatement(type, concurrency)", (c, sql) -> c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
          ResultSet.CONCUR_READ_ONLY),
      "prepareStatement(type, concurrency, holdability)", (c, sql) -> c.prepareStatement(sql,
          ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, ResultSet.CLOSE_CURSORS_AT_COMMIT),
      "prepareCall", Connection::prepareCall,
      "prepareCall(type, concurrency)", (c, sql) -> c.prepareCall(sql, ResultSet.TYPE_FORWARD_ONLY,
          ResultSet.CONCUR_READ_ONLY),
      "prepareCall(type, concurrency, holdability)", (c, sql) -> c.prepareCall(sql, ResultSet.TYPE_FORWARD_ONLY,
          ResultSet.CONCUR_READ_ONLY, ResultSet.HOLD_CURSORS_OVER_COMMIT));

  interface Execution {
    void run(PreparedStatement statement) throws SQLException;
  }

  private static final Map<String, Execution> EXECUTIONS = Map.of(
      "execute", PreparedStatement::execute,
      "executeUpdate", PreparedStatement::executeUpdate,
      "executeLargeUpdate", PreparedStatement::executeLargeUpdate,
      "executeQuery", PreparedStatement::executeQuery,
      "executeBatch", s -> {
        s.addBatch();
        s.executeBatch();
      },
      "executeLargeBatch", s -> {
        s.addBatch();
        s.executeLargeBatch();
      });

  /** The methods called on the target's prepared and callable statements. */
  private final List<String> sent = new ArrayList<>();

  /** A target whose prepared and callable statements record the executions they receive. */
  private Connection recordingTarget() {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (self, method, args) -> {
          Class<?> type = method.getReturnType();
          if (type == PreparedStatement.class || type == CallableStatement.class) {
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (s, m, a) -> {
              if (m.getName().startsWith("execute")) {
                sent.add(m.getName());
              }
              return GuardCoverageTest.defaultValue(m.getReturnType());
            });
          }
          if (method.getName().equals("getAutoCommit")) {
            return true;
          }
          return GuardCoverageTest.defaultValue(type);
        });
  }

  private Connection guarded(Path registry) throws SQLException {
    return new GuardConnection(recordingTarget(), reloading(registry));
  }

  /** The policy of user etl's connection to {@code registry}, checked for changes before every decision. */
  static ConnectionPolicy reloading(Path registry) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", registry.toString());
    properties.setProperty("iamguard.reload-interval", "0");
    return GuardFactory.create(GuardConfig.resolve(properties, Map.of(), k -> null, k -> null), Session.of("etl", null),
        false);
  }

  @Test
  void aReloadReachesStatementsPreparedBeforeIt() throws Exception {
    int checked = 0;
    for (Change change : changes()) {
      for (String text : spellings(change.text())) {
        for (Map.Entry<String, Preparer> preparer : PREPARERS.entrySet()) {
          for (Map.Entry<String, Execution> execution : EXECUTIONS.entrySet()) {
            String what = change.name() + ", " + preparer.getKey() + ", " + execution.getKey() + ": " + text;
            Path registry = dir.resolve("registry-" + checked + ".yaml");
            write(registry, change.before());
            Connection connection = guarded(registry);
            PreparedStatement statement = preparer.getValue().prepare(connection, text);
            write(registry, change.after());
            sent.clear();
            SQLException refused = catchThrowableOfType(SQLException.class, () -> execution.getValue().run(statement));
            assertThat((Throwable) refused).as(what).isNotNull();
            assertThat(sent).as("%s: nothing reaches the target", what).isEmpty();
            if (change.denied()) {
              assertThat((Throwable) refused).as(what).isInstanceOf(GuardDeniedException.class);
            } else {
              assertThat(refused.getMessage()).as(what).contains("prepare it again");
            }
            checked++;
          }
        }
      }
    }
    assertThat(checked).isEqualTo(changes().size() * 4 * PREPARERS.size() * EXECUTIONS.size());
  }

  @Test
  void aStatementTheNewRegistryStillAllowsRunsAsBefore() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    write(registry, version(0));
    Connection connection = guarded(registry);
    for (Preparer preparer : PREPARERS.values()) {
      PreparedStatement statement = preparer.prepare(connection, "UNLOAD ('select 1') TO 's3://lake/a/x_' IAM_ROLE '"
          + V0 + "'");
      write(registry, version(0) + "# another comment: other bytes, the same rules\n");
      sent.clear();
      statement.execute();
      statement.executeUpdate();
      assertThat(sent).containsExactly("execute", "executeUpdate");
      write(registry, version(0));
    }
  }

  @Test
  void aConnectionWhoseSettingTurnsChecksOffPreparesAndBatchesUnchecked() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("iamguard.mode", "off"); // no registry is opened at all
    ConnectionPolicy policy = GuardFactory.create(GuardConfig.resolve(properties, Map.of(), k -> null, k -> null),
        Session.of("etl", null), false);
    Connection connection = new GuardConnection(recordingTarget(), policy);
    String unknownRole = "UNLOAD ('select 1') TO 's3://lake/b/x_' IAM_ROLE 'arn:aws:iam::123456789012:role/Nobody'";
    for (Preparer preparer : PREPARERS.values()) {
      PreparedStatement statement = preparer.prepare(connection, unknownRole);
      statement.addBatch();
      statement.executeBatch();
      statement.addBatch(unknownRole);
      statement.executeLargeBatch();
      statement.execute();
    }
    assertThat(sent).hasSize(3 * PREPARERS.size());
  }

  @Test
  void anEmulatedStatementPreparedBeforeTheRoleWasRemovedWritesNothing() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    write(registry, version(0));
    Properties properties = new Properties();
    properties.setProperty("user", "etl");
    properties.setProperty("iamguard.registry", registry.toString());
    properties.setProperty("iamguard.reload-interval", "0");
    Path s3 = dir.resolve("s3");
    properties.setProperty("iamguard.local-s3", s3.toString());
    try (Connection connection = DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID(), properties);
        PreparedStatement unload = connection.prepareStatement("UNLOAD ('select 1') TO 's3://lake/a/x_' IAM_ROLE '"
            + V0 + "' ALLOWOVERWRITE")) {
      unload.execute();
      assertThat(files(s3)).isNotEmpty();
      for (Path file : files(s3)) {
        Files.delete(file);
      }
      write(registry, version(1));
      GuardDeniedException denied = catchThrowableOfType(GuardDeniedException.class, unload::execute);
      assertThat(denied.findings().stream().map(Finding::ruleId).toList()).contains("ROLE_UNKNOWN");
      assertThat(files(s3)).isEmpty();
    }
  }

  private static List<Path> files(Path root) throws java.io.IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }
}
