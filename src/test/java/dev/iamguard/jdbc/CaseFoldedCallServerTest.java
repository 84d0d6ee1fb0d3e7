package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A CALL whose procedure name is quoted in another case than the catalog's. Redshift folds a
 * quoted name to lower case too unless {@code enable_case_sensitive_identifier} is on (its
 * default is off: https://docs.aws.amazon.com/redshift/latest/dg/r_enable_case_sensitive_identifier.html),
 * so {@code call "B_COPY_ROLE_P_INV"()} runs {@code b_copy_role_p_inv}'s COPY as the caller; the
 * guard asked the catalog for the name as written, found no such procedure and sent the CALL
 * unjudged. PostgreSQL keeps a quoted name's case, so it cannot run such a CALL: what it can show is
 * that the guard now judges the body of the folded name, for every way of writing the name in
 * another case (the procedure's, the schema's, both, a JDBC escape), and that a quoted name of no
 * procedure in any case is still sent (the server then refuses it).
 */
class CaseFoldedCallServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final List<String> SPELLINGS = List.of("call \"%s\"()", "CALL public.\"%s\"()",
      "call \"PUBLIC\".\"%s\"()", "call \"Public\".%s()", "{call \"%s\"()}", "call \"%s\" ( )");

  @BeforeAll
  static void createObjects() throws SQLException {
    PreparedTransactionEndServerTest.createObjects(POSTGRES);
  }

  /** The name in other cases: all upper, the first letter upper, every other letter upper. */
  private static List<String> cases(String name) {
    StringBuilder alternate = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      alternate.append(i % 2 == 0 ? Character.toUpperCase(c) : c);
    }
    return List.of(name.toUpperCase(java.util.Locale.ROOT),
        Character.toUpperCase(name.charAt(0)) + name.substring(1), alternate.toString());
  }

  @Test
  void aCallOfAProcedureQuotedInAnotherCaseIsJudgedAsTheFoldedNamesBody() throws SQLException {
    List<String> sent = new ArrayList<>();
    int refused = 0;
    for (String body : AuthCommands.invokerBodies()) {
      for (String spelling : SPELLINGS) {
        for (String name : cases(body)) {
          String text = String.format(spelling, name);
          try (Connection connection = asR3(); Statement statement = connection.createStatement()) {
            try {
              statement.execute(text);
              sent.add(text + " (ran)");
            } catch (SQLException e) {
              if (e.getMessage().startsWith("iamguard:") && e.getMessage().contains("r3")) {
                refused++;
              } else {
                sent.add(text + ": " + e.getMessage());
              }
            }
          }
        }
      }
    }
    assertThat(sent).as("CALLs of a procedure in another case sent, not judged for r3 (%d refused)", refused)
        .isEmpty();
    assertThat(refused).isEqualTo(AuthCommands.invokerBodies().size() * SPELLINGS.size() * 3);
  }

  @Test
  void aQuotedNameOfNoProcedureInAnyCaseIsStillSentAndTheServerRefusesIt() throws SQLException {
    for (String spelling : SPELLINGS) {
      String text = String.format(spelling, "No_Such_Procedure");
      try (Connection connection = asR3(); Statement statement = connection.createStatement()) {
        SQLException failure = org.assertj.core.api.Assertions.catchThrowableOfType(SQLException.class,
            () -> statement.execute(text));
        assertThat((Throwable) failure).as(text).isNotNull();
        // the driver leaves a JDBC escape with a quoted name as it is, and the server refuses the brace
        assertThat(failure.getMessage()).as(text).doesNotStartWith("iamguard:")
            .contains(text.startsWith("{") ? "syntax error at or near \"{\"" : "does not exist");
      }
    }
  }

  /** user1 acting as r3 (a role the registry does not trust) through the guard. */
  private static Connection asR3() throws SQLException {
    return AuthCommands.guardedAsR3(POSTGRES, "case-folded-call", "extended");
  }
}
