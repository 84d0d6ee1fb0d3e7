package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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
 * membership a text adds is held by the user it names (sa, whom the role trusts too).
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
    }
  }
}
