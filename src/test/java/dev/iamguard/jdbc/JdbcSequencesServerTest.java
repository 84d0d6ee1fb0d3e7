package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazon.redshift.RedshiftConnection;
import dev.iamguard.audit.AuditEvent;
import dev.iamguard.audit.AuditSink;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The invariant of the JDBC face under arbitrary sequences of API calls: every auth-carrying
 * statement the server receives was allowed by the guard, for the user the server runs it as.
 * From a seed, sequences of 3 to 12 steps are drawn from the whole surface of a guarded connection
 * of the real Redshift driver on PostgreSQL 15 (both query modes): texts of one or two statements
 * through {@code execute}, {@code executeQuery}, {@code executeUpdate}, {@code executeLargeUpdate},
 * {@code getMoreResults}, escape processing off, batches; prepared statements kept and executed
 * again later (with parameters, {@code clearParameters}, batched), callable {@code {call p()}};
 * {@code setAutoCommit}, {@code commit}, {@code rollback}, savepoints; {@code setSchema},
 * {@code setClientInfo}, {@code setReadOnly}, {@code nativeSQL}, metadata; identity changes of
 * every form (SET SESSION AUTHORIZATION, SET ROLE, RESET, {@code set_config} with the value in
 * the text or as a parameter, SET LOCAL), inside and outside transactions; and COPYs, written in
 * the text or run by a procedure's body ({@code cp_inv} SECURITY INVOKER, {@code cp_def} SECURITY
 * DEFINER owned by user1).
 *
 * <p>The registry's role trusts user1 and user2 only. The oracle is the server's statement log of
 * the guarded connection's backend: a COPY it received fails there at {@code IAM_ROLE} (PostgreSQL
 * has no such option), so each one is in the log. A procedure's body says who runs it ({@code RAISE
 * WARNING 'ran-as:%', current_user} before its COPY); for a COPY in the text, the server is asked
 * {@code current_user} on the same backend (through {@code unwrap}, unseen by the guard) just
 * before the step, a query that changes no identity. Every COPY received must run as user1 or
 * user2 and have an audited ALLOW for that user. A COPY (or a CALL of a COPYing body) refused
 * while the server would have run it as a trusted user, with no identity change before it in the
 * same text or batch, is counted as a false refusal and reported, as is any refusal of a step
 * that carries no authorization at all.
 *
 * <p>{@code -Diamguard.sequences=N} runs N sequences (default 120), {@code -Diamguard.sequencesSeed=S}
 * another seed; the same seed gives the same sequences, and {@code -Diamguard.sequencesFrom=F} runs
 * those from F on only.
 */
class JdbcSequencesServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String REGISTRY = "classpath:jdbc/identity-registry.yaml";
  static final String TRUSTS = "arn:aws:iam::123456789012:role/TrustsUsers";
  static final long SEED = Long.getLong("iamguard.sequencesSeed", 20261206L);
  private static final int SEQUENCES = Integer.getInteger("iamguard.sequences", 120);
  /** {@code -Diamguard.sequencesFrom=F}: the first sequence run (sequence 100 alone: from 100, 101 sequences). */
  private static final int FIRST = Integer.getInteger("iamguard.sequencesFrom", 0);
  static final Set<String> TRUSTED = Set.of("user1", "user2");

  static final String COPY = "COPY id_t FROM 's3://iamguard-identity/in/part-0.csv' IAM_ROLE '" + TRUSTS + "' CSV";
  private static final String CALL_INVOKER = "call cp_inv()";
  private static final String CALL_DEFINER = "call cp_def()";

  /** Statements that may change who runs what follows them. */
  static final List<String> IDENTITY = List.of("set session authorization user1",
      "set session authorization user3", "set session authorization user2", "set session authorization default",
      "reset session authorization", "set role user3", "set role user1", "reset role", "set role none",
      "select set_config('session_authorization', 'user1', false)",
      "select set_config('session_authorization', 'user3', true)", "select set_config('role', 'user3', false)",
      "select set_config('role', 'user1', true)", "set local session authorization user1",
      "set local session authorization user3", "reset all", "SET \"SESSION_AUTHORIZATION\" = 'user3'",
      "set session_authorization to user1", "set local role user3");
  /** Transaction statements; the first four may bring back an earlier identity, the others do not. */
  static final List<String> TRANSACTION_ENDS = List.of("commit", "rollback", "rollback to savepoint a", "end",
      "abort");
  static final List<String> TRANSACTION_OTHERS = List.of("begin", "start transaction", "savepoint a",
      "release savepoint a");
  static final List<String> HARMLESS = List.of("select 1", "insert into h_t values (1)",
      "select count(*) from h_t", "call harmless()", "update h_t set v = v where false");
  private static final List<String> AUTH = List.of(COPY, COPY, CALL_INVOKER, CALL_DEFINER);
  /**
   * CALLs whose body runs a COPY or not depending on the search path ({@code cp_sp}: harmless in
   * public, COPYing in s2) or on what another session last made of it ({@code cp_swap}).
   */
  private static final List<String> MAYBE_AUTH = List.of("call cp_sp()", "call cp_swap()");
  private static final List<String> SEARCH_PATHS = List.of("set search_path to s2, public",
      "set search_path to public", "select set_config('search_path', 's2, public', false)");

  /** Receives the audit events of every guarded connection of this class (by {@code iamguard.name}). */
  public static final class Sink implements AuditSink {
    static final List<AuditEvent> EVENTS = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void record(AuditEvent event) {
      EVENTS.add(event);
    }
  }

  /** What one step sent or tried to, for the oracle. */
  record Attempt(int step, String face, List<String> unit, String probedUser, boolean refused, String refusal) {
    /**
     * Whether the unit runs a statement that may change the identity before one of its auth-carrying
     * ones: an identity change, a transaction end (which may undo one), or a CALL (whose body may
     * change it: the README counts it as a change).
     */
    boolean changesBeforeAuth() {
      return changesBefore(s -> AUTH.contains(s) || MAYBE_AUTH.contains(s));
    }

    /**
     * Whether such a statement comes before one of the unit's own COPYs: then the probe, read before
     * the unit, cannot say who ran it. A unit whose COPYs all come first may be sent whole, when the
     * CALLs after the change are allowed for anyone (seed 100000, sequence 74: {@code [COPY, rollback,
     * call cp_def()]}, whose body runs as its owner; seed 300000, sequence 164: {@code [COPY, reset
     * role, call cp_swap()]}, whose body then ran no COPY), and its COPY runs as the probe says.
     */
    boolean changesBeforeCopy() {
      return changesBefore(COPY::equals);
    }

    private boolean changesBefore(java.util.function.Predicate<String> auth) {
      boolean changed = false;
      for (String statement : unit) {
        if (changed && auth.test(statement)) {
          return true;
        }
        changed |= IDENTITY.contains(statement) || TRANSACTION_ENDS.contains(statement)
            || statement.contains("set_config") || statement.startsWith("call ");
      }
      return false;
    }

    /** Whether the server would run every auth-carrying statement of the unit as a user the role trusts. */
    boolean runsAsTrusted() {
      if (changesBeforeAuth() || probedUser == null || probedUser.equals("aborted")) {
        return false;
      }
      if (unit.stream().anyMatch(MAYBE_AUTH::contains)) {
        return false; // whether it runs a COPY depends on state the test does not follow
      }
      return TRUSTED.contains(probedUser) || unit.stream().filter(AUTH::contains).allMatch(CALL_DEFINER::equals);
    }

    boolean carriesAuth() {
      return unit.stream().anyMatch(s -> AUTH.contains(s) || MAYBE_AUTH.contains(s));
    }
  }

  /** The state of one running sequence. */
  static final class Run {
    final Connection connection;
    final Connection raw;
    final Statement admin;
    final Random random;
    final List<String> script = new ArrayList<>();
    final List<Attempt> attempts = new ArrayList<>();
    final List<PreparedStatement> prepared = new ArrayList<>();
    final Map<PreparedStatement, List<String>> preparedUnits = new LinkedHashMap<>();
    final List<Savepoint> savepoints = new ArrayList<>();
    int step;

    Run(Connection connection, Statement admin, Random random) throws SQLException {
      this.connection = connection;
      this.admin = admin;
      this.raw = (Connection) connection.unwrap(RedshiftConnection.class);
      this.random = random;
    }

    /** current_user on the guarded connection's backend, asked past the guard; "aborted" in an aborted transaction. */
    String probe() {
      return JdbcSequencesServerTest.probe(raw, step);
    }

    /** Runs {@code action}, which sends {@code unit}, recording whether the guard refused it. */
    void send(String face, List<String> unit, SqlAction action) {
      String probed = unit.stream().anyMatch(s -> AUTH.contains(s) || MAYBE_AUTH.contains(s)) ? probe() : null;
      script.add(step + ": " + face + " " + unit);
      String refusal = null;
      try {
        action.run();
      } catch (SQLException e) {
        if (refusedByGuard(e)) {
          refusal = e.getSQLState() + " " + e.getMessage();
        }
      }
      attempts.add(new Attempt(step, face, List.copyOf(unit), probed, refusal != null, refusal));
    }

    void call(String what, SqlAction action) {
      script.add(step + ": " + what);
      try {
        action.run();
      } catch (SQLException e) {
        if (refusedByGuard(e)) {
          attempts.add(new Attempt(step, what, List.of(), null, true, e.getSQLState() + " " + e.getMessage()));
        }
      }
    }
  }

  /**
   * current_user on the backend of {@code raw}, asked past the guard with a mark of {@code step} that
   * the server log shows; "aborted" in an aborted transaction.
   */
  static String probe(Connection raw, int step) {
    try (Statement statement = raw.createStatement();
        ResultSet rows = statement.executeQuery("select current_user::text /* probe step " + step + " */")) {
      rows.next();
      return rows.getString(1);
    } catch (SQLException e) {
      return String.valueOf(e.getMessage()).contains("current transaction is aborted") ? "aborted"
          : "probe failed: " + e.getSQLState();
    }
  }

  interface SqlAction {
    void run() throws SQLException;
  }

  static boolean refusedByGuard(SQLException e) {
    return e instanceof GuardDeniedException || String.valueOf(e.getMessage()).startsWith("iamguard:");
  }

  private static String pick(Random random, List<String> list) {
    return list.get(random.nextInt(list.size()));
  }

  /** A statement of any kind, auth-carrying ones and identity changes weighted up. */
  private static String anyStatement(Random random) {
    return switch (random.nextInt(10)) {
      case 0, 1 -> pick(random, AUTH);
      case 8 -> pick(random, MAYBE_AUTH);
      case 9 -> pick(random, SEARCH_PATHS);
      case 2, 3 -> pick(random, IDENTITY);
      case 4 -> pick(random, TRANSACTION_ENDS);
      case 5 -> pick(random, TRANSACTION_OTHERS);
      default -> pick(random, HARMLESS);
    };
  }

  /** One statement, or two joined into one text (each may be auth-carrying). */
  private static List<String> unit(Random random) {
    List<String> unit = new ArrayList<>();
    unit.add(anyStatement(random));
    if (random.nextInt(3) == 0) {
      unit.add(random.nextBoolean() ? anyStatement(random) : pick(random, AUTH));
    }
    return unit;
  }

  private static String text(List<String> unit) {
    return String.join("; ", unit);
  }

  /** One step: a call of the JDBC API on the guarded connection. */
  private static void step(Run run) throws SQLException {
    Random random = run.random;
    Connection c = run.connection;
    switch (random.nextInt(28)) {
      case 0, 1, 2 -> {
        List<String> unit = unit(random);
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
        List<String> unit = unit(random);
        run.send("executeQuery", unit, () -> {
          try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(text(unit))) {
            rows.next();
          }
        });
      }
      case 4 -> {
        List<String> unit = unit(random);
        run.send("executeUpdate", unit, () -> {
          try (Statement s = c.createStatement()) {
            s.executeUpdate(text(unit));
          }
        });
      }
      case 5 -> {
        List<String> unit = unit(random);
        run.send("executeLargeUpdate", unit, () -> {
          try (Statement s = c.createStatement()) {
            s.executeLargeUpdate(text(unit));
          }
        });
      }
      case 6 -> {
        List<String> unit = unit(random);
        run.send("escape processing off", unit, () -> {
          try (Statement s = c.createStatement()) {
            s.setEscapeProcessing(false);
            s.execute(text(unit));
          }
        });
      }
      case 7, 8 -> {
        List<String> entries = new ArrayList<>();
        int size = 1 + random.nextInt(3);
        for (int i = 0; i < size; i++) {
          entries.add(anyStatement(random));
        }
        run.send("batch", entries, () -> {
          try (Statement s = c.createStatement()) {
            for (String entry : entries) {
              s.addBatch(entry);
            }
            s.executeBatch();
          }
        });
      }
      case 9, 10 -> {
        // prepared now, executed now and perhaps again later
        List<String> unit = random.nextInt(4) == 0 ? unit(random)
            : List.of(random.nextBoolean() ? pick(random, AUTH) : anyStatement(random));
        run.send("prepare+execute", unit, () -> {
          PreparedStatement p = c.prepareStatement(text(unit));
          run.prepared.add(p);
          run.preparedUnits.put(p, unit);
          p.execute();
        });
      }
      case 11, 12, 24, 25, 26 -> {
        if (run.prepared.isEmpty()) {
          run.call("nothing prepared yet", () -> { });
          return;
        }
        PreparedStatement p = run.prepared.get(random.nextInt(run.prepared.size()));
        List<String> unit = run.preparedUnits.get(p);
        if (random.nextBoolean()) {
          run.send("prepared again", unit, p::execute);
        } else {
          run.send("prepared batch", unit, () -> {
            p.addBatch();
            p.addBatch();
            p.executeBatch();
          });
        }
      }
      case 13 -> {
        // the identity from a parameter: the guard cannot read the value
        String user = pick(random, List.of("user1", "user3", "postgres"));
        String name = random.nextBoolean() ? "session_authorization" : "role";
        List<String> unit = List.of("select set_config('" + name + "', ?, " + random.nextBoolean() + ")");
        run.send("prepared parameter " + user, unit, () -> {
          PreparedStatement p = c.prepareStatement(unit.get(0));
          p.setString(1, user);
          p.execute();
          p.clearParameters();
          p.setString(1, user);
          run.prepared.add(p);
          run.preparedUnits.put(p, unit);
        });
      }
      case 14 -> {
        String call = pick(random, List.of(CALL_INVOKER, CALL_DEFINER, "call harmless()"));
        boolean escaped = random.nextBoolean();
        run.send(escaped ? "prepareCall {}" : "prepareCall", List.of(call), () -> {
          CallableStatement p = c.prepareCall(escaped ? "{" + call + "}" : call);
          run.prepared.add(p);
          run.preparedUnits.put(p, List.of(call));
          p.execute();
        });
      }
      case 15 -> {
        boolean on = random.nextBoolean();
        run.call("setAutoCommit(" + on + ")", () -> c.setAutoCommit(on));
      }
      case 16 -> run.call("commit()", c::commit);
      case 17 -> run.call("rollback()", c::rollback);
      case 18 -> run.call("setSavepoint()", () -> run.savepoints.add(c.setSavepoint()));
      case 19 -> {
        if (run.savepoints.isEmpty()) {
          run.call("no savepoint", () -> { });
          return;
        }
        Savepoint savepoint = run.savepoints.get(random.nextInt(run.savepoints.size()));
        if (random.nextBoolean()) {
          run.call("rollback(savepoint)", () -> c.rollback(savepoint));
        } else {
          run.call("releaseSavepoint", () -> c.releaseSavepoint(savepoint));
        }
      }
      case 20 -> {
        int which = random.nextInt(4);
        switch (which) {
          case 0 -> run.call("setSchema(public)", () -> c.setSchema("public"));
          case 1 -> run.call("setClientInfo", () -> c.setClientInfo("ApplicationName", "sequences"));
          case 2 -> {
            boolean readOnly = random.nextBoolean();
            run.call("setReadOnly(" + readOnly + ")", () -> c.setReadOnly(readOnly));
          }
          default -> run.send("nativeSQL", List.of(COPY), () -> c.nativeSQL(COPY));
        }
      }
      case 27 -> {
        // another session replaces a procedure's body, or the application moves its search path
        switch (random.nextInt(3)) {
          case 0 -> run.call("admin: cp_swap runs a COPY", () -> run.admin.execute(swap(true)));
          case 1 -> run.call("admin: cp_swap is harmless", () -> run.admin.execute(swap(false)));
          default -> {
            String schema = random.nextBoolean() ? "s2" : "public";
            run.call("setSchema(" + schema + ")", () -> c.setSchema(schema));
          }
        }
      }
      case 21 -> run.call("metadata", () -> {
        try (ResultSet rows = c.getMetaData().getTables(null, "public", "h_t", null)) {
          rows.next();
        }
        try (ResultSet rows = c.getMetaData().getProcedures(null, "public", "cp_%")) {
          rows.next();
        }
      });
      case 22 -> {
        PreparedStatement p = c.prepareStatement("insert into h_t values (?)");
        run.send("prepared insert with parameter", List.of("insert into h_t values (?)"), () -> {
          p.setInt(1, 7);
          p.execute();
          p.clearParameters();
          p.setInt(1, 8);
          p.addBatch();
          p.executeBatch();
        });
        p.close();
      }
      default -> {
        // an identity change alone, the commonest way applications change it
        List<String> unit = List.of(pick(random, IDENTITY));
        run.send("execute", unit, () -> {
          try (Statement s = c.createStatement()) {
            s.execute(unit.get(0));
          }
        });
      }
    }
  }

  static final Pattern PREFIX = Pattern.compile(
      "^\\S+ \\S+ \\S+ \\[(\\d+)\\] \\S* app=.*? (LOG|ERROR|WARNING|STATEMENT|CONTEXT|DETAIL|HINT|NOTICE|FATAL):  (.*)$");

  static final Pattern PROBE_MARK = Pattern.compile("/\\* probe step (\\d+) \\*/");

  /** A COPY the server received, and who ran it, if the log says. */
  record Received(String ranAs, boolean inBody, String statement, int probeStep) {}

  /** The COPYs the backend {@code pid} received, in order, from the server log. */
  static List<Received> received(String log, int pid) {
    List<Received> received = new ArrayList<>();
    String lastWarning = null;
    int probeStep = -1;
    List<String> lines = List.of(log.split("\n"));
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = PREFIX.matcher(lines.get(i));
      if (!m.matches() || Integer.parseInt(m.group(1)) != pid) {
        continue;
      }
      String level = m.group(2);
      String message = m.group(3);
      Matcher probe = PROBE_MARK.matcher(message);
      if (level.equals("LOG") && probe.find()) {
        probeStep = Integer.parseInt(probe.group(1));
      }
      if (level.equals("WARNING") && message.startsWith("ran-as:")) {
        lastWarning = message.substring("ran-as:".length());
      }
      if (level.equals("ERROR") && message.contains("syntax error at or near \"IAM_ROLE\"")) {
        boolean inBody = false;
        String statement = null;
        for (int j = i + 1; j < lines.size(); j++) {
          Matcher next = PREFIX.matcher(lines.get(j));
          if (!next.matches() || Integer.parseInt(next.group(1)) != pid) {
            continue;
          }
          if (next.group(2).equals("CONTEXT")) {
            inBody = true;
          } else if (next.group(2).equals("STATEMENT")) {
            statement = next.group(3);
            break;
          } else {
            break;
          }
        }
        received.add(new Received(inBody ? lastWarning : null, inBody, statement, probeStep));
        lastWarning = null;
      }
    }
    return received;
  }

  static final String PROBE_BODY = "begin raise warning 'ran-as:%', current_user; execute '"
      + COPY.replace("'", "''") + "'; end";

  /** The body of cp_swap: a COPY, or nothing auth-carrying. */
  private static String swap(boolean copies) {
    return "create or replace procedure public.cp_swap() language plpgsql as $$ "
        + (copies ? PROBE_BODY : "begin insert into h_t values (3); end") + " $$";
  }

  /**
   * The users, tables and procedures of the sequences: cp_inv and cp_def run a COPY after a warning
   * naming who runs it; cp_sp does in s2 only; cp_swap does not yet.
   */
  static void createObjects(LocalPostgres postgres) throws SQLException {
    try (Connection admin = DriverManager.getConnection(postgres.redshiftUrl(), postgres.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("create role user1 login password 'pw1'; create role user2 login password 'pw2';"
          + " create role user3 login; create table id_t (id int); grant insert on id_t to public;"
          + " create table h_t (v int); grant all on h_t to public");
      String body = PROBE_BODY;
      statement.execute("create procedure cp_inv() language plpgsql as $$ " + body + " $$");
      statement.execute("create procedure cp_def() language plpgsql security definer as $$ " + body + " $$");
      statement.execute("alter procedure cp_def() owner to user1");
      statement.execute("create procedure harmless() language plpgsql as $$ begin insert into h_t values (2); end $$");
      statement.execute("create schema s2; grant usage on schema s2 to public");
      statement.execute("create procedure public.cp_sp() language plpgsql as $$ begin insert into h_t values (4); end $$");
      statement.execute("create procedure s2.cp_sp() language plpgsql as $$ " + body + " $$");
      statement.execute(swap(false));
      statement.execute("grant all on all routines in schema public, s2 to public");
    }
  }

  @Test
  void everyCopyTheServerReceivesWasAllowedForTheUserWhoRunsIt() throws Exception {
    createObjects(POSTGRES);
    Map<String, Integer> violations = new TreeMap<>();
    Map<String, Integer> falseRefusals = new TreeMap<>();
    Map<String, Integer> receivedBy = new TreeMap<>();
    List<String> details = new ArrayList<>();
    int receivedCopies = 0;
    int refusedAuth = 0;
    int steps = 0;
    int logRead = 0; // the log before a sequence is of earlier backends: read once
    for (int n = FIRST; n < SEQUENCES; n++) {
      Random random = new Random(SEED * 31 + n);
      String mode = random.nextBoolean() ? "extended" : "simple";
      String source = "seq-" + SEED + "-" + n;
      Properties properties = POSTGRES.redshiftDriverProperties();
      properties.setProperty("options", "-c standard_conforming_strings=off -c escape_string_warning=off");
      properties.setProperty("preferQueryMode", mode);
      properties.setProperty(Setting.REGISTRY.key(), REGISTRY);
      properties.setProperty(Setting.CLUSTER.key(), "local-cluster");
      properties.setProperty("iamguard.audit-sink", Sink.class.getName());
      properties.setProperty("iamguard.name", source);
      List<Attempt> attempts;
      List<String> script;
      int pid;
      try (Connection connection = DriverManager.getConnection(
          "jdbc:iamguard:" + POSTGRES.redshiftUrl().substring("jdbc:".length()), properties);
          Connection adminConnection = DriverManager.getConnection(POSTGRES.redshiftUrl(),
              POSTGRES.redshiftDriverProperties());
          Statement admin = adminConnection.createStatement()) {
        admin.execute(swap(false));
        Run run = new Run(connection, admin, random);
        try (Statement s = run.raw.createStatement(); ResultSet rows = s.executeQuery("select pg_backend_pid()")) {
          rows.next();
          pid = rows.getInt(1);
        }
        int length = 3 + random.nextInt(10);
        // half the sequences start as a user the role trusts, so that what follows may take it away
        boolean trustedFirst = random.nextBoolean();
        for (run.step = 0; run.step < length; run.step++) {
          try {
            if (run.step == 0 && trustedFirst) {
              List<String> unit = List.of(random.nextInt(4) == 0 ? "set session authorization user2"
                  : "set session authorization user1");
              run.send("execute", unit, () -> {
                try (Statement s = connection.createStatement()) {
                  s.execute(unit.get(0));
                }
              });
              continue;
            }
            step(run);
          } catch (SQLException e) {
            if (refusedByGuard(e)) {
              run.attempts.add(new Attempt(run.step, "outside send", List.of(), null, true, e.getMessage()));
            }
          }
        }
        steps += length;
        attempts = run.attempts;
        script = run.script;
      }
      String header = "sequence " + n + " (" + mode + "):\n  " + String.join("\n  ", script);
      List<AuditEvent> events = Sink.EVENTS.stream().filter(e -> source.equals(e.source())).toList();
      String log = POSTGRES.serverLog();
      List<Received> received = received(log.substring(Math.min(logRead, log.length())), pid);
      logRead = log.lastIndexOf('\n') + 1; // a line being written is read again next time
      for (Received copy : received) {
        receivedCopies++;
        String ranAs = copy.ranAs();
        Attempt attempt = null;
        if (!copy.inBody()) {
          for (Attempt a : attempts) {
            if (a.step() == copy.probeStep() && a.carriesAuth()) {
              attempt = a;
            }
          }
          if (attempt == null) {
            count(violations, "COPY received outside any probed step");
            details.add(header + "\n  -> " + copy);
            continue;
          }
          if (attempt.changesBeforeCopy()) {
            count(violations, "COPY received after an identity change in its own unit (" + attempt.face() + ")");
            details.add(header + "\n  -> step " + attempt.step() + " " + attempt.unit());
            continue;
          }
          ranAs = attempt.probedUser();
          if ("aborted".equals(ranAs)) {
            continue; // the server refuses to run anything there
          }
        }
        String kind = copy.inBody() ? "body COPY" : "COPY";
        count(receivedBy, kind + " as " + ranAs);
        if (ranAs == null || !TRUSTED.contains(ranAs)) {
          count(violations, kind + " run as " + ranAs);
          details.add(header + "\n  -> " + kind + " run as " + ranAs + " at step "
              + (attempt == null ? copy.probeStep() + ", statement " + copy.statement()
              : attempt.step() + " " + attempt.face() + " " + attempt.unit()));
        } else if (!copy.inBody() && !allowed(events, ranAs)) {
          count(violations, "COPY run as " + ranAs + " without an audited ALLOW for " + ranAs);
          details.add(header + "\n  -> no ALLOW for " + ranAs);
        }
      }
      for (Attempt a : attempts) {
        if (!a.refused()) {
          continue;
        }
        if (!a.carriesAuth() && a.refusal().contains("current transaction is aborted")) {
          // the catalog cannot be read there; the server refuses the CALL too, unless the text ends the
          // transaction before it (abort; call p()), which the guard refuses all the same
          boolean endsFirst = !a.unit().isEmpty() && TRANSACTION_ENDS.contains(a.unit().get(0));
          count(falseRefusals, (endsFirst ? "refused in an aborted transaction its own text ends first: "
              : "refused in an aborted transaction, which the server refuses too: ") + a.face() + " " + a.unit());
          continue;
        }
        if (!a.carriesAuth()) {
          count(falseRefusals, "refused without any auth-carrying statement: " + a.face());
          details.add(header + "\n  -> false refusal at step " + a.step() + ": " + a.refusal());
          continue;
        }
        refusedAuth++;
        if (a.runsAsTrusted()) {
          count(falseRefusals, a.face() + " " + a.unit() + " as " + a.probedUser());
          details.add(header + "\n  -> refused as " + a.probedUser() + " at step " + a.step() + ": " + a.refusal());
        }
      }
    }
    System.out.println("JdbcSequencesServerTest: " + SEQUENCES + " sequences, " + steps + " steps, " + receivedCopies
        + " COPYs received " + receivedBy + ", " + refusedAuth + " auth-carrying steps refused; violations " + violations
        + "; false refusals " + falseRefusals);
    details.stream().limit(30).forEach(System.out::println);
    assertThat(violations).as(String.join("\n", details.stream().limit(10).toList())).isEmpty();
    assertThat(receivedCopies).as("COPYs the server received").isPositive();
    assertThat(refusedAuth).as("auth-carrying steps the guard refused").isPositive();
  }

  /** Whether the audit holds a COPY allowed (or rewritten) for {@code user}. */
  private static boolean allowed(List<AuditEvent> events, String user) {
    return events.stream().anyMatch(e -> "COPY".equals(e.command()) && !"DENY".equals(e.decision()) && user.equals(e.user()));
  }

  private static void count(Map<String, Integer> counts, String key) {
    counts.merge(key, 1, Integer::sum);
  }
}
