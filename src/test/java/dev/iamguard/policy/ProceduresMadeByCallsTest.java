package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A procedure a CALL creates or changes with SQL the script does not write as a statement (its
 * body EXECUTEs a CREATE or ALTER PROCEDURE) is no procedure the guard has read: a later CALL, of it
 * or of any other, is refused on a declared identity ({@code check}, the driver on a target that
 * cannot report its user), as the driver refuses one on a server after such a CALL in the same text.
 * Before 2026-12-07: {@code create procedure maker() ... execute 'create procedure p() ... COPY
 * ...'}, {@code call maker()}, {@code set session authorization user3}, {@code call p()}: allowed,
 * and p's COPY ran as user3, whom Loader does not trust.
 *
 * <p>Generated: 8 ways a body creates or changes a procedure (EXECUTE of a literal, of pieces joined
 * by {@code ||}, of a dollar-quoted text; CREATE, CREATE OR REPLACE, ALTER ... OWNER TO, ALTER
 * ROUTINE ... SECURITY DEFINER; a DO block) x reached directly or through a procedure calling the
 * maker x in one text or a text each; the later CALL of the made procedure and of another, by
 * user3. Controls: a body that EXECUTEs other SQL leaves later CALLs judged as before.
 */
class ProceduresMadeByCallsTest {
  private static final Guard GUARD = new Guard(Fixture.registry());
  private static final String COPY = "copy t from ''s3://data/in/t/'' iam_role ''" + Fixture.LOADER + "''";
  private static final String P = "create procedure p() language plpgsql as $b$ begin " + COPY + "; end $b$";

  /** Bodies (statements inside {@code begin ... end}) that create or change procedure p. */
  private static final List<String> MAKING = List.of(
      "execute '" + P + "';",
      "execute 'create ' || 'procedure p() language plpgsql as $b$ begin " + COPY + "; end $b$';",
      "execute $x$" + P.replace("''", "'") + " $x$;",
      "execute '" + P.replace("create procedure", "create or replace procedure") + "';",
      "execute 'alter procedure p() owner to user3';",
      "execute 'ALTER ROUTINE p SECURITY DEFINER';");
  /** Bodies that EXECUTE other SQL. */
  private static final List<String> OTHER = List.of("execute 'create temp table x (i int)';",
      "execute 'insert into t values (1)';", "execute 'select ''create procedure q()''';");

  /** The statements: {@code body} in maker, reached by {@code entry}, then user3's CALL of {@code target}. */
  private static List<String> script(String body, boolean throughChain, boolean doBlock, String target) {
    List<String> statements = new ArrayList<>();
    statements.add("create procedure other() language plpgsql as $$ begin " + COPY.replace("''", "'") + "; end $$");
    if (body.contains("alter") || body.contains("ALTER")) {
      statements.add(P.replace("$b$", "$$").replace("''", "'").replace("language plpgsql", "language plpgsql security definer"));
    }
    if (doBlock) {
      statements.add("do $$ begin " + body + " end $$");
    } else {
      statements.add("create procedure maker() language plpgsql as $$ begin " + body + " end $$");
      if (throughChain) {
        statements.add("create procedure entry() language plpgsql as $$ begin call maker(); end $$");
      }
      statements.add(throughChain ? "call entry()" : "call maker()");
    }
    statements.add("set session authorization user3");
    statements.add("call " + target + "()");
    return statements;
  }

  private static Decision last(List<String> statements, boolean textEach) {
    Session session = Session.of("user1", null);
    if (!textEach) {
      return GUARD.inspect(String.join(";\n", statements), session);
    }
    Decision decision = null;
    for (String statement : statements) {
      decision = GUARD.inspect(statement, session);
      session = decision.sessionAfter();
    }
    return decision;
  }

  @Test
  void aCallAfterOneThatMayMakeProceduresIsRefused() {
    List<String> wrong = new ArrayList<>();
    int cases = 0;
    for (String body : MAKING) {
      for (boolean chain : List.of(false, true)) {
        for (boolean doBlock : List.of(false, true)) {
          if (doBlock && chain) {
            continue;
          }
          for (boolean textEach : List.of(false, true)) {
            for (String target : List.of("p", "other")) {
              cases++;
              List<String> statements = script(body, chain, doBlock, target);
              Decision decision = last(statements, textEach);
              List<StatementDecision> decided = decision.statements();
              StatementDecision call = decided.get(decided.size() - 1);
              if (call.verdict() != Verdict.DENY || call.findings().stream().noneMatch(f ->
                  f.rule() == RuleId.AUTH_UNPARSEABLE && f.message().contains("may create or change procedures"))) {
                wrong.add((textEach ? "a text each: " : "one text: ") + statements + ": " + call.verdict() + " "
                    + call.findings());
              }
            }
          }
        }
      }
    }
    assertThat(wrong).as(wrong.size() + " of " + cases + " CALLs not refused").isEmpty();
  }

  @Test
  void aBodyThatRunsOtherSqlLeavesLaterCallsJudgedAsBefore() {
    for (String body : OTHER) {
      for (boolean textEach : List.of(false, true)) {
        List<String> statements = script(body, false, false, "other");
        List<String> upToTheCall = statements.subList(0, statements.size() - 2);
        assertThat(last(upToTheCall, textEach).sessionAfter().procedures().changedByCall()).as(body).isNull();
        // the same CALL of other, by user1, without the maker's CALL before it: allowed
        List<String> calls = new ArrayList<>(upToTheCall.subList(0, upToTheCall.size() - 1));
        calls.add("call other()");
        assertThat(last(calls, textEach).verdict()).as(body).isEqualTo(Verdict.ALLOW);
      }
    }
    for (String body : MAKING) {
      List<String> statements = script(body, false, false, "p");
      assertThat(last(statements.subList(0, statements.size() - 2), true).sessionAfter().procedures().changedByCall())
          .as(body).isNotNull();
    }
  }
}
