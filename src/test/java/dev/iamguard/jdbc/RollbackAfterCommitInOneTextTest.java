package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text whose COMMIT is followed by a ROLLBACK or ABORT (or a ROLLBACK TO SAVEPOINT) while a GRANT
 * or REVOKE ASSUMEROLE of an earlier text is pending (auto-commit off through JDBC, or a BEGIN text
 * on H2): the COMMIT keeps the pending change, and what follows it in the text has nothing of the
 * earlier texts left to take back. Red-team review (ScriptFacesAgreeTest): the guard threw a
 * NullPointerException out of {@code Statement.execute} after the text ran (16 of 16 shapes). The
 * oracle: no exception, and every later decision, for each user, the same as on a connection that
 * sent the COMMIT alone (which differ, for each change, from those after a ROLLBACK alone).
 */
class RollbackAfterCommitInOneTextTest {
  private static final String CU = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  private static final String CHAIN = "arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB";
  private static final List<String> CHANGES = List.of("grant assumerole on '" + CHAIN + "' to user2 for copy",
      "revoke assumerole on '" + CU + "' from user1 for copy", "REVOKE ASSUMEROLE ON '" + CHAIN + "' FROM user1 FOR ALL");
  private static final List<String> ENDS = List.of("commit; rollback", "COMMIT; ABORT", "commit; select 1; rollback",
      "end transaction; begin; rollback", "commit work; rollback work", "end; abort");
  private static final List<String> COPIES = List.of("copy t from 's3://acmedata/redshift/in/' iam_role '" + CU + "'",
      "copy t from 's3://companyb/redshift/in/' iam_role '" + CHAIN + "'");

  @TempDir
  Path dir;

  @Test
  void aRollbackAfterTheCommitOfTheSameTextTakesNothingBackAndThrowsNothing() throws Exception {
    List<String> failed = new ArrayList<>();
    int cases = 0;
    for (boolean jdbc : new boolean[] {true, false}) {
      for (String change : CHANGES) {
        for (String end : ENDS) {
          cases++;
          List<Boolean> after;
          try {
            after = decisionsAfter(jdbc, change, end);
          } catch (RuntimeException e) {
            failed.add((jdbc ? "setAutoCommit(false)" : "begin") + ", " + change + ", '" + end + "': " + e);
            continue;
          }
          List<Boolean> commitAlone = decisionsAfter(jdbc, change, "commit");
          // the control: the decisions see the change (a ROLLBACK alone takes it back)
          assertThat(decisionsAfter(jdbc, change, "rollback")).as(change).isNotEqualTo(commitAlone);
          if (!after.equals(commitAlone)) {
            failed.add((jdbc ? "setAutoCommit(false)" : "begin") + ", " + change + ", '" + end + "': " + after
                + " where the COMMIT alone gives " + commitAlone);
          }
        }
      }
    }
    assertThat(cases).isEqualTo(2 * 3 * 6);
    assertThat(failed).isEmpty();
  }

  /** Whether each COPY is allowed for user1, user2 and user3 after the change and the end text. */
  private List<Boolean> decisionsAfter(boolean jdbc, String change, String end) throws SQLException {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID());
    DataSource guarded = GuardDataSource.builder(h2).registry(Path.of("samples/registry.yaml")).user("user1")
        .localS3(dir.resolve("s3")).unpooled().build();
    List<Boolean> allowed = new ArrayList<>();
    try (Connection connection = guarded.getConnection(); Statement statement = connection.createStatement()) {
      if (jdbc) {
        connection.setAutoCommit(false);
      } else {
        statement.execute("begin");
      }
      statement.execute(change);
      statement.execute(end);
      connection.setAutoCommit(true);
      for (String user : List.of("user1", "user2", "user3")) {
        statement.execute("set session authorization " + user);
        for (String copy : COPIES) {
          try {
            connection.nativeSQL(copy); // decided as it would be sent, nothing sent
            allowed.add(true);
          } catch (GuardDeniedException e) {
            allowed.add(false);
          }
        }
      }
    }
    return allowed;
  }
}
