package dev.iamguard.jdbc;

import dev.iamguard.audit.AuditEvent;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The auth-carrying commands of {@link JdbcAuthCommandsServerTest} and {@link JdbcThreadsServerTest},
 * written so that PostgreSQL refuses each one as a syntax error at a word of its own (so the server
 * log tells which command it received), the procedures that run them, and the reading of the log.
 * Every text names a marker (in an S3 path or an object name, which the audit line keeps) so that a
 * received statement can be matched with its audited decision. The key values are made up, shaped as
 * AWS shapes them; no message of these tests quotes a text that holds them.
 */
final class AuthCommands {
  private AuthCommands() {}

  static final String REGISTRY = "classpath:jdbc/auth-commands-registry.yaml";
  private static final String ROLE = JdbcSequencesServerTest.TRUSTS;
  private static final String KEY_ID = "ASIAY34FZKBOKMUTVV7A";
  private static final String SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY1";
  private static final String TOKEN = "FwoGZXIvYXdzEJr//////////wEaDMuV3kMP0wP1aP2T9yKwAQ8lzhX7vIeUf0Hs9pCz3Tm1n5Qr8GkT";
  private static final String KEYS = "ACCESS_KEY_ID '" + KEY_ID + "' SECRET_ACCESS_KEY '" + SECRET + "' SESSION_TOKEN '"
      + TOKEN + "'";

  /** Whether the guard's decision on a command depends on who runs it. */
  enum Dependence {
    /** a role that trusts user1 and user2 only: anyone else is a denial */
    USER,
    /** temporary keys, or a GRANT/REVOKE ASSUMEROLE: allowed whoever runs it */
    NONE
  }

  /**
   * One auth-carrying command: {@code template} with {@code %1$s} where the marker goes; {@code word}
   * the word PostgreSQL's syntax error names.
   */
  record Command(String label, String template, String word, Dependence dependence) {
    String text(String marker) {
      return String.format(Locale.ROOT, template, marker);
    }
  }

  static final List<Command> COMMANDS = List.of(
      new Command("copy-role", "COPY id_t FROM 's3://iamguard-identity/in/%1$s.csv' IAM_ROLE '" + ROLE + "' CSV",
          "IAM_ROLE", Dependence.USER),
      new Command("copy-credentials-role", "COPY id_t FROM 's3://iamguard-identity/in/%1$s.csv' CREDENTIALS "
          + "'aws_iam_role=" + ROLE + "' CSV", "CREDENTIALS", Dependence.USER),
      new Command("unload", "UNLOAD ('select 1') TO 's3://iamguard-identity/out/%1$s_' IAM_ROLE '" + ROLE + "'",
          "UNLOAD", Dependence.USER),
      new Command("external-schema", "CREATE EXTERNAL SCHEMA xs_%1$s FROM DATA CATALOG DATABASE 'gdb' IAM_ROLE '"
          + ROLE + "'", "EXTERNAL", Dependence.USER),
      new Command("external-function", "CREATE EXTERNAL FUNCTION xf_%1$s(int) RETURNS int VOLATILE LAMBDA 'fn_ok' "
          + "IAM_ROLE '" + ROLE + "'", "EXTERNAL", Dependence.USER),
      new Command("model", "CREATE MODEL xm_%1$s FROM (select v from h_t) TARGET v FUNCTION xmf_%1$s IAM_ROLE '"
          + ROLE + "' SETTINGS (S3_BUCKET 'iamguard-models')", "MODEL", Dependence.USER),
      new Command("library", "CREATE LIBRARY xl_%1$s LANGUAGE plpythonu FROM 's3://iamguard-identity/in/%1$s.zip' "
          + "IAM_ROLE '" + ROLE + "'", "LIBRARY", Dependence.USER),
      new Command("copy-keys", "COPY id_t FROM 's3://iamguard-identity/in/%1$s.csv' " + KEYS + " CSV",
          "ACCESS_KEY_ID", Dependence.NONE),
      new Command("copy-credentials-keys", "COPY id_t FROM 's3://iamguard-identity/in/%1$s.csv' CREDENTIALS "
          + "'aws_access_key_id=" + KEY_ID + ";aws_secret_access_key=" + SECRET + ";token=" + TOKEN + "' CSV",
          "CREDENTIALS", Dependence.NONE),
      new Command("unload-keys", "UNLOAD ('select 1') TO 's3://iamguard-identity/out/%1$s_' " + KEYS, "UNLOAD",
          Dependence.NONE),
      new Command("grant", "GRANT ASSUMEROLE ON '" + ROLE + "' TO xg_%1$s FOR COPY", "'" + ROLE + "'",
          Dependence.NONE),
      new Command("revoke", "REVOKE ASSUMEROLE ON '" + ROLE + "' FROM xg_%1$s FOR UNLOAD", "'" + ROLE + "'",
          Dependence.NONE));

