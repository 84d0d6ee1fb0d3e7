package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A procedure written one way at its CREATE and another way at its ALTER or CALL is the same
 * procedure to the server, and {@code check} (and the driver on a declared identity) must follow it
 * so. Before 2026-12-07 the guard compared the argument lists as written and the names with their
 * quoted case: {@code create procedure p(n int) security definer ... COPY}, {@code alter procedure
 * p(integer) owner to user3}, {@code call p(1)} was allowed (judged for the creator, user1), and the
 * server ran the COPY as user3, whom Loader does not trust; so for a quoted name in another case
 * ({@code create procedure "Pq"()}, {@code call PQ()}), which Redshift folds to lower case unless
 * {@code enable_case_sensitive_identifier} is on. PostgreSQL decides which argument lists are the
 * same ({@code ArgumentSignatureServerTest}); here every spelling pair x every change that makes the
 * COPY run as user3 (an owner, SECURITY DEFINER with an owner, a SET role clause) x one text or a
 * text each must deny the CALL; the same ALTER of an overload of another type must leave it allowed.
 */
class ProcedureSpellingsTest {
  private static final Guard GUARD = new Guard(Fixture.registry());
  private static final String COPY = "copy t from 's3://data/in/t/' iam_role '" + Fixture.LOADER + "'";

  /** The same argument list written at the CREATE and at the ALTER. */
  private static final List<List<String>> SAME_ARGUMENTS = List.of(
      List.of("n int", "integer"), List.of("int", "int4"), List.of("IN n INTEGER", "int"),
      List.of("n bigint", "int8"), List.of("n double precision", "float8"), List.of("n float", "double precision"),
      List.of("n varchar(10)", "character varying"), List.of("n numeric(10,2)", "decimal"),
      List.of("n boolean", "bool"), List.of("n timestamp with time zone", "timestamptz"),
      List.of("a int, b varchar default null", "integer, varchar(5)"), List.of("n int[]", "integer[]"),
      List.of("n int", "n in int"), List.of("n text", "n text"), List.of("", ""));
  /** Names written at the CREATE, the ALTER and the CALL: one procedure to Redshift. */
  private static final List<List<String>> SAME_NAMES = List.of(
      List.of("p", "\"P\"", "p"), List.of("\"P\"", "p", "\"P\""), List.of("\"Pq\"", "\"pQ\"", "PQ"),
      List.of("public.p", "\"PUBLIC\".p", "\"Public\".\"P\""), List.of("\"Sa\".p", "sa.p", "SA.P"),
      List.of("p", "p", "\"P\""));
  /** Changes that make the body run as user3 or as a user check cannot know. */
  private static final List<String> CHANGES = List.of("owner to user3", "security definer; alter procedure %s owner to user3",
      "set role = r3");

  private static List<String> script(String definition, String altered, String change, String call, boolean definer) {
    List<String> statements = new ArrayList<>();
    statements.add("create procedure " + definition + " language plpgsql" + (definer ? " security definer" : "")
        + " as $$ begin " + COPY + "; end $$");
    if (change != null) {
      statements.add("alter procedure " + altered + " " + String.format(change, altered));
    }
    statements.add("call " + call);
    return statements;
  }

  private static StatementDecision lastCall(List<String> statements, boolean textEach) {
    Session session = Session.of("user1", null);
    Decision decision = null;
    if (textEach) {
      for (String statement : statements) {
        decision = GUARD.inspect(statement, session);
        session = decision.sessionAfter();
      }
    } else {
      decision = GUARD.inspect(String.join(";\n", statements), session);
    }
    List<StatementDecision> decided = decision.statements();
    return decided.get(decided.size() - 1);
  }

  @Test
  void anAlterWithTheArgumentsWrittenOtherwiseIsFollowed() {
    List<String> wrong = new ArrayList<>();
    int cases = 0;
    for (List<String> arguments : SAME_ARGUMENTS) {
      String values = arguments.get(0).isEmpty() ? "" : arguments.get(0).contains(",") ? "1, null" : "null";
      for (String change : CHANGES) {
        for (boolean textEach : List.of(false, true)) {
          cases++;
          boolean definer = change.startsWith("owner");
          List<String> statements = script("p(" + arguments.get(0) + ")", "p(" + arguments.get(1) + ")", change,
              "p(" + values + ")", definer);
          StatementDecision call = lastCall(statements, textEach);
          if (call.verdict() != Verdict.DENY) {
            wrong.add(statements + (textEach ? " (a text each)" : "") + ": " + call.verdict());
          }
          // the control: without the ALTER, user1's CALL is allowed
          StatementDecision control = lastCall(script("p(" + arguments.get(0) + ")", null, null, "p(" + values + ")",
              definer), textEach);
          if (control.verdict() != Verdict.ALLOW) {
            wrong.add("control " + statements + ": " + control.verdict() + " " + control.findings());
          }
        }
      }
    }
    assertThat(wrong).as(wrong.size() + " of " + cases + " CALLs decided wrongly").isEmpty();
  }

  @Test
  void aNameInAnotherCaseIsTheSameProcedure() {
    List<String> wrong = new ArrayList<>();
    int cases = 0;
    for (List<String> names : SAME_NAMES) {
      for (String change : CHANGES) {
        for (boolean textEach : List.of(false, true)) {
          cases++;
          List<String> statements = script(names.get(0) + "()", names.get(1) + "()", change, names.get(2) + "()",
              change.startsWith("owner"));
          if (lastCall(statements, textEach).verdict() != Verdict.DENY) {
            wrong.add(statements + (textEach ? " (a text each)" : ""));
          }
        }
      }
      // invoker, no ALTER: user3's CALL in another case runs the body as user3
      List<String> statements = new ArrayList<>(script(names.get(0) + "()", null, null, names.get(2) + "()", false));
      statements.add(1, "set session authorization user3");
      cases++;
      if (lastCall(statements, false).verdict() != Verdict.DENY) {
        wrong.add(statements.toString());
      }
    }
    assertThat(wrong).as(wrong.size() + " of " + cases + " CALLs allowed").isEmpty();
  }

  @Test
  void anAlterOfAnOverloadOfAnotherTypeLeavesTheProcedureAsItWas() {
    for (List<String> overload : List.of(List.of("n int", "bigint"), List.of("n int", "int, int"),
        List.of("", "integer"), List.of("n varchar", "boolean"), List.of("n date", "timestamp"))) {
      for (String change : CHANGES) {
        List<String> statements = new ArrayList<>(script("p(" + overload.get(0) + ")", "p(" + overload.get(1) + ")",
            change, "p(" + (overload.get(0).isEmpty() ? "" : "null") + ")", change.startsWith("owner")));
        statements.add(1, "create procedure p(" + overload.get(1) + ") language plpgsql as $$ begin null; end $$");
        assertThat(lastCall(statements, false).verdict()).as(statements.toString()).isEqualTo(Verdict.ALLOW);
      }
    }
  }
}
