package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
 * The driver on a declared identity follows a change of memberships sent in an execution of its own,
 * every way a text is sent: the Loader role is granted only to group loaders, which the registry says
 * etl belongs to, so after {@code alter group loaders drop user etl} (or any form that takes the group
 * away) etl's COPY fails on Redshift and must be refused; it was sent, as such a text needs no
 * decision and nothing recorded it. A form that changes nothing of etl's keeps the COPY going, and a
 * membership a text adds (a group joined, a user created in it, the superuser flag given) is held by
 * the user it names (sa, whom the role trusts too).
 */
class DeclaredMembershipChangeTest {
  private static final String COPY = "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "'";

  @TempDir
  Path dir;

  private final List<String> sent = new CopyOnWriteArrayList<>();

  private Connection open() throws SQLException, IOException {
    Path registry = dir.resolve("registry.yaml");
    if (!Files.exists(registry)) {
      Files.writeString(registry, Files.readString(TestRegistry.path()) + "grants:\n  - on: [" + TestRegistry.LOADER
          + "]\n    to: [\"group:loaders\"]\n    for: [ALL]\nusers:\n  etl: {groups: [loaders]}\n");
    }
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", registry.toString());
    ConnectionPolicy policy = GuardFactory.create(GuardConfig.resolve(properties, Map.of(), k -> null, k -> null),
        Session.of("etl", null), false);
    return new GuardConnection(RecordingTarget.of(sent), policy);
  }

  /** Whether {@code sql} reached the target after {@code before}, each sent on its own, {@code way}. */
  private boolean sentAfter(String before, DeclaredUnfollowedChangeTest.Way way, String sql) throws Exception {
    Connection connection = open();
    way.send(connection, before);
    sent.clear();
    try {
      connection.createStatement().execute(sql);
    } catch (SQLException refused) {
      assertThat(refused.getMessage()).as(before).contains("ASSUMEROLE_NOT_GRANTED");
      assertThat(sent).isEmpty();
      return false;
    }
    return sent.equals(List.of(sql));
  }

  @Test
  void aCopyAfterAChangeThatTakesTheGroupAwayIsRefused() throws Exception {
    List<String> failed = new ArrayList<>();
    int rounds = 0;
    for (String change : List.of("alter group loaders drop user etl", "ALTER GROUP Loaders DROP USER sa, ETL",
        "drop group loaders", "drop role if exists loaders", "alter group loaders rename to l2", "revoke loaders from etl")) {
      for (var way : DeclaredUnfollowedChangeTest.WAYS.entrySet()) {
        rounds++;
        if (sentAfter(change, way.getValue(), COPY)) {
          failed.add(way.getKey() + " '" + change + "': the COPY was sent");
        }
      }
    }
    assertThat(failed).as("%s of %s rounds", failed.size(), rounds).isEmpty();
  }

  /** What adding {@code entries} to one batch and executing it sent: null when the guard refused it. */
  private List<String> batch(String... entries) throws Exception {
    Connection connection = open();
    sent.clear();
    try (Statement statement = connection.createStatement()) {
      for (String entry : entries) {
        statement.addBatch(entry);
      }
      statement.executeBatch();
    } catch (SQLException refused) {
      assertThat(refused.getMessage()).as(String.join("; ", entries)).contains("IDENTITY_CHANGED_IN_TEXT",
          "batch entry 1 of the same execution %s".formatted("changes the ASSUMEROLE grants, the group and role memberships or the superuser flag")).doesNotContain("SET SESSION AUTHORIZATION");
      return null;
    }
    return List.copyOf(sent);
  }

  /**
   * A batch's entries are decided as they are added, before any runs: a COPY after an entry that
   * changes the grants or memberships it is decided by was sent ({@code revoke assumerole ... from
   * group loaders} too, before memberships were followed), decided by those before the batch.
   */
  @Test
  void aCopyAfterAChangeOfGrantsOrMembershipsInTheSameBatchIsRefused() throws Exception {
    for (String change : List.of("alter group loaders drop user etl", "drop group loaders", "revoke loaders from etl",
        "alter group loaders add user etl", "revoke assumerole on '" + TestRegistry.LOADER + "' from group loaders for all",
        "grant assumerole on '" + TestRegistry.LOADER + "' to etl for copy")) {
      assertThat(batch(change, COPY)).as(change).isNull();
      assertThat(sent).as(change).isEmpty();
      assertThat(batch(COPY, change)).as("before it: " + change).containsExactly(COPY, change);
    }
    for (String other : List.of("insert into t values (1)", "grant select on t to group loaders",
        "revoke select on t from etl", "create table t2 (x int)")) {
      assertThat(batch(other, COPY)).as(other).containsExactly(other, COPY);
    }
  }

  @Test
  void aChangeThatKeepsItOrAddsAMembershipIsFollowedToo() throws Exception {
    for (var way : DeclaredUnfollowedChangeTest.WAYS.entrySet()) {
      for (String change : List.of("alter group loaders drop user sa", "revoke select on t from etl",
          "alter group other drop user etl", "select 1")) {
        if (way.getKey().contains("batch") && change.startsWith("select")) {
          continue; // a batch holds no query
        }
        assertThat(sentAfter(change, way.getValue(), COPY)).as(way.getKey() + " " + change).isTrue();
      }
      String asSa = "SET SESSION AUTHORIZATION sa; " + COPY;
      assertThat(sentAfter("alter group loaders add user sa", way.getValue(), asSa)).as(way.getKey()).isTrue();
      assertThat(sentAfter("alter group loaders add user etl", way.getValue(), asSa)).as(way.getKey()).isFalse();
      // a user created in the group, or given the superuser flag (sa is declared in no group)
      for (String change : List.of("create user sa password 'Pw-1x' in group loaders", "alter user sa createuser",
          "CREATE USER sa WITH PASSWORD DISABLE CREATEUSER")) {
        assertThat(sentAfter(change, way.getValue(), asSa)).as(way.getKey() + " " + change).isTrue();
      }
      for (String change : List.of("create user sa password 'Pw-1x' in group other", "alter user sa createdb",
          "create user sa password 'in group loaders'")) {
        assertThat(sentAfter(change, way.getValue(), asSa)).as(way.getKey() + " " + change).isFalse();
      }
    }
  }
}
