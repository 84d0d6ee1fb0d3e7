package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reading probe F4: where Redshift's reading has a comment between statements or after the last
 * one, a reading without backslash escapes (PostgreSQL with {@code standard_conforming_strings=on})
 * may still be inside a literal a backslash left open earlier, close it in the comment and read an
 * auth clause or command after it. The ambiguity check found such a clause, but only a clause inside
 * a statement's tokens was attached to a statement, so the text went through. For every place
 * between or after statements, both kinds of comment, clauses and whole commands, and the literals
 * that open the difference, the text holds a statement that answers for it, whole and in pieces of
 * every size, and the same statements answer for it either way.
 */
class HiddenBetweenStatementsTest {
  private static final String ROLE = "'arn:aws:iam::123456789012:role/R'";
  /** Statements whose literal Redshift closes and a reading without backslash escapes leaves open. */
  private static final List<String> OPENERS = List.of("select 'a\\''", "select 'it\\'s'", "insert into t values ('x\\'')");
  /** What the other reading reads after it closes its literal at the comment's quote. */
  private static final List<String> HIDDEN = List.of("iam_role " + ROLE, "credentials 'aws_iam_role=arn:aws:iam::1:role/R'",
      "; copy t from 's3://b/k' iam_role " + ROLE + ";", "; unload ('select 1') to 's3://b/u' iam_role default;",
      "; create external schema s from data catalog database 'd' iam_role " + ROLE + ";");

  /** Comments holding the other reading's quote, then the hidden part, ending before the next line. */
  private static List<String> comments(String hidden) {
    return List.of("-- ' " + hidden + "\n", "/* ' " + hidden + " */", "/* x */ -- ' " + hidden + "\n",
        "/* ' " + hidden + " /* nested */ */");
  }

  /** The texts: an opener, then a comment at each place between or after statements. */
  static List<String> texts() {
    List<String> texts = new ArrayList<>();
    for (String opener : OPENERS) {
      for (String hidden : HIDDEN) {
        for (String comment : comments(hidden)) {
          texts.add(opener + " " + comment); // after the last token, at the text's end
          texts.add(opener + " " + comment + ";"); // after the last token, before its ';'
          texts.add(opener + "; " + comment); // after the last ';'
          texts.add(opener + ";" + comment + "select 2"); // between two statements
          texts.add(opener + "; ;" + comment + ";; select 2;"); // among empty statements
          texts.add(opener + "; select 2; " + comment); // after a later statement, the literal still open
          texts.add(opener + "; select 2 " + comment + "; select 3"); // after a later statement's last token
          texts.add("select 1; " + opener + " " + comment + "\n"); // the opener not first
        }
      }
    }
    return texts;
  }

  /** The offsets of the problems each statement answers for, in order. */
  private static List<List<Integer>> problems(List<SqlStatement> statements) {
    List<List<Integer>> offsets = new ArrayList<>();
    for (SqlStatement statement : statements) {
      offsets.add(statement.command().problems().stream().map(Problem::offset).toList());
    }
    return offsets;
  }

  @Test
  void aClauseAnotherReadingShowsInACommentOutsideEveryStatementIsAnswered() throws IOException {
    int checked = 0;
    for (String text : texts()) {
      Tokens tokens = Lexer.tokenize(text);
      int[] hidden = AmbiguityCheck.hiddenAuth(text, tokens);
      assertThat(hidden).as("premise: the other reading shows a clause in %s", text).isNotEmpty();
      List<SqlStatement> whole = SqlScript.parse(text).statements();
      List<Integer> answered = problems(whole).stream().flatMap(List::stream).toList();
      for (int offset : hidden) {
        assertThat(answered).as("%s: the clause at %d", text, offset).contains(offset);
      }
      // the statements Redshift's lexer delimits are unchanged; one after them answers for a clause there
      List<SqlStatement> delimited = whole.stream().filter(SqlStatement::rewritable).toList();
      assertThat(delimited).as(text).isNotEmpty().allSatisfy(s -> assertThat(s.text()).doesNotStartWith(";"));
      assertThat(whole.subList(0, delimited.size())).as(text).isEqualTo(delimited);
      assertThat(whole.size() - delimited.size()).as(text).isLessThanOrEqualTo(1);
      for (int chunk : new int[] {1, 5, 16, 64}) {
        List<SqlStatement> inPieces = new ArrayList<>();
        int offset = 0;
        try (ScriptReader reader = new ScriptReader(new StringReader(text), chunk)) {
          for (SqlScript piece = reader.next(); piece != null; piece = reader.next()) {
            inPieces.addAll(piece.statements());
          }
        }
        assertThat(inPieces.stream().map(SqlStatement::text).toList()).as("%s in pieces of %d", text, chunk)
            .isEqualTo(whole.stream().map(SqlStatement::text).toList());
        assertThat(inPieces.stream().map(s -> s.command().problems().size()).toList())
            .as("%s in pieces of %d", text, chunk).isEqualTo(whole.stream().map(s -> s.command().problems().size()).toList());
        checked++;
      }
    }
    assertThat(checked).isEqualTo(OPENERS.size() * HIDDEN.size() * 4 * 8 * 4);
  }

  @Test
  void aCommentOutsideEveryStatementWithoutAnotherReadingsClauseAddsNothing() {
    for (String text : List.of("select 'a\\''; -- ' nothing here\n", "select 'a\\'' /* ' select 2 */",
        "select 'a'; -- iam_role " + ROLE + "\n", "select 1; /* ' ; copy t from 's3://b/k' iam_role " + ROLE + " */")) {
      assertThat(problems(SqlScript.parse(text).statements())).as(text).allSatisfy(p -> assertThat(p).isEmpty());
    }
  }
}
