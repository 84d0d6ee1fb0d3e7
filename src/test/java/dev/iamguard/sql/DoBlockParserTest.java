package dev.iamguard.sql;

import static dev.iamguard.sql.GrammarTest.A;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL {@code DO} block's code runs at once as the session's user, so the statements it
 * holds are read as a procedure body's (probe sq4 F5, probe 39 F4, and HiddenStatementsServerTest's
 * control on PostgreSQL: {@code do $d$ begin COPY ... end $d$} ran the COPY as r3, unjudged). Every
 * way of writing the code the guard reads, times every way a body holds a statement to judge; code
 * in another language or written otherwise is a problem; a block holding nothing to judge has an
 * empty body; statements that only start with the letters DO stay ordinary.
 */
class DoBlockParserTest {
  private static final String COPY = "copy t from 's3://b/k' iam_role '" + A + "'";

  /** {@code %s}: the code, each with the quotes its literal form needs. */
  private static final List<String> CODE_FORMS = List.of("do $$%s$$", "DO $d$%s$d$", "do language plpgsql $$%s$$",
      "do $$%s$$ LANGUAGE plpgsql", "do language 'plpgsql' $b$%s$b$", "do language PLPGSQL $$%s$$",
      "do\n-- the nightly load\n$$%s$$", "do /* c */ $$%s$$;", "do '%s'", "DO LANGUAGE plpgsql '%s'",
      "do language \"plpgsql\" $$%s$$", "do E'%s'");

  /** Bodies holding one statement the guard judges, and the kind of that statement. */
  private static final List<String[]> JUDGED = List.of(
      new String[] {"begin " + COPY + "; end", "COPY"},
      new String[] {" BEGIN\n  " + COPY + ";\nEND ", "COPY"},
      new String[] {"begin if true then " + COPY + "; end if; end", "COPY"},
      new String[] {"begin execute $e$" + COPY + "$e$; end", "COPY"},
      new String[] {"begin execute 'unload (''select 1'') to ''s3://b/u/'' ' || 'iam_role ''" + A + "'''; end",
          "UNLOAD"},
      new String[] {"declare n int; begin for i in 1..2 loop " + COPY + "; end loop; end", "COPY"});

  private static SqlScript parse(String sql) {
    return SqlScript.parse(sql);
  }

  private static String code(String form, String body) {
    return form.contains("'%s'") ? String.format(form, body.replace("'", "''")) : String.format(form, body);
  }

