package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.LocalPostgres;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A declared identity (the CLI's {@code --user}, {@code iamguard run} on a declared target, H2)
 * with the statements sent one by one, each its own execution, as {@code run} sends them: after
 * every statement the guard's session must either no longer claim to know the user, or name the
 * user the server runs as. The server is the oracle: each sequence runs on a throwaway PostgreSQL 15
 * (as Redshift, a rollback restores the session authorization a transaction began with, and a
 * commit ends SET LOCAL), logged in as the superuser postgres, which {@code select current_user,
 * session_user} reports after each statement. The gap this closes: {@code set session authorization
 * user1}; {@code begin}; {@code set session authorization default}; {@code rollback}: the server
 * runs as user1 again, but the declared session, back at its login user, was checked as postgres.
 *
 * <p>The registry (identity-registry.yaml, read by hand): TrustsUsers trusts user1 and user2 only;
 * Granted may be assumed by group etl, the declared login's group, which applies to postgres only
 * (not after a switch to another user). So a COPY with TrustsUsers allowed while the server runs as
 * postgres, or one with Granted allowed while it runs as user1 or user2, was checked as the wrong user.
 */
class DeclaredIdentityPiecesServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final Guard GUARD = guard();
  private static final Session LOGIN = new Session("postgres", List.of("etl"), List.of(), "local-cluster");
  private static final String TRUSTS = "arn:aws:iam::123456789012:role/TrustsUsers";
  private static final String GRANTED = "arn:aws:iam::123456789012:role/Granted";

  private static final List<String> CHANGES = List.of("set session authorization user1",
      "SET SESSION AUTHORIZATION 'user2'", "set session_authorization = user1", "Set Session_Authorization To 'user2'");
  private static final List<String> BEGINS = List.of("begin", "START TRANSACTION", "begin work; savepoint s");
  private static final List<String> BACKS = List.of("set session authorization default", "RESET SESSION AUTHORIZATION",
      "set session_authorization to default", "set local session authorization default", "reset session_authorization",
      "/* back */ set session authorization postgres");
  private static final List<String> UNDOS = List.of("rollback", "ABORT", "rollback work", "rollback to savepoint s",
      "commit", "END");

  /** Pieces of the random sequences: changes, ways back, transaction statements, other ways to change who runs. */
  private static final List<String> VOCABULARY = List.of("set session authorization user1",
      "SET SESSION AUTHORIZATION 'user2'", "set local session authorization user1", "set session authorization default",
      "reset session authorization", "set session_authorization = 'user2'", "set role user1", "reset role",
      "select set_config('session_authorization', 'user1', false)",
      "select set_config('session_authorization', 'user2', true)", "begin", "start transaction", "commit", "end",
      "rollback", "abort", "savepoint s", "rollback to savepoint s", "release savepoint s", "select 1",
      "set session authorization postgres");

  /**
   * The gap itself: change, open a transaction, go back to the login user, end the transaction
   * (4 x 3 x 6 x 6, case and comments varied), then a COPY, each its own execution.
   */
  @Test
  void aTransactionEndAfterAChangeBackToTheLoginUserLeavesTheUserUnknownOrTheServers() throws SQLException {
    List<String> failures = new ArrayList<>();
    int cases = 0;
    try (Connection server = server()) {
      for (int c = 0; c < CHANGES.size(); c++) {
        for (int b = 0; b < BEGINS.size(); b++) {
          for (int k = 0; k < BACKS.size(); k++) {
            for (int u = 0; u < UNDOS.size(); u++) {
              String undo = (c + u) % 2 == 0 ? UNDOS.get(u) : "/* end */ " + UNDOS.get(u).toUpperCase(Locale.ROOT);
              List<String> sequence = new ArrayList<>(List.of(CHANGES.get(c)));
              sequence.addAll(List.of(BEGINS.get(b).split("; ")));
              if (undo.toLowerCase(Locale.ROOT).contains("savepoint") && !sequence.contains("savepoint s")) {
                sequence.add("savepoint s");
              }
              sequence.add(BACKS.get(k));
              sequence.add(undo);
              cases++;
              failures.addAll(run(server, sequence, true));
            }
          }
        }
      }
    }
    assertThat(cases).isEqualTo(4 * 3 * 6 * 6);
    assertThat(failures).as(failures.size() + " failures in " + cases + " sequences").isEmpty();
  }

  /** Random sequences of 2 to 8 pieces from {@link #VOCABULARY} (seeded: a failure names its sequence). */
  @Test
  void randomSequencesNeverLeaveTheGuardSureOfAnotherUserThanTheServers() throws SQLException {
    List<String> failures = new ArrayList<>();
    Random random = new Random(20261130L);
    int ran = 0;
    try (Connection server = server()) {
      for (int n = 0; n < 400; n++) {
        int length = 2 + random.nextInt(7);
        List<String> sequence = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
          String piece = VOCABULARY.get(random.nextInt(VOCABULARY.size()));
          sequence.add(random.nextBoolean() ? piece : piece.toUpperCase(Locale.ROOT).replace("'USER", "'user")
              .replace("'POSTGRES", "'postgres"));
        }
        failures.addAll(run(server, sequence, false));
        ran++;
      }
    }
    assertThat(ran).isEqualTo(400);
    assertThat(failures).as(failures.size() + " failures").isEmpty();
  }

  /**
   * The controls: with nothing that may undo it between a change and the COPY, the COPY is checked
   * as the changed user (allowed with TrustsUsers); with no change on the connection, a rollback
   * leaves the login user known (allowed with Granted).
   */
  @Test
  void withoutAnUndoAfterAChangeTheDeclaredUserIsFollowed() throws SQLException {
    int cases = 0;
    try (Connection server = server()) {
      for (String change : CHANGES) {
        for (String between : List.of("begin", "savepoint s", "select 1", "release savepoint s")) {
          Session session = piecewise(server, List.of("begin", "savepoint s", change, between));
          assertThat(copy(session, TRUSTS).allowed()).as(change + " | " + between + ": " + session).isTrue();
          assertThat(session.user()).isEqualTo(userOf(server)[0]);
          reset(server);
          cases++;
        }
      }
      for (String undo : UNDOS) {
        Session session = piecewise(server, undo.contains("savepoint")
            ? List.of("begin", "savepoint s", undo) : List.of("begin", undo));
        assertThat(copy(session, GRANTED).allowed()).as(undo + ": " + session).isTrue();
        reset(server);
        cases++;
      }
    }
    assertThat(cases).isEqualTo(4 * 4 + 6);
  }

  /**
   * Sends {@code sequence} piece by piece: each to the guard (with the session the previous left),
   * then, unless denied, to the server; stops at the first piece the guard denies or the server
   * refuses (as {@code run} does). After each piece: the guard's user, when it claims to know it,
   * is the server's, and a COPY the wrong user would be allowed is denied. Returns the failures.
   */
  private static List<String> run(Connection server, List<String> sequence, boolean expectAllSent) throws SQLException {
    List<String> failures = new ArrayList<>();
    Session session = LOGIN;
    int sent = 0;
    for (String piece : sequence) {
      Decision decision = GUARD.inspect(piece, session);
      if (!decision.allowed()) {
        break;
      }
      if (!sendsWithoutError(server, piece)) {
        break;
      }
      sent++;
      session = decision.sessionAfter();
      String[] users = userOf(server);
      String context = String.join(" | ", sequence.subList(0, sent)) + " -> server runs as " + users[0]
          + " (session user " + users[1] + "), guard: " + session.user() + " " + session.origin();
      if (session.identityKnown() && !(users[0].equals(session.user()) && users[1].equals(session.user()))) {
        failures.add(context + ": the guard is sure of another user");
      }
      String wrong = users[0].equals("postgres") ? TRUSTS : GRANTED;
      if (copy(session, wrong).allowed()) {
        failures.add(context + ": a COPY with " + wrong.substring(wrong.indexOf('/') + 1) + " is allowed");
      }
    }
    if (expectAllSent && sent != sequence.size()) {
      failures.add(String.join(" | ", sequence) + ": only " + sent + " pieces ran");
    }
    reset(server);
    return failures;
  }

  /** The session after {@code pieces}, each decided and sent on its own (all must be allowed and run). */
  private static Session piecewise(Connection server, List<String> pieces) throws SQLException {
    Session session = LOGIN;
    for (String piece : pieces) {
      Decision decision = GUARD.inspect(piece, session);
      assertThat(decision.allowed()).as(piece).isTrue();
      assertThat(sendsWithoutError(server, piece)).as(piece).isTrue();
      session = decision.sessionAfter();
    }
    return session;
  }

  private static Decision copy(Session session, String role) {
    return GUARD.inspect("COPY id_t FROM 's3://iamguard-identity/in/part-0.csv' IAM_ROLE '" + role + "' CSV", session);
  }

  private static boolean sendsWithoutError(Connection server, String sql) {
    try (Statement statement = server.createStatement()) {
      statement.execute(sql);
      return true;
    } catch (SQLException refused) {
      return false;
    }
  }

  /** current_user and session_user; in a transaction aborted by an error, the piece before it is the last. */
  private static String[] userOf(Connection server) throws SQLException {
    try (Statement statement = server.createStatement();
        ResultSet row = statement.executeQuery("select current_user, session_user")) {
      assertThat(row.next()).isTrue();
      return new String[] {row.getString(1), row.getString(2)};
    }
  }

  /** Ends any transaction and returns the connection to its login state (DISCARD ALL resets the session authorization and role). */
  private static void reset(Connection server) throws SQLException {
    try (Statement statement = server.createStatement()) {
      statement.execute("rollback");
      statement.execute("discard all");
    }
    assertThat(userOf(server)).containsExactly("postgres", "postgres");
  }

  private static Connection server() throws SQLException {
    Connection connection = DriverManager.getConnection("jdbc:redshift://127.0.0.1:" + POSTGRES.port() + "/"
        + LocalPostgres.DATABASE, POSTGRES.redshiftDriverProperties());
    try (Statement statement = connection.createStatement()) {
      statement.execute("do $$ begin if not exists (select from pg_roles where rolname = 'user1') then "
          + "create role user1 login; create role user2 login; end if; end $$");
    }
    return connection;
  }

  private static Guard guard() {
    try {
      return new Guard(RegistryLoader.load(Path.of("src/test/resources/jdbc/identity-registry.yaml")));
    } catch (dev.iamguard.policy.registry.RegistryException e) {
      throw new IllegalStateException(e);
    }
  }
}
