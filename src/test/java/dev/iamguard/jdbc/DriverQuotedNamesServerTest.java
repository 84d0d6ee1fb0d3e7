package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Names the Redshift driver writes into SQL of its own, which the guard does not read (they are
 * listed, with that reason, in {@code not-sql-string-methods.txt}): it relies on the driver quoting
 * each as one identifier or literal. This holds the driver to that, with PostgreSQL 15 (backslashes
 * escaping in literals, as in Redshift) as the oracle, for names built to end the driver's statement
 * and start a COPY that the registry denies (a {@code ;}, quotes, backslashes, a comment, a dollar
 * quote, a line break): PostgreSQL has no {@code IAM_ROLE}, so a COPY it read as a statement would
 * fail there with a syntax error at it, and the log shows none. A driver upgrade that stopped
 * quoting one of them would send the COPY past the guard: this test turns red then.
 */
class DriverQuotedNamesServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String COPY = "copy rc_t from 's3://rc-evil/k' iam_role 'arn:aws:iam::999999999999:role/Unknown' csv";
  private static final String COPY_PARSED = "syntax error at or near \"iam_role\"";
  /** Names after which a COPY would stand as a statement of its own, were the name pasted as written. */
  private static final List<String> NAMES = List.of("a; " + COPY, "a\"; " + COPY + " --", "a\\\"; " + COPY,
      "a /* */; " + COPY, "a $$; " + COPY + "; $$", "a\n; " + COPY, "a\"\"; " + COPY);

  /**
   * The column names of {@code executeUpdate(sql, String[])}, {@code execute(sql, String[])},
   * {@code executeLargeUpdate(sql, String[])} and {@code prepareStatement(sql, String[])}, which the
   * driver appends to the checked text as {@code RETURNING "name"}: each is read as one column the
   * table does not have ({@code 42703} naming the whole name).
   */
  @Test
  void everyReturningColumnIsReadAsOneNameAndNoCopyRuns() throws Exception {
    try (Connection raw = POSTGRES.redshiftConnection(false, null); Statement s = raw.createStatement()) {
      s.execute("create table if not exists rc_t (a int, b int)");
    }
    List<String> wrong = new ArrayList<>();
    int cases = 0;
    for (String mode : new String[] {null, "simple", "extendedForPrepared"}) {
      try (Connection guarded = POSTGRES.redshiftConnection(true, mode)) {
        for (String name : NAMES) {
          for (int way = 0; way < 4; way++) {
            cases++;
            String[] columns = way == 3 ? new String[] {"b", name} : new String[] {name};
            try {
              run(guarded, way, columns);
              wrong.add(mode + "/" + way + " " + name + ": ran");
            } catch (SQLException e) {
              String message = String.valueOf(e.getMessage());
              // the whole name, up to the server's 63 bytes, is the one column it does not know
              if (!"42703".equals(e.getSQLState()) || !message.contains(name.substring(0, 8))) {
                wrong.add(mode + "/" + way + " " + name + ": " + e.getSQLState() + " " + message);
              }
            }
          }
        }
      }
    }
    assertThat(cases).isEqualTo(84);
    assertThat(wrong).isEmpty();
    // the oracle beside the errors: PostgreSQL has no IAM_ROLE, so a COPY it read as a statement fails
    // there with a syntax error (a quoted name never does)
    assertThat(POSTGRES.serverLog()).contains("rc-evil").doesNotContain(COPY_PARSED);
  }

  /**
   * A savepoint's name ({@code setSavepoint}, then {@code rollback} and {@code releaseSavepoint} of
   * it), the schema of {@code setSchema}, the catalog of {@code setCatalog} and the client info
   * {@code ApplicationName}: each taken, and no COPY read as a statement, in both query modes.
   */
  @Test
  void savepointSchemaCatalogAndApplicationNamesRunNoCopy() throws Exception {
    List<String> failed = new ArrayList<>();
    int cases = 0;
    for (String mode : new String[] {null, "simple"}) {
      for (String name : NAMES) {
        try (Connection guarded = POSTGRES.redshiftConnection(true, mode)) {
          cases++;
          try {
            guarded.setAutoCommit(false);
            java.sql.Savepoint savepoint = guarded.setSavepoint(name);
            guarded.rollback(savepoint);
            guarded.releaseSavepoint(savepoint);
            guarded.rollback();
            guarded.setAutoCommit(true);
            guarded.setSchema(name);
            guarded.setCatalog(name);
            guarded.setClientInfo("ApplicationName", name);
            try (Statement statement = guarded.createStatement()) {
              statement.execute("select 1"); // the driver may send a changed ApplicationName with the next query
            }
          } catch (SQLException e) {
            failed.add(mode + " " + name + ": " + e.getSQLState() + " " + e.getMessage());
          }
        }
      }
    }
    assertThat(cases).isEqualTo(14);
    assertThat(failed).isEmpty(); // each name is taken as a name, which the server accepts
    assertThat(POSTGRES.serverLog()).contains("rc-evil").doesNotContain(COPY_PARSED);
  }

  private static void run(Connection connection, int way, String[] columns) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      switch (way) {
        case 0 -> statement.executeUpdate("insert into rc_t values (1, 2)", columns);
        case 1 -> statement.execute("update rc_t set b = 3 where a = 1", columns);
        case 2 -> statement.executeLargeUpdate("delete from rc_t where a = 7", columns);
        default -> {
          try (PreparedStatement prepared = connection.prepareStatement("insert into rc_t values (?, 2)", columns)) {
            prepared.setInt(1, 5);
            prepared.executeUpdate();
          }
        }
      }
    }
  }
}