  @Test
  void everyCodeFormHoldingAStatementToJudgeIsADoBlockWithThatStatementInItsBody() {
    List<String> wrong = new ArrayList<>();
    for (String form : CODE_FORMS) {
      for (String[] judged : JUDGED) {
        if (form.contains("'%s'") && judged[0].contains("$e$")) {
          continue; // a dollar quote inside a quoted body: the same statement, written another way below
        }
        String sql = code(form, judged[0]);
        SqlStatement statement = parse(sql).statements().get(0);
        RedshiftCommand command = statement.command();
        if (command.kind() != CommandKind.DO_BLOCK || !command.problems().isEmpty() || command.body().size() != 1
            || !command.body().get(0).command().kind().name().equals(judged[1])
            || !command.body().get(0).command().auth().roles().equals(List.of(A))) {
          wrong.add(sql + " -> " + command.kind() + " " + command.problems() + " body " + command.body());
        }
        if (!statement.startsDoBlock() || !parse(sql).needsInspection()) {
          wrong.add(sql + " -> not a DO block to inspect");
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** The command line's streaming reader hands a block out in pieces of any size: it reads the same body. */
  @Test
  void aBlockReadInPiecesHasTheBodyOfTheBlockReadWhole() throws java.io.IOException {
    for (String form : CODE_FORMS) {
      for (String[] judged : JUDGED) {
        String sql = "select 1;\n" + code(form, judged[0]) + ";\nselect 2";
        for (int chunk : new int[] {1, 7, 16, 64}) {
          List<SqlStatement> pieces = ScriptReaderBoundTest.read(sql, chunk).pieces().stream()
              .flatMap(p -> p.statements().stream()).toList();
          List<SqlStatement> whole = parse(sql).statements();
          assertThat(pieces).as(sql + " in pieces of " + chunk).hasSameSizeAs(whole);
          for (int at = 0; at < whole.size(); at++) {
            RedshiftCommand read = pieces.get(at).command();
            assertThat(read.kind()).as(sql).isEqualTo(whole.get(at).command().kind());
            assertThat(read.body().stream().map(b -> b.command().kind() + " " + b.text()).toList()).as(sql)
                .isEqualTo(whole.get(at).command().body().stream().map(b -> b.command().kind() + " " + b.text())
                    .toList());
            assertThat(read.problems().size()).as(sql).isEqualTo(whole.get(at).command().problems().size());
          }
        }
      }
    }
  }

  @Test
  void dynamicSqlInABlockIsRecordedAsAProcedureBodysIs() {
    for (String form : CODE_FORMS) {
      for (String body : List.of("begin execute v; end", "begin execute 'copy t ' || v; end",
          "begin for r in execute format('%s', v) loop null; end loop; end")) {
        RedshiftCommand command = parse(code(form, body)).statements().get(0).command();
        assertThat(command.kind()).as(form + body).isEqualTo(CommandKind.DO_BLOCK);
        assertThat(command.dynamicAuth()).as(form + body).hasSize(1);
      }
    }
  }

  @Test
  void aBlockHoldingNothingToJudgeIsStillABlockWithNothingInItsBody() {
    for (String form : CODE_FORMS) {
      for (String body : List.of("begin perform 1; end", "begin raise notice 'copy t iam_role'; end",
          "begin call p(); end", "begin create table t (a int); end", "declare x int := 1; begin null; end", "")) {
        String sql = code(form, body);
        SqlScript script = parse(sql);
        RedshiftCommand command = script.statements().get(0).command();
        assertThat(command.kind()).as(sql).isEqualTo(CommandKind.DO_BLOCK);
        assertThat(command.body()).as(sql).isEmpty();
        assertThat(command.problems()).as(sql).isEmpty();
        assertThat(command.dynamicAuth()).as(sql).isEmpty();
        // it may still change the identity or call routines: the guard asks the server again after it
        assertThat(SessionEffects.has(script.effects(), SessionEffects.IDENTITY)).as(sql).isTrue();
      }
    }
  }

  @Test
  void codeInAnotherLanguageIsAProblemWhateverItHolds() {
    for (String sql : List.of("do language plpython3u $$plpy.execute('select 1')$$",
        "do $$ begin null; end $$ language plperl", "DO LANGUAGE 'sql' $$select 1$$",
        "do language \"plpgsql \" $$ begin null; end $$", "do language plv8 '" + COPY.replace("'", "''") + "'")) {
      RedshiftCommand command = parse(sql).statements().get(0).command();
      assertThat(command.kind()).as(sql).isEqualTo(CommandKind.DO_BLOCK);
      assertThat(command.problems()).as(sql).singleElement()
          .satisfies(p -> assertThat(p.kind()).isEqualTo(Problem.Kind.UNPARSEABLE));
    }
  }

  @Test
  void codeWrittenSoTheGuardCannotReadItIsAProblem() {
    for (String sql : List.of("do U&'begin end'", "do u&'\\0063opy'", "do b'1'", "do $$ begin null; end $$ $$x$$",
        "do language plpgsql", "do language plpgsql language plpgsql $$ $$", "do $$ begin " + COPY,
        "do '" + "begin null; end", "do x'00'")) {
      RedshiftCommand command = parse(sql).statements().get(0).command();
      assertThat(command.kind()).as(sql).isEqualTo(CommandKind.DO_BLOCK);
      assertThat(command.problems()).as(sql).isNotEmpty();
    }
  }

  @Test
  void statementsThatAreNoBlockStayOrdinary() {
    for (String sql : List.of("do", "do this now", "done", "do_it()", "dox $$ $$", "select 'do $$ copy $$'",
        "update t set do = 1", "\"do\" $$ $$")) {
      RedshiftCommand command = parse(sql).statements().get(0).command();
      assertThat(command.kind()).as(sql).isEqualTo(CommandKind.OTHER);
    }
  }
}
