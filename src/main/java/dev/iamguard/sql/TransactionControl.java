package dev.iamguard.sql;

import java.util.Locale;

/**
 * What a statement does to the transaction it runs in, read from its first words: GRANT and REVOKE
 * ASSUMEROLE made in a transaction wait for its end, which keeps or takes them back.
 */
public enum TransactionControl {
  /** Not a transaction statement (also {@code SAVEPOINT} and {@code RELEASE}, which keep what went before). */
  NONE,
  /** {@code BEGIN}, {@code START TRANSACTION}. */
  BEGIN,
  /** {@code COMMIT}, {@code END}: the transaction's changes stay. */
  COMMIT,
  /** {@code ROLLBACK}, {@code ABORT}: the transaction's changes are taken back. */
  ROLLBACK,
  /** {@code ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name}: the changes after the savepoint are taken back. */
  ROLLBACK_TO_SAVEPOINT,
  /**
   * A statement Redshift refuses in a transaction block, which so aborts the transaction: VACUUM,
   * CREATE and DROP DATABASE, CREATE, DROP, ALTER and RENAME of an external table, CREATE and DROP
   * TABLESPACE, REINDEX DATABASE, ALTER TABLE APPEND (SVL_MULTI_STATEMENT_VIOLATIONS and the
   * commands' pages of the Redshift guide).
   */
  ABORTS_A_TRANSACTION;

  /** Whether {@code text}'s first letter starts one of the words read below: most statements are let go here. */
  private static boolean mayControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = (char) (text.charAt(i) | 0x20);
      if (!Character.isWhitespace(text.charAt(i))) {
        return c == 'b' || c == 's' || c == 'c' || c == 'e' || c == 'r' || c == 'a' || c == 'v' || c == 'd';
      }
    }
    return false;
  }

  /** What {@code statement} does to its transaction. */
  public static TransactionControl of(SqlStatement statement) {
    CommandKind kind = statement.command().kind();
    if (kind == CommandKind.CREATE_EXTERNAL_TABLE || kind == CommandKind.ALTER_EXTERNAL_TABLE) {
      return ABORTS_A_TRANSACTION;
    }
    if (kind != CommandKind.OTHER || !mayControl(statement.text())) {
      return NONE;
    }
    String[] words = statement.text().strip().toUpperCase(Locale.ROOT).split("\\s+", 5);
    String second = words.length > 1 ? words[1] : "";
    return switch (words[0]) {
      case "BEGIN" -> BEGIN;
      case "START" -> second.startsWith("TRANSACTION") ? BEGIN : NONE;
      case "COMMIT", "END" -> COMMIT;
      case "ROLLBACK", "ABORT" -> java.util.Arrays.asList(words).contains("TO") ? ROLLBACK_TO_SAVEPOINT : ROLLBACK;
      case "VACUUM" -> ABORTS_A_TRANSACTION;
      case "CREATE", "DROP" -> second.equals("DATABASE") || second.equals("TABLESPACE")
          || second.equals("EXTERNAL") && words.length > 2 && words[2].startsWith("TABLE") ? ABORTS_A_TRANSACTION : NONE;
      case "REINDEX" -> second.equals("DATABASE") ? ABORTS_A_TRANSACTION : NONE;
      case "ALTER" -> second.equals("TABLE") && statement.text().toUpperCase(Locale.ROOT).matches("(?s).*\\bAPPEND\\s+FROM\\b.*")
          ? ABORTS_A_TRANSACTION : NONE;
      default -> NONE;
    };
  }
}
