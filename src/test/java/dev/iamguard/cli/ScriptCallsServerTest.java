package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code check} knows no server, yet a script that creates a procedure and then calls it runs the
 * body's COPY as whoever runs it at the CALL: the caller of a SECURITY INVOKER procedure (after a
 * {@code SET SESSION AUTHORIZATION}, {@code RESET SESSION AUTHORIZATION} or {@code SET ROLE}
 * between the creation and the CALL, another user than the creator), the owner of a SECURITY
 * DEFINER one (after an {@code ALTER PROCEDURE ... OWNER TO}, another user too), and so down a
 * chain {@code p0 -> p1 -> p2} of procedures the script created. Scripts are generated: chains of 1
 * to 3 procedures, invoker and definer at every level, in {@code public} or {@code sa} (called
 * qualified, or through {@code SET search_path}), a harmless namesake of other arguments, owner
 * changes, {@code CREATE OR REPLACE} with a harmless body or another security (and of a harmless
 * procedure user3 created, by a COPY: it keeps its owner), drop and re-create, a SET clause of
 * {@code role} or {@code session_authorization} in a definition or by ALTER PROCEDURE, and every
 * change of the session user before the CALL; the procedures take no arguments or take them written
 * otherwise at each ALTER, DROP and CREATE OR REPLACE ({@code p(integer)} of a {@code p(n int)}).
 *
 * <p>PostgreSQL 15 is the oracle: the same script with every COPY replaced by an INSERT of
 * {@code current_user} into a recording table says who each COPY would run as. Whenever that is a
 * user the role does not trust (TrustsUsers trusts user1 and user2), {@code check --user user1}
 * must deny the CALL (exit 1); when the CALL follows a {@code SET ROLE} (which {@code check} cannot
 * follow) and runs a COPY as the caller (the server runs it as user2 after {@code SET ROLE user2} and
 * as user3 after {@code SET ROLE user3}), it must deny it too, and so a COPY run after a procedure's
 * own SET clause of who runs it, even where that is user2; otherwise the script must pass (exit 0).
 */
class ScriptCallsServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String REGISTRY = "src/test/resources/jdbc/identity-registry.yaml";
  private static final String TRUSTS = "arn:aws:iam::123456789012:role/TrustsUsers";
  private static final long SEED = Long.getLong("iamguard.scriptCallsSeed", 20261206L);
  private static final int SCRIPTS = Integer.getInteger("iamguard.scriptCalls", 72);
  private static final String LOGIN_PASSWORD = "pw-script-calls";
  private static final List<String> TRUSTED = List.of("user1", "user2");

  /** One procedure of a chain. */
  record Level(boolean definer, boolean inSa, boolean overload) {}

  /**
   * A generated script: who creates the chain, the chain (level 0 is what the script calls, the
   * last level runs the leaf), what happens to one level after creation, and who calls.
   */
  record Script(int id, String creator, List<Level> levels, boolean copies, String change, int changed,
      String changeArg, String callerSwitch, boolean searchPath, String settings, Signature signature) {
    String name(int level) {
      return "p" + id + "_" + level;
    }

    String qualified(int level) {
      return (levels.get(level).inSa() ? "sa." : "public.") + name(level);
    }

    /** How a body or the script names level {@code level}: qualified in sa, else plainly. */
    String reference(int level) {
      return (levels.get(level).inSa() ? "sa." : "") + name(level);
    }

    /** The same script with another change of the session user before the CALL. */
    Script withCaller(String other) {
      return new Script(id, creator, levels, copies, change, changed, changeArg, other, searchPath, settings, signature);
    }

    @Override
    public String toString() {
      return "script " + id + ": creator " + creator + ", levels " + levels + (copies ? ", COPY" : ", no COPY")
          + ", change " + change + " " + changed + " " + changeArg + ", caller " + callerSwitch
          + (searchPath ? ", called through search_path" : "") + (settings.isEmpty() ? "" : ", bodies start " + settings)
          + (signature.created().isEmpty() ? "" : ", arguments " + signature);
    }
  }

  /**
   * How every procedure of a script takes its arguments: as created, as an ALTER or DROP names them
   * (the same types written otherwise), as a CREATE OR REPLACE writes them (the server keeps names
   * and defaults), and a CALL's values; the harmless namesake takes {@code overload}.
   */
  record Signature(String created, String named, String replaced, String values, String overload) {}

  /** The same argument lists written otherwise: check read p(integer) of a p(n int) as another procedure. */
  private static final List<Signature> SIGNATURES = List.of(
      new Signature("", "", "", "", "n int"),
      new Signature("n int", "integer", "n integer", "1", ""),
      new Signature("int", "int4", "INTEGER", "2", ""),
      new Signature("IN n bigint", "int8", "n int8", "3", ""),
      new Signature("n varchar(10)", "character varying", "n varchar", "'x'", "n int"),
      new Signature("a int, b numeric", "integer, decimal", "a int4, b decimal(10,2)", "1, 2", ""),
      new Signature("n boolean default null", "in bool", "n bool default null", "true", ""));

  private static Script script(int id, Random random) {
    int depth = 1 + random.nextInt(3);
    List<Level> levels = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      levels.add(new Level(random.nextInt(3) == 0, random.nextInt(3) == 0, random.nextInt(5) == 0));
    }
    String change = switch (random.nextInt(8)) {
      case 0, 1 -> "owner";
      case 2 -> "replace";
      case 3 -> "recreate";
      case 4 -> "takeover";
      case 5 -> "setting";
      default -> "none";
    };
    String changeArg = switch (change) {
      case "owner" -> List.of("user1", "user2", "user3").get(random.nextInt(3));
      case "replace", "recreate" -> List.of("harmless", "invoker", "definer").get(random.nextInt(3));
      case "takeover" -> List.of("invoker", "definer").get(random.nextInt(2));
      case "setting" -> IDENTITY_SETTINGS.get(random.nextInt(IDENTITY_SETTINGS.size()));
      default -> "";
    };
    String caller = List.of("", "set session authorization user2", "set session authorization user3",
        "set session authorization user3", "reset session authorization", "set role user3", "set role user2")
        .get(random.nextInt(7));
    // takeover: user3 creates the chain with a harmless leaf, which user1 (a superuser) then replaces
    // by the COPY: the procedure keeps its owner, user3
    boolean takeover = change.equals("takeover");
    String creator = takeover ? "user3" : random.nextBoolean() ? "user1" : "user2";
    boolean copies = takeover || random.nextInt(5) != 0;
    int changed = takeover ? depth - 1 : random.nextInt(depth);
    if (change.equals("setting") && levels.subList(0, changed + 1).stream().anyMatch(Level::definer)) {
      // the server refuses a change of role inside a SECURITY DEFINER procedure
      change = "none";
      changeArg = "";
    }
    boolean searchPath = levels.get(0).inSa() && random.nextBoolean();
    // drawn apart, so that a seed's scripts are what they were before argument lists were written
    Signature signature = SIGNATURES.get(new Random(SEED + id).nextInt(SIGNATURES.size()));
    return new Script(id, creator, List.copyOf(levels), copies, change, changed, changeArg, caller, searchPath,
        SETTINGS.get(random.nextInt(SETTINGS.size())), signature);
  }

  /**
   * How a body may start: resets and sets of settings that decide nothing about who runs it (a
   * RESET of one counted as an identity change once, and denied its COPY; {@code query_group} is
   * Redshift's, unknown to PostgreSQL, so it sits in a branch that never runs).
   */
  /**
   * A procedure's own SET clause that sets who runs its body, in its definition or, after {@code
   * alter}, by ALTER PROCEDURE: r3 (a role user2 and user3 are members of), user3, or user2, whom the
   * role trusts but {@code check} cannot know to be the one.
   */
  private static final List<String> IDENTITY_SETTINGS = List.of("set role = r3", "alter set role = r3",
      "set session_authorization = user2", "alter set session_authorization to user3", "SET \"ROLE\" TO r3",
      "alter SET \"Session_Authorization\" = 'user2'");

  /** The SET clause of level {@code i}'s definition, or the empty string. */
  private static String identityClause(Script s, int i) {
    return s.change().equals("setting") && i == s.changed() && !s.changeArg().startsWith("alter ")
        ? " " + s.changeArg() : "";
  }

  private static final List<String> SETTINGS = List.of("", "", "reset search_path; ",
      "if false then reset query_group; end if; ", "set application_name to 'etl'; reset application_name; ",
      "set /* c */ application_name = 'x'; reset/**/application_name; ");

  /** The body of level {@code i}: a call of the next level, or the leaf (a COPY, its probe, or an INSERT). */
  private static String body(Script s, int i, boolean probe, boolean harmless) {
    String run;
    if (harmless) {
      run = "insert into id_t values (" + s.id() + ");";
    } else if (i < s.levels().size() - 1) {
      run = "call " + s.reference(i + 1) + "(" + s.signature().values() + ");";
    } else if (!s.copies()) {
      run = "insert into id_t values (" + s.id() + ");";
    } else if (probe) {
      run = "insert into ran values (current_user);";
    } else {
      run = "copy id_t from 's3://iamguard-identity/in/part-0.csv' iam_role '" + TRUSTS + "' csv;";
    }
    return "$$ begin " + s.settings() + run + " end $$";
  }

  private static String create(Script s, int i, boolean probe, boolean replace, boolean definer, boolean harmless) {
    return "create " + (replace ? "or replace " : "") + "procedure " + s.qualified(i) + "("
        + (replace ? s.signature().replaced() : s.signature().created()) + ") language plpgsql"
        + (definer ? " security definer" : "") + (replace ? "" : identityClause(s, i)) + " as "
        + body(s, i, probe, harmless);
  }

  /** The script's statements; {@code probe}: with each COPY replaced by an INSERT of current_user. */
  private static List<String> statements(Script s, boolean probe) {
    List<String> sql = new ArrayList<>();
    if (!s.creator().equals("user1")) {
      sql.add("set session authorization " + s.creator());
    }
    for (int i = s.levels().size() - 1; i >= 0; i--) {
      Level level = s.levels().get(i);
      sql.add(create(s, i, probe, false, level.definer(), s.change().equals("takeover") && i == s.changed()));
      if (level.overload()) {
        // a harmless namesake taking an argument: not what the script calls
        sql.add("create procedure " + s.qualified(i) + "(" + s.signature().overload()
            + ") language plpgsql as $$ begin insert into id_t values (" + s.id() + "); end $$");
      }
    }
    int at = s.changed();
    switch (s.change()) {
      case "owner" -> {
        sql.add("reset session authorization"); // only a superuser gives a procedure to any user
        sql.add("alter procedure " + s.qualified(at) + "(" + s.signature().named() + ") owner to " + s.changeArg());
      }
      case "replace" -> {
        sql.add("reset session authorization");
        // CREATE OR REPLACE keeps the owner and takes the new definition's security
        sql.add(create(s, at, probe, true, s.changeArg().equals("definer"), s.changeArg().equals("harmless")));
      }
      case "takeover" -> {
        sql.add("reset session authorization");
        sql.add(create(s, at, probe, true, s.changeArg().equals("definer"), false));
      }
      case "recreate" -> {
        sql.add("reset session authorization");
        sql.add("drop procedure " + s.qualified(at) + "(" + s.signature().named() + ")");
        sql.add(create(s, at, probe, false, s.changeArg().equals("definer"), s.changeArg().equals("harmless")));
      }
      case "setting" -> {
        if (s.changeArg().startsWith("alter ")) {
          sql.add("reset session authorization");
          sql.add("alter procedure " + s.qualified(at) + "(" + s.signature().named() + ") "
              + s.changeArg().substring("alter ".length()));
        }
      }
      default -> { }
    }
    if (s.callerSwitch().startsWith("set role")) {
      sql.add("reset session authorization"); // SET ROLE to any role: as the superuser who logged in
    }
    if (!s.callerSwitch().isEmpty()) {
      sql.add(s.callerSwitch());
    }
    if (s.searchPath()) {
      sql.add("set search_path = sa, public");
      sql.add("call " + s.name(0) + "(" + s.signature().values() + ")");
    } else {
      sql.add("call " + s.reference(0) + "(" + s.signature().values() + ")");
    }
    return sql;
  }

  @Test
  void aCallOfAProcedureTheScriptCreatedIsDeniedWheneverItsCopyWouldRunAsAnUntrustedUser() throws Exception {
    try (Connection admin = DriverManager.getConnection(url(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("create role user1 superuser login password '" + LOGIN_PASSWORD + "'; create role user2;"
          + " create role user3; create role r3; grant r3 to user2, user3; create table id_t (id int); create table ran (who text);"
          + " grant insert on id_t, ran to public; create schema sa; grant usage, create on schema sa to public;"
          + " grant create on schema public to public");
    }
    Random random = new Random(SEED);
    int denied = 0;
    int clean = 0;
    int unfollowed = 0;
    int setting = 0;
    List<String> wrong = new ArrayList<>();
    for (int id = 0; id < SCRIPTS; id++) {
      Script s = script(id, random);
      List<String> ran = ranAs(s);
      boolean untrusted = s.copies() && ran.stream().anyMatch(who -> !TRUSTED.contains(who));
      // SET ROLE is a change of identity check cannot follow: a COPY that runs as the caller after
      // it (the server runs it as another user when the script sets another role) must be denied
      boolean unknown = s.copies() && s.callerSwitch().startsWith("set role")
          && !ran.equals(ranAs(s.withCaller(s.callerSwitch().endsWith("user3") ? "set role user2" : "set role user3")));
      // a procedure's own SET of role or session_authorization decides who runs the COPY below it, unless
      // a SECURITY DEFINER procedure between them runs it as its owner: check must deny it for a user it
      // cannot know, even user2
      boolean set = s.copies() && s.change().equals("setting")
          && s.levels().subList(s.changed() + 1, s.levels().size()).stream().noneMatch(Level::definer);
      List<String> checked = statements(s, false);
      CliRun run = CliRun.withStdin(String.join(";\n", checked) + ";\n", "check", "--registry", REGISTRY, "--cluster",
          "local-cluster", "--user", "user1", "--format", "json");
      String context = s + ", COPY runs as " + ran + ": exit " + run.code() + " " + run.err();
      if (untrusted || unknown || set) {
        List<Object> deniedAt = deniedStatements(run);
        if (run.code() == 1 && deniedAt.equals(List.of(checked.size()))) {
          if (untrusted) {
            denied++;
          } else if (set) {
            setting++;
          } else {
            unfollowed++;
          }
        } else {
          wrong.add(context + ": the CALL (statement " + checked.size() + ") is not the one denied: " + deniedAt);
        }
      } else if (run.code() == 0) {
        clean++;
      } else {
        wrong.add(context + ": denied, though every COPY runs as a trusted user: " + deniedStatements(run));
      }
    }
    assertThat(wrong).as(wrong.size() + " of " + SCRIPTS + " scripts check decided otherwise than the server says")
        .isEmpty();
    assertThat(denied).as("scripts whose CALL runs a COPY as user3").isPositive();
    assertThat(unfollowed).as("scripts whose CALL runs a COPY after SET ROLE").isPositive();
    assertThat(setting).as("scripts whose CALL runs a COPY as a trusted user after a procedure's SET clause")
        .isPositive();
    assertThat(clean).as("scripts whose COPY runs as a trusted user, or that run none").isPositive();
  }

  /** The statements (their numbers) check denied. */
  @SuppressWarnings("unchecked")
  private static List<Object> deniedStatements(CliRun run) {
    if (run.out().isBlank()) {
      return List.of();
    }
    List<Map<String, Object>> statements = (List<Map<String, Object>>) run.json().get("statements");
    return statements.stream().filter(s -> "DENY".equals(s.get("decision"))).map(s -> s.get("index")).toList();
  }

  /** The probe scripts' connection, logged in as user1 (a superuser, as whom SET SESSION AUTHORIZATION works). */
  private static Connection probes;

  /** Who the probe script's COPYs ran as, as the server reports it, in order. */
  private static List<String> ranAs(Script s) throws SQLException {
    if (probes == null) {
      Properties login = POSTGRES.redshiftDriverProperties();
      login.setProperty("user", "user1");
      login.setProperty("password", LOGIN_PASSWORD);
      probes = DriverManager.getConnection(url(), login);
    }
    try (Statement statement = probes.createStatement()) {
      // the session as a new login's: what the run before left is undone
      statement.execute("reset role; reset session authorization; reset search_path; truncate ran");
      for (int i = 0; i < s.levels().size(); i++) {
        // what an earlier run of the same script (with another caller) left
        for (String schema : List.of("public.", "sa.")) {
          statement.execute("drop procedure if exists " + schema + s.name(i) + "(" + s.signature().named() + "), "
              + schema + s.name(i) + "(" + s.signature().overload() + ")");
        }
      }
      for (String sql : statements(s, true)) {
        try {
          statement.execute(sql);
        } catch (SQLException e) {
          throw new AssertionError(s + ": " + sql + ": " + e.getMessage(), e);
        }
      }
      statement.execute("reset role; reset session authorization");
      List<String> ran = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery("select who from ran")) {
        while (rows.next()) {
          ran.add(rows.getString(1));
        }
      }
      return ran;
    }
  }

  @AfterAll
  static void closeProbes() throws SQLException {
    if (probes != null) {
      probes.close();
    }
  }

  private static String url() {
    return "jdbc:redshift://127.0.0.1:" + POSTGRES.port() + "/" + LocalPostgres.DATABASE;
  }
}
