package dev.iamguard.sql;

import static dev.iamguard.sql.GrammarTest.A;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server lexes a procedure body, or a {@code DO} block's code, with its own settings when it
 * runs it: PostgreSQL with {@code standard_conforming_strings=on} (its default) reads a backslash
 * in a literal as itself, so {@code perform 'x\'; COPY ...; -- '} in a body is one literal to
 * Redshift's reading (the guard's) and a COPY to the server (DoBlockServerTest: the COPY of such a
 * block ran as r3). Code whose literals the two readings place differently is refused whatever it
 * holds: every hiding form times every payload, in a DO block's code and in a procedure body; a
 * quoted code literal holding a backslash is refused (the readings decode it differently); the
 * same code without the form, or with a form both readings share ({@code E'..'}, {@code #temp}),
 * is read as usual.
 */
class HiddenInBodyTest {
  /** Payloads without {@code '}, so that each form hides them whole. */
  private static final List<String> PAYLOADS = List.of("copy t from $s$s3://b/k$s$ iam_role $r$" + A + "$r$",
      "unload ($q$select 1$q$) to $s$s3://b/u/$s$ iam_role default", "call p()", "CALL s.p (1)",
      "create or replace procedure q() language plpgsql as $p$ begin null; end $p$",
      "execute $e$copy t from $s$s3://b/k$s$ iam_role default$e$", "perform f_copy()", "set role r3",
      "execute v", "insert into ext.t select 1");

  /** Forms that hide {@code %s} from Redshift's reading, not from PostgreSQL's. */
  private static final List<String> FORMS = List.of(
      "begin perform 'x\\'; %s; perform 1; -- '\nend",
      "begin perform 'a\\'' /* ' ; %s; -- */\nend",
      "begin perform 'a\\'' -- ' ; %s; perform 1;\nend",
      "begin perform 'a\\''; -- ' ; %s\nend",
      "begin raise notice 'x\\'; %s; raise notice ''; -- '\nend");

  /** A statement holding dollar-quoted code {@code %s}. */
  private static final List<String> WRAPPERS = List.of("do $d$%s$d$", "DO LANGUAGE plpgsql $d$%s$d$",
      "create procedure p() as $d$%s$d$ language plpgsql", "create or replace procedure s.p(a int) as $d$%s$d$"
          + " language plpgsql security definer");

  private static List<Problem> problems(String sql) {
    return SqlScript.parse(sql).statements().get(0).command().problems();
  }

  @Test
  void codeWhoseLiteralsTheServerPlacesOtherwiseIsAProblemWhateverItHolds() {
    List<String> unseen = new ArrayList<>();
    int cases = 0;
    for (String wrapper : WRAPPERS) {
      for (String form : FORMS) {
        for (String payload : PAYLOADS) {
          cases++;
          String sql = String.format(wrapper, String.format(form, payload));
          if (problems(sql).stream().noneMatch(p -> p.reason().equals(ReadingsOfCode.DISAGREE))) {
            unseen.add(sql + " -> " + problems(sql));
          }
        }
      }
    }
    assertThat(unseen).as(unseen.size() + " of " + cases).isEmpty();
    assertThat(cases).isEqualTo(WRAPPERS.size() * FORMS.size() * PAYLOADS.size());
  }

  @Test
  void aQuotedCodeLiteralHoldingABackslashIsAProblem() {
    for (String sql : List.of("do 'begin perform ''x\\''; copy t from ''s3://b/k'' iam_role default; end'",
        "do 'begin raise notice ''a\\nb''; end'", "do language plpgsql 'begin perform 1; end \\\\'",
        "create procedure p() as 'begin raise notice ''\\\\''; end' language plpgsql",
        "do N'begin raise notice ''a\\nb''; end'")) {
      assertThat(problems(sql)).as(sql).extracting(Problem::reason).contains(ReadingsOfCode.QUOTED_BACKSLASH);
    }
  }

  @Test
  void codeBothReadingsPlaceAlikeIsReadAsUsual() {
    String copy = "copy t from 's3://b/k' iam_role '" + A + "'";
    for (String wrapper : WRAPPERS) {
      for (String body : List.of("begin perform 'x'; " + copy + "; perform 1; -- '\nend",
          "begin perform e'a\\''; " + copy + "; end", "begin create temp table #stage (a int); " + copy + "; end",
          "begin raise notice 'a\\nb'; " + copy + "; end", "begin perform b'101'; " + copy + "; end")) {
        String sql = String.format(wrapper, body);
        RedshiftCommand command = SqlScript.parse(sql).statements().get(0).command();
        assertThat(command.problems()).as(sql).isEmpty();
        assertThat(command.body()).as(sql).singleElement()
            .satisfies(s -> assertThat(s.command().kind()).isEqualTo(CommandKind.COPY));
      }
    }
    assertThat(problems("do E'begin raise notice ''a\\nb''; end'")).isEmpty();
  }
}
