package dev.iamguard.local;

import dev.iamguard.sql.SqlStatement;
import java.sql.SQLException;

/**
 * Refuses client-side encryption: {@code MASTER_SYMMETRIC_KEY '..'} (an option recorded by name
 * only, its value being a secret) or {@code master_symmetric_key=} inside CREDENTIALS.
 */
final class EncryptionCheck {
  private static final String KEYWORD = "MASTER_SYMMETRIC_KEY";

  private EncryptionCheck() {}

  static void refuseClientSideEncryption(String command, SqlStatement statement) throws SQLException {
    if (statement.command().auth().credentialKeys().contains("master_symmetric_key")
        || statement.command().option(KEYWORD) != null) {
      throw SqlStates.notEmulated(command, KEYWORD + " (client-side encryption)");
    }
  }
}
