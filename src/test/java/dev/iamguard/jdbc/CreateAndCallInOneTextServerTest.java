package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One text that creates a procedure and then calls it: the guard reads the catalog before the text
 * runs, where the procedure is not yet, so the body the text creates (and what that body calls) ran
 * for whoever the text makes the caller unjudged ({@code create procedure p() ... COPY ...; set
 * session authorization user3; call p()}: red-team review). Every combination of body (a COPY of
 * its own, a CALL of an existing COPY procedure), CREATE form, identity change between CREATE and
 * CALL and way of writing the CALL's name is sent as one text by user1 through the guard, and its
 * probe twin (the COPY replaced by {@code RAISE EXCEPTION 'ran-as:%', current_user}) without it,
 * so PostgreSQL says who would run the COPY. The CALL of a procedure the same text creates is
 * refused (SQLSTATE 0AI01), nothing is sent (the procedure does not exist after), and a text that
 * creates one procedure and calls another is sent as before.
 */
class CreateAndCallInOneTextServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String REGISTRY = "classpath:jdbc/identity-registry.yaml";
  private static final String COPY = "COPY id_t FROM 's3://iamguard-identity/in/part-0.csv' IAM_ROLE "
      + "'arn:aws:iam::123456789012:role/TrustsUsers' CSV";
  /** PL/pgSQL checks a body's static SQL when it is created, and PostgreSQL's COPY has no IAM_ROLE: run as a constant text. */
  private static final String RUN_COPY = "execute '" + COPY.replace("'", "''") + "'";
  private static final String PROBE = "raise exception 'ran-as:%', current_user";

  private static final List<String> BODIES = List.of("own", "nested");
  private static final List<String> CREATES = List.of("create procedure %s() as $$ begin %s; end $$ language plpgsql",
      "CREATE OR REPLACE PROCEDURE public.%s ( ) LANGUAGE plpgsql AS $$ begin %s; end $$");
  private static final List<String> SWITCHES = List.of("", "set session authorization user3; ",
      "set session authorization user2; set session authorization user3; ");
  private static final List<String> CALLS = List.of("call %s()", "CALL public.%s ( )", "call \"%s\"()", "Call %S();");

  @Test
  void aCallOfAProcedureTheSameTextCreatesIsRefusedAndNothingIsSent() throws SQLException {
    try (Connection admin = DriverManager.getConnection(POSTGRES.redshiftUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute(NestedCallServerTest.ROLES_AND_SCHEMAS);
      statement.execute("create procedure ct_copy() as $$ begin " + RUN_COPY + "; end $$ language plpgsql");
      statement.execute("create procedure ct_probe() as $$ begin " + PROBE + "; end $$ language plpgsql");
      statement.execute("create procedure ct_harmless() as $$ begin null; end $$ language plpgsql");
      statement.execute("grant all on all routines in schema public to public");
    }
    int id = 0;
    int refused = 0;
    int untrusted = 0;
    int afterAuth = 0;
    List<String> wrong = new ArrayList<>();
    try (Connection raw = DriverManager.getConnection(POSTGRES.redshiftUrl(), POSTGRES.redshiftDriverProperties());
        Statement rawStatement = raw.createStatement();
        Connection guarded = POSTGRES.guardedConnection(REGISTRY);
        Statement guardedStatement = guarded.createStatement()) {
      for (String body : BODIES) {
        for (String create : CREATES) {
          for (String change : SWITCHES) {
            for (String call : CALLS) {
              String name = "ct_p" + id++;
              // the probe's own name: an error rolls its text back, but the guarded text must find no namesake either way
              String probe = text(create, name + "q", body.equals("own") ? PROBE : "call ct_probe()", change, call);
              String text = text(create, name, body.equals("own") ? RUN_COPY : "call ct_copy()", change, call);
              rawStatement.execute("set session authorization user1");
              String runsAs = NestedCallServerTest.ranAs(rawStatement, probe);
              rawStatement.execute("reset session authorization");
              if (!runsAs.equals("user1") && !runsAs.equals("user2")) {
                untrusted++;
              }
              guardedStatement.execute("reset session authorization; set session authorization user1");
              try {
                guardedStatement.execute(text);
                wrong.add(text + ": sent, and no error (the COPY runs as " + runsAs + ")");
              } catch (SQLException e) {
                if ("0AI01".equals(e.getSQLState()) && e.getMessage().contains("of the same text may create")) {
                  refused++;
                } else {
                  wrong.add(text + ": sent (the COPY runs as " + runsAs + "): " + e.getMessage());
                }
              }
              if (exists(rawStatement, name)) {
                wrong.add(text + ": the CREATE reached the server");
              }
            }
          }
        }
      }
      // a CALL after an auth-carrying statement the same text holds (where the hot path's scan stops):
      // judged as any CALL, for an unknown user after the identity change
      for (String first : List.of(COPY, "create procedure ct_q%d() as $$ begin " + RUN_COPY
          + "; end $$ language plpgsql", "select 1; /* iam_role */ " + COPY)) {
        for (String change : SWITCHES.subList(1, SWITCHES.size())) {
          String text = String.format(first, id++) + "; " + change + "call ct_copy()";
          guardedStatement.execute("reset session authorization; set session authorization user1");
          try {
            guardedStatement.execute(text);
            wrong.add(text + ": sent, and no error (the COPY runs as user3)");
          } catch (GuardDeniedException e) {
            afterAuth++;
          } catch (SQLException e) {
            wrong.add(text + ": sent (the COPY runs as user3): " + e.getMessage());
          }
        }
      }
      // another procedure than the one the text creates: sent as before, and created
      guardedStatement.execute("reset session authorization; set session authorization user1");
      guardedStatement.execute("create procedure ct_other() as $$ begin " + RUN_COPY + "; end $$ language plpgsql;"
          + " set session authorization user1; call ct_harmless()");
      assertThat(exists(rawStatement, "ct_other")).isTrue();
    }
    assertThat(wrong).as("of " + id + " texts").isEmpty();
    assertThat(refused).isEqualTo(BODIES.size() * CREATES.size() * SWITCHES.size() * CALLS.size());
    assertThat(afterAuth).isEqualTo(3 * 2);
    assertThat(untrusted).as("texts whose COPY the server runs as user3").isEqualTo(refused * 2 / 3);
  }

  private static String text(String create, String name, String statement, String change, String call) {
    return String.format(create, name, statement) + "; " + change + String.format(call, name);
  }

  private static boolean exists(Statement statement, String name) throws SQLException {
    try (ResultSet rows = statement.executeQuery("select count(*) from pg_proc where proname = '" + name + "'")) {
      rows.next();
      return rows.getInt(1) > 0;
    }
  }
}
