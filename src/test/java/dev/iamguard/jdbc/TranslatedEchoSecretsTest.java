package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On H2 the local dialect sends a literal with backslash escapes as the value Redshift reads
 * ({@code 'a\'b'} as {@code 'a''b'}), and H2 quotes that text when it refuses the statement: the
 * secret's pieces there are not the pieces as written (probe 21c F1). No piece of a password
 * survives in any message of the error, its causes or its next exceptions, for passwords with
 * escaped quotes, backslashes and line breaks at their start, middle and end, sent alone or in a batch.
 */
class TranslatedEchoSecretsTest {
  @TempDir
  Path localS3;

  /** Each password as written in the literal, and the pieces of it no message may hold. */
  private record Password(String written, List<String> pieces) {}

  private static final List<Password> PASSWORDS = List.of(
      new Password("Pa\\\\\\'ssw0rd\\\\2024Summer", List.of("ssw0rd", "2024Summer")),
      new Password("\\'Lead1ngQuote", List.of("Lead1ngQuote")),
      new Password("Trail1ngQuote\\'", List.of("Trail1ngQuote")),
      new Password("Two\\'Quo\\'tesHere9", List.of("tesHere9")),
      new Password("Line\\nBreak7Secret", List.of("Break7Secret")),
      new Password("Tab\\tSep4rated\\\\End", List.of("Sep4rated")));

  @Test
  void noPieceOfAPasswordSurvivesTheEchoOfTheTranslatedText() throws SQLException {
    int refused = 0;
    try (Connection connection = TestRegistry.openH2(localS3); Statement statement = connection.createStatement()) {
      for (Password password : PASSWORDS) {
        for (String sql : List.of("alter user nobody password '" + password.written() + "' nosuchword",
            "create user bob password '" + password.written() + "' nosuchword")) {
          SQLException error = assertThrows(SQLException.class, () -> statement.execute(sql), sql);
          assertNoPiece(error, password, sql);
          statement.addBatch(sql);
          SQLException batch = assertThrows(SQLException.class, statement::executeBatch, sql);
          statement.clearBatch();
          assertNoPiece(batch, password, sql);
          refused++;
        }
      }
    }
    assertThat(refused).isEqualTo(PASSWORDS.size() * 2);
  }

  private static void assertNoPiece(SQLException error, Password password, String sql) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = error; t != null; t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
      messages.add(t.toString());
      if (t instanceof SQLException e && e.getNextException() != null) {
        messages.add(String.valueOf(e.getNextException().getMessage()));
      }
    }
    assertThat(messages).as(sql).isNotEmpty();
    for (String message : messages) {
      for (String piece : password.pieces()) {
        assertThat(message).as(sql).doesNotContain(piece);
      }
    }
  }
}
