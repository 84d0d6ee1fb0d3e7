package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The ways an application sends one text, for tests that expect the guard to refuse it. */
final class SendingWays {
  private SendingWays() {}

  /**
   * What sending {@code sql} one way ({@code execute}, {@code executeUpdate}, {@code prepare},
   * {@code prepareCall}, else addBatch and executeBatch) threw, or null when nothing was thrown.
   */
  static SQLException refusal(Connection connection, Statement statement, String sql, String call) {
    return catchThrowableOfType(() -> {
      switch (call) {
        case "execute" -> statement.execute(sql);
        case "executeUpdate" -> statement.executeUpdate(sql);
        case "prepare" -> connection.prepareStatement(sql).execute();
        case "prepareCall" -> connection.prepareCall(sql).execute();
        default -> {
          statement.addBatch(sql);
          statement.executeBatch();
        }
      }
    }, SQLException.class);
  }
}
