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

  /**
   * What {@code statement} does to its transaction, read from its first words in place: a script
   * followed through its transactions asks this of every statement, so most are let go after their
   * first word without a copy of their text.
   */
  public static TransactionControl of(SqlStatement statement) {
    CommandKind kind = statement.command().kind();
    if (kind == CommandKind.CREATE_EXTERNAL_TABLE || kind == CommandKind.ALTER_EXTERNAL_TABLE
        || kind == CommandKind.CREATE_DATABASE) {
      return ABORTS_A_TRANSACTION;
    }
    if (kind != CommandKind.OTHER) {
      return NONE;
    }
    String s = statement.source();
    int end = statement.end();
    int first = statement.start();
    int firstEnd = wordEnd(s, first, end);
    int second = wordStart(s, firstEnd, end);
    int secondEnd = wordEnd(s, second, end);
    if (is(s, first, firstEnd, "BEGIN")) {
      return BEGIN;
    }
    if (is(s, first, firstEnd, "START")) {
      return is(s, second, secondEnd, "TRANSACTION") ? BEGIN : NONE;
    }
    if (is(s, first, firstEnd, "COMMIT") || is(s, first, firstEnd, "END")) {
      return COMMIT;
    }
    if (is(s, first, firstEnd, "ROLLBACK") || is(s, first, firstEnd, "ABORT")) {
      String[] words = s.substring(first, end).strip().toUpperCase(Locale.ROOT).split("\\s+", 5);
      return java.util.Arrays.asList(words).contains("TO") ? ROLLBACK_TO_SAVEPOINT : ROLLBACK;
    }
    if (is(s, first, firstEnd, "VACUUM")) {
      return ABORTS_A_TRANSACTION;
    }
    if (is(s, first, firstEnd, "CREATE") || is(s, first, firstEnd, "DROP")) {
      int third = wordStart(s, secondEnd, end);
      return is(s, second, secondEnd, "DATABASE") || is(s, second, secondEnd, "TABLESPACE")
          || is(s, second, secondEnd, "EXTERNAL") && is(s, third, wordEnd(s, third, end), "TABLE")
          ? ABORTS_A_TRANSACTION : NONE;
    }
    if (is(s, first, firstEnd, "REINDEX")) {
      return is(s, second, secondEnd, "DATABASE") ? ABORTS_A_TRANSACTION : NONE;
    }
    if (is(s, first, firstEnd, "ALTER") && is(s, second, secondEnd, "TABLE")) {
      return s.substring(first, end).toUpperCase(Locale.ROOT).matches("(?s).*\\bAPPEND\\s+FROM\\b.*")
          ? ABORTS_A_TRANSACTION : NONE;
    }
    return NONE;
  }

  /** Whether {@code s[from, to)} is {@code word}, in any case. */
  private static boolean is(String s, int from, int to, String word) {
    return to - from == word.length() && s.regionMatches(true, from, word, 0, word.length());
  }

  /** Where the word (letters, digits, {@code _}) starting at {@code at} ends. */
  private static int wordEnd(String s, int at, int end) {
    int i = at;
    while (i < end && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
      i++;
    }
    return i;
  }

  /** Where the next word after {@code at} starts (past white space). */
  private static int wordStart(String s, int at, int end) {
    int i = at;
    while (i < end && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }
}
