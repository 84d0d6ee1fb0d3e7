package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A statement's place in its script, the positions inside it, and the target of an INSERT. */
class SqlStatementTest {
  @Test
  void positionsInsideAStatementCountLinesAndColumnsFromItsStart() {
    String sql = "select 1;\n  copy t\n  from 's3://b/k'\n  iam_role default;";
    List<SqlStatement> statements = SqlScript.parse(sql).statements();
    assertThat(statements).hasSize(2);
    SqlStatement copy = statements.get(1);
    assertThat(new int[] {copy.index(), copy.line(), copy.column()}).containsExactly(2, 2, 3);
    assertThat(copy.text()).isEqualTo("copy t\n  from 's3://b/k'\n  iam_role default");
    assertThat(copy.source()).isSameAs(sql);
    assertThat(copy.lineAndColumn(copy.start())).containsExactly(2, 3);
    assertThat(copy.lineAndColumn(sql.indexOf("from"))).containsExactly(3, 3);
    assertThat(copy.lineAndColumn(sql.indexOf("default"))).containsExactly(4, 12);
    assertThat(copy.lineAndColumn(sql.indexOf("default") + 1)).containsExactly(4, 13);
    assertThat(copy.lineAndColumn(0)).as("held to the statement's start").containsExactly(2, 3);
    assertThat(copy.lineAndColumn(-5)).containsExactly(2, 3);
    assertThat(copy.toString()).isEqualTo("statement 2 (line 2, COPY)");
    SqlStatement other = copy.withCommand(RedshiftCommand.OTHER);
    assertThat(other.command()).isSameAs(RedshiftCommand.OTHER);
    assertThat(new int[] {other.index(), other.line(), other.column(), other.start(), other.end()})
        .containsExactly(copy.index(), copy.line(), copy.column(), copy.start(), copy.end());
    assertThat(other.rewritable()).isEqualTo(copy.rewritable());
    assertThat(other.text()).isEqualTo(copy.text());
  }

  @Test
  void theTargetOfAnInsertIsItsTableAsWritten() {
    assertThat(target("insert into t values (1)")).isEqualTo("t");
    assertThat(target("INSERT INTO s.t (a, b) select 1")).isEqualTo("s.t");
    assertThat(target("select 1; insert into db.s.\"T x\" values (1)")).isEqualTo("db.s.\"T x\"");
    assertThat(target("insert t values (1)")).isNull();
    assertThat(target("select * from t")).isNull();
    assertThat(target("into t")).isNull();
    String longTail = "insert into s.t values ('" + "x".repeat(3000) + "')";
    assertThat(target(longTail)).isEqualTo("s.t");
  }

  private static String target(String sql) {
    List<SqlStatement> statements = SqlScript.parse(sql).statements();
    return statements.get(statements.size() - 1).insertTarget();
  }
}
