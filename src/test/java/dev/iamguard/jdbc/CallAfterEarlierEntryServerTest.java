package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A CALL's body is judged for who runs it, from the server's catalog read before the text or batch
 * is sent; what an earlier statement of the same execution does before the CALL runs is not in
 * that catalog read (found by {@code JdbcSequencesServerTest}):
 * <ul>
 *   <li>an earlier batch entry that may change the identity ({@code reset session authorization},
 *       {@code set role}, {@code set_config}, a transaction end once the identity changed): the
 *       CALL was judged for the user before the batch, at addBatch and again at executeBatch,
 *       while a COPY entry there was denied; the body's COPY ran as the user the entry made;</li>
 *   <li>an earlier statement or entry that may move the search path ({@code set search_path},
 *       {@code set_config('search_path', ...)}, a function, a rollback): an unqualified CALL was
 *       looked up in the search path before the execution, and the server ran another schema's
 *       namesake, whose COPY nobody judged.</li>
 * </ul>
 * Now a CALL after an earlier entry that may change the identity is judged for an unknown user, and
 * an unqualified CALL after any earlier statement or entry of its execution counts every schema's
 * namesake, as a CALL in a body does. The server is the oracle: each COPYing body raises a warning
 * naming {@code current_user} before its COPY, and every COPY the server received must have run as
 * user1, whom the role trusts (the identity cases start as user1, the search path ones as user3,
 * for whom public's cp_sp is harmless). A CALL first in its execution, as user1, still runs.
 */
class CallAfterEarlierEntryServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String REGISTRY = "classpath:jdbc/identity-registry.yaml";
  private static final Pattern RAN_AS = Pattern.compile("\\[(\\d+)\\] .*WARNING:  ran-as:(\\w+)");

  /** Statements that may change who runs what follows them, from user1 (the caller the role trusts). */
  private static final List<String> CHANGES = List.of("reset session authorization", "set session authorization user3",
      "set role user3", "select set_config('session_authorization', 'user3', false)", "reset all");
  /** Statements that move the search path to s2, where cp_sp runs a COPY (public's is harmless). */
  private static final List<String> PATH_MOVES = List.of("set search_path to s2, public",
      "select set_config('search_path', 's2, public', false)", "SET SEARCH_PATH = s2, public");

  /** Who the server says ran each COPYing body on backend {@code pid}. */
  private static List<String> ranAs(int pid) {
    List<String> users = new ArrayList<>();
    Matcher matcher = RAN_AS.matcher(POSTGRES.serverLog());
    while (matcher.find()) {
      if (Integer.parseInt(matcher.group(1)) == pid) {
        users.add(matcher.group(2));
      }
    }
    return users;
  }

  interface Execution {
    void run(Statement statement, String earlier, String call) throws SQLException;
  }

  private static final List<Execution> FACES = List.of(
      (s, earlier, call) -> s.execute(earlier + "; " + call),
      (s, earlier, call) -> {
        s.addBatch(earlier);
        s.addBatch(call);
        s.executeBatch();
      },
      (s, earlier, call) -> {
        s.addBatch(earlier);
        s.addBatch("select 1");
        s.addBatch(call);
        s.executeBatch();
      });

  @org.junit.jupiter.api.BeforeAll
  static void createObjects() throws SQLException {
    JdbcSequencesServerTest.createObjects(POSTGRES);
  }

  /**
   * A procedure's body that changes the identity in its own text ({@code perform set_config(...)},
   * {@code SET SESSION AUTHORIZATION}, {@code SET ROLE}) before it calls another routine: that
   * routine runs as the new user, and was judged for the caller (the COPY of cp_inv ran as user3
   * for user1's CALL). Now what the body calls is judged for an unknown user.
   */
  @Test
  void whatABodyCallsAfterItChangesTheIdentityIsNotJudgedForTheCaller() throws SQLException {
    List<String> changes = List.of("perform set_config('session_authorization', 'user3', false);",
        "set session authorization user3;", "set role user3;", "v := set_config('role', 'user3', false);",
        "PERFORM SET_CONFIG('SESSION_AUTHORIZATION', 'user3', true);");
    try (Connection admin = DriverManager.getConnection(POSTGRES.redshiftUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      for (int i = 0; i < changes.size(); i++) {
        statement.execute("create procedure changes_" + i + "() language plpgsql as $$ declare v text; begin "
            + changes.get(i) + " call cp_inv(); end $$");
      }
      statement.execute("grant all on all routines in schema public to public");
    }
    List<String> wrong = new ArrayList<>();
    for (String mode : List.of("extended", "simple")) {
      for (int i = 0; i < changes.size(); i++) {
        try (Connection guarded = open(mode); Statement statement = guarded.createStatement()) {
          statement.execute("set session authorization user1");
          int pid = pid(guarded);
          String call = "call changes_" + i + "()";
          sentOrFailedOnServer(() -> statement.execute(call));
          for (String user : ranAs(pid)) {
            if (!user.equals("user1")) {
              wrong.add(mode + " " + changes.get(i) + " call cp_inv(): COPY ran as " + user);
            }
          }
        }
      }
    }
    assertThat(wrong).as(wrong.size() + " of " + 2 * changes.size() + " CALLs ran a COPY as a user the role does not trust")
        .isEmpty();
  }

  @Test
  void aCallAfterAnEarlierEntryNeverRunsACopyAsAUserTheRoleDoesNotTrust() throws SQLException {
    List<String> wrong = new ArrayList<>();
    int cases = 0;
    for (String mode : List.of("extended", "simple")) {
      for (int face = 0; face < FACES.size(); face++) {
        List<String[]> pairs = new ArrayList<>();
        for (String change : CHANGES) {
          pairs.add(new String[] {change, "call cp_inv()", "user1"});
        }
        for (String move : PATH_MOVES) {
          pairs.add(new String[] {move, "call cp_sp()", "user3"}); // public.cp_sp is harmless for user3
        }
        for (String[] pair : pairs) {
          cases++;
          try (Connection guarded = open(mode); Statement statement = guarded.createStatement()) {
            statement.execute("set session authorization " + pair[2]);
            int pid = pid(guarded);
            try {
              FACES.get(face).run(statement, pair[0], pair[1]);
            } catch (SQLException e) {
              // refused, or the COPY failed on the server: the log says which
            }
            for (String user : ranAs(pid)) {
              if (!user.equals("user1")) {
                wrong.add(mode + " face " + face + " as " + pair[2] + " [" + pair[0] + ", " + pair[1] + "]: COPY ran as "
                    + user);
              }
            }
          }
        }
      }
    }
    assertThat(wrong).as(wrong.size() + " of " + cases + " executions ran a COPY as a user the role does not trust")
        .isEmpty();
    // first in its execution, as user1: judged for user1 and sent, in both modes and every face
    for (String mode : List.of("extended", "simple")) {
      try (Connection guarded = open(mode); Statement statement = guarded.createStatement()) {
        statement.execute("set session authorization user1");
        int pid = pid(guarded);
        for (String call : List.of("call cp_inv()", "select 1; call cp_inv()")) {
          assertThat(sentOrFailedOnServer(() -> {
            statement.execute(call);
            while (statement.getMoreResults() || statement.getUpdateCount() != -1) {
              // the CALL's result, or its error, may come with a later result
            }
          })).as(call).isTrue();
        }
        statement.addBatch("call cp_inv()");
        statement.addBatch("select 1");
        assertThat(sentOrFailedOnServer(statement::executeBatch)).as("batch").isTrue();
        assertThat(ranAs(pid)).as("the COPYs user1 may run were sent").containsExactly("user1", "user1", "user1");
      }
    }
  }

  /** True unless the guard refused {@code action}: it ran, or failed on the server. */
  private static boolean sentOrFailedOnServer(JdbcSequencesServerTest.SqlAction action) {
    try {
      action.run();
      return true;
    } catch (SQLException e) {
      return !JdbcSequencesServerTest.refusedByGuard(e);
    }
  }

  private static int pid(Connection guarded) throws SQLException {
    try (Statement raw = ((Connection) guarded.unwrap(com.amazon.redshift.RedshiftConnection.class)).createStatement();
        java.sql.ResultSet rows = raw.executeQuery("select pg_backend_pid()")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static Connection open(String mode) throws SQLException {
    java.util.Properties properties = POSTGRES.redshiftDriverProperties();
    properties.setProperty("preferQueryMode", mode);
    properties.setProperty(Setting.REGISTRY.key(), REGISTRY);
    properties.setProperty(Setting.CLUSTER.key(), "local-cluster");
    return DriverManager.getConnection("jdbc:iamguard:" + POSTGRES.redshiftUrl().substring("jdbc:".length()), properties);
  }
}
