package dev.iamguard.sql;

import static dev.iamguard.sql.GrammarTest.A;
import static dev.iamguard.sql.GrammarTest.one;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a procedure body's statements start, what an EXECUTE covers, and what its text hides. */
class ProcedureBodyTest {
  private static final String COPY = "copy t from 's3://b/k' iam_role '" + A + "'";

  private static RedshiftCommand procedure(String body) {
    return one("create procedure p(v varchar) as $$ " + body + " $$ language plpgsql");
  }

  /** A statement starts after a semicolon, BEGIN, THEN, ELSE, LOOP or a label, and at the body's start. */
  @ParameterizedTest
  @ValueSource(strings = {"", "null;", "begin", "if x then", "if x then null; else", "loop", "<<top>>",
      "BEGIN", "while x LOOP"})
  void aCommandAfterWhatEndsOrOpensABlockIsAStatementOfTheBody(String before) {
    String sql = "create procedure p(v varchar) as $$ " + before + " " + COPY + "; end $$ language plpgsql";
    RedshiftCommand c = one(sql);
    assertThat(c.problems()).as(before).isEmpty();
    assertThat(c.body()).as(before).singleElement().satisfies(s -> {
      assertThat(s.command().kind()).isEqualTo(CommandKind.COPY);
      assertThat(s.command().auth().roles()).containsExactly(A);
      assertThat(s.text()).isEqualTo(COPY);
      assertThat(sql.substring(s.start(), s.end())).isEqualTo(COPY);
    });
  }

  /** Inside another statement a command word starts nothing: its auth clause is outside any statement. */
  @ParameterizedTest
  @ValueSource(strings = {"perform x", "select a,", "x :=", "return", "(", "if x = "})
  void aCommandWordInsideAnotherStatementStartsNoStatement(String before) {
    RedshiftCommand c = procedure("begin " + before + " " + COPY + "; end;");
    assertThat(c.body()).as(before).isEmpty();
    assertThat(c.problems()).as(before).extracting(Problem::kind).containsExactly(Problem.Kind.UNPARSEABLE);
  }

  /** A dynamic EXECUTE is located at its text: from after EXECUTE up to INTO, USING, LOOP or the semicolon. */
  @Test
  void aDynamicExecuteSpansItsTextExactly() {
    for (String[] pair : List.of(
        new String[] {"execute v; end;", "v"},
        new String[] {"execute 'copy ' || v; end;", "'copy ' || v"},
        new String[] {"execute ('a' || v) into x; end;", "('a' || v)"},
        new String[] {"execute format('%s', v) using x; end;", "format('%s', v)"},
        new String[] {"for r in execute v loop null; end loop;", "v"},
        new String[] {"execute f(v, (w)) ; x := 1;", "f(v, (w))"},
        new String[] {"x := 1; execute", "execute"})) {
      String sql = "create procedure p(v varchar) as $$ " + pair[0] + " $$ language plpgsql";
      RedshiftCommand c = one(sql);
      assertThat(c.dynamicAuth()).as(pair[0]).singleElement()
          .satisfies(span -> assertThat(sql.substring(span.start(), span.end())).isEqualTo(pair[1]));
      assertThat(c.body()).isEmpty();
    }
  }

  /** A constant EXECUTE text is split like a script: each auth-carrying statement of it, with its own text. */
  @Test
  void theStatementsOfAConstantExecuteTextKeepTheirOwnText() {
    RedshiftCommand c = procedure("begin execute $q$select 1; " + COPY + "; unload ('select 2') to 's3://b/u' "
        + "iam_role default;; select 3$q$; end;");
    assertThat(c.dynamicAuth()).isEmpty();
    assertThat(c.body()).extracting(SqlStatement::text)
        .containsExactly(COPY, "unload ('select 2') to 's3://b/u' iam_role default");
  }

  /**
   * An EXECUTE text holding a literal with a backslash is read as other lexers read it too: a COPY
   * that only they see makes the procedure unparseable, as at top level.
   */
  @Test
  void anExecuteTextThatOtherLexersReadAsACopyIsAProblem() {
    RedshiftCommand hidden = procedure("begin execute $q$select 'a\\'; " + COPY + "; --'$q$; end;");
    assertThat(hidden.body()).singleElement().satisfies(s ->
        assertThat(s.command().problems()).extracting(Problem::kind).contains(Problem.Kind.UNPARSEABLE));
    RedshiftCommand plain = procedure("begin execute $q$select 'a\\\\'$q$; end;");
    assertThat(plain.body()).isEmpty();
    assertThat(plain.problems()).isEmpty();
  }

  /**
   * Reading probe F4 inside an EXECUTE text: a clause another reading shows in a comment between the
   * text's statements or after its last one is answered by the statement after it, or the last one
   * ({@link HiddenBetweenStatementsTest} at top level).
   */
  @Test
  void anExecuteTextHidingAClauseInACommentOutsideItsStatementsIsAProblem() {
    int checked = 0;
    for (String text : HiddenBetweenStatementsTest.texts()) {
      RedshiftCommand c = procedure("begin execute $q$" + text + "$q$; end;");
      assertThat(c.body()).as(text).anySatisfy(s ->
          assertThat(s.command().problems()).extracting(Problem::kind).contains(Problem.Kind.UNPARSEABLE));
      checked++;
    }
    assertThat(checked).isEqualTo(HiddenBetweenStatementsTest.texts().size());
  }
}
