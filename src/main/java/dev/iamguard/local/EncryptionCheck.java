package dev.iamguard.local;

import dev.iamguard.sql.SqlStatement;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Refuses client-side encryption, which the SQL model does not list among the options: the auth
 * grammar consumes {@code MASTER_SYMMETRIC_KEY 'key'} and records it neither in
 * {@code options()} nor in {@code auth().keywords()}, and the CREDENTIALS form only shows it as a
 * credential key. So the keyword is looked for in the statement text, outside literals, quoted
 * identifiers and comments (the UNLOAD query, a literal, is never searched).
 */
final class EncryptionCheck {
  private static final String KEYWORD = "MASTER_SYMMETRIC_KEY";

  private EncryptionCheck() {}

  static void refuseClientSideEncryption(String command, SqlStatement statement) throws SQLException {
    if (statement.command().auth().credentialKeys().contains("master_symmetric_key") || hasKeyword(statement.text())) {
      throw SqlStates.notEmulated(command, KEYWORD + " (client-side encryption)");
    }
  }

  static boolean hasKeyword(String sql) {
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        i = skipQuoted(sql, i, c);
      } else if (c == '-' && sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? sql.length() : end;
      } else if (c == '/' && sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? sql.length() : end + 2;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
          i++;
        }
        if (sql.substring(start, i).toUpperCase(Locale.ROOT).equals(KEYWORD)) {
          return true;
        }
      } else {
        i++;
      }
    }
    return false;
  }

  /** The offset after the literal or quoted identifier opening at {@code start}. */
  private static int skipQuoted(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (quote == '\'' && c == '\\') {
        i += 2;
      } else if (c == quote && i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
        i += 2;
      } else if (c == quote) {
        return i + 1;
      } else {
        i++;
      }
    }
    return i;
  }
}
