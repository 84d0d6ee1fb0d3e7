package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazon.redshift.core.BaseConnection;
import com.amazon.redshift.core.TransactionState;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The identity the guard checks is the server's, proven through the real Redshift driver against
 * a throwaway PostgreSQL logged in as the superuser postgres (who alone may switch the session
 * authorization). The server is the oracle: after every step of generated sequences of identity
 * changes in every form (SET/RESET SESSION AUTHORIZATION, the session_authorization parameter,
 * SET LOCAL, set_config, a function that calls set_config, a procedure, SET/RESET ROLE) mixed with
 * transactions in SQL and through JDBC (BEGIN, COMMIT, ROLLBACK, savepoints, auto-commit),
 * prepared and callable statements and batches, the guard must decide as the user the server
 * reports would be decided: {@code TrustsUsers} trusts user1 and user2 only, {@code Granted} is
 * granted to group etl and role loader (and superusers hold it anyway).
 */
class ServerIdentityTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String REGISTRY = "classpath:jdbc/identity-registry.yaml";
  private static final String TRUSTS = "arn:aws:iam::123456789012:role/TrustsUsers";
  private static final String GRANTED = "arn:aws:iam::123456789012:role/Granted";
  private static final String SYNTAX_ERROR = "42601";
  private static final String IDENTITY_QUERY_MARK = "session_user::varchar";
  /** Who runs the next statement, as PostgreSQL says, computed independently of the guard's query. */
  private static final String ORACLE = "with recursive held(oid) as ("
      + " select oid from pg_roles where rolname = current_user"
      + " union select m.roleid from pg_auth_members m join held h on m.member = h.oid)"
      + " select current_user::text, (select rolsuper from pg_roles where rolname = current_user),"
      + " exists (select 1 from pg_auth_members m join pg_roles g on g.oid = m.roleid"
      + "   join pg_roles u on u.oid = m.member where g.rolname = 'etl' and u.rolname = current_user),"
      + " exists (select 1 from held h join pg_roles r on r.oid = h.oid where r.rolname = 'loader')";
  private static boolean rolesCreated;

  /** The server's answer: the current user and what it holds. */
  record Oracle(String user, boolean superuser, boolean etl, boolean loader) {
    boolean trustedByTrustsUsers() {
      return user.equals("user1") || user.equals("user2");
    }

    boolean holdsGranted() {
      return superuser || etl || loader;
    }
  }

  /** One step of a sequence, run on the guarded connection. */
  record Step(String name, Action action) {
    @Override
    public String toString() {
      return name;
    }
  }

  interface Action {
    void run(Connection connection, List<Savepoint> savepoints) throws SQLException;
  }

  static Step text(String sql) {
    return new Step(sql, (c, s) -> {
      try (Statement statement = c.createStatement()) {
        statement.execute(sql);
      }
    });
  }

  static final List<Step> STEPS = List.of(
      text("set session authorization user1"), text("SET SESSION AUTHORIZATION user2"),
      text("set session authorization 'user3'"), text("set session authorization default"),
      text("SET session_authorization TO user2"), text("set session_authorization = 'user1'"),
      text("SET LOCAL SESSION AUTHORIZATION user3"), text("set local session_authorization to user1"),
      text("reset session authorization"), text("RESET session_authorization"),
      text("select set_config('session_authorization', 'user2', false)"),
      text("select set_config('session_authorization', 'user3', true)"),
      text("select become('user1')"), text("select become('user3')"),
      text("set role loader"), text("reset role"), text("set role etl"),
      text("begin"), text("BEGIN"), text("start transaction"), text("commit"), text("end"), text("rollback"),
      text("abort"), text("savepoint s1"), text("rollback to savepoint s1"), text("release savepoint s1"),
      text("savepoint s2"), text("rollback to s2"),
      text("set session authorization user2; select 1/0"), text("set session authorization user3; select 1"),
      text("select 1"), text("insert into id_t values (1)"),
      new Step("prepared set_config(user2)", (c, s) -> {
        try (PreparedStatement statement = c.prepareStatement("select set_config('session_authorization', ?, false)")) {
          statement.setString(1, "user2");
          statement.execute();
        }
      }),
      new Step("callable call switch_to(user3)", (c, s) -> {
        try (CallableStatement statement = c.prepareCall("call switch_to(?)")) {
          statement.setString(1, "user3");
          statement.execute();
        }
      }),
      new Step("batch [set session authorization user1, insert]", (c, s) -> {
        try (Statement statement = c.createStatement()) {
          statement.addBatch("set session authorization user1");
          statement.addBatch("insert into id_t values (2)");
          statement.executeBatch();
        }
      }),
      new Step("JDBC setAutoCommit(false)", (c, s) -> c.setAutoCommit(false)),
      new Step("JDBC setAutoCommit(true)", (c, s) -> c.setAutoCommit(true)),
      new Step("JDBC commit()", (c, s) -> c.commit()),
      new Step("JDBC rollback()", (c, s) -> c.rollback()),
      new Step("JDBC setSavepoint()", (c, s) -> s.add(c.setSavepoint())),
      new Step("JDBC rollback(savepoint)", (c, s) -> {
        if (!s.isEmpty()) {
          c.rollback(s.get(s.size() - 1));
        }
      }));

  // ---- the differential test

  /**
   * Run twice: as the Redshift driver hands connections out, and behind a pool proxy that hides the
   * driver's own interfaces, so the session_authorization the server reports on its own is out of
   * reach and the statements alone must tell when to ask again (a change made inside a function
   * body, {@code become}, is then invisible: the README says so).
   */
  @ParameterizedTest(name = "server reports reachable: {0}")
  @ValueSource(booleans = {true, false})
  void theGuardDecidesAsTheUserTheServerReportsAfterEveryStep(boolean reportsReachable) throws SQLException {
    createRoles();
    int sequences = 24;
    int stepsPerSequence = 22;
    Connection[] raw = new Connection[1];
    GuardDataSource dataSource = GuardDataSource.builder(plainDataSource(!reportsReachable, raw))
        .registry(REGISTRY).cluster("local-cluster").build();
    for (int sequence = 0; sequence < sequences; sequence++) {
      long seed = 20_251_129L + sequence;
      Random random = new Random(seed);
      List<String> done = new ArrayList<>();
      try (Connection connection = dataSource.getConnection()) {
        List<Savepoint> savepoints = new ArrayList<>();
        check(connection, raw[0], seed, done);
        for (int i = 0; i < stepsPerSequence; i++) {
          Step step = STEPS.get(random.nextInt(STEPS.size()));
          if (!reportsReachable && step.name().contains("become")) {
            continue; // a change inside a function body shows only in the server's own report
          }
          done.add(step.name());
          try {
            step.action().run(connection, savepoints);
          } catch (GuardDeniedException denied) {
            fail("seed " + seed + " after " + done + ": a statement without an auth clause was denied: " + denied.getMessage());
          } catch (SQLException failed) {
            // the server refused the step (e.g. SET ROLE without membership, ROLLBACK TO an unknown
            // savepoint): it is part of the sequence, and the server still decides who runs next
          }
          check(connection, raw[0], seed, done);
        }
      }
    }
  }

  /**
   * A prepared COPY and a batch entry are decided when they are made; after every generated step
   * they run again, before anything else asks the guard for a decision that needs the user, and
   * must be decided as the server says who runs them then (sent: PostgreSQL's syntax error;
   * stopped: the guard's denial). A change made inside a function body ({@code become}) shows only
   * in the server's own report, which a held decision must look at too (probe 44b F1).
   */
  @Test
  void heldDecisionsOfPreparedStatementsAndBatchesFollowEveryStepBeforeAnyNewDecision() throws SQLException {
    createRoles();
    int sequences = 16;
    int stepsPerSequence = 14;
    Connection[] raw = new Connection[1];
    GuardDataSource dataSource = GuardDataSource.builder(plainDataSource(false, raw))
        .registry(REGISTRY).cluster("local-cluster").build();
    int sent = 0;
    int stopped = 0;
    for (int sequence = 0; sequence < sequences; sequence++) {
      long seed = 20_261_205L + sequence;
      Random random = new Random(seed);
      List<String> done = new ArrayList<>();
      try (Connection connection = dataSource.getConnection(); Statement batch = connection.createStatement()) {
        batch.execute("set session authorization user1"); // whom TrustsUsers trusts: prepared and added
        PreparedStatement prepared = connection.prepareStatement(copy(TRUSTS, marker()));
        batch.addBatch(copy(TRUSTS, marker()));
        boolean batchHeld = true;
        List<Savepoint> savepoints = new ArrayList<>();
        for (int i = 0; i < stepsPerSequence; i++) {
          Step step = STEPS.get(random.nextInt(STEPS.size()));
          done.add(step.name());
          try {
            step.action().run(connection, savepoints);
          } catch (GuardDeniedException denied) {
            fail("seed " + seed + " after " + done + ": a statement without an auth clause was denied: " + denied.getMessage());
          } catch (SQLException failed) {
            // refused by the server: part of the sequence
          }
          if (!connection.getAutoCommit() || raw[0].unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
            continue; // a COPY sent now would abort the transaction the sequence goes on in
          }
          Oracle oracle = oracle(connection); // a text without an auth clause: no decision asks the server
          String context = "seed " + seed + " after " + done + ": server says " + oracle;
          // whichever runs first is decided before anything else looked at the identity
          boolean batchFirst = batchHeld && i % 2 == 0;
          List<SQLException> outcomes = new ArrayList<>();
          if (batchFirst) {
            outcomes.add(assertThrows(SQLException.class, batch::executeBatch));
          }
          outcomes.add(assertThrows(SQLException.class, prepared::execute));
          if (batchHeld && !batchFirst) {
            outcomes.add(assertThrows(SQLException.class, batch::executeBatch));
          }
          for (SQLException outcome : outcomes) {
            if (oracle.trustedByTrustsUsers()) {
              assertThat((Throwable) outcome).as(context).isNotInstanceOf(GuardDeniedException.class);
              assertThat(outcome.getMessage()).as(context).contains("IAM_ROLE");
              sent++;
            } else {
              assertThat(outcome.getSQLState()).as(context + ": " + outcome.getMessage())
                  .isEqualTo(GuardDeniedException.SQLSTATE);
              stopped++;
            }
          }
          batchHeld = oracle.trustedByTrustsUsers(); // added (decided now) only where it is allowed now
          if (batchHeld) {
            batch.addBatch(copy(TRUSTS, marker()));
          }
        }
        prepared.close();
      }
    }
    assertThat(sent).as("COPYs sent, as user1 or user2").isGreaterThan(10);
    assertThat(stopped).as("COPYs stopped, as anyone else").isGreaterThan(10);
  }

  /**
   * Asks the server who runs the next statement, and the guard what it would decide for a COPY
   * with each role; sends one COPY for real when the connection is idle (sent: PostgreSQL's syntax
   * error; stopped: the guard's denial).
   */
  private static void check(Connection connection, Connection raw, long seed, List<String> done) throws SQLException {
    Oracle oracle = oracle(connection);
    if (oracle == null) {
      return; // an aborted transaction: the server answers nothing until it ends
    }
    String context = "seed " + seed + " after " + done + ": server says " + oracle;
    IamguardConnection guarded = connection.unwrap(IamguardConnection.class);
    Decision trusts = guarded.decisionFor(copy(TRUSTS, "x"));
    assertThat(trusts.allowed()).as(context + "; TrustsUsers: " + trusts.findings()).isEqualTo(oracle.trustedByTrustsUsers());
    if (!trusts.allowed()) {
      assertThat(trusts.findings()).as(context).extracting(Finding::rule).containsExactly(RuleId.DB_USER_NOT_TRUSTED);
      assertThat(trusts.findings().get(0).message()).as(context).contains("dbuser:local-cluster/" + oracle.user() + " ");
    }
    Decision granted = guarded.decisionFor(copy(GRANTED, "x"));
    assertThat(granted.allowed()).as(context + "; Granted: " + granted.findings()).isEqualTo(oracle.holdsGranted());
    if (!granted.allowed()) {
      assertThat(granted.findings()).as(context).extracting(Finding::rule).containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
      assertThat(granted.findings().get(0).message()).as(context).contains("user " + oracle.user() + " ");
    }
    if (connection.getAutoCommit() && raw.unwrap(BaseConnection.class).getTransactionState() == TransactionState.IDLE) {
      String marker = marker();
      String role = done.size() % 2 == 0 ? TRUSTS : GRANTED;
      boolean allowed = role.equals(TRUSTS) ? oracle.trustedByTrustsUsers() : oracle.holdsGranted();
      try (Statement statement = connection.createStatement()) {
        SQLException outcome = assertThrows(SQLException.class, () -> statement.execute(copy(role, marker)));
        if (allowed) {
          assertThat((Throwable) outcome).as(context).isNotInstanceOf(GuardDeniedException.class);
          assertThat(outcome.getSQLState()).as(context).isEqualTo(SYNTAX_ERROR);
        } else {
          assertThat((Throwable) outcome).as(context).isInstanceOf(GuardDeniedException.class);
        }
      }
    }
  }

  private static Oracle oracle(Connection connection) {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(ORACLE)) {
      assertThat(row.next()).isTrue();
      return new Oracle(row.getString(1), row.getBoolean(2), row.getBoolean(3), row.getBoolean(4));
    } catch (SQLException aborted) {
      return null;
    }
  }

  // ---- one round trip, cached otherwise

  @Test
  void theServerIsAskedOnlyBeforeADecisionThatNeedsTheUserAndOnlyAfterAPossibleChange() throws SQLException {
    String app = "identity-" + UUID.randomUUID();
    Properties properties = new Properties();
    properties.setProperty("ApplicationName", app);
    try (Connection connection = open(properties); Statement statement = connection.createStatement()) {
      for (int i = 0; i < 20; i++) {
        statement.execute("select " + i);
      }
      statement.execute("set session authorization user1");
      statement.execute("commit");
      assertThat(identityReads(app)).as("no auth-carrying statement yet: the server was never asked").isZero();

      assertThrows(SQLException.class, () -> statement.execute(copy(GRANTED, marker())));
      assertThat(identityReads(app)).isEqualTo(1);
      for (int i = 0; i < 5; i++) {
        assertThrows(SQLException.class, () -> statement.execute(copy(GRANTED, marker())));
        statement.execute("select 1");
      }
      assertThat(identityReads(app)).as("nothing changed: the answer is cached").isEqualTo(1);

      statement.execute("reset session authorization");
      statement.execute("select 2");
      statement.execute("select 3");
      assertThrows(SQLException.class, () -> statement.execute(copy(GRANTED, marker())));
      assertThat(identityReads(app)).as("one more read after the change").isEqualTo(2);
      statement.execute("commit");
      assertThrows(SQLException.class, () -> statement.execute(copy(GRANTED, marker())));
      assertThat(identityReads(app)).as("a transaction end after an identity change may undo it").isEqualTo(3);
    }
  }

  private static long identityReads(String app) {
    return POSTGRES.serverLog().lines().filter(l -> l.contains("app=" + app) && l.contains(IDENTITY_QUERY_MARK)).count();
  }

  // ---- a text or batch that changes the identity and then carries an auth clause

  @Test
  void anIdentityChangeFollowedByAnAuthStatementInOneExecutionIsDeniedAndNeverSent() throws SQLException {
    String inText = marker();
    String inBatch = marker();
    String afterwards = marker();
    try (Connection connection = open(new Properties()); Statement statement = connection.createStatement()) {
      GuardDeniedException text = assertThrows(GuardDeniedException.class,
          () -> statement.execute("set session authorization user1; " + copy(TRUSTS, inText)));
      assertThat(text.findings()).extracting(Finding::rule).containsExactly(RuleId.IDENTITY_CHANGED_IN_TEXT);
      assertThat((Throwable) text).hasMessageContaining("separate executions");

      statement.addBatch("select set_config('session_authorization', 'user2', false)");
      GuardDeniedException batch = assertThrows(GuardDeniedException.class, () -> statement.addBatch(copy(TRUSTS, inBatch)));
      assertThat(batch.findings()).extracting(Finding::rule).containsExactly(RuleId.IDENTITY_CHANGED_IN_TEXT);
      assertThat((Throwable) batch).hasMessageContaining("batch entry 1 of the same execution may change the session identity")
          .hasMessageNotContaining("grants");
      assertThrows(SQLException.class, statement::executeBatch);

      statement.execute("set session authorization user1");
      SQLException sent = assertThrows(SQLException.class, () -> statement.execute(copy(TRUSTS, afterwards)));
      assertThat(sent.getSQLState()).as("sent on its own, as user1, whom TrustsUsers trusts").isEqualTo(SYNTAX_ERROR);
    }
    assertThat(POSTGRES.serverLog()).contains(afterwards).doesNotContain(inText).doesNotContain(inBatch);
  }

  @Test
  void aPreparedStatementIsDecidedAgainWhenTheIdentityChangedSinceItWasPrepared() throws SQLException {
    try (Connection connection = open(new Properties()); Statement statement = connection.createStatement()) {
      statement.execute("set session authorization user1");
      try (PreparedStatement copy = connection.prepareStatement(copy(TRUSTS, marker()))) {
        assertThat(assertThrows(SQLException.class, copy::execute).getSQLState()).isEqualTo(SYNTAX_ERROR);
        statement.execute("reset session authorization");
        GuardDeniedException denied = assertThrows(GuardDeniedException.class, copy::execute);
        assertThat(denied.findings()).extracting(Finding::rule).containsExactly(RuleId.DB_USER_NOT_TRUSTED);
        assertThat((Throwable) denied).hasMessageContaining("dbuser:local-cluster/postgres");
        statement.execute("select set_config('session_authorization', 'user2', false)");
        assertThat(assertThrows(SQLException.class, copy::executeUpdate).getSQLState()).isEqualTo(SYNTAX_ERROR);
      }
    }
  }

  private static boolean proceduresCreated;

  /**
   * Procedures whose bodies run a COPY with TrustsUsers (which trusts user1 and user2): as the
   * caller (SECURITY INVOKER, the default) under several spellings of their names, as their owner
   * (SECURITY DEFINER), one without an auth clause, and one of the same name in a schema off the
   * search path whose body is not what an unqualified CALL runs.
   */
  private static synchronized void createProcedures() throws SQLException {
    createRoles();
    if (proceduresCreated) {
      return;
    }
    String copy = "begin execute '" + copy(TRUSTS, "in-body").replace("'", "''") + "'; end";
    try (Connection connection = DriverManager.getConnection(targetUrl(), driverProperties(LocalPostgres.USER, POSTGRES.password()));
        Statement statement = connection.createStatement()) {
      statement.execute("create schema etl_procs; grant usage on schema etl_procs to public; create schema hidden;"
          + " grant usage on schema hidden to public");
      for (String name : List.of("p_copy", "etl_procs.p_copy", "\"P_Mixed\"", "etl_procs.\"Odd \"\"Name\"")) {
        statement.execute("create procedure " + name + "() language plpgsql as $$ " + copy + " $$");
      }
      statement.execute("create procedure p_owner() language plpgsql security definer as $$ " + copy + " $$");
      statement.execute("alter procedure p_owner() owner to user1");
      statement.execute("create procedure p_plain() language plpgsql as $$ begin insert into id_t values (7); end $$");
      statement.execute("create procedure hidden.p_plain() language plpgsql as $$ " + copy + " $$");
      statement.execute("grant all on all procedures in schema public, etl_procs, hidden to public");
    }
    proceduresCreated = true;
  }

  /** The ways an application calls a procedure: as text, prepared, callable, in a batch. */
  static final Map<String, CallFace> CALL_FACES = Map.of(
      "execute", (c, call) -> {
        try (Statement statement = c.createStatement()) {
          statement.execute(call);
        }
      },
      "prepareStatement", (c, call) -> {
        try (PreparedStatement statement = c.prepareStatement(call)) {
          statement.execute();
        }
      },
      "prepareCall escape", (c, call) -> {
        try (CallableStatement statement = c.prepareCall("{" + call + "}")) {
          statement.execute();
        }
      },
      "batch", (c, call) -> {
        try (Statement statement = c.createStatement()) {
          statement.addBatch("insert into id_t values (8)");
          statement.addBatch(call);
          statement.executeBatch();
        }
      });

  interface CallFace {
    void call(Connection connection, String call) throws SQLException;
  }

  /**
   * A SECURITY INVOKER procedure runs its COPY as whoever calls it: the guard judges its body, as
   * the server's catalog holds it, for the caller at every CALL (red-team review: a procedure
   * created by user1 ran its COPY as user3). Every face, every spelling of the name, every caller:
   * the CALL is denied exactly when the COPY alone would be, for that caller.
   */
  @Test
  void aCalledProcedureIsJudgedForWhoCallsIt() throws SQLException {
    createProcedures();
    List<String> calls = List.of("call p_copy()", "CALL etl_procs.p_copy()", "call \"P_Mixed\"()",
        "call etl_procs.\"Odd \"\"Name\"()", "call public.p_copy ( )");
    int checked = 0;
    for (String user : List.of("user1", "user2", "user3", "postgres")) {
      boolean trusted = user.equals("user1") || user.equals("user2");
      for (String call : calls) {
        for (Map.Entry<String, CallFace> face : CALL_FACES.entrySet()) {
          String context = face.getKey() + " " + call + " as " + user;
          try (Connection connection = open(new Properties()); Statement statement = connection.createStatement()) {
            statement.execute("set session authorization " + user);
            SQLException outcome = assertThrows(SQLException.class, () -> face.getValue().call(connection, call), context);
            if (trusted) {
              assertThat((Throwable) outcome).as(context).isNotInstanceOf(GuardDeniedException.class)
                  .hasMessageContaining("IAM_ROLE");
            } else {
              GuardDeniedException denied = (GuardDeniedException) (outcome instanceof GuardDeniedException g ? g
                  : fail(context + ": sent: " + outcome));
              assertThat(denied.findings()).as(context).extracting(Finding::rule).containsExactly(RuleId.DB_USER_NOT_TRUSTED);
              assertThat((Throwable) denied).as(context).hasMessageContaining("SECURITY INVOKER")
                  .hasMessageContaining(user.equals("postgres") ? "postgres" : user);
            }
          }
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(4 * 5 * CALL_FACES.size());
  }

  /**
   * An unquoted procedure name beyond ASCII names the procedure the server folds it to, its ASCII
   * letters lower-cased only: {@code CALL \u212Ap_copy()} (Kelvin sign) runs the COPY body of
   * {@code "\u212Ap_copy"}, not the harmless {@code kp_copy} that Java's Unicode folding read it
   * as (whose body the guard judged and sent the CALL), and {@code CALL \u0130p_copy()} (dotted I)
   * runs {@code "\u0130p_copy"}, not {@code i\u0307p_copy}, which no procedure is (judged: none).
   * Every face, for user3, whom the role does not trust: denied, where the ASCII namesake is sent.
   */
  @Test
  void aCallIsJudgedForTheProcedureTheServerFoldsItsNameTo() throws SQLException {
    createProcedures();
    String copy = "begin execute '" + copy(TRUSTS, "folded").replace("'", "''") + "'; end";
    try (Connection connection = DriverManager.getConnection(targetUrl(), driverProperties(LocalPostgres.USER, POSTGRES.password()));
        Statement statement = connection.createStatement()) {
      for (String name : List.of("\u212Ap_copy", "\u0130p_copy", "\u0130P_COPY_2")) {
        statement.execute("create or replace procedure \"" + name.replace("P_COPY", "p_copy") + "\"() language plpgsql as $$ "
            + copy + " $$");
      }
      statement.execute("create or replace procedure kp_copy() language plpgsql as $$ begin insert into id_t values (9); end $$");
      statement.execute("grant all on all procedures in schema public to public");
    }
    int checked = 0;
    for (String call : List.of("call \u212Ap_copy()", "call \u0130p_copy()", "CALL \u0130P_COPY_2()", "call public.\u212Ap_copy()")) {
      for (Map.Entry<String, CallFace> face : CALL_FACES.entrySet()) {
        String context = face.getKey() + " " + call;
        try (Connection connection = open(new Properties()); Statement statement = connection.createStatement()) {
          statement.execute("set session authorization user3");
          SQLException outcome = assertThrows(SQLException.class, () -> face.getValue().call(connection, call), context);
          GuardDeniedException denied = (GuardDeniedException) (outcome instanceof GuardDeniedException g ? g
              : fail(context + ": sent: " + outcome));
          assertThat(denied.findings()).as(context).extracting(Finding::rule).containsExactly(RuleId.DB_USER_NOT_TRUSTED);
          face.getValue().call(connection, "call kp_copy()"); // the ASCII namesake, harmless: sent
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(4 * CALL_FACES.size());
  }

  /**
   * Prepared (and callable) while user2 runs the connection, executed after it runs as user3: the
   * body is judged again for the caller at the execution; a CALL after an identity change in the
   * same text is judged for a user the guard cannot know; a SECURITY DEFINER procedure and one
   * without an auth clause are sent, and so is an unqualified CALL whose namesake off the search
   * path holds a denied body.
   */
  @Test
  void aCallIsJudgedAtEveryExecutionAndOnlyForTheBodiesItMayRun() throws SQLException {
    createProcedures();
    try (Connection connection = open(new Properties()); Statement statement = connection.createStatement()) {
      statement.execute("set session authorization user2");
      try (PreparedStatement prepared = connection.prepareStatement("call p_copy()");
          CallableStatement callable = connection.prepareCall("{call etl_procs.p_copy()}")) {
        assertThat(assertThrows(SQLException.class, prepared::execute).getSQLState()).isEqualTo(SYNTAX_ERROR);
        statement.execute("set session authorization user3");
        assertThrows(GuardDeniedException.class, prepared::execute);
        assertThrows(GuardDeniedException.class, callable::execute);
      }
      statement.execute("set session authorization user2");
      try (Statement batch = connection.createStatement()) {
        batch.addBatch("call p_copy()"); // judged for user2 now, and again when sent
        statement.execute("set session authorization user3");
        assertThrows(GuardDeniedException.class, batch::executeBatch);
      }
      statement.execute("reset session authorization");
      GuardDeniedException inText = assertThrows(GuardDeniedException.class,
          () -> statement.execute("set session authorization user1; call p_copy()"));
      assertThat((Throwable) inText).hasMessageContaining("SECURITY INVOKER");
      statement.execute("set session authorization user3");
      assertThat(assertThrows(SQLException.class, () -> statement.execute("call p_owner()")).getSQLState())
          .as("runs as its owner, user1").isEqualTo(SYNTAX_ERROR);
      statement.execute("call p_plain()");
      SQLException unread = assertThrows(SQLException.class, () -> statement.execute("call U&\"p_cop\\0079\"()"));
      assertThat(unread.getSQLState()).as("a name the guard cannot read is refused, not sent")
          .isEqualTo(GuardSqlStates.NOT_SUPPORTED);
      statement.execute("set search_path to public");
      statement.execute("call p_plain()");
    }
  }

  /**
   * A SECURITY DEFINER procedure runs its COPY as its owner now, whatever the caller and whoever
   * created it: for every owner (trusted, untrusted, holding the grant through a group or a role, a
   * superuser), both roles and every face, the CALL is denied exactly when the COPY alone, run by
   * the owner through the guard, is denied, with the same rule; an owner changed after creation
   * ({@code ALTER PROCEDURE ... OWNER TO}, outside the guard) is the one judged.
   */
  @Test
  void aSecurityDefinerBodyIsJudgedForItsOwnerNow() throws SQLException {
    createProcedures();
    List<String> owners = List.of("user1", "user2", "user3", "postgres");
    Map<String, String> roles = Map.of("trusts", TRUSTS, "granted", GRANTED);
    int denied = 0;
    int sent = 0;
    try (Connection admin = DriverManager.getConnection(targetUrl(), driverProperties(LocalPostgres.USER, POSTGRES.password()));
        Statement ddl = admin.createStatement()) {
      for (Map.Entry<String, String> role : roles.entrySet()) {
        String procedure = "p_definer_" + role.getKey();
        ddl.execute("create or replace procedure " + procedure + "() language plpgsql security definer as $$ begin execute '"
            + copy(role.getValue(), "definer").replace("'", "''") + "'; end $$");
        ddl.execute("grant execute on procedure " + procedure + "() to public");
        for (String owner : owners) {
          ddl.execute("alter procedure " + procedure + "() owner to " + owner);
          List<RuleId> alone = rulesDeniedAlone(owner, copy(role.getValue(), marker()));
          for (String caller : List.of("user1", "user3")) {
            for (Map.Entry<String, CallFace> face : CALL_FACES.entrySet()) {
              String context = face.getKey() + " " + procedure + " owned by " + owner + " called by " + caller;
              try (Connection connection = open(new Properties()); Statement statement = connection.createStatement()) {
                statement.execute("set session authorization " + caller);
                SQLException outcome = assertThrows(SQLException.class,
                    () -> face.getValue().call(connection, "call " + procedure + "()"), context);
                if (alone.isEmpty()) {
                  assertThat((Throwable) outcome).as(context).isNotInstanceOf(GuardDeniedException.class)
                      .hasMessageContaining("IAM_ROLE");
                  sent++;
                } else {
                  GuardDeniedException refused = (GuardDeniedException) (outcome instanceof GuardDeniedException g ? g
                      : fail(context + ": sent: " + outcome));
                  assertThat(refused.findings()).as(context).extracting(Finding::rule).containsExactlyElementsOf(alone);
                  assertThat((Throwable) refused).as(context).hasMessageContaining("SECURITY DEFINER")
                      .hasMessageContaining("its owner, " + owner);
                  denied++;
                }
              }
            }
          }
        }
      }
    }
    assertThat(denied).as("owners the role does not trust or who hold no grant").isPositive();
    assertThat(sent).as("owners the role trusts and who hold the grant").isPositive();
    assertThat(denied + sent).isEqualTo(roles.size() * owners.size() * 2 * CALL_FACES.size());
  }

  /** The rules that deny {@code copy} when {@code user} sends it alone through the guard; empty when it is sent. */
  private static List<RuleId> rulesDeniedAlone(String user, String copy) throws SQLException {
    try (Connection connection = open(new Properties()); Statement statement = connection.createStatement()) {
      statement.execute("set session authorization " + user);
      SQLException outcome = assertThrows(SQLException.class, () -> statement.execute(copy), user);
      return outcome instanceof GuardDeniedException denied
          ? denied.findings().stream().map(Finding::rule).toList() : List.of();
    }
  }

  /**
   * {@code iamguard run} sends a script one statement at a time, so a statement after an identity
   * change is decided on its own, as the user the server reports then.
   */
  @Test
  void iamguardRunDecidesEachStatementAsTheServerSaysWhoRunsIt(@TempDir Path dir) throws Exception {
    createRoles();
    Path trusted = Files.writeString(dir.resolve("trusted.sql"), "set session authorization user1;\n" + copy(TRUSTS, marker()) + ";\n");
    Path untrusted = Files.writeString(dir.resolve("untrusted.sql"), "set session authorization user3;\n" + copy(TRUSTS, marker()) + ";\n");
    String url = targetUrl() + "?user=" + LocalPostgres.USER + "&password=" + POSTGRES.password() + "&ssl=false&socketFactory="
        + StartupRewritingSocketFactory.class.getName() + "&iamguard.cluster=local-cluster";
    String registry = Path.of("src/test/resources/jdbc/identity-registry.yaml").toString();

    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    dev.iamguard.cli.Main.execute(new String[] {"run", "--url", url, "--registry", registry, trusted.toString()},
        new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
    assertThat(out.toString().lines()).as(err.toString()).containsExactly(
        trusted + ":1 [1] SET_SESSION_AUTHORIZATION ALLOW 0 rows",
        trusted + ":2 [2] COPY FAILED " + SYNTAX_ERROR, // sent as user1, whom TrustsUsers trusts
        "stopped: 1 statements ran");

    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    dev.iamguard.cli.Main.execute(new String[] {"run", "--url", url, "--registry", registry, untrusted.toString()},
        new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
    assertThat(out.toString().lines()).containsExactly(
        untrusted + ":1 [1] SET_SESSION_AUTHORIZATION ALLOW 0 rows",
        untrusted + ":2 [2] COPY DENY",
        "stopped: 1 statements ran");
    assertThat(err.toString()).contains("DB_USER_NOT_TRUSTED", "dbuser:local-cluster/user3");
  }

  // ---- login facts: DbGroups, IAM prefixes, iamguard.user

  @Test
  void dbGroupsOfAPasswordLoginDoNotCountTheServersGroupsDo() throws SQLException {
    Properties user1 = login("user1");
    user1.setProperty("DbGroups", "etl");
    try (Connection connection = open(user1)) {
      Decision decision = connection.unwrap(IamguardConnection.class).decisionFor(copy(GRANTED, "x"));
      assertThat(decision.findings()).extracting(Finding::rule).containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
    }
    try (Connection connection = open(login("user2"))) {
      assertThat(connection.unwrap(IamguardConnection.class).decisionFor(copy(GRANTED, "x")).findings())
          .as("user2 is in group etl on the server").isEmpty();
    }
  }

  @Test
  void aUserWhoseOwnNameStartsWithIamKeepsIt() throws SQLException {
    try (Connection connection = open(login("IAM:weird"))) {
      Decision decision = connection.unwrap(IamguardConnection.class).decisionFor(copy(TRUSTS, "x"));
      assertThat(decision.findings()).extracting(Finding::rule).containsExactly(RuleId.DB_USER_NOT_TRUSTED);
      // the server's name, exact (it was lower-cased with Java's Unicode folding before)
      assertThat(decision.findings().get(0).message()).contains("dbuser:local-cluster/IAM:weird ");
    }
  }

  @Test
  void iamguardUserMustBeTheUserTheServerReports() throws SQLException {
    Properties same = new Properties();
    same.setProperty(Setting.USER.key(), "POSTGRES");
    try (Connection connection = open(same)) {
      assertThat(connection.isValid(5)).isTrue();
    }
    Properties other = new Properties();
    other.setProperty(Setting.USER.key(), "etl_bot");
    SQLException refused = assertThrows(SQLException.class, () -> open(other));
    assertThat(refused.getSQLState()).isEqualTo("28000");
    assertThat((Throwable) refused).hasMessageContaining("iamguard.user=etl_bot").hasMessageContaining("runs as postgres");

    Properties groups = new Properties();
    groups.setProperty(Setting.GROUPS.key(), "etl");
    assertThat((Throwable) assertThrows(SQLException.class, () -> open(groups))).hasMessageContaining("iamguard.groups");
  }

  @Test
  void aPoolWithAutoCommitOffIsCheckedAtTheFirstAuthStatementInstead() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(targetUrl());
    config.setDataSourceProperties(driverProperties(LocalPostgres.USER, POSTGRES.password()));
    config.setMaximumPoolSize(1);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      assertThat((Throwable) assertThrows(SQLException.class, () -> GuardDataSource.builder(pool).registry(REGISTRY)
          .cluster("local-cluster").user("etl_bot").build().getConnection())).hasMessageContaining("runs as postgres");
    }
    config.setAutoCommit(false);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      GuardDataSource guarded = GuardDataSource.builder(pool).registry(REGISTRY).cluster("local-cluster")
          .user("etl_bot").build();
      try (Connection connection = guarded.getConnection(); Statement statement = connection.createStatement()) {
        GuardDeniedException denied = assertThrows(GuardDeniedException.class,
            () -> statement.execute(copy(GRANTED, marker())));
        assertThat(denied.findings()).extracting(Finding::rule).containsExactly(RuleId.IDENTITY_UNKNOWN);
        assertThat((Throwable) denied).hasMessageContaining("iamguard.user=etl_bot").hasMessageContaining("runs as postgres");
        connection.rollback();
      }
    }
  }

  // ---- helpers

  /**
   * A data source handing out new Redshift driver connections (the last one in {@code last}),
   * behind a proxy that shows only {@link Connection} when {@code hideDriver}.
   */
  private static DataSource plainDataSource(boolean hideDriver, Connection[] last) {
    return (DataSource) Proxy.newProxyInstance(ServerIdentityTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          if (!method.getName().equals("getConnection")) {
            throw new SQLException("not supported by this test data source: " + method.getName());
          }
          Connection connection = DriverManager.getConnection(targetUrl(), driverProperties(LocalPostgres.USER, POSTGRES.password()));
          last[0] = connection;
          return hideDriver ? onlyJdbc(connection) : connection;
        });
  }

  private static Connection onlyJdbc(Connection connection) {
    return (Connection) Proxy.newProxyInstance(ServerIdentityTest.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("isWrapperFor")) {
            return false;
          }
          if (method.getName().equals("unwrap")) {
            throw new SQLException("this proxy wraps nothing it shows");
          }
          try {
            return method.invoke(connection, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static synchronized void createRoles() throws SQLException {
    if (rolesCreated) {
      return;
    }
    try (Connection connection = DriverManager.getConnection(targetUrl(), driverProperties(LocalPostgres.USER, POSTGRES.password()));
        Statement statement = connection.createStatement()) {
      statement.execute("create role user1 login password 'pw1'; create role user2 login password 'pw2';"
          + " create role user3 login; create role \"IAM:weird\" login password 'pw3'; create role etl;"
          + " grant etl to user2; create role loader; create role staging; grant loader to staging;"
          + " grant staging to user3; create table id_t (id int); grant insert on id_t to public");
      statement.execute("create function become(u text) returns text language plpgsql as $$"
          + " begin perform set_config('session_authorization', u, false); return u; end $$");
      statement.execute("create procedure switch_to(u text) language plpgsql as $$"
          + " begin perform set_config('session_authorization', u, false); end $$");
    }
    rolesCreated = true;
  }

  private static Connection open(Properties extra) throws SQLException {
    createRoles();
    Properties properties = driverProperties(LocalPostgres.USER, POSTGRES.password());
    properties.setProperty(Setting.REGISTRY.key(), REGISTRY);
    properties.setProperty(Setting.CLUSTER.key(), "local-cluster");
    properties.putAll(extra);
    return DriverManager.getConnection("jdbc:iamguard:" + targetUrl().substring("jdbc:".length()), properties);
  }

  private static Properties login(String user) {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", switch (user) {
      case "user1" -> "pw1";
      case "user2" -> "pw2";
      default -> "pw3";
    });
    return properties;
  }

  private static String targetUrl() {
    return "jdbc:redshift://127.0.0.1:" + POSTGRES.port() + "/" + LocalPostgres.DATABASE;
  }

  private static Properties driverProperties(String user, String password) {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    properties.setProperty("ssl", "false");
    properties.setProperty("socketFactory", StartupRewritingSocketFactory.class.getName());
    return properties;
  }

  private static String copy(String role, String marker) {
    return "COPY id_t FROM 's3://iamguard-identity/in/part-0.csv' IAM_ROLE '" + role + "' CSV /* " + marker + " */";
  }

  private static String marker() {
    return "marker-" + UUID.randomUUID();
  }
}
