package dev.iamguard.sql;

/**
 * PostgreSQL's reserved key words (its grammar's {@code reserved_keyword}), which cannot stand
 * unquoted where its grammar wants a name that is not a key word: {@code SET SESSION AUTHORIZATION
 * to} and {@code SAVEPOINT all} are syntax errors, not a switch to user "to" or a savepoint "all"
 * ({@code SessionAuthorizationShapesServerTest} and {@code TransactionShapesServerTest} ask the
 * server).
 */
final class ReservedWords {
  private static final java.util.Set<String> WORDS = java.util.Set.of("ALL", "ANALYSE", "ANALYZE", "AND",
      "ANY", "ARRAY", "AS", "ASC", "ASYMMETRIC", "BOTH", "CASE", "CAST", "CHECK", "COLLATE", "COLUMN", "CONSTRAINT", "CREATE",
      "CURRENT_CATALOG", "CURRENT_DATE", "CURRENT_ROLE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER",
      "DEFERRABLE", "DESC", "DISTINCT", "DO", "ELSE", "END", "EXCEPT", "FALSE", "FETCH", "FOR", "FOREIGN", "FROM",
      "GRANT", "GROUP", "HAVING", "IN", "INITIALLY", "INTERSECT", "INTO", "LATERAL", "LEADING", "LIMIT", "LOCALTIME",
      "LOCALTIMESTAMP", "NOT", "NULL", "OFFSET", "ON", "ONLY", "OR", "ORDER", "PLACING", "PRIMARY", "REFERENCES",
      "RETURNING", "SELECT", "SESSION_USER", "SOME", "SYMMETRIC", "TABLE", "THEN", "TO", "TRAILING", "TRUE", "UNION",
      "UNIQUE", "USER", "USING", "VARIADIC", "WHEN", "WHERE", "WINDOW", "WITH");

  private ReservedWords() {}

  /** Whether the cursor stands on an unquoted word that is one of them. */
  static boolean at(Cursor c) {
    return c.is(TokenKind.WORD) && WORDS.contains(c.tokens.upperWord(c.pos));
  }
}