  /**
   * {@code connection}, on which the server now reads a backslash in a literal as itself, as
   * PostgreSQL does by default (Redshift's reading escapes with it): where the readings part, the
   * server runs what the guard's reading holds in a literal or comment.
   */
  static java.sql.Connection standardStrings(java.sql.Connection connection) throws SQLException {
    try (java.sql.Statement statement = connection.createStatement()) {
      statement.execute("set standard_conforming_strings = on");
    }
    return connection;
  }

  /**
   * user1 (password pw1) through the guard in query mode {@code mode}, its audit source
   * {@code source}, the server reading literals as PostgreSQL does by default.
   */
  static java.sql.Connection guardedUser1(LocalPostgres postgres, String source, String mode) throws SQLException {
    java.util.Properties properties = guardProperties(postgres, source, mode);
    properties.setProperty("user", "user1");
    properties.setProperty("password", "pw1");
    return standardStrings(java.sql.DriverManager.getConnection(
        "jdbc:iamguard:" + postgres.redshiftUrl().substring("jdbc:".length()), properties));
  }

  /**
   * user1 through the guard in query mode {@code mode}, its audit source {@code source}, acting as
   * r3 (a role the registry does not trust, so that a body run as the caller is denied).
   */
  static java.sql.Connection guardedAsR3(LocalPostgres postgres, String source, String mode) throws SQLException {
    java.util.Properties properties = guardProperties(postgres, source, mode);
    properties.setProperty("user", "user1");
    properties.setProperty("password", "pw1");
    java.sql.Connection connection = java.sql.DriverManager.getConnection(
        "jdbc:iamguard:" + postgres.redshiftUrl().substring("jdbc:".length()), properties);
    try (Statement statement = connection.createStatement()) {
      statement.execute("set role r3");
    }
    return connection;
  }

  /**
   * What the server received of {@code sql} sent by user1 on the raw driver, acting as r3 first
   * when {@code asR3}; the SQLException an auth-carrying statement meets (a syntax error to
   * PostgreSQL, once received) is the expected end.
   */
  static List<Received> receivedFromUser1(LocalPostgres postgres, String sql, boolean asR3) throws SQLException {
    int logFrom = postgres.serverLog().length();
    int pid;
    java.util.Properties properties = postgres.redshiftDriverProperties();
    properties.setProperty("user", "user1");
    properties.setProperty("password", "pw1");
    try (java.sql.Connection raw = java.sql.DriverManager.getConnection(postgres.redshiftUrl(), properties);
        Statement statement = raw.createStatement()) {
      pid = JdbcAuthCommandsServerTest.backendPid(raw);
      if (asR3) {
        statement.execute("set role r3");
      }
      try {
        statement.execute(sql);
      } catch (SQLException e) {
        // the COPY is a syntax error to PostgreSQL, once received
      }
    }
    return received(postgres.serverLog().substring(logFrom), java.util.Set.of(pid));
  }

  /**
   * Two SECURITY INVOKER bodies whose command's decision depends on who runs it: a COPY written in
   * the body, and an UNLOAD run by EXECUTE (the CALL server tests take them in turn).
   */
  static List<String> invokerBodies() {
    return List.of(bodyName(command("copy-role"), "p", "inv"), bodyName(command("unload"), "x", "inv"));
  }

  /** The command of {@link #COMMANDS} with this label. */
  static Command command(String label) {
    return COMMANDS.stream().filter(c -> c.label().equals(label)).findFirst().orElseThrow();
  }

