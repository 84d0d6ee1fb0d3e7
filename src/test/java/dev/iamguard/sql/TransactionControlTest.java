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
        {"start\n  transaction read only", "BEGIN_READ_ONLY"}, {"begin read only, read write", "BEGIN"},
        {"set transaction read only", "READ_ONLY"}, {"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY", "READ_ONLY"},
        {"set transaction read write", "NONE"}, {"set search_path to x", "NONE"}, {"/* opens */ start transaction", "BEGIN"},
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

  /** Each form as words, and what it does. */
  private static final String[][] FORMS = {
      {"start transaction", "BEGIN"}, {"begin transaction isolation level read committed , read only", "BEGIN_READ_ONLY"},
      {"set transaction read only", "READ_ONLY"}, {"begin work read only", "BEGIN_READ_ONLY"},
      {"start transaction read write", "BEGIN"}, {"commit transaction", "COMMIT"}, {"end work", "COMMIT"},
      {"rollback work", "ROLLBACK"}, {"abort transaction", "ROLLBACK"},
      {"rollback to savepoint s", "ROLLBACK_TO_SAVEPOINT"}, {"rollback transaction to s", "ROLLBACK_TO_SAVEPOINT"},
      {"rollback to \"S p\"", "ROLLBACK_TO_SAVEPOINT"},
      // what Redshift's grammar does not have is a syntax error, which aborts the transaction (probe 23d F5)
      {"commit and chain", "ABORTS_A_TRANSACTION"}, {"end and no chain", "ABORTS_A_TRANSACTION"},
      {"rollback and chain", "ABORTS_A_TRANSACTION"}, {"abort and chain", "ABORTS_A_TRANSACTION"},
      {"commit prepared 'x'", "ABORTS_A_TRANSACTION"}, {"begin deferred", "ABORTS_A_TRANSACTION"},
      {"rollback to", "ABORTS_A_TRANSACTION"}, {"start transaction isolation level sometimes", "ABORTS_A_TRANSACTION"},
      // "TRUNCATE commits the transaction in which it is run" (probe 23b F4)
      {"truncate t", "COMMIT"}, {"truncate table s.t", "COMMIT"},
      {"drop database d", "ABORTS_A_TRANSACTION"}, {"create tablespace x", "ABORTS_A_TRANSACTION"},
      {"reindex database d", "ABORTS_A_TRANSACTION"}, {"drop external table s.t", "ABORTS_A_TRANSACTION"},
      {"alter table t append from u", "ABORTS_A_TRANSACTION"}, {"alter table t rename to append", "NONE"},
      {"create table database_t (a int)", "NONE"}, {"drop table tablespace", "NONE"}};

  /** What may stand between two words: the server reads each as a separator (probe 23d F1, probe 23b F2). */
  private static final String[] BETWEEN = {" ", "\n\t ", "/* c */", "/**/", "/* a /* nested */ b */", " -- c\n",
      "--\n", "/* ; */"};

  static Stream<Arguments> spellings() {
    java.util.List<Arguments> all = new java.util.ArrayList<>();
    java.util.Random random = new java.util.Random(23L);
    for (String[] form : FORMS) {
      String[] words = form[0].split(" (?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
      for (String between : BETWEEN) {
        for (int variant = 0; variant < 3; variant++) {
          StringBuilder sql = new StringBuilder();
          for (int w = 0; w < words.length; w++) {
            String word = words[w];
            sql.append(variant == 1 ? word.toUpperCase(java.util.Locale.ROOT)
                : variant == 2 && random.nextBoolean() ? word.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                    + word.substring(1) : word);
            if (w + 1 < words.length) {
              // a separator only where the next token does not start on its own (a quoted name, a comma)
              sql.append(words[w + 1].startsWith("\"") && variant == 2 ? between.replace(" ", "") : between);
            }
          }
          all.add(Arguments.of(sql.toString(), form[1]));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("spellings")
  void readsTheWordsAsTheServerDoesWhateverStandsBetweenThem(String sql, String expected) {
    SqlStatement statement = SqlScript.parse(sql + ";").statements().get(0);
    assertThat(TransactionControl.of(statement)).as(sql).isEqualTo(TransactionControl.valueOf(expected));
  }
}
