package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlScriptTest {

  static List<String> texts(String sql) {
    return SqlScript.parse(sql).statements().stream().map(SqlStatement::text).toList();
  }

  @Test
  void splitsAtSemicolons() {
    assertThat(texts("select 1; select 2;select 3")).containsExactly("select 1", "select 2", "select 3");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "select 'a;b'", "select \"a;b\" from t", "select $$a;b$$", "select $x$ ; $x$",
      "select 1 -- a;b", "select 1 /* a;b */", "select 'it''s;' ", "select 'a\\';b'"})
  void semicolonInsideQuotesOrCommentsDoesNotSplit(String sql) {
    List<String> texts = texts(sql + "\n; select 2");
    assertThat(texts).hasSize(2);
    assertThat(sql).startsWith(texts.get(0));
    assertThat(texts.get(1)).isEqualTo("select 2");
  }

  @Test
  void trailingCommentIsNotAStatement() {
    assertThat(texts("select 1; -- the end\n/* really */")).containsExactly("select 1");
  }

  @Test
  void emptyStatementsAreNotStatements() {
    assertThat(texts(";; select 1;;")).containsExactly("select 1");
    assertThat(texts("   ")).isEmpty();
    assertThat(texts("")).isEmpty();
  }

  @Test
  void lineAndColumnOfFirstToken() {
    List<SqlStatement> statements = SqlScript.parse(
        "-- header\nselect 1;\n  /* c */ copy t from 's3://b/k' iam_role default;\n\tunload ('x') to 's3://b/u'").statements();
    assertThat(statements).extracting(SqlStatement::line).containsExactly(2, 3, 4);
    assertThat(statements).extracting(SqlStatement::column).containsExactly(1, 11, 2);
    assertThat(statements).extracting(SqlStatement::index).containsExactly(1, 2, 3);
  }

  @Test
  void statementSpanExcludesTerminatorAndKeepsExactText() {
    String sql = "select 1 ;\ncopy t from 's3://b/k' iam_role default ;";
    SqlStatement copy = SqlScript.parse(sql).statements().get(1);
    assertThat(copy.text()).isEqualTo("copy t from 's3://b/k' iam_role default");
    assertThat(sql.substring(copy.start(), copy.end())).isEqualTo(copy.text());
  }

  @Test
  void unterminatedLiteralSwallowsTheRest() {
    List<SqlStatement> statements = SqlScript.parse("select 1; select 'a; select 2").statements();
    assertThat(statements).hasSize(2);
    assertThat(statements.get(1).text()).isEqualTo("select 'a; select 2");
  }

  @Test
  void plainScriptNeedsNoInspection() {
    assertThat(SqlScript.parse("select 1; insert into t values ('iam_role'); select iam_role from t")
        .needsInspection()).isFalse();
    assertThat(SqlScript.parse("select 1; copy t from 's3://b' iam_role default").needsInspection()).isTrue();
  }

  @Test
  void otherStatementsShareOneCommand() {
    SqlScript script = SqlScript.parse("select 1; select 2");
    assertThat(script.statements().get(0).command()).isSameAs(RedshiftCommand.OTHER);
    assertThat(script.statements().get(1).command()).isSameAs(RedshiftCommand.OTHER);
  }
}
