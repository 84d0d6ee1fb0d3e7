package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.iamguard.audit.AuditEvent;
import dev.iamguard.jdbc.AuthCommands.Command;
import dev.iamguard.jdbc.AuthCommands.Dependence;
import dev.iamguard.jdbc.AuthCommands.Received;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The invariant of {@link JdbcAuthCommandsServerTest} with several threads: every auth-carrying
 * statement the server receives was allowed by the guard for the user the server runs it as, when
 * two or three threads share one guarded connection (each with statements of its own), share one
 * {@code Statement}, or borrow from a HikariCP pool of one or two connections (guarded per borrow by
 * {@link GuardDataSource}, or per physical connection by a {@code jdbc:iamguard:} URL) and return
 * them with the identity changed or a transaction left open. Each thread runs its own drawn steps
 * (identity changes of every form, transaction statements and {@code commit()}/{@code rollback()},
 * auth-carrying texts plain and prepared, CALLs of the procedures of {@link AuthCommands}, batches
 * of them on the shared statement), and a {@link CyclicBarrier} before each step makes them overlap.
 * The draws are the same for a seed; the interleavings vary, and the invariant must hold for any.
 *
 * <p>Who runs a text is said by the server itself: every auth-carrying text is sent as
 * {@code select ran_as('marker'); <statement>}, whose function raises a warning naming
 * {@code current_user} and the marker just before the statement, in the same execution (extended
 * query mode, where the server runs the first statement before it parses the second). A body says
 * it before its statement. The audited ALLOW must name the text's marker and that user.
 *
 * <p>{@code -Diamguard.threadRounds=N} runs N rounds of each way (default 6),
 * {@code -Diamguard.sequencesSeed=S} another seed.
 */
class JdbcThreadsServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final long SEED = JdbcSequencesServerTest.SEED;
  private static final int ROUNDS = Integer.getInteger("iamguard.threadRounds", 6);
  private static final Set<String> TRUSTED = JdbcSequencesServerTest.TRUSTED;
  private static final Pattern MARKER = Pattern.compile("(r\\d+w\\d+t\\d+m\\d+)");

  /** How the threads of a round reach the server. */
  enum Way { SHARED_CONNECTION, SHARED_STATEMENT, POOL_GUARD_PER_BORROW, POOL_GUARDED_URL }

  /** What the threads of one round share, and what they saw. */
  static final class Round {
    final Way way;
    final int round;
    final String source;
    Connection connection;
    Statement statement;
    DataSource pool;
    final List<String> refusals = Collections.synchronizedList(new ArrayList<>());
    final List<String> script = Collections.synchronizedList(new ArrayList<>());
    int sentAuth;

    Round(Way way, int round) {
      this.way = way;
      this.round = round;
      this.source = "threads-" + SEED + "-" + way + "-" + round;
    }
  }

  private static <T> T pick(Random random, List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  /** One step of thread {@code thread}: sends on the round's shared connection or statement, or borrows. */
  /**
   * What one thread keeps across its steps: statements prepared now and executed later, and the
   * statement it adds batch entries to (its own, or the shared one), executed later, so that another
   * thread may change the identity between the decision and the sending.
   */
  static final class Own {
    final List<PreparedStatement> kept = new ArrayList<>();
    Statement batch;
  }

  private static void step(Round round, Own own, Random random, String marker) throws SQLException {
    int kind = random.nextInt(14);
    if (marker.endsWith("m0")) {
      kind = 0; // each thread starts by switching to a user the role trusts, so that what follows may take it away
    }
    if (kind >= 10 && round.pool == null) {
      laterStep(round, own, random, marker, kind);
      return;
    }
    kind = kind % 10;
    String text;
    boolean prepared = random.nextInt(3) == 0;
    if (marker.endsWith("m0")) {
      text = random.nextInt(4) == 0 ? "set session authorization user2" : "set session authorization user1";
    } else if (kind <= 2) {
      text = pick(random, JdbcSequencesServerTest.IDENTITY);
    } else if (kind == 3) {
      text = pick(random, List.of("begin", "commit", "rollback", "commit()", "rollback()", "begin; set local session "
          + "authorization user3", "begin; set local role user3"));
    } else if (kind <= 6) {
      Command command = pick(random, AuthCommands.COMMANDS);
      text = "select ran_as('" + marker + "'); " + command.text(marker);
    } else if (kind <= 8) {
      text = "call " + AuthCommands.bodyName(pick(random, AuthCommands.COMMANDS), pick(random, AuthCommands.FLAVOURS),
          pick(random, AuthCommands.SECURITY)) + "()";
    } else {
      text = pick(random, JdbcSequencesServerTest.HARMLESS);
    }
    boolean batch = round.way == Way.SHARED_STATEMENT && text.startsWith("call ") && random.nextBoolean();
    round.script.add(Thread.currentThread().getName() + ": " + (batch ? "batch " : prepared ? "prepared " : "")
        + (text.contains("ran_as") ? "auth " + marker : text));
    boolean auth = text.contains("ran_as") || text.startsWith("call b_");
    try {
      if (round.pool != null) {
        try (Connection c = round.pool.getConnection()) {
          send(c, null, text, prepared, false);
        }
      } else {
        send(round.connection, round.way == Way.SHARED_STATEMENT ? round.statement : null, text, prepared, batch);
      }
      if (auth) {
        synchronized (round) {
          round.sentAuth++;
        }
      }
    } catch (SQLException e) {
      if (JdbcSequencesServerTest.refusedByGuard(e)) {
        round.refusals.add((auth ? "auth" : "harmless") + " " + e.getSQLState());
      } else if (auth) {
        synchronized (round) {
          round.sentAuth++; // the server refused it: PostgreSQL knows none of these commands
        }
      }
    }
  }

  /** A step whose statement is decided now and sent later, or sent now after an earlier decision. */
  private static void laterStep(Round round, Own own, Random random, String marker, int kind) {
    String who = Thread.currentThread().getName() + ": ";
    Command command = pick(random, AuthCommands.COMMANDS);
    try {
      switch (kind) {
        case 10 -> {
          round.script.add(who + "prepare auth " + marker + " (sent later)");
          own.kept.add(round.connection.prepareStatement("select ran_as('" + marker + "'); " + command.text(marker)));
        }
        case 11 -> {
          if (own.kept.isEmpty()) {
            return;
          }
          PreparedStatement p = own.kept.get(random.nextInt(own.kept.size()));
          round.script.add(who + "execute a statement prepared earlier");
          p.execute();
          JdbcAuthCommandsServerTest.drain(p);
        }
        case 12 -> {
          if (own.batch == null) {
            own.batch = round.way == Way.SHARED_STATEMENT ? round.statement : round.connection.createStatement();
          }
          if (random.nextBoolean()) {
            round.script.add(who + "addBatch auth " + marker + " (sent later)");
            own.batch.addBatch("insert into h_t select ran_as('" + marker + "')");
            own.batch.addBatch(command.text(marker));
          } else {
            String call = "call " + AuthCommands.bodyName(command, pick(random, AuthCommands.FLAVOURS),
                pick(random, AuthCommands.SECURITY)) + "()";
            round.script.add(who + "addBatch " + call + " (sent later)");
            own.batch.addBatch(call);
          }
        }
        default -> {
          if (own.batch == null) {
            return;
          }
          round.script.add(who + "executeBatch");
          own.batch.executeBatch();
        }
      }
    } catch (SQLException e) {
      if (JdbcSequencesServerTest.refusedByGuard(e)) {
        round.refusals.add("auth, decided earlier " + e.getSQLState());
      }
    }
  }

  private static void send(Connection c, Statement shared, String text, boolean prepared, boolean batch)
      throws SQLException {
    if (text.equals("commit()")) {
      c.commit();
    } else if (text.equals("rollback()")) {
      c.rollback();
    } else if (batch) {
      shared.addBatch(text);
      shared.executeBatch();
    } else if (prepared && text.startsWith("call ")) {
      try (CallableStatement p = c.prepareCall("{" + text + "}")) {
        p.execute();
      }
    } else if (prepared) {
      try (PreparedStatement p = c.prepareStatement(text)) {
        p.execute();
        JdbcAuthCommandsServerTest.drain(p);
      }
    } else if (shared != null) {
      shared.execute(text);
      JdbcAuthCommandsServerTest.drain(shared);
    } else {
      try (Statement s = c.createStatement()) {
        s.execute(text);
        JdbcAuthCommandsServerTest.drain(s);
      }
    }
  }

  /** Runs the round's threads, each its own drawn steps, overlapping at a barrier before each step. */
  private static void runThreads(Round round, Random random) throws Exception {
    int threads = 2 + random.nextInt(2);
    int steps = 5 + random.nextInt(6);
    CyclicBarrier barrier = new CyclicBarrier(threads);
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Random own = new Random(random.nextLong());
        String prefix = "r" + round.round + "w" + round.way.ordinal() + "t" + t + "m";
        running.add(executor.submit(() -> {
          Own kept = new Own();
          for (int s = 0; s < steps; s++) {
            barrier.await(60, TimeUnit.SECONDS);
            step(round, kept, own, prefix + s);
          }
          return null;
        }));
      }
      for (Future<?> each : running) {
        each.get(120, TimeUnit.SECONDS); // a hang fails the test instead of holding the build
      }
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void everyAuthCarryingStatementReceivedFromSeveralThreadsWasAllowedForTheUserWhoRunsIt() throws Exception {
    AuthCommands.createObjects(POSTGRES);
    Map<String, Integer> violations = new TreeMap<>();
    Map<String, Integer> receivedBy = new TreeMap<>();
    Map<String, Integer> refusals = new TreeMap<>();
    List<String> details = new ArrayList<>();
    int sent = 0;
    int logRead = POSTGRES.serverLog().length();
    for (Way way : Way.values()) {
      for (int r = 0; r < ROUNDS; r++) {
        Random random = new Random(SEED * 41 + way.ordinal() * 1000L + r);
        Round round = new Round(way, r);
        switch (way) {
          case SHARED_CONNECTION, SHARED_STATEMENT -> {
            Properties properties = AuthCommands.guardProperties(POSTGRES, round.source, "extended");
            // with the driver's fetch ring buffer (its default), one thread executing and closing a
            // prepared statement while another's query reads rows hangs both for ever, without iamguard
            // too (a plain Redshift connection, 300 rounds of each); the guard's own look-ups no longer
            // meet it (they read their rows whole: IdentityReadBesideCloseTest), this test's own
            // queries would
            properties.setProperty("enableFetchRingBuffer", System.getProperty("iamguard.threadsRingBuffer", "false"));
            try (Connection connection = DriverManager.getConnection("jdbc:iamguard:"
                + POSTGRES.redshiftUrl().substring("jdbc:".length()), properties);
                Statement shared = connection.createStatement()) {
              round.connection = connection;
              round.statement = shared;
              runThreads(round, random);
            }
          }
          default -> {
            HikariConfig config = new HikariConfig();
            config.setMaximumPoolSize(1 + random.nextInt(2));
            config.setPoolName(round.source);
            if (way == Way.POOL_GUARDED_URL) {
              config.setJdbcUrl("jdbc:iamguard:" + POSTGRES.redshiftUrl().substring("jdbc:".length()));
              config.setDataSourceProperties(AuthCommands.guardProperties(POSTGRES, round.source, "extended"));
            } else {
              config.setJdbcUrl(POSTGRES.redshiftUrl());
              Properties properties = POSTGRES.redshiftDriverProperties();
              properties.setProperty("preferQueryMode", "extended");
              config.setDataSourceProperties(properties);
            }
            try (HikariDataSource hikari = new HikariDataSource(config)) {
              round.pool = way == Way.POOL_GUARDED_URL ? hikari : GuardDataSource.builder(hikari)
                  .registry(AuthCommands.REGISTRY).cluster("local-cluster").name(round.source)
                  .auditTo(new JdbcSequencesServerTest.Sink()).build();
              runThreads(round, random);
            }
          }
        }
        sent += round.sentAuth;
        round.refusals.forEach(e -> count(refusals, way + " " + e));
        List<AuditEvent> events = JdbcSequencesServerTest.Sink.EVENTS.stream()
            .filter(e -> round.source.equals(e.source())).toList();
        String log = POSTGRES.serverLog();
        List<Received> received = AuthCommands.received(log.substring(Math.min(logRead, log.length())), Set.of());
        logRead = log.lastIndexOf('\n') + 1;
        String header = way + " round " + r + ":\n  " + String.join("\n  ", round.script);
        for (Received each : received) {
          judge(way, each, events, violations, receivedBy, details, header);
        }
      }
    }
    System.out.println("JdbcThreadsServerTest: " + ROUNDS + " rounds of each of " + List.of(Way.values()) + ", " + sent
        + " auth-carrying steps sent, received " + receivedBy + "; guard refusals " + refusals + "; violations "
        + violations);
    details.stream().limit(20).forEach(System.out::println);
    assertThat(violations).as(String.join("\n", details.stream().limit(6).toList())).isEmpty();
    for (Way way : Way.values()) {
      assertThat(receivedBy.keySet().stream().filter(k -> k.startsWith(way + " ")).count())
          .as(way + ": auth-carrying statements received").isPositive();
    }
  }

  private static void judge(Way way, Received r, List<AuditEvent> events, Map<String, Integer> violations,
      Map<String, Integer> receivedBy, List<String> details, String header) {
    if (r.body() != null) {
      Command command = AuthCommands.commandOfBody(r.body());
      if (command == null) {
        count(violations, way + ": received from an unknown body " + r.body());
        return;
      }
      count(receivedBy, way + " body " + command.label() + " as " + r.ranAs());
      if (command.dependence() == Dependence.USER && !TRUSTED.contains(r.ranAs())) {
        count(violations, way + ": body " + command.label() + " run as " + r.ranAs());
        details.add(header + "\n  -> " + r.body() + " run as " + r.ranAs());
      }
      return;
    }
    Matcher marker = MARKER.matcher(String.valueOf(r.statement()));
    if (!marker.find()) {
      count(violations, way + ": received a text without a marker");
      return;
    }
    Command command = AuthCommands.COMMANDS.stream().filter(c -> r.statement().contains(c.text(marker.group(1))))
        .findFirst().orElse(null);
    String label = command == null ? r.word() : command.label();
    if (!marker.group(1).equals(r.ranAsMarker())) {
      count(violations, way + ": " + label + " received without its ran_as before it");
      details.add(header + "\n  -> " + marker.group(1) + " after ran_as of " + r.ranAsMarker());
      return;
    }
    count(receivedBy, way + " " + label + " as " + r.ranAs());
    boolean userDependent = command == null || command.dependence() == Dependence.USER;
    if (userDependent && !TRUSTED.contains(r.ranAs())) {
      count(violations, way + ": " + label + " run as " + r.ranAs());
      details.add(header + "\n  -> " + marker.group(1) + " run as " + r.ranAs());
    } else if (!AuthCommands.allowed(events, marker.group(1), userDependent ? r.ranAs() : null)) {
      count(violations, way + ": " + label + " run as " + r.ranAs() + " without an audited ALLOW for that user");
      details.add(header + "\n  -> no ALLOW of " + marker.group(1) + " for " + r.ranAs());
    }
  }

  private static void count(Map<String, Integer> counts, String key) {
    counts.merge(key, 1, Integer::sum);
  }
}
