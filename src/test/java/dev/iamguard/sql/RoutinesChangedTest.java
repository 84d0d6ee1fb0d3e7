package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a statement before a CALL of the same execution may change of the routines the CALL runs
 * ({@link ProcedureChanges#routinesChanged}), and whether a routine body may do so when called
 * ({@link ProcedureChanges#mayChangeRoutines}). The server-side proof is
 * {@code CallAfterCatalogChangeServerTest}; this one covers the ways of writing each statement.
 */
class RoutinesChangedTest {
  private static final String ANY = ProcedureChanges.ANY_ROUTINE;

  private static List<String> changed(String sql) {
    return ProcedureChanges.routinesChanged(SqlScript.parse(sql).statements().get(0));
  }

  @Test
  void theRoutinesACreateOrAlterNamesInEveryWayOfWritingThem() {
    for (String create : List.of("create", "CREATE", "Create", "create or replace", "CREATE OR REPLACE", "create /* c */ or replace")) {
      for (String kind : List.of("procedure", "PROCEDURE", "function", "Function")) {
        String head = create + " " + kind + " ";
        assertThat(changed(head + "p1() language plpgsql as $$ begin null; end $$")).as(head).containsExactly("p1");
        assertThat(changed(head + "s.P1(a int) as $$ select 1 $$ language sql")).as(head).containsExactly("p1");
        assertThat(changed(head + "\"s\".\"My P\"() as $$ begin null; end $$ language plpgsql")).as(head).containsExactly("My P");
        assertThat(changed(head + "U&\"p\\0031\"() as $$ begin null; end $$ language plpgsql")).as(head).containsExactly(ANY);
      }
    }
    for (String kind : List.of("procedure", "function", "routine", "ROUTINE")) {
      assertThat(changed("alter " + kind + " p2() owner to user3")).containsExactly("p2");
      assertThat(changed("ALTER " + kind + " s.p2 SECURITY DEFINER")).containsExactly("p2");
      assertThat(changed("alter " + kind + " p2(int) rename to P3")).containsExactly("p2", "p3");
      assertThat(changed("alter " + kind + " p2() rename to \"Q\"")).containsExactly("p2", "Q");
      assertThat(changed("alter " + kind + " p2() rename to U&\"q\"")).containsExactly(ANY);
      assertThat(changed("alter " + kind + " U&\"p\\0032\" owner to user3")).containsExactly(ANY);
    }
  }

  @Test
  void statementsThatMayChangeAnyRoutine() {
    for (String sql : List.of("do $$ begin null; end $$", "DO 'begin null; end'", "do language plpgsql $$ begin null; end $$",
        "alter schema a rename to b", "ALTER SCHEMA a OWNER TO user3", "create extension plpython3u",
        "alter extension e update")) {
      assertThat(changed(sql)).as(sql).containsExactly(ANY);
    }
  }

  @Test
  void statementsThatChangeNoRoutine() {
    for (String sql : List.of("call p()", "select 1", "create table t (a int)", "create temp table t (a int)",
        "create schema s", "alter table t rename to u", "drop procedure p()", "set search_path to a",
        "set session authorization user3", "insert into t values (1) on conflict do nothing",
        "create external function f(int) returns int lambda 'f' iam_role default", "alter user bob rename to carol",
        "alter default privileges grant execute on functions to public")) {
      assertThat(changed(sql)).as(sql).isEmpty();
    }
  }

  @Test
  void aBodyMayChangeRoutinesByDdlInItsCodeOrInAConstantExecuteText() {
    for (String body : List.of("begin create procedure p() language plpgsql as $b$ begin null; end $b$; end",
        "begin CREATE OR REPLACE FUNCTION f() returns int as 'select 1' language sql; end",
        "begin alter procedure p() owner to user3; end", "begin alter routine p security definer; end",
        "begin alter schema a rename to b; end", "begin alter function f() rename to g; end",
        "begin execute 'create procedure p() as $b$ begin null; end $b$ language plpgsql'; end",
        "begin execute 'create ' || 'or replace procedure p() as $b$ begin null; end $b$ language plpgsql'; end",
        "begin EXECUTE $e$do $d$ begin null; end $d$$e$; end",
        "begin execute 'execute ''create function f() returns int as ''''select 1'''' language sql'''; end",
        "begin do $d$ begin null; end $d$; end", "begin create extension hstore; end")) {
      assertThat(ProcedureChanges.mayChangeRoutines(body)).as(body).isTrue();
    }
  }

  @Test
  void aBodyThatChangesNoRoutine() {
    for (String body : List.of("begin null; end", "begin create temp table t (a int); end",
        "begin insert into t values (1) on conflict do nothing; end", "begin insert into log values ('create procedure p'); end",
        "begin perform 'alter procedure p owner to user3'; end", "begin execute 'copy t from ''s3://b/k'' iam_role default'; end",
        "begin execute 'call p2()'; end", "begin create table t as select 1; alter table t add column b int; end",
        "declare v text := 'create procedure'; begin raise notice '%', v; end", "select 1")) {
      assertThat(ProcedureChanges.mayChangeRoutines(body)).as(body).isFalse();
    }
  }

  @Test
  void executeTextsNestedBeyondTheDepthReadCountAsChanging() {
    String text = "select 1";
    for (int i = 0; i < 12; i++) {
      text = "execute '" + text.replace("'", "''") + "'";
    }
    assertThat(ProcedureChanges.mayChangeRoutines("begin " + text + "; end")).isTrue();
    assertThat(ProcedureChanges.mayChangeRoutines("begin execute 'execute ''select 1'''; end")).isFalse();
  }
}
