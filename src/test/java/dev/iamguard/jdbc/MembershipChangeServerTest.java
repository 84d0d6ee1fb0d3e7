package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver on a server that reports its identity, after the connection's own user changes its
 * memberships: the role is granted only to group ms_loaders, and the guard read the session's groups
 * once, so after {@code alter group ms_loaders drop user ms_u1} it kept sending ms_u1's COPY, which
 * Redshift refuses (the grant is gone), and after joining it kept refusing one Redshift runs. The
 * server is the oracle: random sequences of membership changes (Redshift's ALTER GROUP and
 * PostgreSQL's GRANT and REVOKE of a group), transaction statements and other texts, each sent on its
 * own through the guard by ms_u1 (CREATEROLE, no superuser), and after each COPY the server says
 * whether ms_u1 belongs to ms_loaders then, in its own transaction ({@code pg_group}, which the guard
 * reads): the COPY must have been sent exactly when it does. A change and a COPY in one text are
 * refused (the server is asked before a text is sent), and so is a superuser's COPY after it drops its
 * superuser flag ({@code ALTER USER ... NOSUPERUSER}). Seeds: {@code -Diamguard.membershipSeed},
 * {@code -Diamguard.memberships} (sequences).
 */
class MembershipChangeServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String ROLE = "arn:aws:iam::123456789012:role/GroupLoader";
  private static final String COPY = "COPY ms_t FROM 's3://iamguard-membership/in/x.csv' IAM_ROLE '" + ROLE + "' CSV";
  private static final String MEMBER = "select exists (select 1 from pg_catalog.pg_group g join pg_catalog.pg_user u"
      + " on u.usesysid = any (g.grolist) where g.groname = 'ms_loaders' and u.usename = current_user)";
  private static final List<String> STEPS = List.of(
      "alter group ms_loaders drop user ms_u1", "ALTER GROUP MS_LOADERS ADD USER MS_U1",
      "alter group ms_loaders drop user ms_u2, ms_u1", "alter group ms_loaders add user ms_u2",
      "revoke ms_loaders from ms_u1", "grant ms_loaders to ms_u1", "alter group ms_loaders drop user ms_u2",
      "begin", "commit", "rollback", "select 1", "revoke select on ms_t from ms_u2", COPY, COPY, COPY, COPY);

  @TempDir
  static Path dir;

  @BeforeEach
  void setUp() throws SQLException {
    try (Connection admin = POSTGRES.redshiftConnection(false, null); Statement s = admin.createStatement()) {
      s.execute("drop table if exists ms_t");
      s.execute("drop group if exists ms_loaders");
      s.execute("drop user if exists ms_u1");
      s.execute("drop user if exists ms_u2");
      s.execute("drop user if exists ms_su");
      s.execute("create user ms_su superuser password 'pw-ms3'");
      s.execute("create user ms_u1 createrole password 'pw-ms1'");
      s.execute("create user ms_u2 password 'pw-ms2'");
      s.execute("create group ms_loaders with user ms_u1");
      s.execute("create table ms_t (v int)");
      s.execute("grant select on ms_t to ms_u2");
    }
  }

  private static Connection guarded() throws Exception {
    return guarded("ms_u1", "pw-ms1");
  }

  private static Connection guarded(String user, String password) throws Exception {
    Path registry = dir.resolve("membership-registry.yaml");
    if (!Files.exists(registry)) {
      Files.writeString(registry, """
          version: 1
          clusters:
            - id: local-cluster
              account: "123456789012"
              region: us-west-2
              attached_roles: [%1$s]
          roles:
            - arn: %1$s
              allow:
                s3_read: ["s3://iamguard-membership/in/"]
          grants:
            - on: [%1$s]
              to: ["group:ms_loaders"]
              for: [ALL]
          """.formatted(ROLE));
    }
    Properties properties = POSTGRES.redshiftDriverProperties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    properties.setProperty(Setting.REGISTRY.key(), registry.toString());
    properties.setProperty(Setting.CLUSTER.key(), "local-cluster");
    return DriverManager.getConnection("jdbc:iamguard:" + POSTGRES.redshiftUrl().substring("jdbc:".length()), properties);
  }

  /** Null when {@code sql} was sent and ran or failed on the server; the guard's refusal otherwise. */
  private static String refusal(Connection connection, String sql) {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
      return null;
    } catch (SQLException e) {
      return String.valueOf(e.getMessage()).startsWith("iamguard") ? e.getMessage() : null;
    }
  }

  /** Whether the server says the user belongs to ms_loaders; null where its transaction is aborted. */
  private static Boolean memberOrNull(Connection connection) {
    try {
      return member(connection);
    } catch (SQLException e) {
      assertThat(e.getMessage()).contains("current transaction is aborted");
      return null;
    }
  }

  private static boolean member(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(MEMBER)) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  @Test
  void aCopyIsSentExactlyWhenTheServerSaysTheUserHoldsTheGroupsGrant() throws Exception {
    long seed = Long.getLong("iamguard.membershipSeed", 20261207L);
    int sequences = Integer.getInteger("iamguard.memberships", 8);
    List<String> failed = new ArrayList<>();
    int copies = 0;
    int refused = 0;
    for (int n = 0; n < sequences; n++) {
      setUp();
      Random random = new Random(seed + n);
      List<String> run = new ArrayList<>();
      try (Connection connection = guarded()) {
        for (int step = 0; step < 14; step++) {
          String sql = STEPS.get(random.nextInt(STEPS.size()));
          Boolean member = sql.equals(COPY) ? memberOrNull(connection) : null;
          if (sql.equals(COPY) && member == null) {
            run.add("rollback"); // a step that failed aborted the transaction
            assertThat(refusal(connection, "rollback")).isNull();
            member = member(connection);
          }
          run.add(sql);
          String refusal = refusal(connection, sql);
          if (!sql.equals(COPY)) {
            assertThat(refusal).as("sent: %s", run).isNull();
            continue;
          }
          copies++;
          refused += refusal == null ? 0 : 1;
          if ((refusal == null) != member) {
            failed.add("seed " + (seed + n) + " " + run + ": " + (refusal == null ? "sent" : "refused") + ", the server says "
                + (member ? "a member" : "not a member"));
          }
          if (refusal != null) {
            assertThat(refusal).contains("ASSUMEROLE_NOT_GRANTED");
          }
        }
        refusal(connection, "rollback");
      }
    }
    assertThat(failed).as("%s of %s COPYs decided unlike the server", failed.size(), copies).isEmpty();
    assertThat(copies).isGreaterThan(refused).isGreaterThan(0);
    assertThat(refused).as("some COPYs came after the user left the group").isPositive();
  }

  @Test
  void aSuperuserWhoDropsTheFlagNeedsTheGrant() throws Exception {
    try (Connection connection = guarded("ms_su", "pw-ms3"); Statement statement = connection.createStatement()) {
      assertThat(refusal(connection, COPY)).as("a superuser holds ASSUMEROLE").isNull();
      assertThat(refusal(connection, "alter user ms_su nosuperuser; " + COPY)).contains("IDENTITY_CHANGED_IN_TEXT");
      statement.execute("alter user ms_su nosuperuser");
      try (ResultSet rs = statement.executeQuery("select usesuper from pg_catalog.pg_user where usename = current_user")) {
        assertThat(rs.next() && !rs.getBoolean(1)).as("the server took the flag").isTrue();
      }
      assertThat(refusal(connection, COPY)).contains("ASSUMEROLE_NOT_GRANTED");
    }
  }

  @Test
  void aChangeAndACopyInOneTextAreRefused() throws Exception {
    try (Connection connection = guarded()) {
      assertThat(refusal(connection, "select 1; " + COPY)).as("a member: sent").isNull();
      for (String change : List.of("alter group ms_loaders drop user ms_u1", "revoke ms_loaders from ms_u1",
          "alter group ms_loaders add user ms_u1")) {
        assertThat(refusal(connection, change + "; " + COPY)).as(change).contains("IDENTITY_CHANGED_IN_TEXT",
            "statement 1 of the same execution changes the ASSUMEROLE grants");
        assertThat(member(connection)).as("refused whole: " + change).isTrue();
      }
      try (Statement batch = connection.createStatement()) {
        batch.addBatch("alter group ms_loaders drop user ms_u1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> batch.addBatch(COPY)).as("one batch")
            .hasMessageContaining("IDENTITY_CHANGED_IN_TEXT")
            .hasMessageContaining("batch entry 1 of the same execution changes the ASSUMEROLE grants");
        org.assertj.core.api.Assertions.assertThatThrownBy(batch::executeBatch)
            .hasMessageContaining("the batch held a denied statement; nothing of it was sent");
      }
      assertThat(member(connection)).as("refused whole: a batch").isTrue();
      refusal(connection, "alter group ms_loaders drop user ms_u1");
      assertThat(member(connection)).isFalse();
      assertThat(refusal(connection, COPY)).contains("ASSUMEROLE_NOT_GRANTED");
      refusal(connection, "grant ms_loaders to ms_u1");
      assertThat(refusal(connection, COPY)).as("a member again").isNull();
    }
  }
}
