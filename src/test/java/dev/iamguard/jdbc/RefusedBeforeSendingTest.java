package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text refused when it is decided again, just before it would be sent, never reached the target:
 * what it would have changed must not be recorded as changed. On a declared identity (a target that
 * cannot report its user) the guard's record is the only one, and a text holding a change the guard
 * cannot follow ({@code set_config}) or an end that may undo a change (ROLLBACK, COMMIT, EXECUTE) left
 * the user unknown once recorded as sent, so that every auth-carrying statement after it was denied,
 * though nothing had run. Each such text holds a COPY through a role that trusts etl only; it is
 * judged for etl, then decided again after the connection's user became bob (SET SESSION
 * AUTHORIZATION, which the guard follows), and refused: as a prepared statement's execution, as a
 * batch entry or a prepared statement's parameter set at executeBatch, and as a plain text whose decision another thread's change overtook
 * between the judgement and the sending. After the refusal, bob's own COPY (a role that trusts bob)
 * is allowed and sent, as it is where the refused text was never tried (the control).
 */
class RefusedBeforeSendingTest {
  private static final String ETL_ROLE = "arn:aws:iam::123456789012:role/EtlLoader";
  private static final String BOB_ROLE = "arn:aws:iam::123456789012:role/BobLoader";
  private static final String COPY_ETL = "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + ETL_ROLE + "'";
  private static final String COPY_BOB = "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + BOB_ROLE + "'";
  /** After etl's COPY: a change the guard cannot follow, or an end that may undo a change, or one it follows. */
  private static final List<String> AFTER = List.of(
      "select set_config('role', 'none', false)",
      "select set_config('session_authorization', 'sa', false)",
      "SELECT SET_CONFIG('search_path', 'x', false), set_config('role', 'r1', true)",
      "rollback",
      "commit",
      "abort",
      "end",
      "rollback to savepoint s1",
      "execute q1",
      "set role none",
      "reset role",
      "reset session authorization",
      "set session authorization sa");
  private static final List<String> FACES = List.of("prepared", "batch", "prepared batch",
      "plain, overtaken by another thread");

  @TempDir
  static Path dir;

  private final List<String> sent = new CopyOnWriteArrayList<>();

  @Test
  void aTextRefusedBeforeItWasSentLeavesWhoRunsTheConnectionAsItWas() throws Exception {
    List<String> failed = new ArrayList<>();
    int cases = 0;
    for (String after : AFTER) {
      String text = COPY_ETL + "; " + after;
      for (String face : FACES) {
        cases++;
        String label = face + ": " + text;
        Connection connection = connection();
        boolean refused = refusedForBob(connection, text, face, failed, label);
        if (!refused) {
          failed.add(label + ": not refused for bob");
          continue;
        }
        assertThat(sent).as(label).doesNotContain(text);
        try (Statement statement = connection.createStatement()) {
          statement.execute(COPY_BOB);
        } catch (GuardDeniedException denied) {
          failed.add(label + ": bob's own COPY was denied after the refused text (" + denied.getMessage() + ")");
        }
      }
    }
    assertThat(failed).as("%s of %s cases", failed.size(), cases).isEmpty();
  }

  @Test
  void withoutTheRefusedTextBobsCopyIsSentAndEtlsIsNot() throws Exception {
    Connection connection = connection();
    connection.createStatement().execute("set session authorization bob");
    connection.createStatement().execute(COPY_BOB);
    assertThat(sent).containsExactly("set session authorization bob", COPY_BOB);
    try (Statement statement = connection.createStatement()) {
      statement.execute(COPY_ETL);
      throw new AssertionError("etl's COPY was allowed for bob");
    } catch (GuardDeniedException denied) {
      assertThat(sent).doesNotContain(COPY_ETL);
    }
  }

  /** Prepares, batches or sends {@code text} for etl, makes bob run the connection, and returns whether the text was then refused. */
  private boolean refusedForBob(Connection connection, String text, String face, List<String> failed, String label)
      throws SQLException {
    try {
      switch (face) {
        case "prepared" -> {
          PreparedStatement prepared = connection.prepareStatement(text);
          connection.createStatement().execute("set session authorization bob");
          prepared.execute();
        }
        case "prepared batch" -> {
          PreparedStatement prepared = connection.prepareStatement(text);
          prepared.addBatch();
          connection.createStatement().execute("set session authorization bob");
          prepared.executeBatch();
        }
        case "batch" -> {
          Statement batch = connection.createStatement();
          batch.addBatch(text);
          connection.createStatement().execute("set session authorization bob");
          batch.executeBatch();
        }
        default -> {
          DeclaredTextBesideIdentityChangeTest.Hook.NEXT.set(CallBesideIdentityChangeServerTest.otherThreadRuns(
              connection, "set session authorization bob", false, () -> failed.add(label + ": bob's change did not run")));
          try {
            connection.createStatement().execute(text);
          } finally {
            DeclaredTextBesideIdentityChangeTest.Hook.NEXT.set(null);
          }
        }
      }
      return false;
    } catch (GuardDeniedException | java.sql.BatchUpdateException refused) {
      return true;
    }
  }

  private Connection connection() throws Exception {
    sent.clear();
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", registry().toString());
    properties.setProperty("iamguard.audit-sink", DeclaredTextBesideIdentityChangeTest.Hook.class.getName());
    ConnectionPolicy policy = GuardFactory.create(GuardConfig.resolve(properties, Map.of(), k -> null, k -> null),
        Session.of("etl", null), false);
    return new GuardConnection(RecordingTarget.of(sent), policy);
  }

  /** Two attached roles reading the same prefix: one trusts etl, the other bob. */
  private static Path registry() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    if (!Files.exists(registry)) {
      StringBuilder yaml = new StringBuilder("version: 1\nclusters:\n  - id: dev-cluster\n    account: \"123456789012\"\n"
          + "    region: us-west-2\n    attached_roles: [" + ETL_ROLE + ", " + BOB_ROLE + "]\nroles:\n");
      for (String[] role : new String[][] {{ETL_ROLE, "etl"}, {BOB_ROLE, "bob"}}) {
        yaml.append("  - arn: ").append(role[0]).append("\n    trust:\n      db_users:\n")
            .append("        - arn:aws:redshift:us-west-2:123456789012:dbuser:dev-cluster/").append(role[1])
            .append("\n    allow:\n      s3_read: [\"s3://lake/in/\"]\n");
      }
      Files.writeString(registry, yaml);
    }
    return registry;
  }
}
