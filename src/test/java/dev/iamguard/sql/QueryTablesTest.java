package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The JSqlParser bridge is bounded: crafted nesting yields "tables unknown", never a long parse. */
class QueryTablesTest {
  @Test
  void tablesOfOrdinaryQueriesAreListed() {
    assertThat(QueryTables.reads("select v.a from venue v join event e on e.id = v.id where e.x in (select x from sales)",
        TimeUnit.MINUTES.toMillis(2)))
        .containsExactlyInAnyOrder("venue", "event", "sales");
  }

  @Test
  void nestingCountsParenthesesOfCodeOnly() {
    assertThat(QueryTables.nesting("select ((1)) from t where a = '((((' -- ((((\n and b = $$(((($$")).isEqualTo(2);
    assertThat(QueryTables.nesting("select 1")).isZero();
  }

  @Test
  void deeplyNestedParenthesesAreNotParsed() {
    String deep = "select " + "(".repeat(QueryTables.MAX_NESTING + 1) + "1" + ")".repeat(QueryTables.MAX_NESTING + 1)
        + " from deep_table";
    assertThat(QueryTables.reads(deep)).isEmpty();
    String tooLong = "select 1 from t where a = '" + "x".repeat(QueryTables.MAX_QUERY_LENGTH) + "'";
    assertThat(QueryTables.reads(tooLong)).isEmpty();
  }

  /** Simple parsing handles deep nesting quickly; complex parsing (exponential) is not tried that deep. */
  @Test
  void nestingTheSimpleParseHandlesStillListsTables() {
    String nested = "select * from t14 where " + "(".repeat(14) + "a = 1" + ")".repeat(14);
    // a budget that only guards against a hang: what is tested is the nesting, not the machine's speed
    assertThat(QueryTables.reads(nested, TimeUnit.MINUTES.toMillis(2))).containsExactly("t14");
  }

  @Test
  void whatJsqlParserCannotReadIsUnknown() {
    assertThat(QueryTables.reads("this is not sql (((")).isEmpty();
    assertThat(QueryTables.reads("select from where (((((((((( ))")).isEmpty();
  }

  @Test
  void anAnswerOutOfBudgetIsNotRemembered() {
    String query = "select * from t_budget where " + "(".repeat(12) + "a = 1" + ")".repeat(12);
    assertThat(QueryTables.reads(query, 0)).as("no time at all: unknown").isEmpty();
    assertThat(QueryTables.reads(query, TimeUnit.MINUTES.toMillis(2))).as("asked again with time").containsExactly("t_budget");
  }

  /** The depth is the deepest point, not the number of parentheses: closing one goes back up. */
  @Test
  void nestingIsTheDeepestPointOfOpenParentheses() {
    assertThat(QueryTables.nesting("select (a), (b), (c) from t")).isEqualTo(1);
    assertThat(QueryTables.nesting("select (1), ((2)), (3) from (select 1) s")).isEqualTo(2);
    assertThat(QueryTables.nesting("select a) from (t")).isZero();
    assertThat(QueryTables.nesting("(((")).isEqualTo(3);
    assertThat(QueryTables.nesting("(()(()))")).isEqualTo(3);
  }

  /** A query is looked up by its text: asking again gives the same tables. */
  @Test
  void theSameQueryGivesTheSameTables() {
    String query = "select a from cached_table_" + System.nanoTime();
    List<String> first = QueryTables.reads(query, TimeUnit.MINUTES.toMillis(2));
    assertThat(first).hasSize(1).allMatch(table -> table.startsWith("cached_table_"));
    assertThat(QueryTables.reads(query, 0)).as("remembered: no parse, so no budget needed").isEqualTo(first);
  }
}
