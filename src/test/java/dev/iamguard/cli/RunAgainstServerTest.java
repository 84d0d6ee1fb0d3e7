package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.LocalPostgres;
import dev.iamguard.jdbc.StartupRewritingSocketFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iamguard run} against a throwaway PostgreSQL through the Redshift driver, on scripts drawn
 * from a seed: auth-carrying statements (which PostgreSQL refuses as syntax errors, so each one the
 * server received is in its log, preceded by {@code select ran_as('marker')}, which logs who runs
 * the statement after it, as {@code ServerScenarios} and the jdbc server tests do), CALLs of
 * procedures whose body says who runs it ({@code RAISE WARNING 'ran-as:%'}) and then runs a COPY
 * (EXECUTE of a constant text, its syntax error caught, so the CALL succeeds and the run goes on),
 * mixed with the identity changes the guard follows (SET SESSION AUTHORIZATION, SET ROLE, RESET),
 * those it cannot follow and decides again with the server ({@code set_config}, CALLs of procedures
 * that change the role or the session user, SET LOCAL, transaction ends that undo them, savepoints),
 * plain statements, comments and statements that fail on the server. Logged in as user1 (a
 * superuser, trusted by the role); user2 is trusted too, user3 and r3 are not.
 *
 * A third of the scripts come as two files of one run (and one check), in one session.
 *
 * <p>Properties, per script: (a) every auth-carrying statement the server received (or whose body it
 * ran) was allowed by the registry for the user the server reports for it; (b) {@code run} prints one
 * line per statement, numbered in order, stops at the first denied or failed one, and nothing after
 * the stop (nor a denied statement) reached the server, every statement up to it did; (c) exit 0
 * when every statement ran, 1 at a stop, and {@code check --user user1} of the same script decides
 * each statement up to the stop as {@code run} did wherever check can follow the identity (counted
 * apart where it cannot: run, asking the server, may then let through what check denies).
 *
 * <p>A role set inside a function a SELECT runs ({@code select become_user3_f()}) is what README ("What
 * the guard does not see") names: PostgreSQL does not report the role to the driver. What is received
 * as user3 after one is counted apart and printed, not failed.
 *
 * <p>{@code -Diamguard.runServer.seed=S} another seed, {@code -Diamguard.runServer.scripts=N} more
 * scripts (default 32, about 10 s).
 */
class RunAgainstServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final long SEED = Long.getLong("iamguard.runServer.seed", 20261207L);
  private static final int SCRIPTS = Integer.getInteger("iamguard.runServer.scripts", 32);
  private static final String REGISTRY = "src/test/resources/jdbc/auth-commands-registry.yaml";
  private static final String ROLE = "arn:aws:iam::123456789012:role/TrustsUsers";
  private static final String UNKNOWN_ROLE = "arn:aws:iam::123456789012:role/Nobody";
  // made up, shaped as AWS shapes them; no message of this test quotes a statement holding them
  private static final String KEY_ID = "ASIAY34FZKBOKMUTVV7C";
  private static final String SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY3";
  private static final String TOKEN = "FwoGZXIvYXdzEJr//////////wEaDMuV3kMP0wP1aP2T9yKwAQ8lzhX7vIeUf0Hs9pCz3Tm1n5Qr8GkV";
  private static final String LOGIN_PASSWORD = "pw-run-against-server";
  private static final List<String> TRUSTED = List.of("user1", "user2");

  @TempDir
  Path dir;

  /** Whose running the statement the registry allows. */
  enum Kind {
    /** the role trusts user1 and user2 only */
    TRUSTED_ROLE,
    /** a role the registry does not know: nobody */
    UNKNOWN_ROLE,
    /** temporary keys inside the policy's prefixes: anybody */
    KEYS_INSIDE,
    /** temporary keys outside them: nobody */
    KEYS_OUTSIDE;

    boolean allowedFor(String user) {
      return switch (this) {
        case TRUSTED_ROLE -> TRUSTED.contains(user);
        case KEYS_INSIDE -> true;
        case UNKNOWN_ROLE, KEYS_OUTSIDE -> false;
      };
    }
  }

  /** One statement of a script: its text, a label for messages (no secret), and its kind when it carries auth. */
  record Step(String text, String label, Kind auth, boolean call) {
    static Step plain(String text) {
      return new Step(text, text, null, false);
    }
  }

  private static Step auth(Random random, String marker) {
    String keys = "ACCESS_KEY_ID '" + KEY_ID + "' SECRET_ACCESS_KEY '" + SECRET + "' SESSION_TOKEN '" + TOKEN + "'";
    return switch (random.nextInt(6)) {
      case 0 -> new Step("COPY h_t FROM 's3://iamguard-identity/in/" + marker + ".csv' IAM_ROLE '" + ROLE + "' CSV",
          "COPY IAM_ROLE TrustsUsers", Kind.TRUSTED_ROLE, false);
      case 1 -> new Step("UNLOAD ('select 1') TO 's3://iamguard-identity/out/" + marker + "_' IAM_ROLE '" + ROLE + "'",
          "UNLOAD IAM_ROLE TrustsUsers", Kind.TRUSTED_ROLE, false);
      case 2 -> new Step("COPY h_t FROM 's3://iamguard-identity/in/" + marker + ".csv' CREDENTIALS 'aws_iam_role="
          + ROLE + "' CSV", "COPY CREDENTIALS role TrustsUsers", Kind.TRUSTED_ROLE, false);
      case 3 -> new Step("COPY h_t FROM 's3://iamguard-identity/in/" + marker + ".csv' IAM_ROLE '" + UNKNOWN_ROLE
          + "' CSV", "COPY IAM_ROLE Nobody", Kind.UNKNOWN_ROLE, false);
      case 4 -> new Step("COPY h_t FROM 's3://iamguard-identity/in/" + marker + ".csv' " + keys + " CSV",
          "COPY keys inside", Kind.KEYS_INSIDE, false);
      default -> new Step("COPY h_t FROM 's3://elsewhere/in/" + marker + ".csv' " + keys + " CSV",
          "COPY keys outside", Kind.KEYS_OUTSIDE, false);
    };
  }

  private static final List<String> FOLLOWED = List.of("set session authorization user1",
      "set session authorization user2", "set session authorization user3", "reset session authorization",
      "set role user2", "set role user3", "set role r3", "reset role", "set role none", "set session role user3");
  private static final List<String> UNFOLLOWED = List.of("select set_config('role', 'user3', false)",
      "select set_config('role', 'user2', false)", "select set_config('role', 'none', false)",
      "select set_config('session_authorization', 'user3', false)", "select set_config('role', 'user3', true)",
      "call become_user3()", "call become_sa_user2()", "call become_sa_user3()", "set local role user3",
      "set local session authorization user3", "select become_user3_f()", "select 1 from become_user3_f()",
      "do $$ begin perform set_config('role', 'user3', false); end $$", "prepare pr3 as select set_config('role', 'user3', false)",
      "execute pr3", "set role 'user3'", "set /* who */ role user3", "set session authorization default",
      "discard all", "reset all", "set role = user3");
  private static final List<String> TRANSACTIONS = List.of("begin", "commit", "rollback", "savepoint sp",
      "rollback to savepoint sp", "release savepoint sp", "abort", "end", "start transaction");
  private static final List<String> PLAIN = List.of("select 1", "insert into h_t values (7)",
      "select count(*) from h_t", "select current_user");
  private static final List<String> FAILING = List.of("insert into nosuch values (1)", "select 1/0");
  private static final List<String> CALLS = List.of("call cp_inv()", "call cp_def1()", "call cp_def3()");

  /** A script of 4 to 14 statements. */
  private static List<Step> script(int id, Random random) {
    List<Step> steps = new ArrayList<>();
    int length = 4 + random.nextInt(11);
    int auths = 0;
    while (steps.size() < length) {
      int pick = random.nextInt(100);
      if (pick < 22) {
        steps.add(Step.plain(FOLLOWED.get(random.nextInt(FOLLOWED.size()))));
      } else if (pick < 40) {
        steps.add(Step.plain(UNFOLLOWED.get(random.nextInt(UNFOLLOWED.size()))));
      } else if (pick < 55) {
        steps.add(Step.plain(TRANSACTIONS.get(random.nextInt(TRANSACTIONS.size()))));
      } else if (pick < 63) {
        steps.add(Step.plain(PLAIN.get(random.nextInt(PLAIN.size()))));
      } else if (pick < 65) {
        steps.add(Step.plain(FAILING.get(random.nextInt(FAILING.size()))));
      } else if (pick < 76) {
        String call = CALLS.get(random.nextInt(CALLS.size()));
        steps.add(new Step(call, call, Kind.TRUSTED_ROLE, true));
      } else if (pick < 82) {
        // a procedure the script creates (the catalog read before the script has none), maybe given away, then called
        String name = "mine_" + id + "_" + steps.size();
        boolean definer = random.nextBoolean();
        String copy = "COPY h_t FROM ''s3://iamguard-identity/in/" + name + ".csv'' IAM_ROLE ''" + ROLE + "'' CSV";
        steps.add(Step.plain("create procedure " + name + "() language plpgsql" + (definer ? " security definer" : "")
            + " as $$ begin raise warning 'ran-as:%:" + name + "', current_user; execute '" + copy + "';"
            + " exception when syntax_error then null; end $$"));
        if (random.nextBoolean()) {
          steps.add(Step.plain("alter procedure " + name + "() owner to " + (random.nextBoolean() ? "user3" : "user2")));
        }
        if (random.nextInt(3) == 0) {
          steps.add(Step.plain(FOLLOWED.get(random.nextInt(FOLLOWED.size()))));
        }
        steps.add(new Step("call " + name + "()", "call " + name + "()", Kind.TRUSTED_ROLE, true));
      } else if (pick < 88) {
        // a change inside a transaction, then its end or a savepoint's rollback, which may undo it
        steps.add(Step.plain(random.nextBoolean() ? "begin" : "start transaction"));
        boolean savepoint = random.nextBoolean();
        if (savepoint) {
          steps.add(Step.plain("savepoint sp"));
        }
        List<String> changes = random.nextBoolean() ? FOLLOWED : UNFOLLOWED;
        steps.add(Step.plain(changes.get(random.nextInt(changes.size()))));
        List<String> ends = savepoint ? List.of("rollback to savepoint sp", "release savepoint sp", "rollback", "commit")
            : List.of("rollback", "commit", "abort", "end");
        steps.add(Step.plain(ends.get(random.nextInt(ends.size()))));
      } else {
        String marker = "f" + id + "_" + auths++ + "x";
        steps.add(Step.plain("select ran_as('" + marker + "')"));
        steps.add(auth(random, marker));
      }
    }
    return steps;
  }

  /** The script's text: each statement behind a comment naming its number, some behind a line comment. */
  private static String text(List<Step> steps, int before, Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < steps.size(); i++) {
      if (random.nextInt(6) == 0) {
        text.append("-- a note; not a statement\n");
      }
      text.append("/* s").append(before + i + 1).append(" */ ").append(steps.get(i).text()).append(";\n");
    }
    return text.toString();
  }

  private static void createObjects() throws Exception {
    try (Connection admin = DriverManager.getConnection(POSTGRES.redshiftUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("create role user1 superuser login password '" + LOGIN_PASSWORD + "'; create role user2 login;"
          + " create role user3 login; create role r3; grant r3 to user2; create table h_t (v int);"
          + " grant all on h_t to public");
      statement.execute("create function ran_as(m text) returns int language plpgsql as $$ begin "
          + "raise warning 'ran-as:%:%', current_user, m; return 1; end $$");
      String copy = "COPY h_t FROM ''s3://iamguard-identity/in/body.csv'' IAM_ROLE ''" + ROLE + "'' CSV";
      for (String name : List.of("cp_inv", "cp_def1", "cp_def3")) {
        statement.execute("create procedure " + name + "() language plpgsql" + (name.equals("cp_inv") ? "" : " security definer")
            + " as $$ begin raise warning 'ran-as:%:" + name + "', current_user; execute '" + copy + "';"
            + " exception when syntax_error then null; end $$");
      }
      statement.execute("alter procedure cp_def1() owner to user1; alter procedure cp_def3() owner to user3");
      statement.execute("create procedure become_user3() language plpgsql as $$ begin "
          + "perform set_config('role', 'user3', false); end $$");
      statement.execute("create procedure become_sa_user2() language plpgsql as $$ begin "
          + "perform set_config('session_authorization', 'user2', false); end $$");
      statement.execute("create procedure become_sa_user3() language plpgsql as $$ begin "
          + "perform set_config('session_authorization', 'user3', false); end $$");
      statement.execute("create function become_user3_f() returns int language plpgsql as $$ begin "
          + "perform set_config('role', 'user3', false); return 1; end $$");
      statement.execute("grant all on all routines in schema public to public");
    }
  }

  private static String url() {
    return "jdbc:iamguard:redshift://127.0.0.1:" + POSTGRES.port() + "/" + LocalPostgres.DATABASE + "?user=user1"
        + "&password=" + LOGIN_PASSWORD + "&ssl=false&socketFactory=" + StartupRewritingSocketFactory.class.getName()
        + "&iamguard.cluster=local-cluster";
  }

  private static final Pattern RUN_LINE = Pattern.compile("^(.+):(\\d+) \\[(\\d+)\\] (\\S+) (ALLOW|REWRITE|DENY|FAILED)(.*)$");

  @Test
  void whatReachesTheServerIsWhatTheRegistryAllowsForWhoRunsItAndRunStopsWhereCheckWould() throws Exception {
    createObjects();
    Random random = new Random(SEED);
    Map<String, Integer> counts = new TreeMap<>();
    Map<String, List<String>> violations = new TreeMap<>();
    for (int id = 0; id < SCRIPTS; id++) {
      List<Step> steps = script(id, random);
      // a third of the scripts come as two files run in one session: what the first changes, the second inherits
      int split = random.nextInt(3) == 0 ? 1 + random.nextInt(steps.size() - 1) : steps.size();
      List<String> files = new ArrayList<>();
      files.add(Files.writeString(dir.resolve("s" + id + ".sql"), text(steps.subList(0, split), 0, random)).toString());
      if (split < steps.size()) {
        files.add(Files.writeString(dir.resolve("s" + id + "b.sql"), text(steps.subList(split, steps.size()), split,
            random)).toString());
      }
      String where = "script " + id + (files.size() > 1 ? " (second file from " + (split + 1) + ")" : "") + " "
          + labels(steps);
      int logFrom = POSTGRES.serverLog().length();
      List<String> runArgs = new ArrayList<>(List.of("run", "--url", url(), "--registry", REGISTRY, "--user", "user1"));
      runArgs.addAll(files);
      CliRun run = CliRun.of(runArgs.toArray(String[]::new));
      ServerRun server = ServerRun.read(POSTGRES.serverLog().substring(logFrom), steps);
      List<String> checkArgs = new ArrayList<>(List.of("check", "--registry", REGISTRY, "--cluster", "local-cluster",
          "--user", "user1", "--format", "json"));
      checkArgs.addAll(files);
      CliRun check = CliRun.of(checkArgs.toArray(String[]::new));
      Scripts scripts = new Scripts(files, split);
      counts.merge("scripts in " + files.size() + " file(s)", 1, Integer::sum);
      judge(where, steps, scripts, run, server, check, counts, violations);
    }
    System.out.println("RunAgainstServerTest seed " + SEED + ", " + SCRIPTS + " scripts: " + counts);
    violations.forEach((property, list) -> System.out.println(property + ": " + list.size() + "\n  "
        + String.join("\n  ", list.subList(0, Math.min(8, list.size())))));
    assertThat(violations).as("violations per property (details above)").isEmpty();
    assertThat(counts).as("what the scripts exercised").containsKeys("a: received as trusted", "c: agree",
        "c: check cannot follow the identity, run (asking the server) let it through");
  }

  private static String labels(List<Step> steps) {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      labels.add((i + 1) + ":" + steps.get(i).label());
    }
    return labels.toString();
  }

  private static String masked(String text) {
    return text.replace(SECRET, "<secret>").replace(TOKEN, "<token>").replace(KEY_ID, "<key id>");
  }

  /** The files a script came in: the first holds its statements before {@code split}, the second the rest. */
  record Scripts(List<String> files, int split) {
    /** The statement's number in the whole script, from its file and its number there. */
    int global(Object file, int index) {
      return files.size() > 1 && files.get(1).equals(file) ? split + index : index;
    }
  }

  private static void judge(String where, List<Step> steps, Scripts scripts, CliRun run, ServerRun server, CliRun check,
      Map<String, Integer> counts, Map<String, List<String>> violations) {
    String context = where + "\n    run exit " + run.code() + ":\n" + masked(run.out()) + masked(run.err())
        + "    server received " + server.received.keySet() + ", ran as " + server.ranAs;
    // (b) one line per statement, in order, the stop last
    List<Matcher> lines = run.out().lines().map(RUN_LINE::matcher).filter(Matcher::matches).toList();
    List<String> other = run.out().lines().filter(l -> !RUN_LINE.matcher(l).matches()).toList();
    boolean stopped = !lines.isEmpty() && lines.get(lines.size() - 1).group(5).matches("DENY|FAILED");
    int executed = (int) lines.stream().filter(m -> !m.group(5).matches("DENY|FAILED")).count();
    for (int i = 0; i < lines.size(); i++) {
      if (scripts.global(lines.get(i).group(1), Integer.parseInt(lines.get(i).group(3))) != i + 1) {
        add(violations, "b: lines not numbered 1..n in order", context);
      }
      if (i < lines.size() - 1 && lines.get(i).group(5).matches("DENY|FAILED")) {
        add(violations, "b: went on after a denial or failure", context);
      }
    }
    String last = stopped ? "stopped: " + executed + " statements ran" : "done: " + executed + " statements ran";
    if (!other.equals(List.of(last)) || !stopped && lines.size() != steps.size()) {
      add(violations, "b: summary line or statement count", context);
    }
    // (c) exit codes
    if (run.code() != (stopped ? 1 : 0)) {
      add(violations, "c: exit code", context);
    }
    // (b) what reached the server: every statement up to the stop (a denied one not), nothing after
    int sentUpTo = stopped && lines.get(lines.size() - 1).group(5).equals("DENY") ? lines.size() - 1 : lines.size();
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i <= sentUpTo; i++) {
      expected.add(i);
    }
    if (!server.order.equals(expected)) {
      boolean guardFailed = stopped && lines.get(lines.size() - 1).group(5).equals("FAILED")
          && server.order.equals(expected.subList(0, expected.size() - 1));
      add(violations, guardFailed ? "b: a statement the guard refused printed as FAILED" : "b: received statements",
          context + "\n    expected received " + expected + ", server log " + server.order);
    }
    // (a) every auth-carrying statement received was allowed for who the server says ran it
    for (int index : server.received.keySet()) {
      if (index == 0) {
        continue; // out of order: (b) says so
      }
      Step step = steps.get(index - 1);
      if (step.auth() == null) {
        continue;
      }
      String who = step.call() ? server.ranAs.get(index) : server.ranAs.get(index - 1);
      if (who == null) {
        if (step.call()) {
          continue; // the body never ran (the CALL failed before it, e.g. no privilege)
        }
        add(violations, "a: no ran_as before a received auth statement", context + " at " + index);
      } else if (!step.auth().allowedFor(who) && roleChangedInAFunction(steps, index)) {
        counts.merge("a (documented, not seen): received as " + who + " after a function set the role", 1, Integer::sum);
      } else if (!step.auth().allowedFor(who)) {
        add(violations, "a: received though not allowed for who ran it", context + " at " + index + " as " + who);
      } else {
        counts.merge("a: received as " + (TRUSTED.contains(who) ? "trusted" : "other"), 1, Integer::sum);
      }
    }
    // (c) check agrees up to the stop where it can follow the identity
    Map<Integer, Map<String, Object>> checked = checked(check, scripts);
    for (int i = 0; i < lines.size(); i++) {
      Matcher line = lines.get(i);
      int index = i + 1;
      Map<String, Object> decided = checked.get(index);
      if (decided == null) {
        add(violations, "c: check did not report a statement run reported", context + " at " + index);
        continue;
      }
      if (!line.group(2).equals(String.valueOf(decided.get("line"))) || !line.group(1).equals(decided.get("file"))) {
        add(violations, "b: run and check name the statement by another file or line", context + " at " + index
            + ": run " + line.group(1) + ":" + line.group(2) + ", check " + decided.get("file") + ":" + decided.get("line"));
      }
      boolean runDenied = line.group(5).equals("DENY");
      boolean checkDenied = "DENY".equals(decided.get("decision"));
      List<String> rules = rules(decided);
      Step step = steps.get(i);
      String detail = context + "\n    at " + index + ": run " + line.group(5) + ", check " + decided.get("decision")
          + " " + rules + ", line run " + line.group(2) + " check " + decided.get("line");
      // the ran_as before a statement written in the script ran whether the guard then sent it or not:
      // the server says who would have run it
      String who = step.auth() != null && !step.call() ? server.ranAs.get(index - 1) : null;
      if (who != null && runDenied && step.auth().allowedFor(who)) {
        add(violations, "a: run denied what the registry allows for who the server says would run it", detail + " as " + who);
      }
      if (who != null && !checkDenied && !step.auth().allowedFor(who) && roleChangedInAFunction(steps, index)) {
        counts.merge("c (documented, not seen): check allowed, run as " + who + " after a function set the role", 1,
            Integer::sum);
      } else if (who != null && !checkDenied && !step.auth().allowedFor(who)) {
        add(violations, "c: check allowed what the server would run as a user the registry does not allow",
            detail + " as " + who);
      }
      if (runDenied == checkDenied) {
        counts.merge("c: agree", 1, Integer::sum);
        continue;
      }
      boolean unfollowed = rules.stream().anyMatch(r -> r.equals("IDENTITY_UNKNOWN") || r.equals("IDENTITY_CHANGED_IN_TEXT"));
      if (checkDenied && unfollowed) {
        counts.merge("c: check cannot follow the identity, run (asking the server) let it through", 1, Integer::sum);
      } else if (who != null && runDenied != step.auth().allowedFor(who)) {
        // run decided as the server's user calls for; check allowing it is judged above
        if (checkDenied) {
          add(violations, "c: check denied what the server's user may run, for no identity it cannot follow",
              detail + " as " + who);
        } else {
          counts.merge("c: run denied, as the server's user calls for, what check allowed", 1, Integer::sum);
        }
      } else if (runDenied && step.call() && !step.text().startsWith("call mine_")) {
        counts.merge("c: check cannot see a body it was not given, run (reading the catalog) denied the CALL", 1,
            Integer::sum);
      } else if (runDenied && step.call()) {
        add(violations, "c: run denied the CALL of a procedure the script created, check allowed it", detail);
      } else if (runDenied) {
        add(violations, "c: run denied what check allowed", detail);
      } else {
        add(violations, "c: run let through what check denied", detail);
      }
    }
    if (server.resent() > 0) {
      counts.merge("b: a failed statement the driver sent again (26000)", server.resent(), Integer::sum);
    }
    counts.merge("scripts " + (stopped ? "stopped at " + lines.get(lines.size() - 1).group(5) : "done"), 1, Integer::sum);
  }

  /**
   * Whether a SELECT of {@code become_user3_f()}, which sets the role in its body, ran before statement
   * {@code index}: a change of {@code current_user} alone made inside a function is what README ("What
   * the guard does not see") says neither the guard nor check follows (PostgreSQL does not report the
   * role to the driver; Redshift has no SET ROLE).
   */
  private static boolean roleChangedInAFunction(List<Step> steps, int index) {
    return steps.subList(0, index - 1).stream().anyMatch(s -> s.text().contains("become_user3_f()"));
  }

  private static void add(Map<String, List<String>> violations, String property, String detail) {
    violations.computeIfAbsent(property, k -> new ArrayList<>()).add(detail);
  }

  @SuppressWarnings("unchecked")
  private static List<String> rules(Map<String, Object> decided) {
    Object findings = decided.get("findings");
    return findings == null ? List.of()
        : ((List<Map<String, Object>>) findings).stream().map(f -> String.valueOf(f.get("rule"))).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<Integer, Map<String, Object>> checked(CliRun check, Scripts scripts) {
    Map<Integer, Map<String, Object>> byIndex = new LinkedHashMap<>();
    if (check.out().isBlank()) {
      return byIndex;
    }
    for (Map<String, Object> s : (List<Map<String, Object>>) check.json().get("statements")) {
      byIndex.put(scripts.global(s.get("file"), ((Number) s.get("index")).intValue()), s);
    }
    return byIndex;
  }

  /**
   * What the server log says of one run: the script's statements it received (by the number in
   * their leading comment), in order, and who {@code ran_as} or a body said runs, per statement.
   */
  record ServerRun(List<Integer> order, Map<Integer, String> received, Map<Integer, String> ranAs, int resent) {
    private static final Pattern LINE = Pattern.compile(
        "^\\S+ \\S+ \\S+ \\[(\\d+)\\] \\S* app=.*? (LOG|ERROR|WARNING|STATEMENT|CONTEXT|DETAIL|HINT|NOTICE|FATAL):  (.*)$");
    private static final Pattern SENT = Pattern.compile("(?s)(?:statement|execute [^:]*): (.*)");
    private static final Pattern RAN_AS = Pattern.compile("ran-as:([^:]*):(.*)");
    private static final Pattern STATEMENT = Pattern.compile("(?s)(.*)");

    /**
     * The driver sends a statement without its leading comments, so a logged text is matched with
     * the script's statements in order: the next one when it is that, else the first later one
     * with that text (which shows a statement skipped); the guard's own queries are none of them.
     */
    static ServerRun read(String log, List<Step> steps) {
      List<String[]> entries = new ArrayList<>(); // pid, level, text (continuation lines joined)
      for (String line : log.split("\n")) {
        Matcher m = LINE.matcher(line);
        if (m.matches()) {
          entries.add(new String[] {m.group(1), m.group(2), m.group(3)});
        } else if (!entries.isEmpty()) {
          String[] previous = entries.get(entries.size() - 1);
          previous[2] = previous[2] + "\n" + line;
        }
      }
      List<Integer> order = new ArrayList<>();
      Map<Integer, String> received = new LinkedHashMap<>();
      Map<Integer, String> ranAs = new LinkedHashMap<>();
      Integer current = null;
      int next = 0;
      boolean failed = false;
      int resent = 0;
      for (String[] entry : entries) {
        // a statement the server could not parse is logged only as the STATEMENT of its ERROR
        boolean refused = entry[1].equals("STATEMENT")
            && (current == null || current == 0 || !steps.get(current - 1).text().equals(entry[2].strip()));
        if (entry[1].equals("LOG") || refused) {
          Matcher sent = refused ? STATEMENT.matcher(entry[2]) : SENT.matcher(entry[2]);
          if (sent.matches()) {
            String text = sent.group(1).strip();
            if (!refused && failed && current != null && current > 0 && steps.get(current - 1).text().equals(text)) {
              // the Redshift driver (as pgjdbc) sends a statement that failed with 26000 once more
              resent++;
              failed = false;
              continue;
            }
            failed = false;
            current = null;
            for (int i = next; i < steps.size(); i++) {
              if (steps.get(i).text().equals(text)) {
                current = i + 1;
                next = i + 1;
                break;
              }
            }
            if (current == null && steps.stream().anyMatch(s -> s.text().equals(text))) {
              current = 0; // a statement of the script again, or out of its order
            }
            if (current != null) {
              order.add(current);
              received.put(current, text);
            }
          }
        } else if (entry[1].equals("ERROR")) {
          failed = entry[2].startsWith("prepared statement ");
        } else if (entry[1].equals("WARNING") && current != null) {
          Matcher ran = RAN_AS.matcher(entry[2]);
          if (ran.matches()) {
            ranAs.put(current, ran.group(1));
          }
        }
      }
      return new ServerRun(order, received, ranAs, resent);
    }
  }
}
