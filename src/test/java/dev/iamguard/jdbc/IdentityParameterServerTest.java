package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.security.IdentityParameterSpellingTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server is the oracle for {@link IdentityParameterSpellingTest}: every quoted spelling of the
 * {@code session_authorization} and {@code role} parameters that the guard now reads as an
 * identity change really changes who runs the next statement on PostgreSQL 15 (logged in as the
 * superuser postgres, who alone may switch). Each is sent as one simple query, in a transaction
 * so that {@code SET LOCAL} holds until the question is asked.
 */
class IdentityParameterServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static String whoRunsAfter(SimpleQueryWire server, String before, String change) throws Exception {
    SimpleQueryWire.Answer answer = server.query("begin; " + before + change + "; select session_user::text || '/' "
        + "|| current_user::text; rollback");
    assertThat(answer.error()).as(change).isNull();
    List<String> values = answer.values();
    return values.get(values.size() - 1);
  }

  @Test
  void everyQuotedSpellingChangesTheIdentityOnTheServer() throws Exception {
    try (SimpleQueryWire server = SimpleQueryWire.redshiftLike(POSTGRES)) {
      SimpleQueryWire.Answer created = server.query("create role user3");
      assertThat(created.error()).isNull();
      assertThat(whoRunsAfter(server, "", "select 1")).isEqualTo("postgres/postgres");
      for (String change : IdentityParameterSpellingTest.sessionAuthorizationSpellings()) {
        assertThat(whoRunsAfter(server, "", change)).as(change).isEqualTo("user3/user3");
      }
      for (String change : IdentityParameterSpellingTest.roleSpellings()) {
        assertThat(whoRunsAfter(server, "", change)).as(change).isEqualTo("postgres/user3");
      }
      for (String reset : IdentityParameterSpellingTest.resetSpellings()) {
        boolean role = reset.toLowerCase(java.util.Locale.ROOT).contains("role");
        String before = role ? "set role user3; " : "set session authorization user3; ";
        assertThat(whoRunsAfter(server, before, "select 1")).as(reset).isNotEqualTo("postgres/postgres");
        assertThat(whoRunsAfter(server, before, reset)).as(reset).isEqualTo("postgres/postgres");
      }
    }
  }
}