  /** How a body runs its command: EXECUTE of a constant text, or the statement written in it. */
  static final List<String> FLAVOURS = List.of("x", "p");
  /** Who runs a body: the caller, user1 (trusted) or user3 (not) as owners of SECURITY DEFINER ones. */
  static final List<String> SECURITY = List.of("inv", "def1", "def3");

  static String bodyName(Command command, String flavour, String security) {
    return "b_" + command.label().replace('-', '_') + "_" + flavour + "_" + security;
  }

  private static final Pattern BODY_NAME = Pattern.compile("b_(\\w+)_(x|p)_(inv|def1|def3)");

  /** The command a procedure of {@link #createBodies} runs, or null for any other routine. */
  static Command commandOfBody(String name) {
    Matcher m = BODY_NAME.matcher(name);
    if (!m.matches()) {
      return null;
    }
    return COMMANDS.stream().filter(c -> c.label().replace('-', '_').equals(m.group(1))).findFirst().orElse(null);
  }

  /** Whether who runs a body is who runs its statement: user3 for {@code def3}, user1 for {@code def1}. */
  static String owner(String name) {
    return name.endsWith("_def1") ? "user1" : name.endsWith("_def3") ? "user3" : null;
  }

  /**
   * The users, tables and procedures of {@link JdbcSequencesServerTest} and those of
   * {@link #createBodies}, on {@code postgres}.
   */
  static void createObjects(LocalPostgres postgres) throws SQLException {
    JdbcSequencesServerTest.createObjects(postgres);
    try (java.sql.Connection admin = java.sql.DriverManager.getConnection(postgres.redshiftUrl(),
        postgres.redshiftDriverProperties()); Statement statement = admin.createStatement()) {
      createBodies(statement);
    }
  }

  /** The properties of a guarded connection of the Redshift driver in query mode {@code mode}, audited as {@code source}. */
  static java.util.Properties guardProperties(LocalPostgres postgres, String source, String mode) {
    java.util.Properties properties = postgres.redshiftDriverProperties();
    properties.setProperty("options", "-c standard_conforming_strings=off -c escape_string_warning=off");
    properties.setProperty("preferQueryMode", mode);
    properties.setProperty(Setting.REGISTRY.key(), REGISTRY);
    properties.setProperty(Setting.CLUSTER.key(), "local-cluster");
    properties.setProperty("iamguard.audit-sink", JdbcSequencesServerTest.Sink.class.getName());
    properties.setProperty("iamguard.name", source);
    return properties;
  }

  /**
   * The procedures running every command every way, and {@code ran_as(marker)}, a function that
   * says who runs the statement after it. Created with {@code check_function_bodies} off, as
   * PL/pgSQL would refuse the written statements (Redshift's own syntax) at creation.
   */
  static void createBodies(Statement admin) throws SQLException {
    admin.execute("set check_function_bodies = off");
    for (Command command : COMMANDS) {
      String text = command.text("body_" + command.label().replace('-', '_'));
      for (String flavour : FLAVOURS) {
        String run = flavour.equals("x") ? "execute '" + text.replace("'", "''") + "'" : text;
        for (String security : SECURITY) {
          String name = bodyName(command, flavour, security);
          admin.execute("create procedure " + name + "() language plpgsql" + (security.equals("inv") ? "" : " security definer")
              + " as $$ begin raise warning 'ran-as:%', current_user; " + run + "; end $$");
          if (!security.equals("inv")) {
            admin.execute("alter procedure " + name + "() owner to " + owner(name));
          }
        }
      }
    }
    admin.execute("create function ran_as(m text) returns int language plpgsql as $$ begin "
        + "raise warning 'ran-as:%:%', current_user, m; return 1; end $$");
    admin.execute("grant all on all routines in schema public to public");
    admin.execute("reset check_function_bodies");
  }

