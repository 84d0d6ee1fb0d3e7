package dev.iamguard.frameworks;

import dev.iamguard.jdbc.GuardDeniedException;
import dev.iamguard.jdbc.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the framework tests against a throwaway PostgreSQL share: the guarded URL of the real
 * Redshift driver, the users (user1 and user2 trusted by the registry's role, user3 not), the
 * auth-carrying statements they draw and the reading of the server log. PostgreSQL refuses every
 * auth-carrying statement as a syntax error (42601), so one that reaches the server fails its
 * migration as well, and is visible in the log; each is preceded by {@code SELECT ran_as('marker')},
 * which logs who runs the statement after it (a WARNING), so the log says who would have run it.
 * The key values are made up, shaped as AWS shapes them.
 */
final class ServerScenarios {
  static final String ROLE = "arn:aws:iam::123456789012:role/TrustsUsers";
  static final String UNKNOWN_ROLE = "arn:aws:iam::123456789012:role/Nobody";
  static final String KEY_ID = "ASIAY34FZKBOKMUTVV7B";
  static final String SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY2";
  static final String TOKEN = "FwoGZXIvYXdzEJr//////////wEaDMuV3kMP0wP1aP2T9yKwAQ8lzhX7vIeUf0Hs9pCz3Tm1n5Qr8GkU";
  static final List<String> USERS = List.of("user1", "user2", "user3");
  static final List<String> TRUSTED = List.of("user1", "user2");

  private ServerScenarios() {}

  /** Whether the guard's decision depends on who runs the statement. */
  enum Kind {
    /** the role trusts user1 and user2 only */
    TRUSTED_ROLE,
    /** a role the registry does not know: denied whoever runs it */
    UNKNOWN_ROLE,
    /** temporary keys inside the policy's prefixes: allowed whoever runs it */
    KEYS_INSIDE,
    /** temporary keys outside them: denied whoever runs it */
    KEYS_OUTSIDE
  }

  /** One auth-carrying statement: its text (role maybe written as {@code roleText}), the word PostgreSQL refuses, its kind. */
  record Auth(String marker, Kind kind, String text, String word) {
    /** Whether the guard should let it through when {@code user} runs it. */
    boolean allowedFor(String user) {
      return switch (kind) {
        case TRUSTED_ROLE -> TRUSTED.contains(user);
        case KEYS_INSIDE -> true;
        case UNKNOWN_ROLE, KEYS_OUTSIDE -> false;
      };
    }
  }

  /** An auth-carrying statement with {@code marker} in its S3 path, the trusted role written as {@code role}. */
  static Auth auth(Random random, String marker, String role) {
    String keys = "ACCESS_KEY_ID '" + KEY_ID + "' SECRET_ACCESS_KEY '" + SECRET + "' SESSION_TOKEN '" + TOKEN + "'";
    return switch (random.nextInt(7)) {
      case 0 -> new Auth(marker, Kind.TRUSTED_ROLE,
          "COPY h_t FROM 's3://iamguard-identity/in/" + marker + ".csv' IAM_ROLE '" + role + "' CSV", "IAM_ROLE");
      case 1 -> new Auth(marker, Kind.TRUSTED_ROLE,
          "UNLOAD ('select 1') TO 's3://iamguard-identity/out/" + marker + "_' IAM_ROLE '" + role + "'", "UNLOAD");
      case 2 -> new Auth(marker, Kind.TRUSTED_ROLE, "COPY h_t FROM 's3://iamguard-identity/in/" + marker
          + ".csv' CREDENTIALS 'aws_iam_role=" + role + "' CSV", "CREDENTIALS");
      case 3 -> new Auth(marker, Kind.UNKNOWN_ROLE,
          "COPY h_t FROM 's3://iamguard-identity/in/" + marker + ".csv' IAM_ROLE '" + UNKNOWN_ROLE + "' CSV", "IAM_ROLE");
      case 4 -> new Auth(marker, Kind.KEYS_INSIDE,
          "COPY h_t FROM 's3://iamguard-identity/in/" + marker + ".csv' " + keys + " CSV", "ACCESS_KEY_ID");
      case 5 -> new Auth(marker, Kind.KEYS_OUTSIDE, "COPY h_t FROM 's3://elsewhere/in/" + marker
          + ".csv' CREDENTIALS 'aws_access_key_id=" + KEY_ID + ";aws_secret_access_key=" + SECRET + ";token=" + TOKEN
          + "' CSV", "CREDENTIALS");
      default -> new Auth(marker, Kind.TRUSTED_ROLE, "CREATE EXTERNAL SCHEMA xs_" + marker
          + " FROM DATA CATALOG DATABASE 'gdb' IAM_ROLE '" + role + "'", "EXTERNAL");
    };
  }

  /** An identity change PostgreSQL runs as Redshift does (the login user is a superuser). */
  static String identityChange(Random random) {
    int pick = random.nextInt(USERS.size() + 1);
    return pick == USERS.size() ? "RESET SESSION AUTHORIZATION" : "SET SESSION AUTHORIZATION " + USERS.get(pick);
  }

  /** The guarded URL of {@code postgres}: everything the frameworks need is in it. */
  static String url(LocalPostgres postgres) {
    return "jdbc:iamguard:redshift://127.0.0.1:" + postgres.port() + "/" + LocalPostgres.DATABASE
        + "?ssl=false&socketFactory=dev.iamguard.jdbc.StartupRewritingSocketFactory"
        + "&iamguard.registry=classpath:jdbc/auth-commands-registry.yaml&iamguard.cluster=local-cluster";
  }

  /**
   * user1, user2 and user3 (superusers, so that no privilege stands between a migration and what
   * it runs, and the login user can become any of them), the table the COPYs name, and
   * {@code ran_as(marker)}, which logs who runs the statement after it.
   */
  static void createObjects(LocalPostgres postgres) throws SQLException {
    try (Connection admin = DriverManager.getConnection(postgres.redshiftUrl(), postgres.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("create role user1 superuser login; create role user2 superuser login;"
          + " create role user3 superuser login; create table h_t (v int)");
      statement.execute("create function ran_as(m text) returns int language plpgsql as $$ begin "
          + "raise warning 'ran-as:%:%', current_user, m; return 1; end $$");
    }
  }

  private static final Pattern LINE = Pattern.compile(
      "^\\S+ \\S+ \\S+ \\[(\\d+)\\] \\S* app=.*? (LOG|ERROR|WARNING|STATEMENT|CONTEXT|DETAIL|HINT|NOTICE|FATAL):  (.*)$");
  private static final Pattern RAN_AS = Pattern.compile("ran-as:([^:]*):(.*)");
  private static final Pattern SYNTAX = Pattern.compile("syntax error at or near \"(.*?)\"(?: at character \\d+)?");

  /** What the server log says of a marker: who ran the statement carrying it, and whether it received the statement. */
  record Seen(String marker, String ranAs, boolean received) {}

  /**
   * Per marker (in order of the log): the user {@code ran_as} reported, and whether an
   * auth-carrying statement naming the marker reached the server (a syntax error whose STATEMENT
   * line holds the marker).
   */
  static java.util.Map<String, Seen> seen(String log) {
    java.util.Map<String, Seen> seen = new java.util.LinkedHashMap<>();
    String[] lines = log.split("\n");
    for (int i = 0; i < lines.length; i++) {
      Matcher m = LINE.matcher(lines[i]);
      if (!m.matches()) {
        continue;
      }
      String level = m.group(2);
      Matcher ranAs = RAN_AS.matcher(m.group(3));
      if (level.equals("WARNING") && ranAs.matches()) {
        seen.put(ranAs.group(2), new Seen(ranAs.group(2), ranAs.group(1), false));
      }
      if (level.equals("ERROR") && SYNTAX.matcher(m.group(3)).matches()) {
        for (int j = i + 1; j < lines.length && j < i + 4; j++) {
          Matcher next = LINE.matcher(lines[j]);
          if (next.matches() && next.group(2).equals("STATEMENT") && next.group(1).equals(m.group(1))) {
            Matcher marker = Pattern.compile("(f[0-9a-z_]+x)").matcher(next.group(3));
            while (marker.find()) {
              Seen before = seen.get(marker.group(1));
              seen.put(marker.group(1), new Seen(marker.group(1), before == null ? null : before.ranAs(), true));
            }
            break;
          }
        }
      }
    }
    return seen;
  }

  /** The exception and its causes and suppressed ones, each as its class, SQLState and message. */
  static List<String> chain(Throwable thrown) {
    List<String> chain = new ArrayList<>();
    java.util.Set<Throwable> visited = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    java.util.ArrayDeque<Throwable> pending = new java.util.ArrayDeque<>(List.of(thrown));
    while (!pending.isEmpty()) {
      Throwable t = pending.pop();
      if (!visited.add(t)) {
        continue;
      }
      chain.add(t.getClass().getName() + (t instanceof SQLException s ? " [" + s.getSQLState() + "]" : "") + ": "
          + t.getMessage());
      if (t.getCause() != null) {
        pending.add(t.getCause());
      }
      pending.addAll(List.of(t.getSuppressed()));
      if (t instanceof SQLException s && s.getNextException() != null) {
        pending.add(s.getNextException());
      }
    }
    return chain;
  }

  /**
   * Judges one failure of a framework at {@code auth}, the auth-carrying statement of the unit it
   * failed at ({@code face}: how the unit runs it): a denied statement never reached the server, was
   * not allowed for the user who would have run it, and the framework's message ({@code
   * thrown.getMessage()}) names the guard's SQLState and rule, and the guard's own message shows no
   * secret; one not denied reached the server as a syntax error and was allowed for who ran it.
   * Counts what the framework's messages show of the secret values in {@code frameworkShows}.
   * Returns false when the log does not say who ran the statement (a violation of its own).
   */
  static boolean judge(LocalPostgres postgres, String framework, Throwable thrown, Auth auth, String face,
      String where, java.util.Map<String, Integer> counts, List<String> violations, List<String> frameworkShows) {
    Seen seen = seen(postgres.serverLog()).get(auth.marker());
    String ranAs = seen == null ? null : seen.ranAs();
    GuardDeniedException denied = denial(thrown);
    boolean received = seen != null && seen.received();
    String label = auth.kind() + " " + face + " as " + ranAs;
    if (ranAs == null) {
      violations.add(where + ": ran_as never logged before " + auth.kind() + ": " + chain(thrown));
      return false;
    }
    if (denied != null) {
      if (counts.merge("denied", 1, Integer::sum) == 1) {
        System.out.println(framework + ": what it says of a denial (" + auth.kind() + "):\n"
            + masked(String.valueOf(thrown.getMessage())));
      }
      if (received) {
        violations.add(where + ": denied, yet the server received it (" + label + ")");
      }
      if (auth.allowedFor(ranAs)) {
        violations.add(where + ": false refusal of " + label + ": " + denied.getMessage());
      }
      // (d) the framework's error says what the guard said: its SQLState and the rule
      // (Liquibase's messages never show an SQLState; it stays on the cause the framework keeps)
      String top = String.valueOf(thrown.getMessage());
      if (denied.findings().isEmpty() || denied.findings().stream().noneMatch(f -> top.contains(f.rule().toString()))
          || !GuardDeniedException.SQLSTATE.equals(sqlState(thrown))) {
        violations.add(where + ": " + framework + "'s error does not name the guard's rule and SQLState: "
            + masked(top));
      }
      counts.merge("denials whose message shows SQLState 42501", top.contains(GuardDeniedException.SQLSTATE) ? 1 : 0,
          Integer::sum);
      // (c) the guard's own message never shows a value
      for (String each : chain(denied)) {
        if (!secretsIn(each).isEmpty()) {
          violations.add(where + ": the guard's message shows " + secretsIn(each));
        }
      }
    } else {
      counts.merge("received", 1, Integer::sum);
      if (!received || !"42601".equals(sqlState(thrown))) {
        violations.add(where + ": not denied and not received as a syntax error (" + label + "): "
            + masked(String.join(" / ", chain(thrown))));
      }
      if (!auth.allowedFor(ranAs)) {
        violations.add(where + ": the server received " + label + ", which the guard should have denied");
      }
    }
    counts.merge(auth.kind() + " " + face + (denied != null ? " denied" : " received"), 1, Integer::sum);
    List<String> shown = secretsIn(String.join("\n", chain(thrown)));
    if (!shown.isEmpty()) {
      frameworkShows.add(auth.kind() + (denied != null ? " denied" : " received") + ": " + shown);
    }
    return true;
  }

  /** The guard's denial in {@code thrown}'s causes, or null. */
  static GuardDeniedException denial(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof GuardDeniedException denied) {
        return denied;
      }
    }
    return null;
  }

  /** The SQLState of the first SQLException in {@code thrown}'s causes, or null. */
  static String sqlState(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s.getSQLState();
      }
    }
    return null;
  }

  /** Which of the made-up secret values {@code text} shows. */
  static List<String> secretsIn(String text) {
    List<String> shown = new ArrayList<>();
    for (String secret : List.of(SECRET, TOKEN)) {
      if (text.contains(secret)) {
        shown.add(secret == SECRET ? "secret access key" : "session token");
      }
    }
    return shown;
  }

  /** An unguarded connection of the superuser, to set up and to look at what a framework left. */
  static Connection admin(LocalPostgres postgres) throws SQLException {
    return DriverManager.getConnection(postgres.redshiftUrl(), postgres.redshiftDriverProperties());
  }

  /** The tables in {@code schema}. */
  static java.util.Set<String> tablesOf(LocalPostgres postgres, String schema) throws SQLException {
    java.util.Set<String> tables = new java.util.LinkedHashSet<>();
    try (Connection admin = admin(postgres); Statement statement = admin.createStatement();
        java.sql.ResultSet rows = statement.executeQuery("select tablename from pg_tables where schemaname = '" + schema + "'")) {
      while (rows.next()) {
        tables.add(rows.getString(1));
      }
    }
    return tables;
  }

  /** {@code text} with the made-up key values replaced, to print it. */
  static String masked(String text) {
    return text.replace(SECRET, "<secret access key>").replace(TOKEN, "<session token>").replace(KEY_ID, "<key id>");
  }
}
