package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A transaction end inside a text undoes an identity change made earlier on the connection
 * (PostgreSQL, as Redshift: a rollback restores the session authorization set in the transaction,
 * a commit ends SET LOCAL), so an auth-carrying statement after it in the same text runs as
 * another user than the one the guard reads from the server before the text is sent. Generated:
 * identity changes (5 forms, one inside a function body that only the server's report shows) x
 * transaction statements that undo them or run a prepared change back (8 forms, with their case and the
 * separator before the statement varied) x how the text is sent (a statement, a prepared
 * statement, a batch of two entries). The server is the oracle: the same sequence is run on an
 * unguarded connection with {@code select current_user} in place of the COPY; TrustsUsers trusts
 * user1 and user2 only, so a COPY that would run as postgres must be denied.
 */
class TransactionEndInTextIdentityTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String REGISTRY = "classpath:jdbc/identity-registry.yaml";
  private static final String TRUSTS = "arn:aws:iam::123456789012:role/TrustsUsers";
  private static final String GRANTED = "arn:aws:iam::123456789012:role/Granted";
  private static boolean rolesCreated;

  /** An identity change to user1 run in its own execution, inside a transaction (auto-commit off). */
  private static final List<String> CHANGES = List.of(
      "set session authorization user1",
      "SET LOCAL SESSION AUTHORIZATION user1",
      "select set_config('session_authorization', 'user1', false)",
      "set session_authorization to 'user1'",
      "select become('user1')");

  /** Transaction ends that undo a change, with whether they undo a change that is not local. */
  record End(String sql, boolean undoesSessionChange) {}

  private static final List<End> ENDS = List.of(
      new End("rollback", true), new End("ROLLBACK WORK", true), new End("abort", true),
      new End("rollback transaction", true), new End("rollback to savepoint s", true),
      new End("commit", false), new End("end", false), new End("execute back_to_login", true));

  /** Run before the change where the text ends {@code execute back_to_login}: the prepared change back to the login user. */
  private static final String PREPARE = "prepare back_to_login as select set_config('session_authorization', 'postgres', false)";

  private static final List<String> SEPARATORS = List.of(";", " ;\n", "; /* c */ ", ";-- c\n", "\n;\t");

  interface Delivery {
    void send(Connection connection, String end, String separator, String copy) throws SQLException;
  }

  private static final List<Delivery> DELIVERIES = List.of(
      (c, end, sep, copy) -> {
        try (Statement statement = c.createStatement()) {
          statement.execute(end + sep + copy);
        }
      },
      (c, end, sep, copy) -> {
        try (PreparedStatement statement = c.prepareStatement(end + sep + copy)) {
          statement.execute();
        }
      },
      (c, end, sep, copy) -> {
        try (Statement statement = c.createStatement()) {
          statement.addBatch(end);
          statement.addBatch(copy);
          statement.executeBatch();
        }
      });

  @Test
  void anAuthClauseAfterATransactionEndThatUndoesAnIdentityChangeIsNotCheckedForTheUndoneUser() throws SQLException {
    createRoles();
    int cases = 0;
    List<String> failures = new ArrayList<>();
    for (String change : CHANGES) {
      boolean local = change.toUpperCase(Locale.ROOT).contains("LOCAL");
      for (int e = 0; e < ENDS.size(); e++) {
        End end = ENDS.get(e);
        if (!local && !end.undoesSessionChange() || change.contains("become") && end.sql().startsWith("execute")) {
          continue; // a commit keeps a session-level change; become's case needs no prepared change back
        }
        String endSql = e % 2 == 0 ? end.sql() : end.sql().toUpperCase(Locale.ROOT);
        for (int d = 0; d < DELIVERIES.size(); d++) {
          String separator = SEPARATORS.get((e + d) % SEPARATORS.size());
          String oracle = serverUserAfter(change, endSql);
          assertThat(oracle).as("the server's user after " + change + " then " + endSql).isEqualTo("postgres");
          cases++;
          String context = change + " | " + endSql + " | separator " + separator.replace("\n", "\\n")
              + " | delivery " + d;
          try (Connection connection = guarded()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
              if (end.sql().startsWith("execute")) {
                statement.execute(PREPARE);
              }
              statement.execute("savepoint s");
              statement.execute(change);
              // the guard reads the server's user now (user1), as any auth-carrying decision would
              assertThat(connection.unwrap(IamguardConnection.class).decisionFor(copy()).allowed())
                  .as(context + ": user1 is trusted before the transaction ends").isTrue();
            }
            try {
              DELIVERIES.get(d).send(connection, endSql, separator, copy());
              failures.add(context + ": sent, nothing refused");
            } catch (GuardDeniedException denied) {
              // the guard did not check the COPY for user1, whom the server no longer runs as
            } catch (SQLException sent) {
              failures.add(context + ": sent to the server, which ran it as " + oracle + " (" + sent.getSQLState() + ")");
            }
          }
        }
      }
    }
    assertThat(cases).as("(3 x 6 + 1 x 5 + 1 x 8) x 3 cases").isEqualTo(93);
    assertThat(failures).as(failures.size() + " of " + cases + " cases sent a COPY checked for user1").isEmpty();
  }

  /**
   * The controls: where the identity never changed on the connection, a transaction statement
   * before a COPY in the same text changes nothing, and the COPY is decided as the login user
   * (Granted trusts everyone and a superuser holds ASSUMEROLE: sent, PostgreSQL's syntax error);
   * after a change, a statement that cannot undo it (BEGIN, SAVEPOINT, RELEASE) leaves the COPY
   * decided as the changed user.
   */
  @Test
  void withoutAnIdentityChangeOnTheConnectionATransactionStatementBeforeACopyChangesNothing() throws SQLException {
    createRoles();
    int cases = 0;
    for (int e = 0; e < ENDS.size(); e++) {
      String endSql = ENDS.get(e).sql().startsWith("execute") ? "begin" : ENDS.get(e).sql();
      for (int d = 0; d < DELIVERIES.size(); d++) {
        String separator = SEPARATORS.get((e + d) % SEPARATORS.size());
        int delivery = d;
        try (Connection connection = guarded()) {
          connection.setAutoCommit(false);
          try (Statement statement = connection.createStatement()) {
            statement.execute("savepoint s");
          }
          SQLException sent = assertThrows(SQLException.class,
              () -> DELIVERIES.get(delivery).send(connection, endSql, separator, copy(GRANTED)));
          assertThat((Throwable) sent).as(endSql + " | delivery " + d).isNotInstanceOf(GuardDeniedException.class);
          cases++;
        }
      }
    }
    for (String between : List.of("begin", "SAVEPOINT s2", "release savepoint s", "select 1")) {
      for (int d = 0; d < DELIVERIES.size(); d++) {
        int delivery = d;
        try (Connection connection = guarded()) {
          connection.setAutoCommit(false);
          try (Statement statement = connection.createStatement()) {
            statement.execute("savepoint s");
            statement.execute("set session authorization user1");
          }
          // nothing between the change and the COPY can undo it: checked as user1, whom TrustsUsers trusts
          SQLException sent = assertThrows(SQLException.class,
              () -> DELIVERIES.get(delivery).send(connection, between, ";\n", copy(TRUSTS)));
          assertThat((Throwable) sent).as(between + " | delivery " + d).isNotInstanceOf(GuardDeniedException.class);
          cases++;
        }
      }
    }
    assertThat(cases).isEqualTo(24 + 12);
  }

  /** Who the server runs as after {@code change} then {@code end}, on an unguarded connection. */
  private static String serverUserAfter(String change, String end) throws SQLException {
    try (Connection raw = DriverManager.getConnection(targetUrl(), driverProperties());
        Statement statement = raw.createStatement()) {
      raw.setAutoCommit(false);
      statement.execute(PREPARE);
      statement.execute("savepoint s");
      statement.execute(change);
      statement.execute(end);
      try (ResultSet row = statement.executeQuery("select current_user")) {
        assertThat(row.next()).isTrue();
        return row.getString(1);
      }
    }
  }

  private static Connection guarded() throws SQLException {
    Properties properties = driverProperties();
    properties.setProperty(Setting.REGISTRY.key(), REGISTRY);
    properties.setProperty(Setting.CLUSTER.key(), "local-cluster");
    return DriverManager.getConnection("jdbc:iamguard:" + targetUrl().substring("jdbc:".length()), properties);
  }

  private static synchronized void createRoles() throws SQLException {
    if (rolesCreated) {
      return;
    }
    try (Connection connection = DriverManager.getConnection(targetUrl(), driverProperties());
        Statement statement = connection.createStatement()) {
      statement.execute("create role user1 login password 'pw1'; create table id_t (id int); grant insert on id_t to public");
      statement.execute("create function become(u text) returns text language plpgsql as $$"
          + " begin perform set_config('session_authorization', u, false); return u; end $$");
    }
    rolesCreated = true;
  }

  private static String targetUrl() {
    return "jdbc:redshift://127.0.0.1:" + POSTGRES.port() + "/" + LocalPostgres.DATABASE;
  }

  private static Properties driverProperties() {
    return POSTGRES.redshiftDriverProperties();
  }

  private static String copy() {
    return copy(TRUSTS);
  }

  private static String copy(String role) {
    return "COPY id_t FROM 's3://iamguard-identity/in/part-0.csv' IAM_ROLE '" + role + "' CSV";
  }
}
