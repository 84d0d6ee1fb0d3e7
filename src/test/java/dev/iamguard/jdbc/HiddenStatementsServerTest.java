package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.AuthCommands.Received;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every statement that can run or change authorization, hidden where only the server's reading shows
 * it, with PostgreSQL as the oracle of what ran and as whom. PostgreSQL with
 * {@code standard_conforming_strings=on} reads a literal's backslash as itself, so where Redshift's
 * reading (the guard's) has one literal or one comment, the server runs the statements inside it.
 * Texts are drawn from a seed: a hiding form (a backslash literal before a {@code ;}, a literal
 * continued into a line or block comment, a {@code ;} in a line comment, an {@code E''} string, a
 * dollar quote, a bit string, {@code #} before {@code $}, several hidden statements, one far into a
 * long text) around a payload that may run
 * or change authorization (a CALL in every spelling and JDBC escape, a {@code DO} block whose code
 * runs a COPY written, by EXECUTE or by a CALL, a function whose body runs one, PREPARE/EXECUTE,
 * {@code set_config('role', ...)}, SET ROLE, transaction ends that undo an identity change, a plain
 * COPY), its first word in mixed case after comments, sent as a statement, a prepared or callable
 * statement or a batch entry, in either query mode.
 *
 * <p>Payloads are written without {@code '} (dollar quotes instead) so that each form hides them
 * whole. Three kinds of payload, three set-ups (user1 is trusted by the registry's role; r3, a role
 * user1 may set, and user3 are not):
 * <ul>
 *   <li>{@code RUNS}: the payload runs code that holds an auth-carrying statement; the connection is
 *       user1 after {@code set role r3}, so whatever the server receives of it runs as r3 (or user3,
 *       a SECURITY DEFINER body's owner): it must receive nothing;</li>
 *   <li>{@code CHANGES}: the payload makes r3 the current role of a connection the guard knows as
 *       user1; then a visible COPY ({@code select ran_as(..); COPY ...}, or a CALL of a body that
 *       EXECUTEs one) must not run as r3;</li>
 *   <li>{@code UNDOES}: the connection is r3 (committed), then, in a transaction, {@code reset role}
 *       (the guard follows it to user1) and the payload, a transaction end that brings r3 back; the
 *       visible COPY after it must not run as r3.</li>
 * </ul>
 * The server receives each auth-carrying statement as a syntax error at a word of its own
 * ({@link AuthCommands#received}), which is what the server would have run. A function's body run by
 * a {@code SELECT} is README's documented blind spot on PostgreSQL targets (the visible {@code select
 * f()} runs it too): those are counted apart, not failures. The control sends every payload with no hiding form and
 * checks it is judged as any such statement is. In simple query mode the Redshift driver itself
 * sometimes falls out of step with the server after a text of several statements (the next query
 * waits for a reply that never comes, or reads "Multiple ResultSets were returned" for one SELECT;
 * seen on the raw driver too): the guard's catalog look-up then waits for the socket timeout, set
 * short here, and such cases are counted apart as stalled. {@code -Diamguard.hiddenSeed=N} and
 * {@code -Diamguard.hiddenTexts=N} draw other or more texts.
 */
class HiddenStatementsServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final long SEED = Long.getLong("iamguard.hiddenSeed", 1);
  private static final int TEXTS = Integer.getInteger("iamguard.hiddenTexts", 64);
  private static final String ROLE = JdbcSequencesServerTest.TRUSTS;
  /** A COPY the server refuses at {@code IAM_ROLE}: no {@code '} in it. */
  private static final String COPY = "COPY id_t FROM $s$s3://iamguard-identity/in/hidden.csv$s$ IAM_ROLE $r$" + ROLE
      + "$r$ CSV";

  enum Kind { RUNS, CHANGES, UNDOES }

  /** A payload: its kind, its family (for the counts), and its text. */
  record Payload(Kind kind, String family, String text) {}

  private static final List<Payload> PAYLOADS = List.of(
      new Payload(Kind.RUNS, "call", "call b_copy_role_x_inv()"),
      new Payload(Kind.RUNS, "call", "CALL public.b_unload_x_inv()"),
      new Payload(Kind.RUNS, "call", "call \"b_copy_role_p_def3\" ()"),
      new Payload(Kind.RUNS, "jdbc-escape", "{call b_copy_role_x_inv()}"),
      new Payload(Kind.RUNS, "jdbc-escape", "{ call public.b_unload_x_def3 }"),
      new Payload(Kind.RUNS, "do-written", "do $d$ begin " + COPY + "; end $d$"),
      new Payload(Kind.RUNS, "do-execute", "do $d$ begin execute $e$" + COPY + "$e$; end $d$"),
      new Payload(Kind.RUNS, "do-call", "do $d$ begin call b_copy_role_x_inv(); end $d$"),
      new Payload(Kind.RUNS, "do-call", "DO LANGUAGE plpgsql $d$ begin call b_unload_x_inv(); end $d$"),
      new Payload(Kind.RUNS, "function", "select fq_copy()"),
      new Payload(Kind.RUNS, "function", "select * from fq_copy()"),
      new Payload(Kind.RUNS, "prepare-execute", "prepare fq_s as select fq_copy(); execute fq_s"),
      new Payload(Kind.RUNS, "plain", COPY),
      new Payload(Kind.CHANGES, "set-role", "set role r3"),
      new Payload(Kind.CHANGES, "set-role", "SET SESSION ROLE TO r3"),
      new Payload(Kind.CHANGES, "set_config", "select set_config($$role$$, $$r3$$, false)"),
      new Payload(Kind.CHANGES, "do-set-role", "do $d$ begin set role r3; end $d$"),
      new Payload(Kind.CHANGES, "do-set-role", "do $d$ begin perform set_config($c$role$c$, $c$r3$c$, false); end $d$"),
      new Payload(Kind.UNDOES, "rollback", "rollback"),
      new Payload(Kind.UNDOES, "rollback", "abort"),
      new Payload(Kind.UNDOES, "rollback-to-savepoint", "rollback to savepoint fq"),
      new Payload(Kind.UNDOES, "rollback-to-savepoint", "ROLLBACK WORK TO fq"),
      new Payload(Kind.UNDOES, "commit", "end"));

  /**
   * Hiding forms: {@code %s} where the payload goes, each read by Redshift as holding it inside a
   * literal or comment; without {@code newlineOk} (a line comment) the payload gets no line break.
   */
  record Form(String name, String format, boolean newlineOk) {}

  private static final List<Form> FORMS = List.of(
      new Form("backslash-literal", "select 'x\\'; %s; select '1'", true),
      new Form("backslash-literal-comment-end", "select 'x\\' as a; %s; select 1 as b -- '", true),
      new Form("literal-into-block-comment", "select 'a\\'' /* ' ; %s; -- */", true),
      new Form("literal-into-line-comment", "select 'a\\'' -- ' ; %s; select 1 as b\n", false),
      new Form("semicolon-line-comment", "select 'a\\''; -- ' ; %s\n", false),
      new Form("e-string", "select e'a\\'; %s; --'", false),
      new Form("dollar-after-sign", "select 1 as \u00d7$$ -- $$ ; %s", false),
      new Form("bit-string", "select b'1\\'; %s; select '1'", true),
      new Form("hash-before-dollar", "select 1 from #t$$; %s; select $$", true),
      new Form("several-hidden", "select 'x\\'; select 2; %s; select 3; %s; select '1'", true),
      new Form("far-into-long-text", "select 'x\\'; select %s; %s; select '1'", true));

  @BeforeAll
  static void createObjects() throws SQLException {
    PreparedTransactionEndServerTest.createObjects(POSTGRES);
    try (Connection admin = DriverManager.getConnection(POSTGRES.redshiftUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("set check_function_bodies = off");
      AuthCommands.createCopyFunction(statement, "fq_copy", COPY);
    }
  }

  /** One generated case. */
  record Case(Form form, Payload payload, String text, String mode, String face) {
    @Override
    public String toString() {
      return form.name() + " / " + payload.family() + ", " + mode + ", " + face + ": " + text.replace("\n", "\\n");
    }
  }

  private static List<Case> cases(long seed, int count) {
    Random random = new Random(seed);
    List<Case> cases = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      Form form = FORMS.get(random.nextInt(FORMS.size()));
      Payload payload = PAYLOADS.get(n < PAYLOADS.size() ? n : random.nextInt(PAYLOADS.size()));
      String body = decorate(payload.text(), form, random);
      String text = switch (form.name()) {
        case "several-hidden" -> String.format(form.format(), random.nextBoolean() ? "select 4" : body, body);
        case "far-into-long-text" -> String.format(form.format(), "1, ".repeat(2000 + random.nextInt(4000)) + "2", body);
        default -> String.format(form.format(), body);
      };
      String mode = random.nextBoolean() ? "extended" : "simple";
      String face = List.of("statement", "prepared", "callable", "batch").get(random.nextInt(4));
      cases.add(new Case(form, payload, text, mode, face));
    }
    return cases;
  }

  /** The payload's first word in mixed case, after a comment, as the seed draws. */
  private static String decorate(String payload, Form form, Random random) {
    String text = payload;
    int space = text.indexOf(' ');
    if (random.nextBoolean() && space > 0 && !text.startsWith("{")) {
      StringBuilder word = new StringBuilder();
      for (char c : text.substring(0, space).toCharArray()) {
        word.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
      }
      text = word + text.substring(space);
    }
    return switch (random.nextInt(4)) {
      case 0 -> "/* note */ " + text;
      case 1 -> form.newlineOk() ? "-- note\n" + text : text;
      default -> text;
    };
  }

  @Test
  void nothingHiddenRunsOrChangesAuthorizationForAUserTheRegistryDoesNotTrust() throws SQLException {
    List<String> failures = new ArrayList<>();
    Map<String, Integer> failing = new TreeMap<>();
    Map<String, Integer> blindSpot = new TreeMap<>();
    Map<String, Integer> refused = new TreeMap<>();
    Map<String, Integer> allowedAndRight = new TreeMap<>();
    Map<String, Integer> stalls = new TreeMap<>();
    for (Case c : cases(SEED, TEXTS)) {
      Outcome outcome = run(c, c.text());
      String key = c.payload().family() + " / " + c.form().name();
      if (outcome.stalled) {
        stalls.merge(key + " / " + c.mode(), 1, Integer::sum);
      }
      if (outcome.violation == null) {
        (outcome.refused ? refused : allowedAndRight).merge(c.payload().family(), 1, Integer::sum);
      } else if (c.payload().family().equals("function") || c.payload().family().equals("prepare-execute")) {
        blindSpot.merge(key, 1, Integer::sum); // README: a SELECT of a PL/pgSQL function is not inspected
      } else {
        failing.merge(key, 1, Integer::sum);
        failures.add(c + " -> " + outcome.violation);
      }
    }
    System.out.println("HiddenStatementsServerTest seed " + SEED + ": refused " + refused + "; allowed, run right "
        + allowedAndRight + "; documented blind spot (function bodies) " + blindSpot + "; stalled for the socket timeout " + stalls
        + "; failing " + failing);
    assertThat(failures).as(failures.size() + " failures in " + TEXTS + " texts (seed " + SEED + "): " + failing)
        .isEmpty();
  }

  /** The same payloads visible to every reading are judged as usual. */
  @Test
  void theSamePayloadsSeenByEveryReadingAreJudgedAsUsual() throws SQLException {
    List<String> failures = new ArrayList<>();
    List<String> blindSpot = new ArrayList<>();
    for (Payload payload : PAYLOADS) {
      for (String mode : List.of("extended", "simple")) {
        Case c = new Case(new Form("visible", "select 'x'; %s; select '1'", true), payload,
            "select 'x'; " + payload.text() + "; select '1'", mode, "statement");
        Outcome outcome = run(c, c.text());
        if (payload.family().equals("function") || payload.family().equals("prepare-execute")) {
          // README's documented blind spot on PostgreSQL targets: a function's body run by a SELECT (the
          // server runs its COPY as r3 when every reading shows it: counted, not judged here); a DO
          // block's code is judged since 2026-12-07 (14 of 14 such cases ran the COPY as r3 before)
          blindSpot.add(c + (outcome.violation == null ? "" : " -> " + outcome.violation));
          continue;
        }
        if (outcome.violation != null) {
          failures.add(c + " -> " + outcome.violation);
        }
        if (payload.kind() == Kind.RUNS && !outcome.refused) {
          failures.add(c + " -> not refused");
        }
      }
    }
    System.out.println("HiddenStatementsServerTest control, documented blind spot: " + blindSpot.size() + " cases "
        + blindSpot.stream().filter(b -> b.contains(" -> ")).count() + " of them run as r3");
    assertThat(failures).isEmpty();
  }

  /** What a case did: refused (an {@code iamguard:} exception), and the first violation the server log shows, or null. */
  record Outcome(boolean refused, String violation, boolean stalled) {}

  /** Longer than any case takes unless a read waited for the socket timeout. */
  private static final long STALL_NANOS = 900_000_000L;

  private static Outcome run(Case c, String text) throws SQLException {
    int logFrom = POSTGRES.serverLog().length();
    int pid = -1;
    boolean refused = false;
    String postError = null;
    long started = System.nanoTime();
    boolean stalled = false;
    Connection connection = connect(c.mode());
    try (connection; Statement statement = connection.createStatement()) {
      pid = JdbcAuthCommandsServerTest.backendPid(connection);
      statement.execute("set standard_conforming_strings = on");
      if (c.payload().kind() != Kind.CHANGES) {
        statement.execute("set role r3");
      }
      if (c.payload().kind() == Kind.UNDOES) {
        connection.setAutoCommit(false);
        statement.execute("savepoint fq");
        statement.execute("reset role");
      }
      try {
        send(connection, statement, c.face(), text);
      } catch (SQLException e) {
        refused = e.getMessage() != null && e.getMessage().startsWith("iamguard:");
        stalled = timedOut(e);
      } catch (RuntimeException e) {
        stalled = true; // the driver out of step with the server (NegativeArraySizeException reading a row)
      }
      // a driver that timed out closed its connection: the case stalled, and nothing follows on it
      stalled |= connection.isClosed();
      if (c.payload().kind() != Kind.RUNS && !connection.isClosed()) {
        if (!connection.getAutoCommit()) {
          try {
            statement.execute("select 1"); // an aborted transaction refuses what follows: end it first
          } catch (SQLException e) {
            connection.rollback();
          }
        }
        String post = c.text().length() % 2 == 0 ? "select ran_as($m$post$m$); " + COPY : "call b_copy_role_x_inv()";
        try {
          statement.execute(post);
        } catch (SQLException e) {
          postError = e.getMessage();
          stalled |= timedOut(e);
        } catch (RuntimeException e) {
          stalled = true;
        }
      }
    } catch (SQLException e) {
      if (!connection.isClosed()) {
        throw e;
      }
      stalled = true; // closed by the driver after a timeout (in the rollback that ends an aborted transaction)
    }
    List<Received> received = AuthCommands.received(POSTGRES.serverLog().substring(logFrom), Set.of(pid));
    String violation = null;
    for (Received r : received) {
      boolean trusted = r.ranAs() != null && JdbcSequencesServerTest.TRUSTED.contains(r.ranAs());
      if (violation == null && (c.payload().kind() == Kind.RUNS || !trusted)) {
        violation = (refused ? "refused, yet " : "not refused; ") + r.word() + (r.body() == null ? "" : " in " + r.body())
            + " ran as " + r.ranAs() + (postError == null ? "" : " (after: " + postError.lines().findFirst().orElse("") + ")");
        break;
      }
    }
    // the guard's own catalog query may wait for the socket timeout and go on (see the class comment)
    stalled |= System.nanoTime() - started > STALL_NANOS;
    return new Outcome(refused, violation, stalled);
  }

  /** Whether {@code e} or a cause says the driver waited longer than its socket timeout. */
  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** user1 through the guard, in query mode {@code mode}. */
  private static Connection connect(String mode) throws SQLException {
    Properties properties = AuthCommands.guardProperties(POSTGRES, "hidden-statements", mode);
    properties.setProperty("user", "user1");
    properties.setProperty("password", "pw1");
    // a connection whose driver waits for a reply the server never sends fails the case rather than the build
    properties.setProperty("socketTimeout", "1");
    return DriverManager.getConnection("jdbc:iamguard:" + POSTGRES.redshiftUrl().substring("jdbc:".length()),
        properties);
  }

  /** Sends {@code text} one way: a statement, a prepared or callable statement, or a batch entry between two others. */
  private static void send(Connection connection, Statement statement, String face, String text) throws SQLException {
    if (face.equals("batch")) {
      for (String entry : List.of("select 1", text, "select 2")) {
        statement.addBatch(entry);
      }
      statement.executeBatch();
    } else if (face.equals("statement")) {
      statement.execute(text);
    } else {
      (face.equals("prepared") ? connection.prepareStatement(text) : connection.prepareCall(text)).execute();
    }
  }

}