  /**
   * Creates {@code name()}, a PL/pgSQL function anyone may run that says who runs it and then
   * EXECUTEs {@code copy}: what a {@code SELECT} or a {@code DO} block's {@code perform} reaches.
   * {@code check_function_bodies} must be off on {@code admin}.
   */
  static void createCopyFunction(Statement admin, String name, String copy) throws SQLException {
    admin.execute("create function " + name + "() returns int language plpgsql as $$ begin "
        + "raise warning 'ran-as:%', current_user; execute '" + copy.replace("'", "''") + "'; return 1; end $$");
    admin.execute("grant all on function " + name + "() to public");
  }

  /**
   * An auth-carrying statement the server received (it refused it as a syntax error): the word it
   * named, who ran it when a body or {@code ran_as} said so just before, the procedure whose body
   * ran it, the text, and the probe mark last seen on the backend.
   */
  record Received(int pid, String word, String ranAs, String ranAsMarker, String body, String statement,
      int probeStep) {}

  private static final Pattern SYNTAX = Pattern.compile("syntax error at or near \"(.*)\"(?: at character \\d+)?");
  private static final Pattern BODY = Pattern.compile("PL/pgSQL function (\\w+)\\(");
  private static final Pattern RAN_AS = Pattern.compile("ran-as:([^:]*)(?::(.*))?");

  /** The auth-carrying statements received by the backends {@code pids} (all when empty), from the server log. */
  static List<Received> received(String log, java.util.Set<Integer> pids) {
    List<Received> received = new ArrayList<>();
    java.util.Map<Integer, String[]> lastWarning = new java.util.HashMap<>();
    java.util.Map<Integer, Integer> probeStep = new java.util.HashMap<>();
    List<String> lines = List.of(log.split("\n"));
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = JdbcSequencesServerTest.PREFIX.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      int pid = Integer.parseInt(m.group(1));
      if (!pids.isEmpty() && !pids.contains(pid)) {
        continue;
      }
      String level = m.group(2);
      String message = m.group(3);
      Matcher probe = JdbcSequencesServerTest.PROBE_MARK.matcher(message);
      if ((level.equals("LOG") || level.equals("STATEMENT")) && probe.find()) { // a probe refused in an aborted transaction
        probeStep.put(pid, Integer.parseInt(probe.group(1)));
      }
      Matcher ranAs = RAN_AS.matcher(message);
      if (level.equals("WARNING") && ranAs.matches()) {
        lastWarning.put(pid, new String[] {ranAs.group(1), ranAs.group(2)});
      }
      Matcher syntax = SYNTAX.matcher(message);
      if (level.equals("ERROR") && syntax.matches() && isAuthWord(syntax.group(1))) {
        String body = null;
        String statement = null;
        for (int j = i + 1; j < lines.size(); j++) {
          Matcher next = JdbcSequencesServerTest.PREFIX.matcher(lines.get(j));
          if (!next.matches()) {
            continue; // a continuation line of a text written over several lines
          }
          if (Integer.parseInt(next.group(1)) != pid) {
            continue;
          }
          if (next.group(2).equals("CONTEXT")) {
            Matcher function = BODY.matcher(next.group(3));
            if (function.find()) {
              body = function.group(1);
            }
          } else if (next.group(2).equals("STATEMENT")) {
            StringBuilder text = new StringBuilder(next.group(3));
            for (int k = j + 1; k < lines.size() && !JdbcSequencesServerTest.PREFIX.matcher(lines.get(k)).matches(); k++) {
              text.append('\n').append(lines.get(k));
            }
            statement = text.toString();
            break;
          } else {
            break;
          }
        }
        String[] warning = lastWarning.remove(pid);
        received.add(new Received(pid, syntax.group(1), warning == null ? null : warning[0],
            warning == null ? null : warning[1], body, statement, probeStep.getOrDefault(pid, -1)));
      }
    }
    return received;
  }

  private static boolean isAuthWord(String word) {
    return COMMANDS.stream().anyMatch(c -> c.word().equalsIgnoreCase(word));
  }

  /** Whether the audit holds {@code marker}'s statement allowed (or rewritten) for {@code user} (any user: null). */
  static boolean allowed(List<AuditEvent> events, String marker, String user) {
    return events.stream().anyMatch(e -> !"DENY".equals(e.decision()) && e.sql() != null && e.sql().contains(marker)
        && (user == null || user.equals(e.user())));
  }
}
