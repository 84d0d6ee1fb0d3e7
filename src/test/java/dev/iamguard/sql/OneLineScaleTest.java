package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Minified SQL, everything on one line: the line and column of each statement are found without
 * searching the rest of the line again for each of them. Before, a procedure body of 500,000
 * EXECUTEs on one line (9.5 MB) took 108 s to check, each EXECUTE searching the rest of the line
 * for its end; the timeouts are hang guards against that growth (about 7 minutes for a million),
 * not time budgets: these inputs take a few seconds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OneLineScaleTest {
  private static final String COPY = "copy t from 's3://b/k' iam_role 'arn:aws:iam::123456789012:role/A'";

  @Test
  void aProcedureBodyOfAMillionExecutesOnOneLineKeepsEachStatementsColumn() {
    int executes = 1_000_000;
    String head = "create procedure p() as $$ begin ";
    String execute = "execute 'select 1';";
    String last = "execute $q$" + COPY + "$q$;";
    String sql = head + execute.repeat(executes) + last + " end $$ language plpgsql";

    SqlScript script = SqlScript.parse(sql);

    RedshiftCommand procedure = script.statements().get(0).command();
    assertThat(procedure.problems()).isEmpty();
    assertThat(procedure.body()).singleElement().satisfies(copy -> {
      assertThat(copy.text()).isEqualTo(COPY);
      // a statement of an EXECUTE text is placed where its first token was written: inside the
      // literal after EXECUTE, past its $q$ (it was placed at the literal's start before)
      int textStart = head.length() + execute.length() * executes + "execute ".length();
      assertThat(copy.source().substring(copy.start(), copy.end())).isEqualTo(COPY); // offsets of the EXECUTE's text
      assertThat(copy.line()).isEqualTo(1);
      assertThat(copy.column()).isEqualTo(textStart + "$q$".length() + 1);
      assertThat(copy.lineAndColumn(copy.start() + COPY.indexOf("iam_role")))
          .containsExactly(1, textStart + "$q$".length() + COPY.indexOf("iam_role") + 1);
    });
  }

  @Test
  void aScriptOfAMillionStatementsOnOneLineAfterALineBreakNumbersThemAll() {
    int selects = 1_000_000;
    String first = "select 1;\r\n";
    String select = "select 1;";
    String half = select.repeat(selects / 2);
    String sql = first + half + COPY + ";" + half + COPY + ";";

    SqlScript script = SqlScript.parse(sql);

    assertThat(script.statementCount()).isEqualTo(selects + 3);
    assertThat(script.inspectable()).extracting(SqlStatement::text).containsExactly(COPY, COPY);
    int middle = first.length() + half.length();
    int end = middle + COPY.length() + 1 + half.length();
    assertThat(script.inspectable()).extracting(SqlStatement::start).containsExactly(middle, end);
    assertThat(script.inspectable()).extracting(SqlStatement::line).containsExactly(2, 2);
    assertThat(script.inspectable()).extracting(SqlStatement::column)
        .containsExactly(middle - first.length() + 1, end - first.length() + 1);
    SqlStatement lastSelect = script.statements().get(selects + 1);
    assertThat(lastSelect.text()).isEqualTo("select 1");
    assertThat(lastSelect.line()).isEqualTo(2);
    assertThat(lastSelect.column()).isEqualTo(end - first.length() + 1 - select.length());
  }

  /**
   * psql ends a statement at each {@code \g}, and the command's line leads the next statement:
   * 200,000 of them on one line were each read to the line's far end (probe 19c: 80,000 took 26 s,
   * quadratic). Each statement after the first is led by a line that is a problem.
   */
  @Test
  void twoHundredThousandStatementsEndedByBackslashGOnOneLineAreReadOnce() throws java.io.IOException {
    int sends = 200_000;
    String sql = "select 1 \\g ".repeat(sends) + COPY + ";\n";
    int statements = 0;
    int withProblems = 0;
    try (ScriptReader reader = new ScriptReader(new java.io.StringReader(sql), ScriptReader.DEFAULT_CHUNK, true)) {
      for (SqlScript piece = reader.next(); piece != null; piece = reader.next()) {
        for (SqlStatement statement : piece.statements()) {
          statements++;
          withProblems += statement.command().problems().isEmpty() ? 0 : 1;
        }
      }
    }
    assertThat(statements).isEqualTo(sends + 1);
    // the first statement has no meta-command line before it; each later one is led by a line
    // holding another backslash, or by the last \g, whose argument is the COPY psql does not send
    assertThat(withProblems).as("every statement after the first").isEqualTo(sends);
  }
}
