package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A CALL after a statement of the same execution (one text, or a batch's entries) that changes what
 * the CALL runs: the guard reads the catalog before the execution runs, so it judged the routines
 * the catalog held then (red-team review). Each class of change comes as templates: the search path
 * ({@code SET search_path}, {@code SET SESSION}, {@code set_config}, {@code SET LOCAL}, the
 * {@code "$user"} schema an identity change brings in), an {@code ALTER PROCEDURE}/{@code ALTER
 * ROUTINE} that renames a routine, gives it another owner or makes it SECURITY DEFINER, a {@code CREATE
 * OR REPLACE} of a procedure or function the called one runs, an {@code ALTER SCHEMA ... RENAME}
 * before a qualified CALL, and a {@code DO} block or an earlier CALL that creates the procedure.
 * Every text is sent by user1 through the guard, as one text and as a batch, and its probe twin (the
 * COPY replaced by {@code RAISE EXCEPTION 'ran-as:%', current_user}, on routines of their own) runs
 * without the guard, so PostgreSQL says who would run the COPY. Oracle: a COPY the server runs as
 * user3 (whom the role does not trust) is never sent; a text whose COPY runs as user1, or that runs
 * none, is sent (controls: the same changes without an identity change, two harmless CALLs, a CALL
 * after one whose body creates a temporary table).
 */
class CallAfterCatalogChangeServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String REGISTRY = "classpath:jdbc/identity-registry.yaml";
  /** PostgreSQL's COPY has no IAM_ROLE, and PL/pgSQL checks static SQL at creation: run as a constant text. */
  private static final String RUN_COPY = "execute $c$COPY id_t FROM 's3://iamguard-identity/in/part-0.csv' IAM_ROLE "
      + "'arn:aws:iam::123456789012:role/TrustsUsers' CSV$c$";
  private static final String PROBE = "raise exception 'ran-as:%', current_user";
  private static final Pattern RAN_AS = Pattern.compile("ran-as:(\\w+)");

  /**
   * One class of change: the DDL (run by the superuser) that sets up routines named with {@code %1$s}
   * (a case's own name) whose leaf runs {@code %2$s}, and the statements of the text sent after it.
   */
  record Template(String label, String setup, List<String> text) {}

  private static String procedure(String name, String body) {
    return "create procedure " + name + "() language plpgsql as $p$ begin " + body + "; end $p$";
  }

  private static final List<Template> TEMPLATES = List.of(
      // the identity alone (a batch's CALL entry was judged for the user before the batch ran)
      new Template("identity change alone", procedure("public.%1$s", "%2$s"),
          List.of("set session authorization user3", "call %1$s()")),
      // the search path, and the "$user" schema an identity change brings in
      new Template("set search_path", searchPathSetup(),
          List.of("set search_path to nest_a, public", "set session authorization user3", "call %1$s()")),
      new Template("$user schema", searchPathSetup(), List.of("set session authorization user3", "call %1$s()")),
      new Template("set_config", searchPathSetup(), List.of("select set_config('search_path', 'nest_a, public', false)",
          "set session authorization user3", "call %1$s()")),
      new Template("SET SESSION after the switch", searchPathSetup(),
          List.of("set session authorization user3", "SET SESSION search_path = nest_a,public", "CALL %1$s ( )")),
      new Template("SET LOCAL", searchPathSetup(), List.of("begin", "set local search_path to nest_a",
          "set session authorization user3", "call %1$s()", "commit")),
      // a routine renamed, re-owned or made SECURITY DEFINER
      new Template("rename", procedure("public.%1$s_old", "%2$s") + "; alter procedure public.%1$s_old() owner to user1",
          List.of("alter procedure %1$s_old() rename to %1$s", "set session authorization user3", "call %1$s()")),
      new Template("owner to user3", procedure("public.%1$s", "%2$s").replace("language plpgsql", "language plpgsql security definer")
          + "; alter procedure public.%1$s() owner to user1",
          List.of("alter procedure %1$s() owner to user3", "call %1$s()")),
      new Template("alter routine owner", procedure("public.%1$s", "%2$s").replace("language plpgsql", "language plpgsql security definer")
          + "; alter procedure public.%1$s() owner to user1",
          List.of("ALTER ROUTINE public.%1$s OWNER TO user3", "call public.%1$s()")),
      new Template("security definer", procedure("public.%1$s", "%2$s") + "; alter procedure public.%1$s() owner to user3",
          List.of("alter procedure %1$s() security definer", "call %1$s()")),
      // what the called procedure runs, replaced
      new Template("nested procedure replaced", procedure("public.%1$s_in", "null") + "; alter procedure public.%1$s_in() owner to user1; "
          + procedure("public.%1$s", "call %1$s_in()"),
          List.of("create or replace procedure %1$s_in() language plpgsql as $p$ begin %2$s; end $p$",
              "set session authorization user3", "call %1$s()")),
      new Template("nested function replaced", "create function public.%1$s_fn() returns int language plpgsql as $f$ begin return 0; end $f$;"
          + " alter function public.%1$s_fn() owner to user1; " + procedure("public.%1$s", "perform %1$s_fn()"),
          List.of("create or replace function %1$s_fn() returns int language plpgsql as $f$ begin %2$s; return 1; end $f$",
              "set session authorization user3", "call %1$s()")),
      // a schema renamed under a qualified CALL
      new Template("schema renamed", "create schema %1$s_s authorization user1; grant usage on schema %1$s_s to public; "
          + procedure("%1$s_s.p", "%2$s"),
          List.of("alter schema %1$s_s rename to %1$s_t", "set session authorization user3", "call %1$s_t.p()")),
      // the procedure created by a DO block or by an earlier CALL
      new Template("DO creates it", "",
          List.of("do $d$ begin execute $e$" + procedure("%1$s", "%2$s") + "$e$; end $d$", "set session authorization user3",
              "call %1$s()")),
      new Template("an earlier CALL creates it", procedure("public.%1$s_mk", "execute $e$" + procedure("%1$s", "%2$s").replace("$p$", "$b$") + "$e$"),
          List.of("call %1$s_mk()", "set session authorization user3", "call %1$s()")));

  /** The same changes with the COPY run as user1, and CALLs after harmless ones: sent, as before. */
  private static final List<Template> CONTROLS = List.of(
      new Template("set search_path, no switch", searchPathSetup(), List.of("set search_path to nest_a, public", "call %1$s()")),
      new Template("another routine renamed", procedure("public.%1$s_old", "%2$s") + "; alter procedure public.%1$s_old() owner to user1; "
          + procedure("public.%1$s", "null"),
          List.of("alter procedure %1$s_old() rename to %1$s_new", "set session authorization user3", "call %1$s()")),
      new Template("three harmless CALLs", procedure("public.%1$s", "null") + "; " + procedure("public.%1$s_h", "null"),
          List.of("call %1$s_h()", "call %1$s()", "call %1$s_h()")),
      new Template("a CALL after one whose body creates a temporary table", procedure("public.%1$s_tmp",
          "create temp table if not exists %1$s_t (a int primary key); insert into %1$s_t values (1) on conflict do nothing;"
              + " perform 'create procedure'") + "; " + procedure("public.%1$s", "null"),
          List.of("call %1$s_tmp()", "call %1$s()")));

  private static String searchPathSetup() {
    return procedure("public.%1$s", "null") + "; " + procedure("nest_a.%1$s", "%2$s") + "; " + procedure("user3.%1$s", "%2$s");
  }

  private static boolean prepared;

  /** The users, schemas and table of every test here, made once for the class's server. */
  private static synchronized void prepare() throws SQLException {
    if (prepared) {
      return;
    }
    try (Connection admin = DriverManager.getConnection(POSTGRES.redshiftUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute(NestedCallServerTest.ROLES_AND_SCHEMAS);
      statement.execute("grant user3 to user1; create schema user3 authorization user3; grant usage on schema user3 to public;"
          + " grant create on database postgres to user1; " + procedure("public.bc_copy", RUN_COPY) + "; "
          + procedure("public.bc_null", "null"));
    }
    prepared = true;
  }

  @Test
  void aCallIsJudgedForWhatTheStatementsBeforeItInTheSameExecutionMakeItRun() throws SQLException {
    prepare();
    List<String> wrong = new ArrayList<>();
    int untrusted = 0;
    int cases = 0;
    try (Connection raw = DriverManager.getConnection(POSTGRES.redshiftUrl(), POSTGRES.redshiftDriverProperties());
        Statement rawStatement = raw.createStatement();
        Connection guarded = POSTGRES.guardedConnection(REGISTRY);
        Statement guardedStatement = guarded.createStatement()) {
      int id = 0;
      for (boolean control : new boolean[] {false, true}) {
        for (Template template : control ? CONTROLS : TEMPLATES) {
          for (String face : List.of("text", "batch")) {
            String name = "cc" + id++;
            for (String variant : List.of("q", "c")) {
              String setup = String.format(template.setup(), name + variant, variant.equals("q") ? PROBE : RUN_COPY);
              if (!setup.isEmpty()) {
                try {
                  rawStatement.execute(setup);
                } catch (SQLException e) {
                  throw new AssertionError(template.label() + ": the set-up failed: " + setup, e);
                }
              }
            }
            Function<String, List<String>> text = variant -> template.text().stream()
                .map(s -> String.format(s, name + variant, variant.equals("q") ? PROBE : RUN_COPY)).toList();
            rawStatement.execute("reset session authorization; reset search_path; set session authorization user1");
            String runsAs = ranAs(rawStatement, String.join("; ", text.apply("q")));
            rawStatement.execute("rollback; reset session authorization; reset search_path");
            boolean mustNotSend = runsAs.equals("user3");
            untrusted += mustNotSend ? 1 : 0;
            assertThat(mustNotSend).as(template.label() + ": the probe ran as " + runsAs).isEqualTo(!control);
            guardedStatement.execute("reset session authorization; reset search_path; set session authorization user1");
            List<String> sent = text.apply("c");
            String outcome = send(guardedStatement, face, sent);
            guardedStatement.execute("rollback");
            boolean refused = outcome.startsWith("iamguard:");
            if (mustNotSend && !refused) {
              wrong.add(face + " " + sent + ": sent, and the COPY runs as user3 (" + outcome + ")");
            } else if (!mustNotSend && refused) {
              wrong.add(face + " " + sent + ": refused, though its COPY runs as " + runsAs + ": " + outcome);
            }
            cases++;
          }
        }
      }
    }
    assertThat(wrong).as("of " + cases + " executions").isEmpty();
    assertThat(untrusted).isEqualTo(TEMPLATES.size() * 2);
  }

  /**
   * A batch runs as one execution, as one text does: a CALL entry after another CALL entry, which may
   * change the identity, is judged for an unknown user (it was judged for the user before the batch
   * ran), and so is refused when its body's COPY needs a user the role trusts; one CALL alone is sent.
   */
  @Test
  void aCallEntryAfterAnotherCallEntryIsJudgedAsInOneText() throws SQLException {
    prepare();
    try (Connection guarded = POSTGRES.guardedConnection(REGISTRY); Statement statement = guarded.createStatement()) {
      statement.execute("set session authorization user1");
      for (List<String> batch : List.of(List.of("call bc_copy()"), List.of("call bc_null()", "call bc_copy()"),
          List.of("{call bc_copy()}", "{call bc_copy()}"))) {
        String outcome = send(statement, "batch", batch);
        if (batch.size() == 1) {
          assertThat(outcome).as(batch.toString()).contains("IAM_ROLE").doesNotStartWith("iamguard:");
        } else {
          assertThat(outcome).as(batch.toString()).startsWith("iamguard:").contains("batch entry 2 calls bc_copy");
        }
      }
      for (String text : List.of("call bc_null(); call bc_copy()", "call bc_copy(); call bc_copy()")) {
        assertThat(send(statement, "text", List.of(text))).as(text).startsWith("iamguard:").contains("statement 2 calls bc_copy");
      }
    }
  }

  /**
   * {@code pg_temp} names the session's own temporary schema, {@code pg_temp_N} in the catalog: a
   * procedure user1 created there (its body judged for user1) ran its COPY as user3 after {@code set
   * session authorization user3}, unjudged, the look-up of schema {@code pg_temp} finding none
   * (red-team review). Each way of naming it, called directly or from a body, in statements of their
   * own; the probe twin, created in the raw session's own temporary schema, says who runs it.
   */
  @Test
  void aProcedureInTheTemporarySchemaIsJudgedForWhoCallsIt() throws SQLException {
    prepare();
    List<String> wrong = new ArrayList<>();
    int id = 0;
    try (Connection raw = DriverManager.getConnection(POSTGRES.redshiftUrl(), POSTGRES.redshiftDriverProperties());
        Statement rawStatement = raw.createStatement();
        Connection guarded = POSTGRES.guardedConnection(REGISTRY);
        Statement guardedStatement = guarded.createStatement()) {
      for (String call : List.of("call pg_temp.%s()", "CALL PG_TEMP.%s ( )", "call \"pg_temp\".\"%s\"()", "{call pg_temp.%s()}",
          "call %s_outer()", "call \"PG_TEMP\".%s()")) {
        String name = "tt" + id++;
        for (String variant : List.of("q", "c")) {
          String leaf = variant.equals("q") ? PROBE : RUN_COPY;
          // a body the superuser creates may name the caller's temporary schema: the server reads it at the call
          rawStatement.execute(procedure("public." + name + variant + "_outer", "call pg_temp." + name + variant + "()"));
          (variant.equals("q") ? rawStatement : guardedStatement).execute("set session authorization user1");
          (variant.equals("q") ? rawStatement : guardedStatement).execute(procedure("pg_temp." + name + variant, leaf));
        }
        // a quoted PG_TEMP is pg_temp to Redshift (it folds quoted names unless enable_case_sensitive_identifier
        // is on), another schema to PostgreSQL, which so cannot show who runs it: only the guard's refusal is asked
        if (!call.contains("\"PG_TEMP\"")) {
          rawStatement.execute("set session authorization user3");
          String runsAs = ranAs(rawStatement, String.format(call, name + "q").replace("{", "").replace("}", ""));
          rawStatement.execute("reset session authorization");
          assertThat(runsAs).as(call).isEqualTo("user3");
        }
        guardedStatement.execute("set session authorization user3");
        String outcome = send(guardedStatement, "text", List.of(String.format(call, name + "c")));
        if (!outcome.startsWith("iamguard:")) {
          wrong.add(call + ": sent, and the COPY runs as user3 (" + outcome + ")");
        }
        guardedStatement.execute("reset session authorization");
      }
    }
    assertThat(wrong).isEmpty();
  }

  /**
   * A routine a body calls may change the identity, and what the body runs after it (another
   * routine, or the same one again in a loop) then runs as the new user: every routine such a body
   * calls is judged for an unknown user (red-team review: {@code call become_user3(); call leaf()} in
   * a body ran leaf's COPY as user3, judged for the caller). The probe raises only when it runs as a
   * user the role does not trust, so a loop's later rounds are seen too; a body whose first routine
   * changes nothing is still sent.
   */
  @Test
  void whatABodyRunsAfterARoutineThatChangesTheIdentityIsJudgedForAnUnknownUser() throws SQLException {
    prepare();
    String untrustedProbe = "if current_user not in ('user1', 'user2') then " + PROBE + "; end if";
    String setter = "perform set_config('session_authorization', 'user3', false)";
    List<String> wrong = new ArrayList<>();
    try (Connection raw = DriverManager.getConnection(POSTGRES.redshiftUrl(), POSTGRES.redshiftDriverProperties());
        Statement rawStatement = raw.createStatement();
        Connection guarded = POSTGRES.guardedConnection(REGISTRY);
        Statement guardedStatement = guarded.createStatement()) {
      int id = 0;
      // the outer body, with %1$s the case's own name; and whether the server runs the leaf as user3
      for (List<String> shape : List.of(
          List.of("call %1$s_set(); call %1$s_leaf()", "yes"),
          List.of("call %1$s_mid(); call %1$s_leaf()", "yes"),
          List.of("for i in 1..2 loop call %1$s_both(); end loop", "yes"),
          List.of("for i in 1..2 loop %2$s; " + setter + "; end loop", "yes"),
          List.of("call %1$s_noop(); call %1$s_leaf()", "no"))) {
        String name = "id" + id++;
        for (String variant : List.of("q", "c")) {
          String n = name + variant;
          String leaf = variant.equals("q") ? untrustedProbe : RUN_COPY;
          rawStatement.execute(procedure("public." + n + "_set", setter) + "; " + procedure("public." + n + "_noop", "null")
              + "; " + procedure("public." + n + "_mid", "call " + n + "_set()") + "; " + procedure("public." + n + "_leaf", leaf)
              + "; " + procedure("public." + n + "_both", leaf + "; " + setter)
              + "; " + procedure("public." + n, String.format(shape.get(0), n, leaf)));
        }
        rawStatement.execute("set session authorization user1");
        String runsAs = ranAs(rawStatement, "call " + name + "q()");
        rawStatement.execute("reset session authorization");
        assertThat(runsAs).as(shape.get(0)).isEqualTo(shape.get(1).equals("yes") ? "user3" : "none");
        guardedStatement.execute("reset session authorization; set session authorization user1");
        String outcome = send(guardedStatement, "text", List.of("call " + name + "c()"));
        boolean refused = outcome.startsWith("iamguard:");
        if (refused && !outcome.contains("may change the identity), and is denied for a user the guard cannot know")) {
          wrong.add(shape.get(0) + ": refused, but the message does not say the user cannot be known: " + outcome);
        }
        if (refused != shape.get(1).equals("yes")) {
          wrong.add(shape.get(0) + (refused ? ": refused, though the COPY runs as user1 only: " : ": sent, and the COPY runs as user3: ")
              + outcome);
        }
        guardedStatement.execute("reset session authorization");
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** Who the probe's leaf ran as, or "none" when the text ran without reaching it. */
  private static String ranAs(Statement raw, String text) {
    try {
      raw.execute(text);
      return "none";
    } catch (SQLException e) {
      Matcher matcher = RAN_AS.matcher(String.valueOf(e.getMessage()));
      if (matcher.find()) {
        return matcher.group(1);
      }
      throw new AssertionError(text + ": the probe failed otherwise: " + e.getMessage(), e);
    }
  }

  /** The guard's refusal (its message, which starts with "iamguard:"), or what the server said of the text it ran. */
  private static String send(Statement guarded, String face, List<String> statements) {
    try {
      if (face.equals("text")) {
        guarded.execute(String.join("; ", statements));
      } else {
        for (String statement : statements) {
          guarded.addBatch(statement);
        }
        guarded.executeBatch();
      }
      return "ran";
    } catch (SQLException e) {
      SQLException cause = e;
      while (cause.getNextException() != null && !String.valueOf(cause.getMessage()).startsWith("iamguard:")) {
        cause = cause.getNextException();
      }
      return String.valueOf(cause.getMessage());
    } finally {
      try {
        guarded.clearBatch();
      } catch (SQLException e) {
        throw new AssertionError(e);
      }
    }
  }
}
