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
 * The column names of {@code executeUpdate(sql, String[])}, {@code execute(sql, String[])},
 * {@code executeLargeUpdate(sql, String[])} and {@code prepareStatement(sql, String[])} reach the
 * server in a {@code RETURNING} clause the Redshift driver appends to the text the guard checked.
 * The guard does not read them: it relies on the driver quoting each as one identifier. This holds
 * the driver to that, with PostgreSQL 15 as the oracle, for names built to end the statement and
 * start a COPY that the registry denies (a {@code ;}, a double quote, a backslash, a comment, a
 * dollar quote, a line break): the server reads every name as one column it does not have
 * ({@code 42703} naming the whole name), and runs no COPY. A driver that stopped quoting them would
 * send the COPY past the guard: this test turns red then.
 */
class ReturningColumnsServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String COPY = "copy rc_t from 's3://rc-evil/k' iam_role 'arn:aws:iam::999999999999:role/Unknown' csv";
  /** Names after which a COPY would stand as a statement of its own, were the name pasted as written. */
  private static final List<String> NAMES = List.of("a; " + COPY, "a\"; " + COPY + " --", "a\\\"; " + COPY,
      "a /* */; " + COPY, "a $$; " + COPY + "; $$", "a\n; " + COPY, "a\"\"; " + COPY);

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
    assertThat(POSTGRES.serverLog()).contains("rc-evil").doesNotContain("syntax error at or near \"iam_role\"");
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
