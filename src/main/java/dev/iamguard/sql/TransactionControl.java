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
  ROLLBACK_TO_SAVEPOINT;

  /** What {@code statement} does to its transaction. */
  public static TransactionControl of(SqlStatement statement) {
    if (statement.command().kind() != CommandKind.OTHER) {
      return NONE;
    }
    String[] words = statement.text().strip().toUpperCase(Locale.ROOT).split("\\s+", 5);
    return switch (words[0]) {
      case "BEGIN" -> BEGIN;
      case "START" -> words.length > 1 && words[1].startsWith("TRANSACTION") ? BEGIN : NONE;
      case "COMMIT", "END" -> COMMIT;
      case "ROLLBACK", "ABORT" -> java.util.Arrays.asList(words).contains("TO") ? ROLLBACK_TO_SAVEPOINT : ROLLBACK;
      default -> NONE;
    };
  }
}
