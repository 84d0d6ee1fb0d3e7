package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Verdicts on a statement that only another reading shows (it starts inside Redshift's literal):
 * each is decided from a few tokens (issue 17), so a script read in pieces of any size gets the
 * same verdict as the whole text, and one that waits for nothing far away. Every text below is one
 * harmless statement to Redshift; a lexer without backslash escapes sees a second one in it.
 */
class HiddenStatementVerdictTest {

  /** The problems of each statement of {@code sql}, read whole and read in pieces of 16 characters. */
  private static List<Integer> problems(String sql) throws IOException {
    List<Integer> whole = SqlScript.parse(sql).statements().stream().map(s -> s.command().problems().size()).toList();
    List<Integer> pieces = ScriptReaderBoundTest.read(sql, 16).pieces().stream()
        .flatMap(p -> p.statements().stream()).map(s -> s.command().problems().size()).toList();
    assertThat(pieces).as("read in pieces").isEqualTo(whole);
    return whole;
  }

  private static String hiding(String statement) {
    return "select 'a\\'; " + statement.replace("'", "''") + "; --'";
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "copy t from 's3://b/k' iam_role default",
      "unload ('select 1') to 's3://b/u/' iam_role default",
      "create or replace external function f() returns int volatile lambda 'f' iam_role default",
      "grant assumerole on 'arn:aws:iam::123456789012:role/R' to u for copy",
      "set session authorization 'u2'",
      "set local session_authorization to 'u2'",
      // refused whatever follows the first words: only the head of a hidden statement is read
      "alter table t rename to u",
      "set \"session_authorization\" to 'u2'",
      "set \"search_path\" to 'x'",
      // a CALL runs a body whose auth-carrying statements are judged only where the CALL is seen
      "call p()", "CALL s.p(1, 'x')", "call \"P\"()", "Call p", "{call p()}", "{ call s.p(?) }", "{?= call f(?)}",
      "{fn ucase('a')}",
      // DDL that may change what a later CALL runs, whose bodies are looked up before the text runs
      "create or replace procedure p() language plpgsql as $q$ begin null; end $q$",
      "create function f() returns int as $q$ select 1 $q$ language sql", "CREATE OR REPLACE FUNCTION s.f(int)",
      "create extension x", "alter procedure p() security definer", "alter procedure p() owner to u",
      "alter function f() rename to g", "alter routine p() set search_path to s", "alter extension x update",
      "alter schema s rename to t", "alter schema \"s\" rename to t", "do $q$ begin null; end $q$",
      "do language plpgsql $q$ begin null; end $q$", "DO 'begin null; end'"})
  void aHiddenStatementThatStartsACommandIsRefused(String statement) throws IOException {
    assertThat(problems(hiding(statement))).singleElement().satisfies(n -> assertThat(n).isPositive());
  }

  /** A CALL hidden by each form of a backslash in a literal that another lexer reads otherwise. */
  @ParameterizedTest
  @ValueSource(strings = {"select 'a\\'; %s; --'", "select 'a\\' as x; %s; select 1 -- '",
      "select 'a\\'' /* ' ; %s; -- */", "select e'a\\'; %s; --'"})
  void aHiddenCallIsRefusedInEveryHidingForm(String form) throws IOException {
    for (String call : List.of("call p()", "{call p()}")) {
      String sql = String.format(form, call);
      assertThat(problems(sql)).as(sql).anySatisfy(n -> assertThat(n).isPositive());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"select 1", "insert into t values (1, 2)", "select iam_role from t", "alter schema s owner to u",
      "drop procedure p()", "create table procedure (a int)", "do this now", "create temp table f (a int)",
      "alter user u set search_path to s"})
  void aHiddenStatementWithoutAuthIsNotRefused(String statement) throws IOException {
    assertThat(problems(hiding(statement))).containsExactly(0);
  }

  @Test
  void anAuthClauseFarIntoALongHiddenStatementIsFound() throws IOException {
    String columns = "1, ".repeat(20_000);
    assertThat(problems(hiding("select " + columns + "2 iam_role 'x'"))).singleElement()
        .satisfies(n -> assertThat(n).isPositive());
    assertThat(problems(hiding("select " + columns + "2 as iam_role"))).containsExactly(0);
  }

  @Test
  void aSpaceLikeCharacterInAHiddenStatementWithAnAuthWordIsRefused() throws IOException {
    // U+00A0 inside a name: part of the name to Redshift, a space to a careless reader
    assertThat(problems(hiding("select x\u00A0y, iam_role from t"))).singleElement()
        .satisfies(n -> assertThat(n).isPositive());
    assertThat(problems(hiding("select iam_role, x\u00A0y from t"))).singleElement()
        .satisfies(n -> assertThat(n).isPositive());
    assertThat(problems(hiding("select x\u00A0copy from t"))).singleElement()
        .satisfies(n -> assertThat(n).isPositive());
    assertThat(problems(hiding("select x\u00A0y from t"))).containsExactly(0);
  }
}
