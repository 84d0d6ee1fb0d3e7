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
        {"set transaction read write", "SET_TRANSACTION"}, {"set search_path to x", "NONE"}, {"/* opens */ start transaction", "BEGIN"},
        // START without TRANSACTION is a syntax error, which aborts a transaction (TransactionShapesServerTest)
        {"start something", "ABORTS_A_TRANSACTION"}, {"commit", "COMMIT"}, {"COMMIT WORK", "COMMIT"}, {"end", "COMMIT"},
        {"End Transaction", "COMMIT"}, {"rollback", "ROLLBACK"}, {"ABORT", "ROLLBACK"}, {"rollback work", "ROLLBACK"},
        {"rollback to savepoint a", "ROLLBACK_TO_SAVEPOINT"}, {"ROLLBACK TRANSACTION TO b", "ROLLBACK_TO_SAVEPOINT"},
        {"vacuum delete only t to 75 percent", "ABORTS_A_TRANSACTION"}, {"create database d", "ABORTS_A_TRANSACTION"},
        {"create database d from arn 'arn:aws:glue:us-east-1:123456789012:database/x' iam_role default",
            "ABORTS_A_TRANSACTION"},
        {"Drop Database d", "ABORTS_A_TRANSACTION"}, {"drop external table s.t", "ABORTS_A_TRANSACTION"},
        {"create external table s.t (a int) location 's3://b/t/'", "ABORTS_A_TRANSACTION"},
        {"alter table t append from u", "ABORTS_A_TRANSACTION"}, {"alter table t add column c int", "NONE"},
        {"create table t (a int)", "NONE"}, {"select 1", "NONE"}, {"end_date", "NONE"}, {"beginning", "NONE"},
        {"committed", "NONE"}, {"savepoint a", "SAVEPOINT"}, {"vacuuming", "NONE"}, {"insert into t values (1)", "NONE"}};
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
      {"rollback to", "ABORTS_A_TRANSACTION"}, {"abort to savepoint s", "ABORTS_A_TRANSACTION"},
      {"savepoint select", "ABORTS_A_TRANSACTION"}, {"release savepoint s t", "ABORTS_A_TRANSACTION"},
      {"release savepoint s", "RELEASE_SAVEPOINT"}, {"set transaction read only x", "ABORTS_A_TRANSACTION"},
      // it fails, and so rolls back, or the transaction leaves the session (TransactionShapesServerTest)
      {"prepare transaction 'x'", "ROLLBACK"}, {"prepare transaction as select 1", "NONE"}, {"start transaction isolation level sometimes", "ABORTS_A_TRANSACTION"},
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

  /**
   * Texts of several statements (the forms above, spelled as the server reads them, joined by
   * separators and comments): {@link TransactionControl#ofText} reads the controls of each statement
   * in order, leaving out those that do nothing, the first time and when the same text (or an equal
   * copy of it) is read again from what was kept, and an edited text is read anew.
   */
  @org.junit.jupiter.api.Test
  void readsTheControlsOfEveryStatementOfATextInOrderWhetherKeptOrNot() {
    java.util.List<Arguments> spelled = spellings().toList();
    java.util.Random random = new java.util.Random(25L);
    String[] joints = {";", "; ", ";\n", "; -- c\n", ";/* ; */ "};
    for (int n = 0; n < 400; n++) {
      StringBuilder text = new StringBuilder();
      java.util.List<TransactionControl> expected = new java.util.ArrayList<>();
      for (int k = random.nextInt(5); k >= 0; k--) {
        Object[] pick = spelled.get(random.nextInt(spelled.size())).get();
        if (random.nextInt(3) == 0) {
          pick = new Object[] {random.nextBoolean() ? "insert into t values (1)" : "select 'commit; rollback'", "NONE"};
        }
        text.append(pick[0]).append(joints[random.nextInt(joints.length)]);
        TransactionControl control = TransactionControl.valueOf((String) pick[1]);
        if (control != TransactionControl.NONE) {
          expected.add(control);
        }
      }
      String sql = text.toString();
      java.util.List<TransactionControl> perStatement = SqlScript.parse(sql).statements().stream()
          .map(TransactionControl::of).filter(c -> c != TransactionControl.NONE).toList();
      assertThat(perStatement).as(sql).isEqualTo(expected);
      assertThat(TransactionControl.ofText(sql)).as(sql).isEqualTo(expected);
      assertThat(TransactionControl.ofText(new String(sql.toCharArray()))).as("again: " + sql).isEqualTo(expected);
      String edited = sql + "commit;";
      java.util.List<TransactionControl> more = new java.util.ArrayList<>(expected);
      more.add(TransactionControl.COMMIT);
      assertThat(TransactionControl.ofText(edited)).as(edited).isEqualTo(more);
    }
  }
}
