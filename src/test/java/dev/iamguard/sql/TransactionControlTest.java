package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transaction statements as Redshift writes them, in any case, spacing and with comments before
 * them, and statements whose first word only starts like one.
 */
class TransactionControlTest {
  static Stream<Arguments> statements() {
    String[][] cases = {
        {"begin", "BEGIN"}, {"Begin Work", "BEGIN"}, {"BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE", "BEGIN"},
        {"start\n  transaction read only", "BEGIN"}, {"/* opens */ start transaction", "BEGIN"},
        {"start something", "NONE"}, {"commit", "COMMIT"}, {"COMMIT WORK", "COMMIT"}, {"end", "COMMIT"},
        {"End Transaction", "COMMIT"}, {"rollback", "ROLLBACK"}, {"ABORT", "ROLLBACK"}, {"rollback work", "ROLLBACK"},
        {"rollback to savepoint a", "ROLLBACK_TO_SAVEPOINT"}, {"ROLLBACK TRANSACTION TO b", "ROLLBACK_TO_SAVEPOINT"},
        {"vacuum delete only t to 75 percent", "ABORTS_A_TRANSACTION"}, {"create database d", "ABORTS_A_TRANSACTION"},
        {"create database d from arn 'arn:aws:glue:us-east-1:123456789012:database/x' iam_role default",
            "ABORTS_A_TRANSACTION"},
        {"Drop Database d", "ABORTS_A_TRANSACTION"}, {"drop external table s.t", "ABORTS_A_TRANSACTION"},
        {"create external table s.t (a int) location 's3://b/t/'", "ABORTS_A_TRANSACTION"},
        {"alter table t append from u", "ABORTS_A_TRANSACTION"}, {"alter table t add column c int", "NONE"},
        {"create table t (a int)", "NONE"}, {"select 1", "NONE"}, {"end_date", "NONE"}, {"beginning", "NONE"},
        {"committed", "NONE"}, {"savepoint a", "NONE"}, {"vacuuming", "NONE"}, {"insert into t values (1)", "NONE"}};
    return Stream.of(cases).map(c -> Arguments.of(c[0], c[1]));
  }

  @ParameterizedTest
  @MethodSource("statements")
  void readsTheFirstWords(String sql, String expected) {
    SqlStatement statement = SqlScript.parse(sql).statements().get(0);
    assertThat(TransactionControl.of(statement)).as(sql).isEqualTo(TransactionControl.valueOf(expected));
  }
}
