package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iamguard.sql.SqlScript;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reading probe F4 against the server. PostgreSQL with {@code standard_conforming_strings=on} (its
 * default) reads a backslash in a literal as itself, so where Redshift's reading closes
 * {@code 'a\''} and has a comment after it, the server's literal goes on into that comment and
 * closes there: what follows in the comment is code to the server. Shown with a harmless column
 * through the raw driver, after the statement's last token and after its semicolon, in both kinds of
 * comment; then the same places holding an auth clause or command are refused by the guard, and
 * nothing of them reaches the server.
 */
class HiddenBetweenStatementsServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String OPENER = "select 'a\\''";
  /** After the last token and after the semicolon; a block comment ends in a line comment to the server. */
  private static final List<String> PLACES = List.of("%s -- ' %s\n", "%s /* ' %s -- */", "%s; -- ' %s\n",
      "%s; /* ' %s -- */", "%s; select 2; -- ' %s\n");

  @Test
  void theServerRunsWhatRedshiftsReadingHasInTheComment() throws SQLException {
    try (Connection raw = POSTGRES.redshiftConnection(false, null); Statement statement = raw.createStatement()) {
      statement.execute("set standard_conforming_strings = on");
      for (String place : PLACES.subList(0, 4)) {
        String text = String.format(place, OPENER, ", 2 as shown");
        assertThat(SqlScript.parse(text).statements()).as("Redshift's reading of %s", text).singleElement()
            .satisfies(s -> assertThat(s.text()).isEqualTo(OPENER));
        try (ResultSet rows = statement.executeQuery(text)) {
          assertThat(rows.getMetaData().getColumnCount()).as("the server's reading of %s", text).isEqualTo(2);
          assertThat(rows.getMetaData().getColumnLabel(2)).isEqualTo("shown");
        }
      }
    }
  }

  @Test
  void aClauseOrCommandThereIsRefusedAndNeverSent() throws SQLException {
    int refused = 0;
    String clause = "iam_role 'arn:aws:iam::123456789012:role/HiddenF4'";
    for (String hidden : List.of(clause, ", 1; copy t from 's3://b/hidden-f4' " + clause)) {
      for (String place : PLACES) {
        String text = String.format(place, OPENER, hidden);
        try (Connection guarded = POSTGRES.redshiftConnection(true, null); Statement statement = guarded.createStatement()) {
          SQLException e = catchThrowableOfType(SQLException.class, () -> statement.execute(text));
          assertThat((Throwable) e).as(text).isNotNull();
          if (hidden.equals(clause)) { // a ';' in the comment is refused by the split check before this one
            assertThat(e.getMessage()).as(text).contains("hides an auth clause");
          }
          refused++;
        }
      }
    }
    assertThat(refused).isEqualTo(2 * PLACES.size());
    assertThat(POSTGRES.serverLog()).doesNotContain("HiddenF4").doesNotContain("hidden-f4");
  }
}
