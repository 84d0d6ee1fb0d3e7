package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazon.redshift.RedshiftConnection;
import dev.iamguard.audit.AuditEvent;
import dev.iamguard.jdbc.AuthCommands.Command;
import dev.iamguard.jdbc.AuthCommands.Dependence;
import dev.iamguard.jdbc.AuthCommands.Received;
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
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link JdbcSequencesServerTest}'s invariant for every auth-carrying command, not COPY alone: every
 * one the server receives was allowed by the guard for the user the server runs it as. Sequences of
 * 3 to 12 calls on one guarded connection of the real Redshift driver (both query modes) draw
 * UNLOAD, CREATE EXTERNAL SCHEMA, CREATE EXTERNAL FUNCTION, CREATE MODEL, CREATE LIBRARY, GRANT and
 * REVOKE ASSUMEROLE, COPY with IAM_ROLE, with {@code CREDENTIALS 'aws_iam_role=...'}, with temporary
 * keys and with a CREDENTIALS string of keys, and UNLOAD with keys ({@link AuthCommands}); written in
 * texts of one or two statements (with identity changes, transaction statements and harmless ones),
 * prepared statements executed now and again later, batches and prepared batches, and run by
 * procedures (EXECUTE of a constant text, or the statement written in the body; SECURITY INVOKER,
 * or DEFINER owned by user1 or by user3) through texts, {@code prepareCall} and batches.
 *
 * <p>PostgreSQL refuses each of these commands as a syntax error at a word of its own, and logs the
 * text it refused ({@code log_min_error_statement}); a body says who runs it before its statement
 * ({@code RAISE WARNING 'ran-as:%'}), and for a text the backend is asked {@code current_user} just
 * before the step, past the guard. The role trusts user1 and user2 only, so each role-based command
 * received must run as one of them and have an audited ALLOW for that user naming the statement's
 * own marker; a key-based command or a GRANT/REVOKE, which the guard allows whoever runs it, must
 * have an audited ALLOW of its own. Refusals of what the server would have run as a trusted user, or
 * of key-based statements and GRANT/REVOKE with no identity change before them, are counted as false
 * refusals and reported.
 *
 * <p>{@code -Diamguard.authSequences=N} runs N sequences (default 60), {@code -Diamguard.sequencesSeed=S}
 * another seed; the same seed gives the same sequences.
 */
class JdbcAuthCommandsServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final long SEED = JdbcSequencesServerTest.SEED;
  private static final int SEQUENCES = Integer.getInteger("iamguard.authSequences", 60);
  private static final Set<String> TRUSTED = JdbcSequencesServerTest.TRUSTED;

  /** One statement of a unit: an auth-carrying text (command and marker), a CALL of a body, or any other. */
  record Item(String text, Command command, String marker, String body) {
    boolean auth() {
      return command != null;
    }

    boolean changesIdentity() {
      return JdbcSequencesServerTest.IDENTITY.contains(text) || JdbcSequencesServerTest.TRANSACTION_ENDS.contains(text)
          || text.startsWith("call ");
    }

    /** The user who runs the command when {@code caller} runs the text. */
    String runner(String caller) {
      String owner = body == null ? null : AuthCommands.owner(body);
      return owner != null ? owner : caller;
    }
  }

  /** What one step sent or tried to, for the oracle. */
  record Attempt(int step, String face, List<Item> unit, String probedUser, String refusal) {
    boolean carriesAuth() {
      return unit.stream().anyMatch(Item::auth);
    }

    /** Whether a statement that may change the identity comes before {@code item} in the unit. */
    boolean changesBefore(Item item) {
      for (Item each : unit) {
        if (each == item) {
          return false;
        }
        if (each.changesIdentity()) {
          return true;
        }
      }
      return false;
    }

    /** Whether the guard should have sent the unit: every auth-carrying statement allowed for whoever runs it. */
    boolean allowedForWhoRunsIt() {
      if (probedUser == null || probedUser.equals("aborted") || probedUser.startsWith("probe failed")) {
        return false;
      }
      for (Item item : unit) {
        if (item.auth() && item.command().dependence() == Dependence.USER && (changesBefore(item)
            || item.command().dependence() == Dependence.USER && !TRUSTED.contains(item.runner(probedUser)))) {
          return false;
        }
      }
      return true;
    }

    String labels() {
      return unit.stream().map(i -> i.auth() ? (i.body() != null ? "call " + i.body() : i.command().label() + "#"
          + i.marker()) : i.text()).toList().toString();
    }
  }

  /** The state of one running sequence. */
  static final class Run {
    final Connection connection;
    final Connection raw;
    final Random random;
    final String prefix;
    final List<String> script = new ArrayList<>();
    final List<Attempt> attempts = new ArrayList<>();
    final List<PreparedStatement> prepared = new ArrayList<>();
    final Map<PreparedStatement, List<Item>> preparedUnits = new java.util.HashMap<>();
    int step;
    int markers;

    Run(Connection connection, Random random, String prefix) throws SQLException {
      this.connection = connection;
      this.raw = (Connection) connection.unwrap(RedshiftConnection.class);
      this.random = random;
      this.prefix = prefix;
    }

    String probe() {
      return JdbcSequencesServerTest.probe(raw, step);
    }

    void send(String face, List<Item> unit, JdbcSequencesServerTest.SqlAction action) {
      String probed = unit.stream().anyMatch(Item::auth) ? probe() : null;
      Attempt pending = new Attempt(step, face, unit, probed, null);
      script.add(step + ": " + face + " " + pending.labels());
      String refusal = null;
      try {
        action.run();
      } catch (SQLException e) {
        if (JdbcSequencesServerTest.refusedByGuard(e)) {
          refusal = e.getSQLState() + " " + firstLine(e.getMessage());
        }
      }
      attempts.add(new Attempt(step, face, List.copyOf(unit), probed, refusal));
    }

    /** An auth-carrying statement written in the text, with a marker of its own. */
    Item authText() {
      Command command = pick(random, AuthCommands.COMMANDS);
      String marker = prefix + "m" + markers++;
      return new Item(command.text(marker), command, marker, null);
    }

    Item call() {
      Command command = pick(random, AuthCommands.COMMANDS);
      String body = AuthCommands.bodyName(command, pick(random, AuthCommands.FLAVOURS),
          pick(random, AuthCommands.SECURITY));
      return new Item("call " + body + "()", command, null, body);
    }

    Item any() {
      return switch (random.nextInt(10)) {
        case 0, 1 -> authText();
        case 2 -> call();
        case 3, 4 -> plain(pick(random, JdbcSequencesServerTest.IDENTITY));
        case 5 -> plain(pick(random, JdbcSequencesServerTest.TRANSACTION_ENDS));
        case 6 -> plain(pick(random, JdbcSequencesServerTest.TRANSACTION_OTHERS));
        default -> plain(pick(random, JdbcSequencesServerTest.HARMLESS));
      };
    }

    List<Item> unit() {
      List<Item> unit = new ArrayList<>();
      unit.add(any());
      if (random.nextInt(3) == 0) {
        unit.add(random.nextBoolean() ? any() : random.nextBoolean() ? authText() : call());
      }
      return unit;
    }
  }

  private static Item plain(String text) {
    return new Item(text, null, null, null);
  }

  private static <T> T pick(Random random, List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  private static String text(List<Item> unit) {
    return String.join("; ", unit.stream().map(Item::text).toList());
  }

  /**
   * Reads every result of a statement kept open: the Redshift driver's fetch thread of a result left
   * unread makes the next query on the connection (the probe) wait for ever.
   */
  static void drain(Statement statement) throws SQLException {
    ResultSet rows = statement.getResultSet();
    if (rows != null) {
      while (rows.next()) {
        // to the end
      }
    }
    while (statement.getMoreResults() || statement.getUpdateCount() != -1) {
      // every result
    }
  }

  private static String firstLine(String message) {
    String text = String.valueOf(message);
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }

  private static void step(Run run) throws SQLException {
    Random random = run.random;
    Connection c = run.connection;
    switch (random.nextInt(16)) {
      case 0, 1, 2 -> {
        List<Item> unit = run.unit();
        run.send("execute", unit, () -> {
          try (Statement s = c.createStatement()) {
            s.execute(text(unit));
            while (s.getMoreResults() || s.getUpdateCount() != -1) {
              // every result of the text
            }
          }
        });
      }
      case 3 -> {
        List<Item> unit = run.unit();
        run.send("executeUpdate", unit, () -> {
          try (Statement s = c.createStatement()) {
            s.executeUpdate(text(unit));
          }
        });
      }
      case 4, 5 -> {
        List<Item> unit = random.nextInt(4) == 0 ? run.unit() : List.of(random.nextBoolean() ? run.authText() : run.any());
        run.send("prepare+execute", unit, () -> {
          PreparedStatement p = c.prepareStatement(text(unit));
          run.prepared.add(p);
          run.preparedUnits.put(p, unit);
          p.execute();
          drain(p);
        });
      }
      case 6, 7 -> {
        if (run.prepared.isEmpty()) {
          run.script.add(run.step + ": nothing prepared yet");
          return;
        }
        PreparedStatement p = run.prepared.get(random.nextInt(run.prepared.size()));
        List<Item> unit = run.preparedUnits.get(p);
        // a prepared batch of a text with a query in it leaves the Redshift driver (2.x, without iamguard
        // too) waiting for ever on the next execution in a transaction: only texts without one are batched
        boolean batchable = unit.stream().noneMatch(i -> i.text().startsWith("select"));
        if (random.nextBoolean() || !batchable) {
          run.send("prepared again", unit, () -> {
            p.execute();
            drain(p);
          });
        } else {
          run.send("prepared batch", unit, () -> {
            p.addBatch();
            p.addBatch();
            p.executeBatch();
          });
        }
      }
      case 8 -> {
        List<Item> entries = new ArrayList<>();
        int size = 1 + random.nextInt(3);
        for (int i = 0; i < size; i++) {
          entries.add(run.any());
        }
        run.send("batch", entries, () -> {
          try (Statement s = c.createStatement()) {
            for (Item entry : entries) {
              s.addBatch(entry.text());
            }
            s.executeBatch();
          }
        });
      }
      case 9 -> {
        Item call = run.call();
        boolean escaped = random.nextBoolean();
        run.send(escaped ? "prepareCall {}" : "prepareCall", List.of(call), () -> {
          CallableStatement p = c.prepareCall(escaped ? "{" + call.text() + "}" : call.text());
          run.prepared.add(p);
          run.preparedUnits.put(p, List.of(call));
          p.execute();
          drain(p);
        });
      }
      case 10 -> {
        boolean on = random.nextBoolean();
        run.send("setAutoCommit(" + on + ")", List.of(), () -> c.setAutoCommit(on));
      }
      case 11 -> run.send(random.nextBoolean() ? "commit()" : "rollback()", List.of(),
          random.nextBoolean() ? c::commit : c::rollback);
      default -> {
        List<Item> unit = List.of(plain(pick(random, JdbcSequencesServerTest.IDENTITY)));
        run.send("execute", unit, () -> {
          try (Statement s = c.createStatement()) {
            s.execute(unit.get(0).text());
          }
        });
      }
    }
  }

  @Test
  void everyAuthCarryingStatementTheServerReceivesWasAllowedForTheUserWhoRunsIt() throws Exception {
    AuthCommands.createObjects(POSTGRES);
    Map<String, Integer> violations = new TreeMap<>();
    Map<String, Integer> falseRefusals = new TreeMap<>();
    Map<String, Integer> receivedBy = new TreeMap<>();
    Map<String, Integer> notes = new TreeMap<>();
    List<String> details = new ArrayList<>();
    int receivedCount = 0;
    int refusedAuth = 0;
    int steps = 0;
    int logRead = 0;
    for (int n = 0; n < SEQUENCES; n++) {
      Random random = new Random(SEED * 37 + n);
      String mode = random.nextBoolean() ? "extended" : "simple";
      String source = "auth-" + SEED + "-" + n;
      Properties properties = AuthCommands.guardProperties(POSTGRES, source, mode);
      Run run;
      int pid;
      try (Connection connection = DriverManager.getConnection(
          "jdbc:iamguard:" + POSTGRES.redshiftUrl().substring("jdbc:".length()), properties)) {
        run = new Run(connection, random, "s" + n);
        pid = backendPid(connection);
        int length = 3 + random.nextInt(10);
        boolean trustedFirst = random.nextBoolean();
        for (run.step = 0; run.step < length; run.step++) {
          try {
            if (run.step == 0 && trustedFirst) {
              List<Item> unit = List.of(plain(random.nextInt(4) == 0 ? "set session authorization user2"
                  : "set session authorization user1"));
              run.send("execute", unit, () -> {
                try (Statement s = connection.createStatement()) {
                  s.execute(unit.get(0).text());
                }
              });
              continue;
            }
            step(run);
          } catch (SQLException e) {
            if (JdbcSequencesServerTest.refusedByGuard(e)) {
              run.attempts.add(new Attempt(run.step, "outside send", List.of(), null, e.getSQLState()));
            }
          }
        }
        steps += length;
      }
      String header = "sequence " + n + " (" + mode + "):\n  " + String.join("\n  ", run.script);
      List<AuditEvent> events = JdbcSequencesServerTest.Sink.EVENTS.stream().filter(e -> source.equals(e.source()))
          .toList();
      String log = POSTGRES.serverLog();
      List<Received> received = AuthCommands.received(log.substring(Math.min(logRead, log.length())), Set.of(pid));
      logRead = log.lastIndexOf('\n') + 1;
      for (Received r : received) {
        receivedCount++;
        if (r.body() != null) {
          Command command = AuthCommands.commandOfBody(r.body());
          if (command == null) {
            count(violations, "auth-carrying statement received from an unknown body " + r.body());
            continue;
          }
          count(receivedBy, "body " + command.label() + " as " + r.ranAs());
          if (command.dependence() == Dependence.USER && !TRUSTED.contains(r.ranAs())) {
            count(violations, "body " + command.label() + " run as " + r.ranAs());
            details.add(header + "\n  -> body " + r.body() + " run as " + r.ranAs() + " after probe " + r.probeStep());
          }
          continue;
        }
        Attempt attempt = null;
        for (Attempt a : run.attempts) {
          if (a.step() == r.probeStep() && a.carriesAuth()) {
            attempt = a;
          }
        }
        Item item = attempt == null ? null : attempt.unit().stream()
            .filter(i -> i.auth() && i.body() == null && i.command().word().equalsIgnoreCase(r.word()))
            .findFirst().orElse(null);
        if (item == null) {
          count(violations, "auth-carrying text received outside any probed step that holds it");
          details.add(header + "\n  -> received at '" + r.word() + "' after probe " + r.probeStep());
          continue;
        }
        if (attempt.changesBefore(item) && item.command().dependence() == Dependence.USER) {
          count(violations, item.command().label() + " received after an identity change in its own unit ("
              + attempt.face() + ")");
          details.add(header + "\n  -> step " + attempt.step() + " " + attempt.labels());
          continue;
        }
        String ranAs = attempt.probedUser();
        if ("aborted".equals(ranAs)) {
          continue; // the server refuses to run anything there
        }
        count(receivedBy, item.command().label() + " as " + ranAs);
        if (item.command().dependence() == Dependence.USER) {
          if (!TRUSTED.contains(ranAs)) {
            count(violations, item.command().label() + " run as " + ranAs);
            details.add(header + "\n  -> " + item.marker() + " run as " + ranAs + " at step " + attempt.step());
          } else if (!AuthCommands.allowed(events, item.marker(), ranAs)) {
            count(violations, item.command().label() + " run as " + ranAs + " without an audited ALLOW for " + ranAs);
            details.add(header + "\n  -> no ALLOW of " + item.marker() + " for " + ranAs);
          }
        } else if (!AuthCommands.allowed(events, item.marker(), null)) {
          count(violations, item.command().label() + " received without an audited ALLOW");
          details.add(header + "\n  -> no ALLOW of " + item.marker());
        } else if (!AuthCommands.allowed(events, item.marker(), ranAs)) {
          count(notes, item.command().label() + " (allowed whoever runs it) audited for another user than " + ranAs);
        }
      }
      for (Attempt a : run.attempts) {
        if (a.refusal() == null) {
          continue;
        }
        if (!a.carriesAuth()) {
          count(falseRefusals, "refused without any auth-carrying statement: " + a.face() + " " + a.labels()
              + " (" + a.refusal().substring(0, 5) + ")");
          continue;
        }
        refusedAuth++;
        if (a.allowedForWhoRunsIt()) {
          count(falseRefusals, a.face() + " " + a.unit().stream().map(i -> i.auth() ? (i.body() != null ? "call "
              + i.body() : i.command().label()) : i.text()).toList() + " as " + a.probedUser());
          details.add(header + "\n  -> refused as " + a.probedUser() + " at step " + a.step() + ": " + a.refusal());
        }
      }
    }
    System.out.println("JdbcAuthCommandsServerTest: " + SEQUENCES + " sequences, " + steps + " steps, " + receivedCount
        + " auth-carrying statements received " + receivedBy + ", " + refusedAuth + " auth-carrying steps refused;"
        + " violations " + violations + "; false refusals " + falseRefusals + "; notes " + notes);
    details.stream().limit(30).forEach(System.out::println);
    assertThat(violations).as(String.join("\n", details.stream().limit(10).toList())).isEmpty();
    assertThat(receivedBy.keySet().stream().filter(k -> k.startsWith("body ")).count())
        .as("bodies of several commands received").isGreaterThan(3);
    assertThat(receivedBy.keySet().stream().filter(k -> !k.startsWith("body ")).count())
        .as("texts of several commands received").isGreaterThan(3);
    assertThat(refusedAuth).as("auth-carrying steps the guard refused").isPositive();
  }

  /** The backend of a guarded connection, asked past the guard. */
  static int backendPid(Connection guarded) throws SQLException {
    Connection raw = (Connection) guarded.unwrap(RedshiftConnection.class);
    try (Statement s = raw.createStatement(); ResultSet rows = s.executeQuery("select pg_backend_pid()")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static void count(Map<String, Integer> counts, String key) {
    counts.merge(key, 1, Integer::sum);
  }
}
